"""Shapes A (long table), B (one row per unit) and C (one row per sector, unit in the title).

The three share everything but the meaning of a row: titles above the header give the period (and for C the
unit), rows below it hold numbers until notes or signatures begin. Group rows ("I. Bộ, ngành") and totals
("Cộng", "Tổng cộng", "Tổng số") are never observations; totals are checked against the rows they add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.fmt import fmt_number
from domain.names import UnitMatch
from domain.periods import Period
from domain.text import nfc, words
from loaders.context import Context
from loaders.headers import Header
from loaders.readers import Sheet, col_letter
from loaders.titles import find_range, period_from_text
from loaders.values import BadValue, is_not_reported, parse_number

_STOP = re.compile(
    r"^(ghi chu|nguoi lap|thu truong|noi nhan|ky ten|ky ghi ro|xac nhan|lanh dao|kt chu tich|tm ubnd|tm uy ban"
    r"|chu tich|giam doc|nguoi ky|ky thay|ghi chu:|note|prepared by)\b"
)
_ROMAN = re.compile(r"^(?=[ivxlc]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_GROUP_PREFIX = re.compile(r"^([ivx]+|[a-e])\s*[.)/-]?\s+\S")
_GROUP_WORDS = {
    "bo nganh",
    "cac bo nganh",
    "dia phuong",
    "cac dia phuong",
    "cap tinh",
    "cap huyen",
    "cap xa",
    "co quan trung uong",
    "tinh thanh pho",
    "cac tinh thanh pho",
    "trung uong",
    "ministries",
    "provinces",
    "localities",
}


def text(v: object) -> str:
    return nfc(v) if isinstance(v, str) else ""


def is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def totals_kind(label: str) -> str | None:
    """'grand' for 'Tổng cộng'/'Tổng số'/'Toàn quốc', 'sub' for 'Cộng'/'Cộng I', None otherwise."""
    w = words(label)
    if re.fullmatch(r"(tong cong|tong so|tong|toan quoc|total|grand total|ca nuoc)( chung)?", w):
        return "grand"
    if re.fullmatch(r"(cong|subtotal|cong nhom)( ([ivx]+|\d+|[a-e]))?", w):
        return "sub"
    return None


_NOTE_MARK = re.compile(r"^\s*(\(\s*\*+\s*\)|\*+|\(\d{1,2}\)|\[\d{1,2}\]|[¹²³⁴⁵⁶⁷⁸⁹])\s*\S")


def is_stop(v: str) -> bool:
    """Notes, signatures, or a footnote below the table ("(*) Số liệu tạm tính"): the table has ended."""
    return bool(_STOP.match(words(v))) or bool(_NOTE_MARK.match(v))


def is_roman(v: object) -> bool:
    return bool(_ROMAN.match(words(v) if isinstance(v, str) else "")) and bool(text(v))


def is_group_label(label: str) -> bool:
    w = words(label)
    if w in _GROUP_WORDS:
        return True
    m = _GROUP_PREFIX.match(w)
    return (bool(m) and (w.split(" ", 1)[1] if " " in w else "") in _GROUP_WORDS | {""}) or bool(
        m and any(w.endswith(g) for g in _GROUP_WORDS)
    )


_NO_LABEL = UnitMatch(None, "Dòng có số liệu nhưng không ghi tên đơn vị.", "The row has figures but no unit name.")


@dataclass
class Titles:
    """Period and unit stated above the header, with where they were written."""

    period: Period | None = None
    period_at: tuple[int, int] | None = None
    range_end: object = None
    lines: list[tuple[int, int, str]] = field(default_factory=list)  # row, col, text


def read_titles(sheet: Sheet, header: Header | None) -> Titles:
    out = Titles()
    stop = header.first_row if header else min(len(sheet.rows), 10)
    for r in range(stop):
        for c, v in enumerate(sheet.rows[r]):
            t = text(v)
            if not t:
                continue
            out.lines.append((r, c, t))
            if out.period is None:
                p = period_from_text(t)
                if p is not None:
                    out.period, out.period_at = p, (r, c)
                    rng = find_range(t)
                    out.range_end = rng[1] if rng else None
    return out


def _title_period_error(ctx: Context, sheet: Sheet, titles: Titles, vi: str, en: str) -> None:
    """A period contradiction, located at the title cell that states the period (the sheet when none)."""
    r, c = titles.period_at or (None, None)
    ctx.error(
        vi,
        en,
        sheet.name,
        sheet.row_number(r) if r is not None else None,
        col_letter(c) if c is not None else None,
    )


def sheet_period(ctx: Context, sheet: Sheet, titles: Titles) -> Period | None:
    """The title's period (or the sheet name's), checked against each other and --period; the user's when
    the file states none."""
    named = period_from_text(sheet.name) if sheet.name else None
    if titles.period and named and titles.period != named:
        _title_period_error(
            ctx,
            sheet,
            titles,
            f"Kỳ báo cáo ghi trong tiêu đề ({titles.period.label('vi')}) khác với kỳ ghi ở tên trang tính "
            f"“{sheet.name}” ({named.label('vi')}).",
            f"The title states the period {titles.period.label('en')}, but the sheet name “{sheet.name}” "
            f"states {named.label('en')}.",
        )
        return None
    if titles.period is None and named is not None:
        titles.period = named
    if titles.period and ctx.user_period and titles.period != ctx.user_period:
        _title_period_error(
            ctx,
            sheet,
            titles,
            f"Kỳ báo cáo ghi trong tệp ({titles.period.label('vi')}) khác với kỳ đã chọn "
            f"({ctx.user_period.label('vi')}).",
            f"The file states the period {titles.period.label('en')}, which contradicts the chosen period "
            f"{ctx.user_period.label('en')}.",
        )
        return None
    return titles.period or ctx.user_period


def period_or_report(ctx: Context, sheet: Sheet, titles: Titles) -> Period | None:
    """The sheet's period; when there is none, the refusal says so (unless another error already did)."""
    period = sheet_period(ctx, sheet, titles)
    if period is None and not titles.period and not ctx.user_period:
        missing_period(ctx, sheet)
    return period


