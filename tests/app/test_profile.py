"""Hồ sơ đơn vị on the demo: a province, a merged province's successor (predecessors named and re-based)
and a ministry; every indicator with rank, region, nation and target; strongest and weakest; record."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from analysis.profile import predecessors, strongest_weakest, unit_profile
from domain.catalog import catalog

from .test_pages import figure


def _text(at: AppTest) -> str:
    return "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])


def test_profile_of_a_merged_province_names_and_rebases_its_predecessors(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/profile.py", unit="VN34-86")
    assert not at.exception, [e.value for e in at.exception]
    text = _text(at)
    assert "Vĩnh Long, gồm Bến Tre, Trà Vinh và Vĩnh Long trước 1/7/2025" in text
    table = at.table[0].value
    assert len(table) >= 10 and table["Hạng"].str.endswith("/34").all()
    assert {"Vùng Đồng bằng sông Cửu Long", "Toàn quốc", "Chỉ tiêu", "Đánh giá"} <= set(table.columns)
    assert "Mạnh nhất" in text and "Yếu nhất" in text
    line = next(tr for tr in figure(at, "Vĩnh Long")["data"] if tr["name"] == "Vĩnh Long")
    assert len([y for y in line["y"] if y is not None]) >= 5  # the years before 1/7/2025 too
    assert "Kỳ so sánh đã quy đổi về 34 tỉnh theo địa giới hiện nay" in text
    record = at.table[1].value  # the reporting record: the demo's uploads said to be demo, never "chưa nộp"
    assert len(record) > 1 and set(record["Trạng thái"]) == {"dữ liệu minh họa"}
    assert {"Lần gửi đầu", "Hạn nộp", "Số lần gửi", "Số lần sửa đổi"} <= set(record.columns)
    assert (record["Số lần gửi"] != "–").all() and (record["Số lần sửa đổi"] == "0").all()
    assert "không phải báo cáo đơn vị đã gửi" in text


def test_profile_of_a_ministry_ranks_it_among_ministries(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/profile.py", unit="M-BXD")
    assert not at.exception
    table = at.table[0].value
    assert table["Hạng"].str.endswith("/17").all() and "Các bộ, ngành" in table.columns
    assert "Bộ Xây dựng, gồm Bộ Giao thông vận tải trước 1/3/2025" in _text(at)


def test_a_merged_away_province_points_to_its_successor(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/profile.py", unit="VN63-83")
    assert not at.exception
    assert any("Vĩnh Long" in i.value for i in at.info)


def test_profile_maths_on_a_small_frame() -> None:
    import pandas as pd

    cat = catalog()
    assert [u.id for u in predecessors(cat, "VN34-86")] == ["VN63-83", "VN63-84", "VN63-86"]
    rows = [("on_time_rate", u.id, "2026-H1", "", 90.0 + i) for i, u in enumerate(cat.provinces("34"))]
    rows += [("dossiers_resolved", u.id, "2026-H1", "", 100.0) for u in cat.provinces("34")]
    df = pd.DataFrame(rows, columns=["indicator", "unit", "period", "sector", "value"])
    prof = unit_profile(df, cat, "VN34-86", "2026-H1", ["on_time_rate", "dossiers_resolved"])
    rate = prof.set_index("indicator").loc["on_time_rate"]
    order = [u.id for u in cat.provinces("34")].index("VN34-86")
    assert rate["rank"] == 34 - order and rate["n"] == 34
    best, worst = strongest_weakest(prof)
    assert (best or worst) and set(best).isdisjoint(worst)


def test_every_menu_icon_is_one_streamlit_accepts() -> None:
    from streamlit.string_util import validate_icon_or_emoji

    from ui.registry import PAGES

    for spec in PAGES:
        validate_icon_or_emoji(spec.icon)


def test_the_phieu_holds_the_pages_key_figures(run_page: Callable[..., AppTest], demo_db: str) -> None:
    import io

    from docx import Document

    from reports.docx_profile import unit_sheet_docx
    from reports.unit_sheet import build_unit_sheet
    from store.db import make_engine

    at = run_page("pages/profile.py", unit="M-BXD", period="2025-Q3")
    assert not at.exception
    assert [b.label for b in at.get("download_button") if "phiếu" in b.label.lower()]
    page = at.table[0].value
    engine = make_engine(demo_db)
    try:
        sheet = build_unit_sheet(engine, "M-BXD", "2025-Q3")
    finally:
        engine.dispose()
    doc = Document(io.BytesIO(unit_sheet_docx(sheet, with_charts=False)))
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[0] == list(page.columns)
    assert cells[1:] == page.astype(str).values.tolist()


#: A chart's selection event → the unit whose profile it opens (its point's customdata), or None.
SELECTIONS = [
    ({"selection": {"points": [{"customdata": "VN34-86", "x": 97.1}]}}, "VN34-86"),
    ({"selection": {"points": [{"customdata": ["M-BXD"]}]}}, "M-BXD"),
    ({"selection": {"points": [{"customdata": "không-phải-đơn-vị"}, {"customdata": "VN34-01"}]}}, "VN34-01"),
    ({"selection": {"points": [{"x": 1, "y": "Vĩnh Long"}]}}, None),  # a chart without unit ids
    ({"selection": {"points": []}}, None),
    (None, None),
]


def test_a_clicked_point_names_the_unit_to_open() -> None:
    from ui.blocks import selected_unit

    for event, unit in SELECTIONS:
        assert selected_unit(event) == unit, event


def test_unit_charts_and_tables_carry_their_units(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/provinces.py", period="2025-9M")
    assert not at.exception
    ranking = next(d.value for d in at.dataframe if "Hồ sơ" in d.value.columns)
    assert len(ranking) == 34 and ranking["Hồ sơ"].str.fullmatch(r"profile\?unit=VN34-\d\d&period=2025-9M").all()
    assert "profile?unit=VN34-86&period=2025-9M" in set(ranking["Hồ sơ"])
    unit_ids = {u.id for u in catalog().provinces("34")}
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        if '"choropleth"' in spec or '"bar"' in spec:
            import json

            traces = [tr for tr in json.loads(spec)["data"] if tr.get("type") in ("choropleth", "bar")]
            assert all(set(tr["customdata"]) <= unit_ids for tr in traces if "customdata" in tr)
            assert any("customdata" in tr for tr in traces)
    assert "Bấm vào một đơn vị trên biểu đồ để mở hồ sơ đơn vị" in _text(at)  # captions escape the full stop
