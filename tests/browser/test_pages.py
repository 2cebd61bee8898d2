"""The committee's pages in Chromium: sign in, change a filter, share the link, draw the map offline.

Every test also checks that no request left the machine (a government network is closed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .harness import (
    create_user,
    external_urls,
    prepare_database,
    screenshot,
    sqlite_url,
    start_server,
    stop_server,
    wait_for_app,
    wait_for_plotly,
)
from .harness import (
    login as harness_login,
)

pytestmark = pytest.mark.browser

USER, PASSWORD = "nguoixem", "mat-khau-thu-nghiem-76"
#: url path ("" = the default page, overview) → a word of its title in Vietnamese.
PAGES = {
    "": "Tổng quan",
    "staff": "Tinh giản biên chế",
    "dossiers": "Giải quyết hồ sơ TTHC",
    "digital": "Chuyển đổi số",
    "provinces": "So sánh địa phương",
    "ministries": "So sánh bộ, ngành",
}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An app on its own demo database with a viewer account (the shared app_server has no user)."""
    yield from viewer_server(tmp_path_factory.mktemp("pages"))


def viewer_server(directory: Path) -> Iterator[str]:
    """A started app on a demo database in ``directory`` with the :data:`USER` viewer; stopped after."""
    db_url = sqlite_url(directory / "cchc.sqlite")
    prepare_database(db_url, demo=True)
    create_viewer(db_url)
    url, proc = start_server(db_url=db_url)
    try:
        yield url
    finally:
        stop_server(proc)


def create_viewer(db_url: str) -> None:
    create_user(db_url, USER, "viewer", PASSWORD)


def login(page: Any) -> None:
    """Sign in through the form and wait until the page has come back from the cookie route."""
    wait_for_app(page)
    harness_login(page, USER, PASSWORD)


def open_page(page: Any, base: str, path: str) -> None:
    page.goto(f"{base}/{path}" if base else path, wait_until="domcontentloaded")
    login(page)
    wait_for_plotly(page)
    wait_for_app(page)


def squeezed_category_axes(page: Any) -> list[str]:
    """Charts whose drawn x range (a category axis) reaches far beyond its categories, so its points are
    squeezed together at one end: the titles of such charts."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('.js-plotly-plot')].filter(el => {
                const ax = el._fullLayout && el._fullLayout.xaxis;
                if (!ax || ax.type !== 'category' || !ax._categories || !ax.range) return false;
                return ax.range[0] < -2 || ax.range[1] > ax._categories.length + 1;
            }).map(el => (el.layout.title && el.layout.title.text) || '?')"""
        )
    )


def subtitle(page: Any) -> str:
    return str(page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text())


@pytest.mark.parametrize("path", list(PAGES))
def test_page_filter_lives_in_the_url(
    demo_server: str, browser: Any, page: Any, requests_log: list[str], path: str
) -> None:
    open_page(page, demo_server, path)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert PAGES[path] in page.locator("h1").first.inner_text()
    assert not squeezed_category_axes(page), squeezed_category_axes(page)
    screenshot(page, f"page-{path or 'overview'}-latest")
    # Change the era view: the URL carries it and the subtitle says "quy đổi".
    page.get_by_text("Quy đổi về 34 tỉnh, 17 bộ hiện nay").click()
    wait_for_app(page)
    wait_for_plotly(page)
    assert "view=rebased" in page.url
    before = subtitle(page)
    assert "quy đổi" in before
    shared = page.url
    # The link opens the same view for someone else.
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
    ctx.on("request", lambda req: requests_log.append(req.url))
    other = ctx.new_page()
    try:
        open_page(other, "", shared)
        assert "view=rebased" in other.url
        assert subtitle(other) == before
        screenshot(other, f"page-{path or 'overview'}-shared-rebased")
    finally:
        ctx.close()
    assert not external_urls(requests_log), external_urls(requests_log)


@pytest.mark.parametrize("path", ["?period=2024", "digital?period=2024", "dossiers?ptype=Y&period=2024"])
def test_yearly_trends_draw_every_year_apart(demo_server: str, page: Any, path: str) -> None:
    """Year labels ("2024") on a category axis: a mark placed at the label was read as the number 2024 by
    Plotly.js, which stretched the axis to it and drew every year's point at the left edge."""
    open_page(page, demo_server, path)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not squeezed_category_axes(page), squeezed_category_axes(page)


def test_period_link_and_language(demo_server: str, page: Any, requests_log: list[str]) -> None:
    open_page(page, demo_server, "?period=2024")
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert {"16.149", "217", "15.932"} <= set(metrics), metrics
    page.get_by_text("English", exact=True).click()
    wait_for_app(page)
    wait_for_plotly(page)
    assert "lang=en" in page.url and "period=2024" in page.url
    assert page.locator("h1").first.inner_text().startswith("Overview")
    assert "Year 2024" in subtitle(page)
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert {"16,149", "217", "15,932"} <= set(metrics), metrics
    screenshot(page, "overview-2024-en")
    assert not external_urls(requests_log)


def test_map_draws_provinces_offline(demo_server: str, page: Any, requests_log: list[str]) -> None:
    open_page(page, demo_server, "provinces?period=2024")
    page.locator("path.choroplethlocation").first.wait_for(state="attached")
    assert page.locator("path.choroplethlocation").count() == 63
    page.get_by_text("Quy đổi về 34 tỉnh, 17 bộ hiện nay").click()
    wait_for_app(page)
    page.wait_for_function("document.querySelectorAll('path.choroplethlocation').length === 34")
    screenshot(page, "provinces-map-34")
    assert not external_urls(requests_log), external_urls(requests_log)
    # The boundaries come from the app's static files, each era's once, not inside every rerun's figure.
    fetched = [u.split("/app/static/", 1)[1] for u in requests_log if "/app/static/geo/" in u]
    assert sorted(fetched) == ["geo/vn_provinces_34.geojson", "geo/vn_provinces_63.geojson"], fetched


def test_direct_visit_on_a_fresh_server_shows_only_the_login(tmp_path: Path, browser: Any) -> None:
    """pages/x.py can be served for /x before any run of dashboard.py: it must still ask for a sign-in."""
    db_url = sqlite_url(tmp_path / "fresh.sqlite")
    prepare_database(db_url, demo=True)
    for path in [p for p in PAGES if p] + ["overview"]:
        url, proc = start_server(db_url=db_url)  # a fresh server for each page: nothing has routed yet
        try:
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
            page = ctx.new_page()
            page.goto(f"{url}/{path}", wait_until="domcontentloaded")
            wait_for_app(page)
            page.get_by_label("Tên đăng nhập").wait_for()
            wait_for_app(page, settle_ms=800)
            assert page.locator(".js-plotly-plot").count() == 0
            assert page.locator('[data-testid="stMetric"]').count() == 0
            assert page.locator('[data-testid="stDataFrame"]').count() == 0
            assert not re.search(r"\d{1,3}\.\d{3}", page.locator('[data-testid="stMain"]').inner_text())
            screenshot(page, f"fresh-direct-{path}")
            ctx.close()
        finally:
            stop_server(proc)