def missing_period(ctx: Context, sheet: Sheet) -> None:
    ctx.error(
        "Tệp không ghi kỳ báo cáo và người gửi chưa chọn kỳ; hãy ghi kỳ vào tiêu đề hoặc chọn kỳ (--period).",
        "The file does not state its period and none was given; state it in the title or pass --period.",
        sheet.name,
    )


def resolve_user_unit(ctx: Context, period: Period) -> str | None:
    if not ctx.user_unit:
        return None
    m = ctx.names.unit(ctx.user_unit, period)
    if m.unit_id is None:
        ctx.error(f"Đơn vị đã chọn: {m.message_vi}", f"Chosen unit: {m.message_en}", None)
    return m.unit_id


def title_unit(ctx: Context, sheet: Sheet, titles: Titles, period: Period) -> tuple[str | None, bool]:
    """The unit the title names ("UBND TỈNH BẾN TRE"), checked against --unit; (id, title named one)."""
    user = resolve_user_unit(ctx, period)
    for r, c, t in titles.lines:
        m = ctx.names.find_unit_in_text(t, period)
        if m is None:
            continue
        if m.unit_id is None:
            ctx.error_at(m.message_vi, m.message_en, sheet, r, col_letter(c))
            return None, True
        if user and user != m.unit_id:
            ctx.error_at(
                f"Đơn vị ghi trong tệp ({t}) khác với đơn vị đã chọn ({ctx.user_unit}).",
                f"The file names the unit “{t}”, which contradicts the chosen unit “{ctx.user_unit}”.",
                sheet,
                r,
                col_letter(c),
            )
            return None, True
        return m.unit_id, True
    return user, False


# ------------------------------------------------------------------------------------------ values
def cell_number(ctx: Context, sheet: Sheet, r: int, c: int, indicator: str, scale: float = 1.0) -> float | None:
    """The number in a cell for ``indicator``, or None; bad text, negative or fractional counts are errors."""
    ind = ctx.cat.indicators[indicator]
    v = sheet.rows[r][c] if c < len(sheet.rows[r]) else None
    if is_not_reported(v):
        return None
    where = (sheet.name, sheet.row_number(r), col_letter(c))
    try:
        number = parse_number(v, percent_format=(r, c) in sheet.percent, whole=ind.kind == "count")
    except BadValue:
        ctx.error(
            f"Ô phải chứa số nhưng chứa “{text(v) or v}” (chỉ tiêu: {ind.name_vi}).",
            f"The cell should hold a number but holds “{text(v) or v}” (indicator: {ind.name_en}).",
            *where,
        )
        return None
    if number is None:
        return None
    number *= scale
    return number if value_ok(ctx, indicator, number, where) else None


