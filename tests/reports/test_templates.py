"""Blank templates: units of the era pre-filled, validation and protection, and a filled copy loads cleanly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from domain.catalog import catalog
from domain.periods import parse_period
from loaders import check_file
from reports.templates import B_INDICATORS, C_COLUMNS, template_b, template_c

CONSISTENT = {  # whole figures that agree with each other: totals are the sums of their parts
    "staff_reduced": 5,
    "staff_reduced_civil_servants": 2,
    "staff_reduced_public_employees": 3,
    "dossiers_received": 100,
    "dossiers_received_online": 40,
    "dossiers_resolved": 90,
    "dossiers_resolved_early": 50,
    "dossiers_resolved_on_time": 30,
    "dossiers_resolved_late": 10,
    "dossiers_pending": 10,
    "dossiers_pending_overdue": 2,
    "satisfaction_rate": 91.5,
}


def fill(data: bytes, sheet: str, first_row: int, first_col: int, indicators: list[str], n_rows: int) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    for r in range(first_row, first_row + n_rows):
        for j, ind in enumerate(indicators, start=first_col):
            ws.cell(row=r, column=j, value=CONSISTENT.get(ind, 7))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("period", "n_units", "era_prefix"), [("2024-Q4", 22 + 63, "VN63-"), ("2025-Q4", 17 + 34, "VN34-")]
)
def test_filled_unit_template_loads_without_a_warning(period, n_units, era_prefix):
    cat = catalog()
    blank = template_b(cat, parse_period(period))
    wb = load_workbook(io.BytesIO(blank))
    ws = wb["Biểu tổng hợp"]
    assert ws.protection.sheet and ws["C5"].protection.locked and not ws["C6"].protection.locked
    rules = {dv.type: (dv.operator, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert set(rules) == {"list", "whole", "decimal"}
    assert rules["whole"] == ("greaterThanOrEqual", "0", None) and rules["decimal"] == ("between", "0", "100")
    assert "Hướng dẫn" in wb.sheetnames and wb["Danh mục"].sheet_state == "hidden"
    filled = fill(blank, "Biểu tổng hợp", 6, 3, list(B_INDICATORS), n_units)
    result = check_file(Path("bieu.xlsx"), data=filled, file_name="bieu.xlsx")
    assert result.ok, [e.message_en for e in result.errors]
    assert result.warnings == []
    assert result.format == "B"
    assert len(result.observations) == n_units * len(B_INDICATORS)
    assert set(result.observations["period"]) == {period}
    provinces = {u for u in result.observations["unit"] if u.startswith("VN")}
    assert all(u.startswith(era_prefix) for u in provinces)


def test_filled_sector_template_loads_without_a_warning():
    cat = catalog()
    blank = template_c(cat, parse_period("2024-Q4"), "VN63-83")
    indicators = [ind for _, _, ind in C_COLUMNS]
    filled = fill(blank, "Biểu II.06a", 7, 3, indicators, len(cat.sectors))
    result = check_file(Path("c.xlsx"), data=filled, file_name="c.xlsx")
    assert result.ok and result.warnings == [] and result.format == "C"
    assert set(result.observations["unit"]) == {"VN63-83"}
    assert len(result.observations) == len(cat.sectors) * len(indicators)


@pytest.mark.parametrize(
    ("make", "sheet", "header_cell", "input_cell"),
    [
        (lambda cat: template_b(cat, parse_period("2025-Q4")), "Biểu tổng hợp", "C5", "C6"),
        (lambda cat: template_c(cat, parse_period("2024-Q4"), "VN63-83"), "Biểu II.06a", "C6", "C7"),
    ],
)
def test_every_template_is_protected_but_rows_and_columns_can_be_resized(make, sheet, header_cell, input_cell):
    ws = load_workbook(io.BytesIO(make(catalog())))[sheet]
    assert ws.protection.sheet and ws[header_cell].protection.locked and not ws[input_cell].protection.locked
    assert ws.protection.formatRows is False and ws.protection.formatColumns is False
