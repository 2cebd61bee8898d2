"""Smoke test: the first page renders a Plotly chart and nothing is fetched from outside the machine."""

from __future__ import annotations

from typing import Any

import pytest

from .harness import ensure_logged_in, external_urls, screenshot, wait_for_app, wait_for_plotly

pytestmark = pytest.mark.browser


def test_first_page_renders_chart_offline(app_server: str, page: Any, requests_log: list[str]) -> None:
    page.goto(app_server, wait_until="domcontentloaded")
    ensure_logged_in(page, "viewer")  # the app shows a sign-in form first (unless CCHC_PUBLIC_READONLY=1)

    chart = wait_for_plotly(page, timeout=60_000)
    wait_for_app(page)
    path = screenshot(page, "smoke-first-page")

    assert chart.is_visible()
    assert path.is_file() and path.stat().st_size > 0
    assert page.locator('[data-testid="stException"]').count() == 0, "the first page shows an exception"
    assert any(url.startswith(app_server) for url in requests_log), requests_log
    leaked = external_urls(requests_log)
    assert not leaked, f"requests left localhost: {leaked}"