def value_ok(ctx: Context, indicator: str, number: float, where: tuple[str | None, int | None, str | None]) -> bool:
    ind = ctx.cat.indicators[indicator]
    if ind.kind == "count" and (number < 0 or number != round(number)):
        ctx.error(
            f"Số lượng phải là số nguyên không âm, nhưng ô ghi {number:g} (chỉ tiêu: {ind.name_vi}).",
            f"A count must be a whole non-negative number, but the cell holds {number:g} ({ind.name_en}).",
            *where,
        )
        return False
    if ind.unit == "%" and not 0 <= number <= 100:
        ctx.error(
            f"Tỷ lệ phải nằm trong khoảng 0–100%, nhưng ô ghi {number:g} (chỉ tiêu: {ind.name_vi}).",
            f"A rate must lie between 0 and 100%, but the cell holds {number:g} ({ind.name_en}).",
            *where,
        )
        return False
    return True


def fraction_scale(ctx: Context, sheet: Sheet, header: Header, end: int) -> dict[int, float]:
    """For readers without number formats (.xls): a rate column holding only fractions ≤ 1 is a percent column."""
    scale: dict[int, float] = {}
    if sheet.formats_known:
        return scale
    for c, ind in header.indicators.items():
        if ctx.cat.indicators[ind].unit != "%":
            continue
        nums = [row[c] for row in sheet.rows[header.data_start : end] if c < len(row) and is_number(row[c])]
        if nums and all(0 <= float(x) <= 1 for x in nums) and any(float(x) > 0 for x in nums):  # type: ignore[arg-type]
            scale[c] = 100.0
    return scale


# ------------------------------------------------------------------------------------ shapes B / C
@dataclass
class _Group:
    rows: list[int] = field(default_factory=list)
    values: dict[int, dict[int, float]] = field(default_factory=dict)  # row → column → value
    carried_row: int | None = None  # a group row that carries its own subtotal


def read_wide(ctx: Context, sheet: Sheet, header: Header, shape: str) -> None:
    """Shape B (label = unit) or C (label = sector, unit from the title or --unit)."""
    titles = read_titles(sheet, header)
    period = period_or_report(ctx, sheet, titles)
    if period is None:
        return
    fixed_unit = _sector_table_unit(ctx, sheet, titles, period) if shape == "C" else None
    if shape == "C" and fixed_unit is None:
        return
    user_unit = resolve_user_unit(ctx, period) if shape == "B" else None
    roles = header.roles
    label_col = roles.get("unit", roles.get("unit_code")) if shape == "B" else roles["sector"]
    assert label_col is not None
    stt_col = roles.get("stt")
    end = table_end(sheet, header)
    scale = fraction_scale(ctx, sheet, header, end)
    everything, group = _Group(), _Group()
    for r in range(header.data_start, end):
        row = sheet.rows[r]
        label = cell_label(row[label_col]) if label_col < len(row) else ""
        has_numbers = any(not is_not_reported(row[c]) for c in header.indicators if c < len(row))
        if not label and not has_numbers:
            continue
        first = next((text(v) for v in row[: label_col + 1] if text(v)), "")
        tk = totals_kind(label) or totals_kind(first)
        if tk:
            _check_totals(ctx, sheet, header, r, everything if tk == "grand" else group, tk)
            group = _Group() if tk == "sub" else group
            continue
        stt = row[stt_col] if stt_col is not None and stt_col < len(row) else None
        if _is_group_row(ctx, label, stt, shape, period):
            if group.carried_row is not None or group.rows:
                _close_group(ctx, sheet, header, group)
            group = _Group(carried_row=r if has_numbers else None)
            continue
        key = _row_key(
            ctx, sheet, header, r, label, label_col, period, user_unit if shape == "B" else fixed_unit, shape
        )
        if key is None:
            continue
        vals = _emit_row(ctx, sheet, header, r, key, period, scale)
        for g in (group, everything):
            g.rows.append(r)
            g.values[r] = vals
    _close_group(ctx, sheet, header, group)


