"""``check_file``: read one report of any shape, say exactly what it states or exactly why it is refused.

Nothing here raises on bad input. Every problem becomes a :class:`ReportError` located as a person would look
for it (sheet, Excel row, column letter), and all of a file's problems are collected, not just the first.
"""

from __future__ import annotations

import io
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from domain.catalog import catalog
from domain.errors import ReportError
from domain.names import resolver
from domain.periods import Period, PeriodError, parse_period
from domain.schema import KEY, empty_observations, validate_observations
from loaders import columns as colmap
from loaders.context import Context
from loaders.headers import ColumnRules, Header, find_header
from loaders.readers import (
    PEEK_ROWS,
    SMALL_SHEET_BYTES,
    BigSource,
    Sheet,
    detect_encoding,
    list_sheets,
    peek_xlsx_sheet,
    read_csv,
    read_with_calamine,
    read_xlsx_small,
)
from loaders.safety import OLE_MAGIC, ZIP_MAGIC, default_max_bytes, inspect_ole, inspect_zip, whole_file_error
from loaders.shape_d import frame_from_csv, frame_from_sheet, frame_from_xlsx, read_dossiers
from loaders.tables import read_long, read_wide, table_end
from loaders.vocabulary import vocabulary

BIG_CSV_BYTES = 2 * 1024 * 1024
#: Tests set this to let a bug in our own code surface instead of becoming a "cannot read" error.
STRICT = False


class _Unreadable(Exception):
    """A third-party parser gave up on the file: the file is corrupt, not our code."""
_EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".xltx", ".xlsb"}


