"""Comparisons across the two merger dates (1/7/2025 provinces, 1/3/2025 ministries) on the demo's default views:
the comparison period is re-based onto the units of the period shown, in the as-reported view too, and said so."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from charts.style import TITLE_WIDTH

from .test_pages import figure, figures, widget

PROVINCE_NOTE = "Kỳ so sánh đã quy đổi về 34 tỉnh theo địa giới hiện nay"
MINISTRY_NOTE = "Kỳ so sánh đã quy đổi về 17 bộ, cơ quan theo cơ cấu Chính phủ từ 1/3/2025"


def _ranking(at: AppTest) -> tuple[list[str], list[str]]:
    """The ranking table's comparison and change columns."""
    table = at.dataframe[0].value
    return [str(v) for v in table.iloc[:, 3]], [str(v) for v in table.iloc[:, 4]]


def _captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def test_provinces_default_view_compares_across_the_province_merger(run_page: Callable[..., AppTest]) -> None:
    # Opens on 6 tháng đầu năm 2026 (34 provinces) against 6 tháng đầu năm 2025 (reported by the 63), as reported.
    at = run_page("pages/provinces.py")
    assert not at.exception
    base, change = _ranking(at)
    assert len(base) == 34
    assert "–" not in base and "–" not in change
    assert PROVINCE_NOTE in _captions(at)


def test_ministries_compare_across_the_ministry_merger(run_page: Callable[..., AppTest]) -> None:
    # Quý 1/2025 (17 ministries from 1/3/2025) against quý 1/2024 (reported by the 22).
    at = run_page("pages/ministries.py", ptype="Q", period="2025-Q1")
    assert not at.exception
    base, change = _ranking(at)
    assert len(base) == 17
    assert "–" not in base and "–" not in change
    captions = _captions(at)
    assert MINISTRY_NOTE in captions and PROVINCE_NOTE not in captions


def test_ministries_default_view_has_its_comparison(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/ministries.py")
    base, change = _ranking(at)
    assert len(base) == 17 and "–" not in base and "–" not in change


def test_rebased_view_has_the_same_changes(run_page: Callable[..., AppTest]) -> None:
    reported = _ranking(run_page("pages/provinces.py"))
    rebased = _ranking(run_page("pages/provinces.py", view="rebased"))
    assert reported == rebased


@pytest.mark.parametrize(("page", "params"), [
    ("overview", {}), ("overview", {"ptype": "Q", "period": "2025-Q1"}),
    ("staff", {}), ("staff", {"ptype": "Q", "period": "2025-Q1"}),
    ("digital", {}), ("digital", {"ptype": "Q", "period": "2025-Q1"}),
])  # fmt: skip
def test_cards_compare_with_last_year_across_both_mergers(
    run_page: Callable[..., AppTest], page: str, params: dict[str, str]
) -> None:
    at = run_page(f"pages/{page}.py", **params)
    assert not at.exception
    # Every card with a figure shows its change (the overview's staff split, "… (người)", has none by design).
    cards = [m for m in at.metric if m.value != "–" and not m.label.endswith("(người)")]
    assert cards and all(m.delta for m in cards), [(m.label, m.value, m.delta) for m in cards]


def test_trend_of_a_chosen_province_is_rebased_before_the_merger(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/dossiers.py", units=["VN34-86"])
    assert not at.exception
    lines = figure(at, "Tỷ lệ")
    vinh_long = [tr for tr in lines["data"] if "Vĩnh Long" in str(tr.get("name"))]
    assert vinh_long and len([y for y in vinh_long[0]["y"] if y is not None]) > 4
    assert PROVINCE_NOTE in _captions(at)
    at = run_page("pages/digital.py", units=["VN34-86"])
    assert PROVINCE_NOTE in _captions(at)


def test_ministries_are_named_as_ministries_and_grouped_apart_from_provinces(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/staff.py")
    bars = figure(at, "Số biên chế tinh giản theo đơn vị")
    groups, names = bars["data"][0]["y"]
    assert "Bộ Xây dựng" in names and "Xây dựng" not in names
    assert set(groups) == {"Bộ, ngành", "Địa phương"}
    first_province = groups.index("Địa phương")
    assert all(g == "Bộ, ngành" for g in groups[:first_province])
    assert all(g == "Địa phương" for g in groups[first_province:])
    at = run_page("pages/dossiers.py")
    heat = figure(at, "Tỷ lệ hồ sơ giải quyết quá hạn theo đơn vị")
    rows, sectors = heat["data"][0]["y"][1], heat["data"][0]["x"]
    assert not set(rows) & set(sectors)
    assert any(n.startswith("Bộ ") for n in rows)
    at = run_page("pages/ministries.py")
    assert "Ngân hàng Nhà nước" in [str(v) for v in at.dataframe[0].value.iloc[:, 1]]


def test_long_titles_wrap_and_crowded_period_axes_are_short_and_level(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/staff.py", ptype="Q", period="2025-Q3")
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert any("<br>" in t for t in titles)
    assert all(len(line) <= TITLE_WIDTH for t in titles for line in t.split("<br>")), titles
    trend = figure(at, "Số biên chế tinh giản: bộ, ngành và địa phương, theo quý")
    labels = trend["data"][0]["x"]
    assert "Q3/2025" in labels and not any("Quý" in x for x in labels)
    assert trend["layout"]["xaxis"]["tickangle"] == 0
    assert any("Quý III/2025" in str(c) for c in trend["data"][0]["customdata"])


def _by_type(at: AppTest, kind: str) -> list[dict]:
    return [f for f in figures(at) if any(tr.get("type") == kind for tr in f["data"])]


def test_choosing_units_only_changes_what_highlights_them(run_page: Callable[..., AppTest]) -> None:
    """The map, the ranking and the scatter's points cover every unit in scope, worked out once per scope for
    every session; the chosen units change only the highlights (peers, scatter) and the radar."""
    at = run_page("pages/provinces.py", period="2024")
    assert not at.exception
    seen = []
    for chosen in ([], ["VN63-01", "VN63-79"], ["VN63-48", "VN63-92", "VN63-31"]):
        widget(at, "units").set_value(chosen).run()
        assert not at.exception
        seen.append((at.dataframe[0].value, _by_type(at, "choropleth"), _by_type(at, "scatter")))
    (table0, map0, _), *rest = seen
    assert len(table0) == 63 and len(map0) == 1
    for table, maps, _ in rest:
        assert table.equals(table0)
        assert maps == map0
    scatters = [s for _, _, s in seen]
    assert scatters[0] != scatters[1] != scatters[2] != scatters[0]  # each choice highlighted its own units
    highlighted = json.dumps(scatters[1], ensure_ascii=False)
    assert "Hà Nội" in highlighted and "Hồ Chí Minh" in highlighted