def _sector_table_unit(ctx: Context, sheet: Sheet, titles: Titles, period: Period) -> str | None:
    """The one unit of a sector table (title or --unit); None, said when nothing names it, stops the sheet."""
    unit, named = title_unit(ctx, sheet, titles, period)
    if unit is None and not named and not ctx.user_unit:
        ctx.error(
            "Biểu theo lĩnh vực không ghi tên đơn vị báo cáo; hãy ghi vào tiêu đề hoặc chọn đơn vị (--unit).",
            "The sector table does not name its reporting unit; state it in the title or pass --unit.",
            sheet.name,
        )
    return unit


def _row_key(
    ctx: Context,
    sheet: Sheet,
    header: Header,
    r: int,
    label: str,
    label_col: int,
    period: Period,
    unit: str | None,
    shape: str,
) -> tuple[str, str] | None:
    """(unit, sector) of a data row: B rows name their unit (checked against --unit), C rows their sector."""
    where = (sheet.name, sheet.row_number(r), col_letter(label_col))
    if shape == "B":
        found = row_unit(ctx, sheet, header, r, period)
        if found is not None and unit and found != unit:
            ctx.error(
                f"Dòng này của đơn vị “{label}”, khác với đơn vị đã chọn ({ctx.user_unit}).",
                f"This row belongs to “{label}”, which contradicts the chosen unit “{ctx.user_unit}”.",
                *where,
            )
            return None
        return None if found is None else (found, "")
    sec = ctx.names.sector(label) if label else None
    if sec is None:
        ctx.error(
            f"Không xác định được lĩnh vực “{label}” (không có trong danh mục lĩnh vực).",
            f"Unknown sector “{label}” (not in the sector catalogue).",
            *where,
        )
        return None
    return unit or "", sec


def _emit_row(
    ctx: Context, sheet: Sheet, header: Header, r: int, key: tuple[str, str], period: Period, scale: dict[int, float]
) -> dict[int, float]:
    """Every figure of a data row as an observation; the values by column, for the totals checks."""
    unit, sector = key
    vals: dict[int, float] = {}
    for c, ind in header.indicators.items():
        number = cell_number(ctx, sheet, r, c, ind, scale.get(c, 1.0))
        if number is not None:
            vals[c] = number
            ctx.add(ind, unit, period.code, sector, number, sheet.name, sheet.row_number(r), col_letter(c))
    return vals


def cell_label(v: object) -> str:
    """A label cell as text: official codes typed as numbers read as codes (1 → "01", 79.0 → "79")."""
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer() and v >= 0:
        return f"{int(v):02d}" if v < 1000 else str(int(v))
    return text(v)


def row_unit(ctx: Context, sheet: Sheet, header: Header, r: int, period: Period) -> str | None:
    """A B row's unit from its name, its official code, or both; a name and a code that disagree are refused."""
    row = sheet.rows[r]
    found: dict[int, str] = {}
    for role in ("unit", "unit_code"):
        c = header.roles.get(role)
        label = cell_label(row[c]) if c is not None and c < len(row) else ""
        if c is None or not label:
            continue
        m = ctx.names.unit(label, period)
        if m.unit_id is None:
            ctx.error_at(m.message_vi, m.message_en, sheet, r, col_letter(c))
            return None
        found[c] = m.unit_id
    if not found:
        c = header.roles.get("unit", header.roles.get("unit_code", 0))
        ctx.error_at(_NO_LABEL.message_vi, _NO_LABEL.message_en, sheet, r, col_letter(c))
        return None
    if len(set(found.values())) > 1:
        c = header.roles["unit_code"]
        ctx.error_at(
            f"Mã đơn vị ({cell_label(row[c])}) không khớp với tên đơn vị cùng dòng ({found[header.roles['unit']]} "
            f"khác {found[c]}).",
            f"The unit code ({cell_label(row[c])}) does not match the unit name on the same row "
            f"({found[header.roles['unit']]} vs {found[c]}).",
            sheet,
            r,
            col_letter(c),
        )
        return None
    return next(iter(found.values()))


def _is_group_row(ctx: Context, label: str, stt: object, shape: str, period: Period) -> bool:
    resolvable = (
        ctx.names.unit(label, period).unit_id is not None if shape == "B" else ctx.names.sector(label) is not None
    )
    if resolvable:
        return False
    return is_roman(stt) or is_group_label(label)