@dataclass
class CheckResult:
    """The outcome of reading one report: its observations, or the errors that refuse it."""

    file: str
    format: str | None
    observations: pd.DataFrame = field(default_factory=empty_observations)
    errors: list[ReportError] = field(default_factory=list)
    warnings: list[ReportError] = field(default_factory=list)
    columns: list[colmap.ColumnReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def undecided(self) -> list[colmap.ColumnReport]:
        """Columns of figures that nobody has read: a person must decide them before the file is stored."""
        return [c for c in self.columns if c.unread_numbers]

    def as_json(self) -> dict[str, Any]:
        """The spec's check contract; observations only when the file is accepted."""
        obs: list[dict[str, Any]] = []
        if self.ok:
            for rec in self.observations[["indicator", "unit", "period", "sector", "value"]].to_dict("records"):
                obs.append({**{str(k): v for k, v in rec.items()}, "sector": rec["sector"] or None,
                            "value": float(rec["value"])})
        return {
            "ok": self.ok,
            "file": self.file,
            "format": self.format,
            "observations": obs,
            "errors": [e.as_json() for e in self.errors],
            "warnings": [w.as_json() for w in self.warnings],
            "columns": [c.as_json() for c in self.columns],
        }

    def summary_vi(self) -> str:
        """A readable summary for the command line: Vietnamese first, English under it."""
        lines = [f"Tệp / File: {self.file}"]
        lines.append(f"Dạng biểu / Shape: {self.format or '-'}")
        if self.ok:
            obs = self.observations
            units = ", ".join(sorted(obs["unit"].unique())) if len(obs) else "-"
            periods = ", ".join(sorted(obs["period"].unique())) if len(obs) else "-"
            lines.append(f"Đơn vị / Units: {units}")
            lines.append(f"Kỳ báo cáo / Periods: {periods}")
            lines.append(f"Số quan sát / Observations: {len(obs)}")
            lines.append("Kết quả: tệp hợp lệ. / Result: accepted.")
        else:
            n = len(self.errors)
            lines.append(f"Kết quả: tệp bị từ chối ({n} lỗi). / Result: refused ({n} errors).")
        for title, items in (("Lỗi / Errors", self.errors), ("Cảnh báo / Warnings", self.warnings)):
            if not items:
                continue
            lines.append(f"{title}:")
            for e in items:
                where_vi, where_en = e.where("vi"), e.where("en")
                lines.append(f"  - {where_vi + ': ' if where_vi else ''}{e.message_vi}")
                lines.append(f"    {where_en + ': ' if where_en else ''}{e.message_en}")
        return "\n".join(lines)


def check_file(
    path: Path | str | None,
    period: str | None = None,
    unit: str | None = None,
    *,
    data: bytes | None = None,
    file_name: str | None = None,
    max_bytes: int | None = None,
    rules: ColumnRules | None = None,
) -> CheckResult:
    """Read one report; never raises on bad input (every problem is a located ReportError).

    ``rules`` carries people's decisions about columns (this file's choices and learned mappings).
    """
    name = file_name or (Path(path).name if path is not None else "upload")
    try:
        return _check(path, period, unit, data, name, max_bytes, rules)
    except _Unreadable as exc:
        return _refused(
            name,
            f"Tệp bị hỏng hoặc có cấu trúc không đọc được ({exc}).",
            f"The file is corrupt or its structure cannot be read ({exc}).",
        )
    except MemoryError:
        return _refused(name, "Tệp quá lớn để xử lý.", "The file is too large to process.")
    except Exception as exc:  # the contract: a result, never a crash
        if STRICT:
            raise
        detail = f"{type(exc).__name__}: {exc}"[:300]
        return _refused(
            name,
            f"Không đọc được tệp (tệp hỏng hoặc cấu trúc không hỗ trợ: {detail}).",
            f"The file cannot be read (corrupt or unsupported structure: {detail}).",
            debug=traceback.format_exc(),
        )


def _refused(name: str, vi: str, en: str, fmt: str | None = None, debug: str | None = None) -> CheckResult:
    del debug
    return CheckResult(file=name, format=fmt, errors=[whole_file_error(name, vi, en)])


def _check(
    path: Path | str | None, period: str | None, unit: str | None, data: bytes | None, name: str, max_bytes: int | None,
    rules: ColumnRules | None = None,
) -> CheckResult:
    cap = max_bytes if max_bytes is not None else default_max_bytes()
    ext = Path(name).suffix.lower()
    if data is None:
        if path is None:
            return _refused(name, "Không có tệp.", "No file was given.")
        p = Path(path)
        if not p.is_file():
            return _refused(name, f"Không tìm thấy tệp {p}.", f"File not found: {p}.")
        if p.stat().st_size > cap:
            return _too_big(name, p.stat().st_size, cap)
        data = p.read_bytes()
    if len(data) > cap:
        return _too_big(name, len(data), cap)
    if not data.strip():
        return _refused(name, "Tệp rỗng, không có dữ liệu.", "The file is empty.")
    user_period: Period | None = None
    if period:
        try:
            user_period = parse_period(period)
        except PeriodError:
            return _refused(name, f"Kỳ báo cáo đã chọn không hợp lệ: {period}.", f"Invalid period given: {period}.")
    cat = catalog()
    ctx = Context(file=name, cat=cat, names=resolver(cat), user_period=user_period, user_unit=unit or None,
                  rules=rules)
    if ext == ".xlsm":
        return _refused(
            name,
            "Tệp .xlsm có thể chứa macro; hệ thống không nhận. Hãy lưu lại dưới dạng .xlsx.",
            "Macro-enabled workbooks (.xlsm) are not accepted; save the file as .xlsx.",
        )
    if data.startswith(ZIP_MAGIC) or data[:2] == b"PK":
        sheets = _xlsx_sheets(ctx, data, cap)
    elif data.startswith(OLE_MAGIC):
        errs = inspect_ole(data, name)
        if errs:
            return CheckResult(file=name, format=None, errors=errs)
        sheets = _parsed(read_with_calamine, data)
    elif ext in _EXCEL_EXT:
        return _refused(
            name,
            "Tệp không phải là tệp Excel hợp lệ (hỏng hoặc sai định dạng).",
            "The file is not a valid Excel workbook (corrupt or wrong format).",
        )
    elif b"\x00" in data[:4096] and detect_encoding(data) not in ("utf-16", "utf-16-le"):
        return _refused(name, "Tệp không phải là tệp văn bản CSV hay Excel.", "The file is neither CSV nor Excel.")
    else:
        sheets = _parsed(_csv_sheets, data)
    if ctx.errors:
        return CheckResult(file=name, format=None, errors=ctx.errors)
    shape = _read_sheets(ctx, sheets)
    return _finish(ctx, shape)


def _parsed(fn: Any, *args: Any, **kw: Any) -> Any:
    """Call a third-party reader; any exception it raises means the file cannot be parsed."""
    try:
        return fn(*args, **kw)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise _Unreadable(f"{type(exc).__name__}: {str(exc)[:200]}") from exc


def _too_big(name: str, size: int, cap: int) -> CheckResult:
    mb = 1024 * 1024
    return _refused(
        name,
        f"Tệp quá lớn ({size / mb:.1f} MB); giới hạn là {cap / mb:.0f} MB.",
        f"The file is too large ({size / mb:.1f} MB); the limit is {cap / mb:.0f} MB.",
    )


def _xlsx_sheets(ctx: Context, data: bytes, cap: int) -> list[Sheet]:
    rep = inspect_zip(data, ctx.file, cap)
    if rep.errors:
        ctx.errors.extend(rep.errors)
        return []
    zf = _parsed(zipfile.ZipFile, io.BytesIO(data))
    ctypes = _parsed(zf.read, "[Content_Types].xml") if "[Content_Types].xml" in zf.namelist() else b""
    if b"macroEnabled" in ctypes:
        ctx.error(
            "Tệp có chứa macro (VBA); hệ thống không nhận tệp có macro. Hãy lưu lại dưới dạng .xlsx.",
            "The workbook contains macros (VBA), which are not accepted; save it as .xlsx.",
        )
        return []
    entries = [e for e in _parsed(list_sheets, zf) if e.state == "visible" and e.part in rep.sizes]
    if all(rep.sizes[e.part] <= SMALL_SHEET_BYTES for e in entries):
        return _parsed(read_xlsx_small, data)
    sheets: list[Sheet] = []
    for e in entries:
        rows, numeric = _parsed(peek_xlsx_sheet, zf, e.part, PEEK_ROWS)
        src = BigSource(kind="xlsx", data=data, sheet_name=e.name, numeric_cells=numeric)
        sheets.append(Sheet(name=e.name, rows=rows, formats_known=False, big=src))
    return sheets


def _csv_sheets(data: bytes) -> list[Sheet]:
    if len(data) > BIG_CSV_BYTES:
        head, delimiter = read_csv(data, head_only=True)
        head.big = BigSource(kind="csv", data=data, delimiter=delimiter)
        return [head]
    sheet, _ = read_csv(data)
    return [sheet]


def _read_sheets(ctx: Context, sheets: list[Sheet]) -> str | None:
    """Dispatch each sheet by the shape its header shows; sheets without a known header are skipped."""
    shape: str | None = None
    voc = vocabulary(ctx.cat)
    for sheet in sheets:
        header = find_header(sheet, voc, ctx.rules)
        if header is not None and header.shape() is None:
            colmap.infer_label_column(ctx, sheet, header, table_end(sheet, header))
        kind = header.shape() if header else None
        if header is None or kind is None:
            _unread_sheet(ctx, sheet)
            continue
        shape = shape or kind
        if sheet.big is not None and kind != "D":
            sheet = _parsed(_full_sheet, sheet)
            header = find_header(sheet, voc, ctx.rules) or header
        end = len(sheet.rows) if kind == "D" else table_end(sheet, header)
        counts = colmap.count_numbers(sheet, header.data_start, end)
        colmap.complete(sheet, header, counts, ctx.rules)
        _read_one(ctx, sheet, header, kind)
        colmap.report(ctx, sheet, header, counts)
    if shape is None:
        ctx.error(
            "Không tìm thấy bảng số liệu: không có trang tính nào có dòng tiêu đề cột nhận biết được "
            "(ví dụ: Đơn vị, Chỉ tiêu, Giá trị; hoặc Lĩnh vực, Tiếp nhận, Đã giải quyết).",
            "No data table found: no sheet has a recognisable header row "
            "(e.g. Unit, Indicator, Value; or Sector, Received, Resolved).",
        )
    return shape


def _unread_sheet(ctx: Context, sheet: Sheet) -> None:
    """A visible sheet with figures but no table the reader knows is said, never silently passed over."""
    n = sum(colmap.count_numbers(sheet, 0, len(sheet.rows)).values())
    if n:
        ctx.warn(
            f"Trang tính có {n} số nhưng không có dòng tiêu đề cột nhận biết được; trang này không được đọc.",
            f"The sheet holds {n} numbers but no recognisable header row; it was not read.",
            sheet.name,
        )


def _read_one(ctx: Context, sheet: Sheet, header: Header, kind: str) -> None:
    """Read one sheet's table by its shape."""
    if kind == "D":
        if sheet.big is None:
            read_dossiers(ctx, sheet, header, frame_from_sheet(sheet, header))
        elif sheet.big.kind == "xlsx":
            df, texts = _parsed(frame_from_xlsx, sheet.big, header)
            read_dossiers(ctx, sheet, header, df, texts)
        else:
            enc = detect_encoding(sheet.big.data)
            frame = _parsed(frame_from_csv, sheet.big, header, _pa_encoding(enc))
            read_dossiers(ctx, sheet, header, frame)
    elif kind == "A":
        read_long(ctx, sheet, header)
    else:
        read_wide(ctx, sheet, header, kind)


def _pa_encoding(enc: str) -> str:
    return {"utf-8-sig": "utf-8", "utf-16-le": "utf-16-le"}.get(enc, enc)


def _full_sheet(sheet: Sheet) -> Sheet:
    """A large sheet that is not a dossier export: all its values (calamine; no fonts or formats)."""
    assert sheet.big is not None
    if sheet.big.kind == "csv":
        full, _ = read_csv(sheet.big.data)
        return full
    for s in read_with_calamine(sheet.big.data, hidden_ok=True):
        if s.name == sheet.big.sheet_name:
            return s
    return sheet


# ------------------------------------------------------------------------------------- finishing
def _finish(ctx: Context, shape: str | None) -> CheckResult:
    df = pd.DataFrame.from_records(ctx.records) if ctx.records else empty_observations()
    if len(df):
        df["row"] = df["row"].astype("Int64")
        df = _duplicates(ctx, df)
        if shape != "D":
            _consistency(ctx, df)
        schema_errors = validate_observations(df, ctx.cat, ctx.file)
        ctx.errors.extend(schema_errors)
    df = df.reset_index(drop=True)
    return CheckResult(
        file=ctx.file, format=shape, observations=df, errors=ctx.errors, warnings=ctx.warnings, columns=ctx.columns
    )


def _duplicates(ctx: Context, df: pd.DataFrame) -> pd.DataFrame:
    """The same unit, indicator, sector and period twice: identical values are kept once, different ones refused."""
    dup = df.duplicated(KEY, keep=False)
    if not dup.any():
        return df
    for _, grp in df[dup].groupby(KEY, sort=False):
        if grp["value"].nunique() > 1:
            first = grp.iloc[0]
            for _, other in grp.iloc[1:].iterrows():
                if other["value"] == first["value"]:
                    continue
                ind = ctx.cat.indicators[first["indicator"]]
                ctx.error(
                    f"Số liệu bị trùng: {ind.name_vi} của {first['unit']}"
                    f"{' (' + first['sector'] + ')' if first['sector'] else ''} kỳ {first['period']} đã ghi "
                    f"{first['value']:g} ở dòng {first['row']}, nay lại ghi {other['value']:g}.",
                    f"Duplicate figure: {ind.name_en} of {first['unit']}"
                    f"{' (' + first['sector'] + ')' if first['sector'] else ''} for {first['period']} is "
                    f"{first['value']:g} at row {first['row']} and {other['value']:g} here.",
                    other["sheet"], None if pd.isna(other["row"]) else int(other["row"]), other["column"],
                )
    return df.drop_duplicates(KEY, keep="first")


def _consistency(ctx: Context, df: pd.DataFrame) -> None:
    """Warnings, not refusals: resolved ≠ early + on time + late; a stated rate that its counts contradict."""
    wide = df.pivot_table(index=["unit", "period", "sector"], columns="indicator", values="value", aggfunc="first")
    where = df.set_index(["unit", "period", "sector", "indicator"])[["sheet", "row", "column"]]
    parts = ["dossiers_resolved_early", "dossiers_resolved_on_time", "dossiers_resolved_late"]
    for idx, row in wide.iterrows():
        if all(c in wide.columns and pd.notna(row.get(c)) for c in ["dossiers_resolved", *parts]):
            total = sum(row[c] for c in parts)
            if abs(total - row["dossiers_resolved"]) > 0.5:
                loc = where.loc[(*idx, "dossiers_resolved")]  # type: ignore[misc]
                ctx.warn(
                    f"Số hồ sơ đã giải quyết ({row['dossiers_resolved']:g}) khác tổng trước hạn + đúng hạn + quá hạn "
                    f"({total:g}).",
                    f"Dossiers resolved ({row['dossiers_resolved']:g}) differ from early + on time + late ({total:g}).",
                    loc["sheet"], _int(loc["row"]), loc["column"],
                )
        for ind in ctx.cat.indicators.values():
            if ind.kind != "rate" or not ind.numerator or not ind.denominator or ind.id not in wide.columns:
                continue
            stated = row.get(ind.id)
            needed = [*ind.numerator, *ind.denominator]
            if pd.isna(stated) or not all(c in wide.columns and pd.notna(row.get(c)) for c in needed):
                continue
            den = sum(row[c] for c in ind.denominator)
            if den <= 0:
                continue
            computed = 100.0 * sum(row[c] for c in ind.numerator) / den
            if abs(computed - stated) > 0.1 + 1e-9:
                loc = where.loc[(*idx, ind.id)]  # type: ignore[misc]
                ctx.warn(
                    f"Tỷ lệ ghi {stated:g}% nhưng tính từ số liệu là {computed:.1f}% ({ind.name_vi}).",
                    f"The stated rate {stated:g}% disagrees with {computed:.1f}% computed from the counts "
                    f"({ind.name_en}).",
                    loc["sheet"], _int(loc["row"]), loc["column"],
                )


def _int(v: object) -> int | None:
    return None if v is None or pd.isna(v) else int(v)  # type: ignore[call-overload]
