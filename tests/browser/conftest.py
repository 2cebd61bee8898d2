"""Pytest fixtures for browser (end-to-end) tests. Helpers live in ``harness.py``.

Fixtures:

* ``app_server`` (session) – base URL (``http://127.0.0.1:<port>``) of one shared app, backed by a fresh
  temp SQLite DB that went through ``cli.py migrate`` + ``cli.py demo`` + the ``harness.TEST_ACCOUNTS``
  (``cli.py users add … --password-stdin``; sign in with ``harness.login_as(page, "viewer"|"secretariat"|"admin")``).
* ``server_factory`` (function) – ``server_factory(env_overrides=None, *, demo=True, accounts=True, db_url=None)
  -> url`` starts an extra, isolated app (own DB unless ``db_url`` is given); stopped after the test.
* ``browser`` (session) – Playwright ``Browser`` on ``/usr/bin/chromium``.
* ``page`` (function) – fresh context (1400x1000, vi-VN, Asia/Ho_Chi_Minh) and page. Every request and
  websocket URL is appended to ``requests_log`` (also ``page.requested_urls``); uncaught JS errors go to
  ``page_errors`` (also ``page.page_errors``). A screenshot is saved automatically when the test fails.
* ``requests_log``, ``page_errors`` (function) – the lists above.
* ``screenshot_dir`` (session) – ``$CCHC_SCREENSHOT_DIR`` or a pytest temp dir.

Every test in this directory is marked ``browser``. Chromium missing: skip, or fail if ``CCHC_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from .harness import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    LOCALE,
    TIMEZONE,
    VIEWPORT,
    browser_required,
    chromium_problem,
    prepare_database,
    screenshot,
    set_screenshot_dir,
    sqlite_url,
    start_server,
    stop_server,
)

_HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _skip_or_fail(reason: str) -> None:
    if browser_required():
        pytest.fail(f"CCHC_REQUIRE_BROWSER=1 but browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Decide before any fixture runs, so a machine without Chromium doesn't start servers for nothing.
    if item.get_closest_marker("browser") is not None:
        problem = chromium_problem()
        if problem:
            _skip_or_fail(problem)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    setattr(item, f"_cchc_report_{report.when}", report)  # read by the `page` fixture
    return report


# --------------------------------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a shared app on a migrated + demo-loaded temp SQLite database."""
    tmp = tmp_path_factory.mktemp("app_server")
    db_url = sqlite_url(tmp / "cchc.sqlite")
    prepare_database(db_url, demo=True, accounts=True)
    url, proc = start_server(db_url=db_url, log_path=tmp / "streamlit.log")
    try:
        yield url
    finally:
        stop_server(proc)


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start extra isolated app servers: ``url = server_factory({"CCHC_UPLOAD_MAX_MB": "1"}, demo=False)``."""
    procs = []

    def _start(
        env_overrides: Mapping[str, str] | None = None,
        *,
        demo: bool = True,
        accounts: bool = True,
        db_url: str | None = None,
    ) -> str:
        if db_url is None:
            db_url = sqlite_url(tmp_path / f"cchc-{len(procs)}.sqlite")
            prepare_database(db_url, demo=demo, accounts=accounts, env_overrides=env_overrides)
        url, proc = start_server(env_overrides, db_url, log_path=tmp_path / f"streamlit-{len(procs)}.log")
        procs.append(proc)
        return url

    yield _start
    for proc in procs:
        stop_server(proc)


# --------------------------------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = os.environ.get("CCHC_SCREENSHOT_DIR")
    return set_screenshot_dir(env_dir if env_dir else tmp_path_factory.mktemp("screenshots"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    problem = chromium_problem()
    if problem:
        _skip_or_fail(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=list(CHROMIUM_ARGS), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def requests_log() -> list[str]:
    """URLs of every request (and websocket) made by the `page` fixture's browser context, in order."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors raised in the `page` fixture's page."""
    return []


@pytest.fixture
def page(
    browser: Any, requests_log: list[str], page_errors: list[str], request: pytest.FixtureRequest
) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE, timezone_id=TIMEZONE)
    context.on("request", lambda req: requests_log.append(req.url))
    page = context.new_page()
    page.on("websocket", lambda ws: requests_log.append(ws.url))
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    page.set_default_timeout(30_000)
    page.requested_urls = requests_log
    page.page_errors = page_errors
    try:
        yield page
    finally:
        report = getattr(request.node, "_cchc_report_call", None)
        if report is not None and report.failed:
            try:
                path = screenshot(page, f"FAILED-{request.node.name}")
                print(f"\nscreenshot of failed test: {path}")
            except Exception as exc:  # best effort only
                print(f"\ncould not take failure screenshot: {exc}")
        context.close()