def table_end(sheet: Sheet, header: Header) -> int:
    """The row where notes or signatures begin (exclusive)."""
    for r in range(header.data_start, len(sheet.rows)):
        first = next((v for v in sheet.rows[r] if isinstance(v, str) and v.strip()), None)
        if first is not None and is_stop(text(first)):
            return r
    return len(sheet.rows)


def _check_totals(ctx: Context, sheet: Sheet, header: Header, r: int, group: _Group, kind: str) -> None:
    """Warn when a totals row disagrees with the sum of its rows (counts only; rates do not add)."""
    row = sheet.rows[r]
    for c, ind in header.indicators.items():
        if ctx.cat.indicators[ind].kind != "count" or c >= len(row) or is_not_reported(row[c]):
            continue
        try:
            stated = parse_number(row[c], whole=True)
        except BadValue:
            continue
        parts = [v[c] for v in group.values.values() if c in v]
        if stated is None or not parts:
            continue
        total = sum(parts)
        if abs(total - stated) > 0.5:
            name = "Tổng cộng" if kind == "grand" else "Cộng"
            ctx.warn_at(
                f"Dòng “{name}” ghi {fmt_number(stated)} nhưng tổng các dòng là {fmt_number(total)} "
                f"(chỉ tiêu: {ctx.cat.indicators[ind].name_vi}).",
                f"The “{name}” row states {stated:,.0f} but its rows add up to {total:,.0f} "
                f"({ctx.cat.indicators[ind].name_en}).",
                sheet,
                r,
                col_letter(c),
            )


def _close_group(ctx: Context, sheet: Sheet, header: Header, group: _Group) -> None:
    if group.carried_row is not None and group.rows:
        _check_totals(ctx, sheet, header, group.carried_row, group, "sub")


# ------------------------------------------------------------------------------------------ shape A
def read_long(ctx: Context, sheet: Sheet, header: Header) -> None:
    """Shape A: one value per row, with its unit, period, indicator and optional sector."""
    titles = read_titles(sheet, header)
    sheet_p = sheet_period(ctx, sheet, titles) if titles.period else ctx.user_period
    roles = header.roles
    end = table_end(sheet, header)
    user_units: dict[str, str | None] = {}
    for r in range(header.data_start, end):
        row = sheet.rows[r]

        def cell(role: str, row: list[object] = row) -> object:
            c = roles.get(role)
            return row[c] if c is not None and c < len(row) else None

        ind_text, unit_text, value = text(cell("indicator")), text(cell("unit")), cell("value")
        if unit_text and is_stop(unit_text):
            break
        if not ind_text and not unit_text and is_not_reported(value):
            continue
        rn = sheet.row_number(r)
        if "period" not in roles and "year" in roles:
            period = _split_period(ctx, sheet, r, roles, sheet_p)
        else:
            period = _row_period(ctx, sheet, r, roles.get("period"), sheet_p)
        if period is None:
            continue
        ind = ctx.names.indicator(ind_text) if ind_text else None
        if ind is None:
            ctx.error(
                f"Không xác định được chỉ tiêu “{ind_text}” (không có trong danh mục chỉ tiêu).",
                f"Unknown indicator “{ind_text}” (not in the indicator catalogue).",
                sheet.name,
                rn,
                col_letter(roles["indicator"]),
            )
            continue
        unit = _row_unit(ctx, sheet, r, roles.get("unit"), period, titles, user_units)
        if unit is None:
            continue
        sector = ""
        sec_text = text(cell("sector"))
        if sec_text and not is_not_reported(sec_text):
            found = ctx.names.sector(sec_text)
            if found is None:
                ctx.error(
                    f"Không xác định được lĩnh vực “{sec_text}” (không có trong danh mục lĩnh vực).",
                    f"Unknown sector “{sec_text}” (not in the sector catalogue).",
                    sheet.name,
                    rn,
                    col_letter(roles["sector"]),
                )
                continue
            sector = found
        number = cell_number(ctx, sheet, r, roles["value"], ind)
        if number is not None:
            ctx.add(ind, unit, period.code, sector, number, sheet.name, rn, col_letter(roles["value"]))


