"""Every chart's unit links to its profile, in Chromium: a bar of the peers chart and a province on the map
open /profile for that unit and the period shown; the ranking table's rows carry the same links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .harness import external_urls, screenshot, wait_for_app
from .test_pages import open_page, viewer_server

pytestmark = pytest.mark.browser

PROFILE_URL = re.compile(r"/profile\?(.*&)?unit=VN34-\d\d")


@pytest.fixture(scope="module")
def links_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from viewer_server(tmp_path_factory.mktemp("links"))


def _profile_reached(page: Any) -> str:
    page.wait_for_url(PROFILE_URL, timeout=60_000)
    wait_for_app(page)
    page.get_by_text("Các chỉ số của", exact=False).first.wait_for(timeout=120_000)
    return str(page.url)


#: Which unit element is clicked on /provinces: a bar of the peers chart, a province on the map.
TARGETS = {
    "bar": '[data-testid="stPlotlyChart"] .barlayer .point path',
    "map": '[data-testid="stPlotlyChart"] path.choroplethlocation',
}


@pytest.mark.parametrize("target", list(TARGETS))
def test_clicking_a_unit_opens_its_profile(links_server: str, page: Any, requests_log: list[str], target: str) -> None:
    open_page(page, links_server, "provinces?period=2025-9M")
    element = page.locator(TARGETS[target]).first
    element.wait_for(state="attached", timeout=60_000)
    element.scroll_into_view_if_needed()
    element.click(force=True)
    url = _profile_reached(page)
    unit = re.search(r"unit=(VN34-\d\d)", url)
    assert unit is not None
    # The profile opens on the period shown where the unit was clicked (the URL leaves a default out).
    heading = page.get_by_text("Các chỉ số của", exact=False).first.inner_text()
    assert heading.endswith("9 tháng năm 2025"), heading
    screenshot(page, f"profile-from-{target}")
    assert not external_urls(requests_log), external_urls(requests_log)
