"""A chart's data as files people open in Excel, safe from formula injection.

A cell that begins with = + - @ tab or carriage return would run as a formula when opened; such text is
prefixed with an apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from domain.plain import strip_controls

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: The media type every .xlsx download is served with.
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def neutralize(value: object) -> object:
    """A cell's text made inert: control characters removed (openpyxl refuses them, and one in a file name
    broke every workbook), and a leading formula character quoted."""
    if isinstance(value, str):
        value = strip_controls(value)
        if value.startswith(DANGEROUS):
            return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [str(neutralize(str(c))) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralize)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows Vietnamese letters correctly."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, title: str = "", source: str = "", sheet: str = "Dữ liệu") -> bytes:
    """One sheet: title and source above a bold, frozen header row; Vietnamese number formats."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    start = 1
    if title:
        ws.cell(row=1, column=1, value=str(neutralize(title))).font = Font(bold=True, size=13)
        start = 2
    if source:
        ws.cell(row=start, column=1, value=str(neutralize(source))).font = Font(italic=True, color="555555")
        start += 1
    header_row = start + (1 if start > 1 else 0)
    safe = safe_frame(df)
    fill = PatternFill("solid", fgColor="DCE6F1")
    for j, col in enumerate(safe.columns, start=1):
        c = ws.cell(row=header_row, column=j, value=col)
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(j)].width = max(10, min(40, len(str(col)) + 4))
    for i, row in enumerate(safe.itertuples(index=False), start=header_row + 1):
        for j, value in enumerate(row, start=1):
            if value is None or (isinstance(value, float) and pd.isna(value)):
                continue
            cell = ws.cell(row=i, column=j, value=value if not hasattr(value, "item") else value.item())
            if isinstance(cell.value, float):
                cell.number_format = "#,##0.0"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook_bytes(sheets: list[dict[str, object]], filters: str = "") -> bytes:
    """One workbook, a sheet per chart: title, unit, source and the filters above a frozen, styled table.

    Each item of ``sheets`` has ``title``, ``data`` (a frame), and optionally ``unit``, ``source``, ``notes``.
    """
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    fill = PatternFill("solid", fgColor="DCE6F1")
    for i, spec in enumerate(sheets, start=1):
        title = strip_controls(str(spec.get("title") or f"Biểu đồ {i}"))
        name = _sheet_name(title, i, used)
        ws = wb.create_sheet(name)
        meta = [
            title,
            f"Đơn vị tính / unit: {spec['unit']}" if spec.get("unit") else "",
            str(spec.get("source") or ""),
            f"Bộ lọc / filters: {filters}" if filters else "",
            *(f"Ghi chú / note: {n}" for n in spec.get("notes", []) or []),  # type: ignore[attr-defined]
        ]
        r = 1
        for line in (m for m in meta if m):
            cell = ws.cell(row=r, column=1, value=str(neutralize(line)))
            cell.font = Font(bold=(r == 1), size=13 if r == 1 else 10, italic=r > 1)
            r += 1
        header_row = r + 1
        data = safe_frame(spec["data"])  # type: ignore[arg-type]
        for j, col in enumerate(data.columns, start=1):
            c = ws.cell(row=header_row, column=j, value=str(col))
            c.font = Font(bold=True)
            c.fill = fill
            ws.column_dimensions[get_column_letter(j)].width = max(12, min(40, len(str(col)) + 4))
        for i_row, row in enumerate(data.itertuples(index=False), start=header_row + 1):
            for j, value in enumerate(row, start=1):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                cell = ws.cell(row=i_row, column=j, value=value.item() if hasattr(value, "item") else value)
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.0"
                elif isinstance(cell.value, int):
                    cell.number_format = "#,##0"
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if not sheets:
        wb.create_sheet("Trống").cell(row=1, column=1, value="Không có biểu đồ / no charts")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(title: str, i: int, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:27].strip() or "Sheet"
    name = f"{i}. {clean}"[:31]
    while name in used:
        name = name[:28] + f"~{i}"
    used.add(name)
    return name
