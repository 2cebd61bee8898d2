"""The session cookie is set by the server, HttpOnly and SameSite=Strict, and no script on the page reads it;
every sign-in gets a new token, a role change ends the session, sign-out clears the cookie.

The route itself (ui/session_routes.py) is also called over plain HTTP: ``Secure`` behind TLS, one use per
ticket, no cookie for another site's link, no redirect to another host.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from store.db import make_engine
from store.users import create_session, create_ticket, get_user

from .harness import (
    TEST_ACCOUNTS,
    login_as,
    needs_login,
    prepare_database,
    run_cli,
    session_cookie,
    sqlite_url,
    wait_for_app,
)


def _sign_out(page: Any) -> None:
    page.evaluate("() => { window.__cchcBeforeSignOut = true; }")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_function("() => window.__cchcBeforeSignOut === undefined", timeout=60_000)
    wait_for_app(page)


def _fresh_tab_with(browser: Any, base: str, token: str) -> bool:
    """Whether a new browser holding only ``token`` as its cookie is signed in."""
    context = browser.new_context()
    try:
        context.add_cookies([{"name": "cchc_session", "value": token, "url": base}])
        other = context.new_page()
        other.goto(base + "/overview")
        wait_for_app(other)
        # Either answer drawn, the sign-in form or the signed-in sidebar: a loaded machine may report the new
        # session's connection before its first run has drawn anything, which is neither.
        other.locator(
            '[data-testid="stForm"] input[type="password"], [data-testid="stSidebar"] :text("Đăng nhập: ")'
        ).first.wait_for(timeout=60_000)
        return not needs_login(other)
    finally:
        context.close()


def _viewer_signed_in(page: Any, app_server: str) -> dict[str, Any]:
    """The viewer signed in on the overview page; the session cookie the server set."""
    page.goto(app_server + "/overview")
    wait_for_app(page)
    login_as(page, "viewer")
    cookie = session_cookie(page)
    assert cookie is not None
    return dict(cookie)


def test_the_cookie_is_httponly_strict_and_no_script_sees_it(app_server: str, page: Any, browser: Any) -> None:
    cookie = _viewer_signed_in(page, app_server)
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert cookie["secure"] is False  # plain http on loopback; behind TLS it is Secure (test below)
    assert 0 < float(cookie["expires"]) <= time.time() + 12 * 3600 + 60  # forgotten after a working day
    assert "cchc_session" not in page.evaluate("document.cookie")
    assert page.url.startswith(app_server + "/overview")  # back where the sign-in started
    page.reload()
    wait_for_app(page)
    assert not needs_login(page)  # a reload keeps the sign-in
    assert _fresh_tab_with(browser, app_server, str(cookie["value"]))


def test_every_sign_in_gets_a_new_token_and_sign_out_clears_it(app_server: str, page: Any, browser: Any) -> None:
    first = _viewer_signed_in(page, app_server)
    _sign_out(page)
    assert needs_login(page) and session_cookie(page) is None
    login_as(page, "viewer")
    second = session_cookie(page)
    assert second is not None and second["value"] != first["value"]
    assert not _fresh_tab_with(browser, app_server, str(first["value"]))  # the old token opens nothing


def test_a_role_change_ends_the_session_and_the_next_sign_in_gets_a_new_token(
    server_factory: Callable[..., str], page: Any, tmp_path: Path
) -> None:
    db_url = sqlite_url(tmp_path / "role.sqlite")
    prepare_database(db_url, demo=True)
    base = server_factory(db_url=db_url)
    page.goto(base + "/overview")
    wait_for_app(page)
    login_as(page, "admin")
    before = session_cookie(page)
    assert before is not None
    name = TEST_ACCOUNTS["admin"][0]
    run_cli(["users", "role", name, "--role", "viewer"], db_url=db_url)
    page.reload()
    wait_for_app(page)
    assert needs_login(page)  # the old token ended with the role change
    login_as(page, "admin")
    after = session_cookie(page)
    assert after is not None and after["value"] != before["value"]
    assert after["httpOnly"] is True and after["sameSite"] == "Strict"
    assert f"{name} (người xem)" in page.locator('[data-testid="stSidebar"]').inner_text()  # the new role


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=30) as res:
            return res.status, res.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


@pytest.fixture
def behind_proxy(server_factory: Callable[..., str], tmp_path: Path) -> tuple[str, Callable[[], str]]:
    """A server told a proxy is in front (CCHC_TRUST_PROXY=1), and a way to mint tickets in its database."""
    db_url = sqlite_url(tmp_path / "route.sqlite")
    prepare_database(db_url, demo=False)
    base = server_factory({"CCHC_TRUST_PROXY": "1"}, db_url=db_url)
    engine = make_engine(db_url)
    user = get_user(engine, TEST_ACCOUNTS["viewer"][0])
    assert user is not None

    def ticket() -> str:
        return create_ticket(engine, create_session(engine, user))

    return base, ticket


def test_the_route_sets_secure_behind_tls_once_per_ticket_and_only_for_its_own_pages(
    behind_proxy: tuple[str, Callable[[], str]],
) -> None:
    base, ticket = behind_proxy
    t = ticket()
    status, headers = _get(f"{base}/_cchc/session?t={t}&next=/staff", {"X-Forwarded-Proto": "https"})
    assert status == 303 and headers["Location"] == "/staff"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("cchc_session=") and "HttpOnly" in cookie and "Secure" in cookie
    assert "samesite=strict" in cookie.lower() and "Max-Age=43200" in cookie
    assert headers["Cache-Control"] == "no-store"
    assert _get(f"{base}/_cchc/session?t={t}")[1]["Set-Cookie"] is None  # a ticket works once

    status, headers = _get(f"{base}/_cchc/session?t={ticket()}")
    assert "Secure" not in headers["Set-Cookie"]  # plain http, no TLS in front
    # A link on another site neither signs the visitor in nor sends them anywhere but this site's home.
    status, headers = _get(f"{base}/_cchc/session?t={ticket()}", {"Sec-Fetch-Site": "cross-site"})
    assert status == 303 and headers["Set-Cookie"] is None
    for bad in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        status, headers = _get(f"{base}/_cchc/session?t=x&next={quote(bad)}")
        assert headers["Location"] == "/", bad
    status, headers = _get(f"{base}/_cchc/signout", {"X-Forwarded-Proto": "https"})
    cleared = headers["Set-Cookie"]
    assert status == 303 and cleared.startswith('cchc_session="";') and "Max-Age=0" in cleared


def test_any_replica_swaps_the_ticket_and_reads_the_cookie(
    server_factory: Callable[..., str], page: Any, tmp_path: Path
) -> None:
    """Two replicas on one database: the sign-in on the first, its ticket swapped by the second (behind the
    proxy, any replica may answer the route), and the cookie then opens pages on both."""
    db_url = sqlite_url(tmp_path / "replicas.sqlite")
    prepare_database(db_url, demo=True)
    first, second = server_factory(db_url=db_url), server_factory(db_url=db_url)
    answered: list[int] = []

    def by_second(route: Any) -> None:  # what a proxy does: the same request, another replica
        response = route.fetch(url=second + route.request.url[len(first) :], max_redirects=0)
        answered.append(response.status)
        route.fulfill(response=response)

    page.route(re.compile(re.escape(first) + r"/_cchc/session\?"), by_second)
    page.goto(first + "/overview")
    wait_for_app(page)
    login_as(page, "viewer")
    assert answered == [303] and page.url.startswith(first + "/overview")
    assert session_cookie(page) is not None and not needs_login(page)
    page.goto(second + "/staff")  # cookies are per host, not per port: the second replica reads it too
    wait_for_app(page)
    assert not needs_login(page)
