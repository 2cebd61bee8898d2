"""Blank report templates (shapes B and C) that load back without a warning once filled.

A unit that fills our template cannot misspell a province, type text into a count or put 120 in a rate:
units and sectors come from dropdowns, counts must be whole and non-negative, rates lie within 0–100,
and the header rows are protected. Headers use the catalogue's own Vietnamese indicator names, which
the loaders read by meaning.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from domain.catalog import Catalog, Unit
from domain.kpi import DOSSIER_COUNTS
from domain.periods import Period

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

#: The indicators a unit table (shape B) asks for, in the order reports list them.
B_INDICATORS = (
    "staff_reduced",
    "staff_reduced_civil_servants",
    "staff_reduced_public_employees",
    "procedures_total",
    "procedures_cut",
    *DOSSIER_COUNTS,
    "dossiers_reusing_data",
    "procedures_online_full",
    "procedures_online_partial",
    "dossiers_with_fees",
    "dossiers_paid_online",
    "satisfaction_rate",
)

#: Shape C (form II.06a): group header over sub-headers, each pair naming one count.
C_COLUMNS = (
    ("Tiếp nhận", "Tổng số", "dossiers_received"),
    ("Tiếp nhận", "Trong đó: Trực tuyến", "dossiers_received_online"),
    ("Đã giải quyết", "Tổng số", "dossiers_resolved"),
    ("Đã giải quyết", "Trước hạn", "dossiers_resolved_early"),
    ("Đã giải quyết", "Đúng hạn", "dossiers_resolved_on_time"),
    ("Đã giải quyết", "Quá hạn", "dossiers_resolved_late"),
    ("Đang giải quyết", "Tổng số", "dossiers_pending"),
    ("Đang giải quyết", "Quá hạn", "dossiers_pending_overdue"),
)

INSTRUCTIONS = (
    "HƯỚNG DẪN ĐIỀN BIỂU",
    "1. Không sửa các dòng tiêu đề và dòng tên cột (đã được khóa).",
    "2. Chỉ nhập số vào các ô trắng. Số lượng là số nguyên không âm (ví dụ 16149, không gõ dấu chấm phân cách).",
    "3. Tỷ lệ nhập theo phần trăm, từ 0 đến 100 (ví dụ 85,5).",
    "4. Ô không có số liệu thì để trống (không ghi 0): ô trống nghĩa là chưa báo cáo.",
    "5. Tên đơn vị và lĩnh vực chọn trong danh sách thả xuống; không tự gõ tên khác.",
    "6. Không thêm dòng 'Cộng' hoặc 'Tổng cộng': hệ thống tự tính tổng.",
    "7. Lưu tệp dạng .xlsx và tải lên trang 'Tải báo cáo lên'.",
    "",
    "INSTRUCTIONS (English): do not edit the locked header rows; enter whole non-negative numbers for counts and",
    "0–100 for rates; leave a cell empty when there is no figure; pick units and sectors from the dropdowns.",
)


def _instructions(wb: Workbook, period: Period) -> None:
    ws = wb.active
    ws.title = "Hướng dẫn"
    for i, line in enumerate(INSTRUCTIONS, start=1):
        ws.cell(row=i, column=1, value=line).font = Font(bold=(i == 1))
    ws.cell(row=len(INSTRUCTIONS) + 2, column=1, value=f"Kỳ báo cáo của biểu: {period.label('vi')}")
    ws.column_dimensions["A"].width = 110


def _lists(wb: Workbook, names: dict[str, Sequence[str]]) -> None:
    """A hidden sheet holding the dropdown lists, referenced through defined names."""
    ws = wb.create_sheet("Danh mục")
    for j, (key, values) in enumerate(names.items(), start=1):
        letter = get_column_letter(j)
        ws.cell(row=1, column=j, value=key)
        for i, v in enumerate(values, start=2):
            ws.cell(row=i, column=j, value=v)
        ref = f"'Danh mục'!${letter}$2:${letter}${len(values) + 1}"
        wb.defined_names[key] = DefinedName(key, attr_text=ref)
    ws.sheet_state = "hidden"


#: The input rule of each kind's cells: (Excel validation type, operator, bounds, error title, error text).
_RULES = {
    "count": ("whole", "greaterThanOrEqual", ("0",), "Số không hợp lệ", "Nhập số nguyên không âm / whole number ≥ 0"),
    "rate": (
        "decimal",
        "between",
        ("0", "100"),
        "Tỷ lệ không hợp lệ",
        "Nhập tỷ lệ từ 0 đến 100 / a rate from 0 to 100",
    ),
}


def _validation(kind: str) -> DataValidation:
    kind_type, operator, bounds, title, error = _RULES[kind]
    formulas = dict(zip(("formula1", "formula2"), bounds, strict=False))
    return DataValidation(
        type=kind_type, operator=operator, allow_blank=True, errorTitle=title, error=error, **formulas
    )


def _validations(ws: Worksheet, cat: Catalog, columns: dict[int, str], first: int, last: int) -> None:
    counts, rates = _validation("count"), _validation("rate")
    for dv in (counts, rates):
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
    for col, indicator in columns.items():
        letter = get_column_letter(col)
        kind = cat.indicators[indicator].kind
        (counts if kind == "count" else rates).add(f"{letter}{first}:{letter}{last}")


def _title(ws: Worksheet, lines: Sequence[str], width: int) -> None:
    for i, line in enumerate(lines, start=1):
        c = ws.cell(row=i, column=1, value=line)
        c.font = Font(bold=True, size=13 if i == 2 else 11)
        c.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)


def _header_cell(ws: Worksheet, row: int, col: int, text: str) -> None:
    c = ws.cell(row=row, column=col, value=text)
    c.font = Font(bold=True)
    c.fill = HEADER_FILL
    c.border = BOX
    c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _unlock(ws: Worksheet, rows: range, cols: range) -> None:
    for r in rows:
        for c in cols:
            cell = ws.cell(row=r, column=c)
            cell.protection = Protection(locked=False)
            cell.border = BOX
            cell.fill = INPUT_FILL


def _body(
    wb: Workbook,
    ws: Worksheet,
    cat: Catalog,
    header_row: int,
    names: Sequence[str],
    width: int,
    columns: dict[int, str],
    dropdown: tuple[str, str, str],
) -> None:
    """The rows below the header: numbered names from a dropdown, open input cells with their checks,
    a frozen header and a protected sheet (only the input cells are unlocked; rows and columns may still be
    resized, so a sender can widen a column to read a long figure)."""
    first, last = header_row + 1, header_row + len(names)
    for i, name in enumerate(names, start=first):
        ws.cell(row=i, column=1, value=i - header_row).border = BOX
        ws.cell(row=i, column=2, value=name)
    _unlock(ws, range(first, last + 1), range(2, width + 1))
    list_name, title, message = dropdown
    _lists(wb, {list_name: list(names)})
    names_dv = DataValidation(
        type="list", formula1=f"={list_name}", allow_blank=False, showErrorMessage=True, errorTitle=title, error=message
    )
    ws.add_data_validation(names_dv)
    names_dv.add(f"B{first}:B{last}")
    _validations(ws, cat, columns, first, last)
    ws.freeze_panes = ws.cell(row=first, column=3)
    ws.protection.sheet = True
    ws.protection.formatRows = False
    ws.protection.formatColumns = False


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _era_units(cat: Catalog, period: Period) -> list[Unit]:
    ministries = sorted(cat.ministries_on(period.end), key=lambda u: u.name_vi)
    provinces = sorted(cat.provinces(period.province_era), key=lambda u: u.code)
    return [*ministries, *provinces]


def template_b(cat: Catalog, period: Period, indicators: Sequence[str] = B_INDICATORS) -> bytes:
    """Unit table: one row per unit of the period's era (ministries, then provinces), one column per indicator."""
    wb = Workbook()
    _instructions(wb, period)
    ws = wb.create_sheet("Biểu tổng hợp", 0)
    wb.active = 0
    units = _era_units(cat, period)
    width = 2 + len(indicators)
    _title(
        ws,
        [
            "CƠ QUAN BÁO CÁO: ........................",
            f"BÁO CÁO KẾT QUẢ CẢI CÁCH HÀNH CHÍNH {period.label('vi').upper()}",
            f"Kỳ báo cáo: {period.label('vi')}",
        ],
        width,
    )
    header_row = 5
    _header_cell(ws, header_row, 1, "STT")
    _header_cell(ws, header_row, 2, "Đơn vị")
    columns: dict[int, str] = {}
    for j, ind_id in enumerate(indicators, start=3):
        ind = cat.indicators[ind_id]
        _header_cell(ws, header_row, j, f"{ind.name_vi} ({ind.unit})")
        ws.column_dimensions[get_column_letter(j)].width = 16
        columns[j] = ind_id
    ws.row_dimensions[header_row].height = 75
    ws.column_dimensions["B"].width = 36
    _body(
        wb,
        ws,
        cat,
        header_row,
        [u.name_vi for u in units],
        width,
        columns,
        ("DonVi", "Đơn vị không hợp lệ", "Chọn đơn vị trong danh sách / pick a unit"),
    )
    return _save(wb)


