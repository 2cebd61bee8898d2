"""A refused workbook comes back with its errors marked where they are."""

from __future__ import annotations

import io
import unicodedata

import pytest
from openpyxl import Workbook, load_workbook

from domain.errors import ReportError
from reports.annotate import ERROR_COLUMN_TITLE, SUMMARY_SHEET, annotate


def workbook_bytes() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 01"
    ws.append(["STT", "Đơn vị", "Số biên chế tinh giản"])
    ws.append([1, "Tỉnh Hà Tây", 12])
    ws.append([2, "Hà Nội", "=cmd"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TONES = "\u0300\u0301\u0303\u0309\u0323"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tone marks combining."""
    out = b""
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out


ERRORS = [
    ReportError("Không có đơn vị 'Tỉnh Hà Tây'", "Unknown unit 'Tỉnh Hà Tây'", "bc.xlsx", "Biểu 01", 2, "B"),
    ReportError("Ô số chứa chữ: '=cmd'", "Text in a numeric cell: '=cmd'", "bc.xlsx", "Biểu 01", 3, "C"),
]


def test_errors_are_marked_on_the_original_sheet():
    out = load_workbook(io.BytesIO(annotate("bc.xlsx", workbook_bytes(), ERRORS)))
    assert out.sheetnames == [SUMMARY_SHEET, "Biểu 01"]
    ws = out["Biểu 01"]
    assert ws.cell(1, 4).value == ERROR_COLUMN_TITLE
    assert ws.cell(2, 4).value == "Không có đơn vị 'Tỉnh Hà Tây'"
    assert ws["B2"].comment is not None and "Hà Tây" in ws["B2"].comment.text
    assert ws["B2"].fill.fgColor.rgb.endswith("F8CBAD")
    assert ws["C3"].value == "=cmd"  # the original cell is kept as it was
    summary = out[SUMMARY_SHEET]
    rows = [[c.value for c in r] for r in summary.iter_rows(min_row=5)]
    assert [r[1:4] for r in rows] == [["Biểu 01", 2, "B"], ["Biểu 01", 3, "C"]]
    # messages quoting a formula are neutralised
    assert not any(str(r[4]).startswith("=") for r in rows)


@pytest.mark.parametrize(
    ("name", "content", "sheet"),
    [
        ("bc.csv", "Đơn vị,Giá trị\nHà Tây,12\n".encode("utf-8-sig"), "CSV"),
        ("bc.csv", to_cp1258("Đơn vị;Giá trị\nHà Tây;12\n"), "CSV"),
        ("hong.xlsx", b"PK\x03\x04 truncated", None),
    ],
)
def test_csv_and_corrupt_files(name, content, sheet):
    err = ReportError("Lỗi", "Error", name, None, 2 if sheet else None, "A" if sheet else None)
    out = load_workbook(io.BytesIO(annotate(name, content, [err])))
    assert out.sheetnames[0] == SUMMARY_SHEET
    if sheet:
        ws = out[sheet]
        assert ws["A2"].value == "Hà Tây"
        assert ws.cell(2, 3).value == "Lỗi"
    else:
        assert out.sheetnames == [SUMMARY_SHEET]
