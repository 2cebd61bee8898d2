"""A refused report sent back annotated: the original workbook with its errors marked in Vietnamese.

The secretariat forwards this file to the unit that sent the report: every error cell is highlighted and
carries a comment, each row with an error gets a message in a new "Lỗi cần sửa" column, and a first sheet
lists every error with its sheet, row and column (in Vietnamese and English). A CSV comes back as a
workbook holding its rows; a file that cannot be opened at all comes back as the list alone.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from charts.export import neutralize
from domain.errors import ReportError

ERROR_FILL = PatternFill("solid", fgColor="F8CBAD")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
ERROR_COLUMN_TITLE = "Lỗi cần sửa / errors to fix"
SUMMARY_SHEET = "Lỗi"


def annotated_name(file_name: str) -> str:
    return f"{Path(file_name).stem}_loi.xlsx"


def annotate(
    file_name: str, content: bytes, errors: Sequence[ReportError], warnings: Sequence[ReportError] = ()
) -> bytes:
    """The annotated workbook as bytes (always .xlsx)."""
    suffix = Path(file_name).suffix.lower()
    wb: Workbook | None = None
    if suffix in (".xlsx", ".xlsm"):
        wb = _open_xlsx(content)
    elif suffix in (".csv", ".txt"):
        wb = _csv_as_workbook(content)
    if wb is None:
        wb = Workbook()
        wb.remove(wb.active)
    _mark_cells(wb, errors, suffix)
    _summary_sheet(wb, file_name, errors, warnings)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _open_xlsx(content: bytes) -> Workbook | None:
    try:
        return load_workbook(io.BytesIO(content), keep_vba=False, keep_links=False, rich_text=False)
    except Exception:  # a corrupt workbook comes back as the error list alone
        return None


def _decode(content: bytes) -> str:
    """UTF-16 only with its byte-order mark (any even-length bytes 'decode' as UTF-16), then UTF-8, cp1258."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return content.decode("utf-16")
    for enc in ("utf-8-sig", "cp1258"):
        try:
            return unicodedata.normalize("NFC", content.decode(enc))
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _csv_as_workbook(content: bytes) -> Workbook:
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    wb = Workbook()
    ws = wb.active
    ws.title = "CSV"
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        ws.append([neutralize(v) for v in row])
    return wb


def _mark_cells(wb: Workbook, errors: Sequence[ReportError], suffix: str) -> None:
    by_sheet: dict[str, list[ReportError]] = defaultdict(list)
    for err in errors:
        if err.row is None:
            continue
        sheet = err.sheet if err.sheet in wb.sheetnames else ("CSV" if suffix in (".csv", ".txt") else None)
        if sheet and sheet in wb.sheetnames:
            by_sheet[sheet].append(err)
    for sheet, errs in by_sheet.items():
        ws = wb[sheet]
        col = _error_column(ws)
        rows: dict[int, list[str]] = defaultdict(list)
        for err in errs:
            assert err.row is not None
            rows[err.row].append(err.message_vi)
            if err.column:
                try:
                    cell = ws.cell(row=err.row, column=column_index_from_string(err.column))
                except ValueError:
                    continue
                cell.fill = ERROR_FILL
                text = err.message_vi + "\n" + err.message_en
                cell.comment = Comment(text if not cell.comment else cell.comment.text + "\n" + text, "CCHC")
        for row, messages in rows.items():
            c = ws.cell(row=row, column=col, value=str(neutralize("; ".join(dict.fromkeys(messages)))))
            c.font = Font(color="9C0006")
            c.alignment = Alignment(wrap_text=True, vertical="top")


def _error_column(ws: Worksheet) -> int:
    col = (ws.max_column or 0) + 1
    head = ws.cell(row=1, column=col, value=ERROR_COLUMN_TITLE)
    head.font = Font(bold=True, color="9C0006")
    ws.column_dimensions[head.column_letter].width = 60
    return col


def _summary_sheet(
    wb: Workbook, file_name: str, errors: Sequence[ReportError], warnings: Sequence[ReportError]
) -> None:
    ws = wb.create_sheet(SUMMARY_SHEET, 0)
    wb.active = 0
    ws.append([str(neutralize(f"Tệp {file_name} chưa được tiếp nhận: {len(errors)} lỗi cần sửa."))])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([str(neutralize(f"File {file_name} was refused: {len(errors)} errors to fix."))])
    ws.append([])
    header = ["Loại / kind", "Trang tính / sheet", "Dòng / row", "Cột / column", "Lỗi (tiếng Việt)", "Error (English)"]
    ws.append(header)
    for c in ws[4]:
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
    for kind, items in (("Lỗi / error", errors), ("Cảnh báo / warning", warnings)):
        for e in items:
            ws.append(
                [
                    kind,
                    str(neutralize(e.sheet or "")),
                    e.row,
                    e.column,
                    str(neutralize(e.message_vi)),
                    str(neutralize(e.message_en)),
                ]
            )
    for letter, width in zip("ABCDEF", (18, 18, 10, 10, 70, 70), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