def _row_period(ctx: Context, sheet: Sheet, r: int, c: int | None, fallback: Period | None) -> Period | None:
    row = sheet.rows[r]
    v = row[c] if c is not None and c < len(row) else None
    col = col_letter(c) if c is not None else None
    if is_not_reported(v):
        if fallback is None:
            ctx.error_at(
                "Dòng không ghi kỳ báo cáo và tệp cũng không ghi kỳ; hãy ghi kỳ hoặc chọn kỳ (--period).",
                "The row states no period and neither does the file; state it or pass --period.",
                sheet,
                r,
                col,
            )
        return fallback
    raw = str(int(v)) if isinstance(v, int | float) and float(v).is_integer() else text(v) or str(v)
    p = period_from_text(raw)
    if p is None:
        ctx.error_at(
            f"Không hiểu kỳ báo cáo “{raw}” (ví dụ hợp lệ: Năm 2024, Quý IV/2024, 2024-Q4).",
            f"Cannot read the period “{raw}” (valid examples: Năm 2024, Quý IV/2024, 2024-Q4).",
            sheet,
            r,
            col,
        )
        return None
    if ctx.user_period and p != ctx.user_period and c is not None:
        return _contradicts(ctx, sheet, r, c, p)
    return p


def _split_period(ctx: Context, sheet: Sheet, r: int, roles: dict[str, int], fallback: Period | None) -> Period | None:
    """A period written over columns ("Năm" 2024, "Quý" IV or 4, "Tháng" 10), read as one period cell."""
    row = sheet.rows[r]

    def part(role: str) -> str:
        c = roles.get(role)
        v = row[c] if c is not None and c < len(row) else None
        return "" if is_not_reported(v) else cell_label(v).lstrip("0") or cell_label(v)

    year, quarter, month = part("year"), part("quarter"), part("month")
    if not year:
        return _row_period(ctx, sheet, r, roles["year"], fallback)
    phrase = f"Quý {quarter}/{year}" if quarter else f"Tháng {month}/{year}" if month else year
    p = period_from_text(phrase)
    if p is None:
        ctx.error_at(
            f"Không hiểu kỳ báo cáo “{phrase}” ghi ở các cột năm, quý, tháng.",
            f"Cannot read the period “{phrase}” written over the year, quarter and month columns.",
            sheet,
            r,
            col_letter(roles["quarter" if quarter else "month" if month else "year"]),
        )
        return None
    if ctx.user_period and p != ctx.user_period:
        return _contradicts(ctx, sheet, r, roles["year"], p)
    return p


def _contradicts(ctx: Context, sheet: Sheet, r: int, c: int, p: Period) -> Period | None:
    """The refusal of a row whose period contradicts the chosen one (always None: the row is not read)."""
    assert ctx.user_period is not None
    ctx.error_at(
        f"Kỳ báo cáo của dòng ({p.label('vi')}) khác với kỳ đã chọn ({ctx.user_period.label('vi')}).",
        f"The row's period ({p.label('en')}) contradicts the chosen period ({ctx.user_period.label('en')}).",
        sheet,
        r,
        col_letter(c),
    )
    return None


def _row_unit(
    ctx: Context, sheet: Sheet, r: int, c: int | None, period: Period, titles: Titles, cache: dict[str, str | None]
) -> str | None:
    row = sheet.rows[r]
    unit_text = text(row[c]) if c is not None and c < len(row) else ""
    col = col_letter(c) if c is not None else None
    user = None
    if ctx.user_unit:
        if period.code not in cache:
            cache[period.code] = resolve_user_unit(ctx, period)
        user = cache[period.code]
    if not unit_text:
        if user:
            return user
        unit, _ = title_unit(ctx, sheet, titles, period)
        if unit is None:
            ctx.error_at(
                "Dòng không ghi đơn vị báo cáo; hãy ghi đơn vị hoặc chọn đơn vị (--unit).",
                "The row names no reporting unit; fill it in or pass --unit.",
                sheet,
                r,
                col,
            )
        return unit
    m = ctx.names.unit(unit_text, period)
    if m.unit_id is None:
        ctx.error_at(m.message_vi, m.message_en, sheet, r, col)
        return None
    if user and m.unit_id != user:
        ctx.error_at(
            f"Dòng này của đơn vị “{unit_text}”, khác với đơn vị đã chọn ({ctx.user_unit}).",
            f"This row belongs to “{unit_text}”, which contradicts the chosen unit “{ctx.user_unit}”.",
            sheet,
            r,
            col,
        )
        return None
    return m.unit_id