def template_c(cat: Catalog, period: Period, unit_id: str) -> bytes:
    """Sector table (form II.06a style) for one unit, named in the title as reports do."""
    unit = cat.units[unit_id]
    wb = Workbook()
    _instructions(wb, period)
    ws = wb.create_sheet("Biểu II.06a", 0)
    wb.active = 0
    width = 2 + len(C_COLUMNS)
    agency = f"UBND {unit.name_vi.upper()}" if unit.kind == "province" else unit.name_vi.upper()
    _title(ws, [agency, "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", f"Kỳ báo cáo: {period.label('vi')}"], width)
    top, sub = 5, 6
    _header_cell(ws, top, 1, "STT")
    _header_cell(ws, top, 2, "Lĩnh vực")
    ws.merge_cells(start_row=top, start_column=1, end_row=sub, end_column=1)
    ws.merge_cells(start_row=top, start_column=2, end_row=sub, end_column=2)
    columns: dict[int, str] = {}
    groups: dict[str, list[int]] = {}
    for j, (group, label, indicator) in enumerate(C_COLUMNS, start=3):
        _header_cell(ws, top, j, group)
        _header_cell(ws, sub, j, label)
        groups.setdefault(group, []).append(j)
        columns[j] = indicator
        ws.column_dimensions[get_column_letter(j)].width = 14
    for cols in groups.values():
        ws.merge_cells(start_row=top, start_column=cols[0], end_row=top, end_column=cols[-1])
    ws.row_dimensions[sub].height = 32
    ws.column_dimensions["B"].width = 40
    _body(
        wb,
        ws,
        cat,
        sub,
        [s.name_vi for s in cat.sectors.values()],
        width,
        columns,
        ("LinhVuc", "Lĩnh vực không hợp lệ", "Chọn lĩnh vực trong danh sách / pick a sector"),
    )
    return _save(wb)
