"""Phiếu đơn vị: the DOCX reads back with the unit's Vietnamese name, its key figures equal the store's,
it holds the trend images, and the CLI writes it."""

from __future__ import annotations

import io
import shutil

import pytest
from docx import Document

from domain.catalog import catalog
from domain.fmt import fmt_value
from reports.docx_profile import unit_sheet_docx
from reports.unit_sheet import build_unit_sheet
from store.queries import query_values
from tests.conftest import run_cli

#: unit, period, what its phiếu must say (a province carrying merged ones, a province, a ministry).
CASES = [
    ("VN34-86", "2026-H1", "Vĩnh Long, gồm Bến Tre, Trà Vinh và Vĩnh Long trước 1/7/2025"),
    ("VN34-01", "2025-9M", "Vùng Đồng bằng sông Hồng"),
    ("M-BXD", "2025-Q3", "Bộ Xây dựng, gồm Bộ Giao thông vận tải trước 1/3/2025"),
]


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.mark.parametrize(("unit", "period", "says"), CASES)
def test_the_sheet_reads_back_with_the_stores_figures(demo_engine, unit: str, period: str, says: str) -> None:
    cat = catalog()
    sheet = build_unit_sheet(demo_engine, unit, period, cat=cat)
    doc = Document(io.BytesIO(unit_sheet_docx(sheet, with_charts=False)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "PHIẾU THÔNG TIN ĐƠN VỊ" in text
    assert f"Đơn vị: {cat.units[unit].name_vi}" in text and sheet.period_label in text
    assert "DỮ LIỆU MINH HỌA" in text and "Mạnh nhất:" in text and "Yếu nhất:" in text
    figures = _cells(doc.tables[0])
    assert figures[0] == list(sheet.table.columns) and says in text + " ".join(figures[0])
    assert {"Giá trị", "Hạng", "Toàn quốc", "Chỉ tiêu", "Đánh giá"} <= set(figures[0])
    assert len(figures) - 1 == len(sheet.profile) >= 10
    peers = "/17" if cat.units[unit].kind == "ministry" else "/34"
    for row, indicator in zip(figures[1:], sheet.profile["indicator"], strict=True):
        ind = cat.indicator(indicator)
        stored = query_values(demo_engine, indicator=indicator, period=period, unit=unit)
        assert row[0] == ind.name("vi") and row[1] == fmt_value(stored[0]["value"], ind, "vi"), row
        assert row[2].endswith(peers), row
        national = query_values(demo_engine, indicator=indicator, period=period, group="national")
        assert row[4] == fmt_value(national[0]["value"], ind, "vi"), row
    record = _cells(doc.tables[1])
    assert record[0][:2] == ["Kỳ", "Trạng thái"] and {r[1] for r in record[1:]} == {"dữ liệu minh họa"}
    assert "chi_so_cong_bo.csv" in text or "du_lieu_minh_hoa.csv" in text  # the sources


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs the system Chromium")
def test_the_cli_writes_the_sheet_with_its_trend_images(demo_db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "phieu.docx"
    res = run_cli("profile", "--unit", "VN34-86", "--period", "2026-H1", "--out", str(out), db_url=demo_db_url)
    assert res.returncode == 0, res.stderr
    doc = Document(str(out))
    assert "Đơn vị: Tỉnh Vĩnh Long" in "\n".join(p.text for p in doc.paragraphs)
    assert len(doc.inline_shapes) == 2  # the on-time rate and the weakest indicator, unit beside the nation
    gone = run_cli("profile", "--unit", "VN63-83", "--period", "2026-H1", "--out", str(out), db_url=demo_db_url)
    assert gone.returncode == 1 and "VN34-86" in gone.stderr
