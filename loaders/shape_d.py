"""Shape D: a one-stop system's dossier export, one row per dossier, aggregated to unit × sector × period.

Exports reach Excel's million-row limit, so nothing here loops over rows in Python: values are read by
calamine (fastexcel) or pyarrow with explicit dtypes, text dates are parsed with explicit formats, names are
resolved once per distinct value, and the ten counts come from one pandas groupby.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import numpy as np
import pandas as pd

from domain.kpi import DOSSIER_COUNTS
from domain.periods import Period
from domain.text import key
from loaders.context import Context
from loaders.headers import Header
from loaders.readers import BigSource, Sheet, col_letter
from loaders.tables import period_or_report, read_titles, resolve_user_unit, title_unit
from loaders.values import BadValue, parse_date

D_COUNTS = list(DOSSIER_COUNTS)
_ROLES = ["sector", "d_received", "d_due", "d_result", "d_channel", "d_digitized", "d_result_digitized", "unit"]
_DATE_ROLES = ("d_received", "d_due", "d_result")
_YES = {"co", "x", "1", "yes", "y", "true", "dasohoa", "daso", "co1"}
_ONLINE = {"tructuyen", "online", "dvctt", "dichvucongtructuyen", "quamang", "truc tuyen"}
_DETAIL = re.compile(r'String\("(.*)"\)')
MAX_LISTED = 20  # errors listed per kind before summarising


def _roles(header: Header) -> dict[str, int]:
    return {r: header.roles[r] for r in _ROLES if r in header.roles}


# --------------------------------------------------------------------------------------- frames
def frame_from_sheet(sheet: Sheet, header: Header) -> pd.DataFrame:
    """Small sheets already in memory (openpyxl/csv module): object columns, one per role."""
    roles = _roles(header)
    rows = sheet.rows[header.data_start :]
    data: dict[str, Any] = {}
    for role, c in roles.items():
        data[role] = [row[c] if c < len(row) else None for row in rows]
    df = pd.DataFrame(data)
    df["_row"] = [sheet.row_number(header.data_start + i) for i in range(len(rows))]
    return df


def frame_from_xlsx(src: BigSource, header: Header) -> tuple[pd.DataFrame, list[tuple[int, str, str]]]:
    """Read only the needed columns with calamine; dates as datetimes where the export stores dates.

    Text cells found in a date column come back as cell errors carrying their text, which is kept so that
    "05/12/2024" typed as text is still a date and "không rõ" is still an error.
    """
    import fastexcel

    roles = _roles(header)
    cols = sorted(set(roles.values()))
    dtypes: dict[int, str] = {}
    for role, c in roles.items():
        numeric = any((r, c) in src.numeric_cells for r in range(header.data_start, header.data_start + 30))
        dtypes[c] = "datetime" if role in _DATE_ROLES and numeric else "string"
    reader = fastexcel.read_excel(src.data)
    sh = reader.load_sheet(
        src.sheet_name or 0,
        header_row=None,
        skip_rows=header.data_start,
        use_columns=cols,
        dtypes=dtypes,  # type: ignore[arg-type]
    )
    table, errs = sh.to_arrow_with_errors()
    texts: list[tuple[int, str, str]] = []
    if errs is not None:
        by_col = {f"__UNNAMED__{c}": role for role, c in roles.items()}
        for e in errs.errors:
            r, ci = e.offset_position
            name = table.schema.names[ci] if ci < len(table.schema.names) else ""
            m = _DETAIL.search(e.detail)
            if name in by_col and m:
                texts.append((r, by_col[name], m.group(1)))
    df = _arrow_to_frame(table, {f"__UNNAMED__{c}": role for role, c in roles.items()})
    df["_row"] = np.arange(len(df), dtype=np.int64) + header.data_start + 1
    return df, texts


def frame_from_csv(src: BigSource, header: Header, text_encoding: str) -> pd.DataFrame:
    """pyarrow.csv with every needed column as text (dates parsed afterwards with explicit formats)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    roles = _roles(header)
    names = [f"c{i}" for i in range(max(len(header.labels), max(roles.values()) + 1))]
    width = _csv_width(src, text_encoding)
    names = [f"c{i}" for i in range(max(width, len(names)))]
    include = [f"c{c}" for c in sorted(set(roles.values()))]
    table = pcsv.read_csv(
        io.BytesIO(src.data),
        read_options=pcsv.ReadOptions(
            column_names=names, skip_rows=header.data_start, encoding=text_encoding, block_size=8 << 20
        ),
        parse_options=pcsv.ParseOptions(delimiter=src.delimiter, invalid_row_handler=lambda _row: "skip"),
        convert_options=pcsv.ConvertOptions(
            include_columns=include,
            column_types={n: pa.string() for n in include},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    df = _arrow_to_frame(table, {f"c{c}": role for role, c in roles.items()})
    df["_row"] = np.arange(len(df), dtype=np.int64) + header.data_start + 1
    return df


def _csv_width(src: BigSource, enc: str) -> int:
    head = src.data[:65536].decode(enc, errors="replace").splitlines()
    return max((ln.count(src.delimiter) + 1 for ln in head[:50]), default=1)


def _arrow_to_frame(table: Any, rename: dict[str, str]) -> pd.DataFrame:
    """Text columns as categoricals (a million rows, a few dozen distinct names), dates as datetime64."""
    import pyarrow as pa

    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
            col = col.dictionary_encode()
        cols[rename.get(name, name)] = col.to_pandas()
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------------------- dates
def parse_dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(dates normalised to midnight, mask of non-blank cells that are not dates)."""
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.normalize(), pd.Series(False, index=s.index)
    if isinstance(s.dtype, pd.CategoricalDtype):
        # Big exports: each distinct text is parsed once, by the same rule as a small sheet's cells.
        parsed = [_day(c) for c in s.cat.categories.astype(str)] or [(None, False)]
        days, bad_cat = _as_arrays(parsed)
        codes = s.cat.codes.to_numpy()
        safe = np.clip(codes, 0, None)
        out = pd.Series(np.where(codes >= 0, days[safe], np.datetime64("NaT", "ns")), index=s.index)
        return out, pd.Series((codes >= 0) & bad_cat[safe], index=s.index)
    # object column (small sheets only): datetimes, serial numbers and text mixed, one cell at a time
    days, bad = _as_arrays([_day(v) for v in s.tolist()])
    return pd.Series(days, index=s.index), pd.Series(bad, index=s.index)


def _as_arrays(cells: list[tuple[dt.date | None, bool]]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_day` results as a datetime64[ns] array (NaT when no date) and a bool array (not a date)."""
    nat = np.datetime64("NaT", "ns")
    days = np.array([np.datetime64(d, "ns") if d is not None else nat for d, _ in cells], dtype="datetime64[ns]")
    return days, np.array([bad for _, bad in cells], dtype=bool)


def _day(value: object) -> tuple[dt.date | None, bool]:
    """(the date a cell holds, None when blank; whether it is a non-blank cell that is not a date).

    :func:`loaders.values.parse_date` decides (the one list of accepted date forms), so a text date valid
    in a small file is valid in a million-row export; a year outside 1900–2200 is a typing slip, not a date.
    """
    try:
        d = parse_date(value)
    except BadValue:
        return None, True
    if d is not None and not 1900 <= d.year <= 2200:
        return None, True
    return d, False


# ------------------------------------------------------------------------------------ aggregate
def read_dossiers(
    ctx: Context, sheet: Sheet, header: Header, df: pd.DataFrame, texts: list[tuple[int, str, str]] | None = None
) -> None:
    """Validate and aggregate one export: ten counts per unit × sector, zeros included, no rates."""
    titles = read_titles(sheet, header)
    period = period_or_report(ctx, sheet, titles)
    if period is None:
        return
    end_day = titles.range_end if isinstance(titles.range_end, dt.date) else period.cutoff_end
    roles = header.roles
    keep = pd.Series(False, index=df.index)
    for role in _ROLES:
        if role in df:
            keep |= df[role].notna()
    if not keep.all():
        df = df[keep]
    if df.empty:
        ctx.error("Bảng hồ sơ không có dòng nào.", "The dossier table has no rows.", sheet.name)
        return
    units = _units(ctx, sheet, header, df, titles, period)
    sectors = _sectors(ctx, sheet, df, roles)
    due, result = _checked_dates(ctx, sheet, df, roles, texts)
    if units is None or sectors is None or ctx.errors:
        return
    frame = _counts(df, units, sectors, due, result, pd.Timestamp(end_day))
    sums = frame.groupby(["unit", "sector"], observed=True, sort=True)[D_COUNTS].sum()
    long = sums.reset_index().melt(id_vars=["unit", "sector"], var_name="indicator", value_name="value")
    for rec in long.itertuples(index=False):
        ctx.add(
            str(rec.indicator),
            str(rec.unit),
            period.code,
            str(rec.sector),
            float(rec.value),  # type: ignore[arg-type]
            sheet.name,
            None,
            None,
        )


def _checked_dates(
    ctx: Context, sheet: Sheet, df: pd.DataFrame, roles: dict[str, int], texts: list[tuple[int, str, str]] | None
) -> tuple[pd.Series, pd.Series]:
    """(due, result) dates of every row; cells that are not dates, impossible orders and a resolved dossier
    without a due date are refused at their cells."""
    due, due_bad = parse_dates(df["d_due"]) if "d_due" in df else (pd.Series(pd.NaT, index=df.index), None)
    if "d_result" in df:
        result, result_bad = parse_dates(df["d_result"])
    else:
        result, result_bad = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]"), None
    if texts:
        due, result, due_bad, result_bad = _patch_texts(df, texts, due, result, due_bad, result_bad)
    for role, bad in (("d_due", due_bad), ("d_result", result_bad)):
        if bad is not None and bad.any():
            _list_rows(
                ctx,
                sheet,
                df,
                bad,
                roles[role],
                "Ngày không hợp lệ (cần dạng dd/mm/yyyy)",
                "Not a valid date (expected dd/mm/yyyy)",
            )
    if "d_received" in df:
        _date_order(ctx, sheet, df, roles, due, result, texts)
    missing_due = due.isna() & result.notna() & ~(due_bad if due_bad is not None else False)
    if missing_due.any():
        _list_rows(
            ctx,
            sheet,
            df,
            missing_due,
            roles["d_due"],
            "Hồ sơ đã giải quyết nhưng không có hạn xử lý",
            "A resolved dossier has no due date",
        )
    return due, result


def _counts(
    df: pd.DataFrame, units: pd.Series, sectors: pd.Series, due: pd.Series, result: pd.Series, end: pd.Timestamp
) -> pd.DataFrame:
    """The ten counts of every dossier row (booleans that add up), by the spec's rules."""
    frame = pd.DataFrame({"unit": units, "sector": sectors}, index=df.index)
    resolved = result.notna()
    frame["dossiers_received"] = 1
    frame["dossiers_received_online"] = _flag(df, "d_channel", _ONLINE)
    frame["dossiers_resolved"] = resolved
    frame["dossiers_resolved_early"] = resolved & (result < due)
    frame["dossiers_resolved_on_time"] = resolved & (result == due)
    frame["dossiers_resolved_late"] = resolved & (result > due)
    frame["dossiers_pending"] = ~resolved
    frame["dossiers_pending_overdue"] = ~resolved & (due < end)
    frame["dossiers_digitized"] = _flag(df, "d_digitized", _YES)
    frame["results_digitized"] = _flag(df, "d_result_digitized", _YES)
    return frame


def _date_order(
    ctx: Context,
    sheet: Sheet,
    df: pd.DataFrame,
    roles: dict[str, int],
    due: pd.Series,
    result: pd.Series,
    texts: list[tuple[int, str, str]] | None,
) -> None:
    """A dossier cannot be due or resolved before it was received: refused at the cell that says so."""
    received, received_bad = parse_dates(df["d_received"])
    if texts:
        for r, role, raw in texts:
            if role == "d_received" and r in received.index:
                try:
                    d = parse_date(raw)
                except BadValue:
                    received_bad.at[r] = True
                    continue
                if d is not None:
                    received.at[r] = pd.Timestamp(d)
    if received_bad.any():
        _list_rows(
            ctx,
            sheet,
            df,
            received_bad,
            roles["d_received"],
            "Ngày không hợp lệ (cần dạng dd/mm/yyyy)",
            "Not a valid date (expected dd/mm/yyyy)",
        )
    for role, when, vi, en in (
        ("d_result", result, "Ngày trả kết quả trước ngày tiếp nhận", "The result date is before the received date"),
        ("d_due", due, "Hạn xử lý trước ngày tiếp nhận", "The due date is before the received date"),
    ):
        if role in roles:
            wrong = (when < received).fillna(False).astype(bool)
            if wrong.any():
                _list_rows(ctx, sheet, df, wrong, roles[role], vi, en)


def _as_category(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s
    return s.astype("object").where(s.notna(), None).astype("category")


def _lookup(s: pd.Series, fn: Any, missing: Any) -> np.ndarray:
    """``fn`` applied once per distinct value, spread to every row through the category codes."""
    cats = _as_category(s)
    table = np.array([fn(c) for c in cats.cat.categories] + [missing], dtype=object)
    codes = cats.cat.codes.to_numpy()
    return table[np.where(codes >= 0, codes, len(table) - 1)]


def _flag(df: pd.DataFrame, role: str, yes: set[str]) -> np.ndarray:
    if role not in df:
        return np.zeros(len(df), dtype=bool)
    keys = {key(y) for y in yes}
    return _lookup(df[role], lambda v: key(str(v)) in keys, False).astype(bool)


def _patch_texts(
    df: pd.DataFrame,
    texts: list[tuple[int, str, str]],
    due: pd.Series,
    result: pd.Series,
    due_bad: pd.Series | None,
    result_bad: pd.Series | None,
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Text cells in date columns read as datetimes: parse their text, flag what is not a date."""
    due_bad = due_bad.copy() if due_bad is not None else pd.Series(False, index=df.index)
    result_bad = result_bad.copy() if result_bad is not None else pd.Series(False, index=df.index)
    labels = set(df.index.tolist())  # the frame keeps the table's row positions as labels
    for r, role, raw in texts:
        if r not in labels:
            continue
        d, bad = _day(raw)
        if bad:
            (due_bad if role == "d_due" else result_bad).at[r] = True
        elif d is not None:
            (due if role == "d_due" else result).at[r] = pd.Timestamp(d)
    return due, result, due_bad, result_bad


def _list_rows(ctx: Context, sheet: Sheet, df: pd.DataFrame, mask: pd.Series, c: int, vi: str, en: str) -> None:
    rows = df.loc[mask, "_row"].head(MAX_LISTED).tolist()
    for r in rows:
        ctx.error(f"{vi}.", f"{en}.", sheet.name, int(r), col_letter(c))
    more = int(mask.sum()) - len(rows)
    if more > 0:
        ctx.error(f"{vi}: còn {more} dòng khác.", f"{en}: {more} more rows.", sheet.name, None, col_letter(c))


def _units(
    ctx: Context, sheet: Sheet, header: Header, df: pd.DataFrame, titles: Any, period: Period
) -> pd.Series | None:
    fixed, _named = title_unit(ctx, sheet, titles, period) if "unit" not in df else (None, False)
    user = resolve_user_unit(ctx, period) if "unit" in df else fixed
    if "unit" not in df:
        if user is None:
            ctx.error(
                "Bảng hồ sơ không có cột đơn vị và tệp không ghi đơn vị; hãy chọn đơn vị (--unit).",
                "The dossier table has no unit column and the file names no unit; pass --unit.",
                sheet.name,
            )
            return None
        return pd.Series(user, index=df.index)
    col = df["unit"]
    matches = None
    ok = True
    cats = col.astype("category") if not isinstance(col.dtype, pd.CategoricalDtype) else col
    for name in cats.cat.categories:
        m = ctx.names.unit(str(name), period)
        if m.unit_id is None or (user and m.unit_id != user):
            first = df.loc[cats == name, "_row"].iloc[0]
        if m.unit_id is None:
            ctx.error(m.message_vi, m.message_en, sheet.name, int(first), col_letter(header.roles["unit"]))
            ok = False
        elif user and m.unit_id != user:
            ctx.error(
                f"Hồ sơ của đơn vị “{name}”, khác với đơn vị đã chọn ({ctx.user_unit}).",
                f"Dossiers of “{name}” contradict the chosen unit “{ctx.user_unit}”.",
                sheet.name,
                int(first),
                col_letter(header.roles["unit"]),
            )
            ok = False
    blank = cats.isna()
    if blank.any():
        if user:
            pass
        else:
            _list_rows(ctx, sheet, df, blank, header.roles["unit"], "Dòng không ghi đơn vị", "The row names no unit")
            ok = False
    if not ok:
        return None
    del matches
    ids = _lookup(col, lambda v: ctx.names.unit(str(v), period).unit_id, user)
    return pd.Series(pd.Categorical(ids), index=df.index)


def _sectors(ctx: Context, sheet: Sheet, df: pd.DataFrame, roles: dict[str, int]) -> pd.Series | None:
    if "sector" not in df:
        return pd.Series("", index=df.index)
    col = df["sector"]
    cats = col.astype("category") if not isinstance(col.dtype, pd.CategoricalDtype) else col
    ok = True
    mapping: dict[Any, str] = {}
    for name in cats.cat.categories:
        sec = ctx.names.sector(str(name))
        if sec is None:
            first = df.loc[cats == name, "_row"].iloc[0]
            ctx.error(
                f"Không xác định được lĩnh vực “{name}” (không có trong danh mục lĩnh vực).",
                f"Unknown sector “{name}” (not in the sector catalogue).",
                sheet.name,
                int(first),
                col_letter(roles["sector"]),
            )
            ok = False
        else:
            mapping[name] = sec
    blank = cats.isna()
    if blank.any():
        _list_rows(ctx, sheet, df, blank, roles["sector"], "Dòng không ghi lĩnh vực", "The row names no sector")
        ok = False
    if not ok:
        return None
    return pd.Series(pd.Categorical(_lookup(cats, lambda v: mapping[v], "")), index=df.index)
