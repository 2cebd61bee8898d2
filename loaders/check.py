"""``check_file``: read one report of any shape, say exactly what it states or exactly why it is refused.

Nothing here raises on bad input. Every problem becomes a :class:`ReportError` located as a person would look
for it (sheet, Excel row, column letter), and all of a file's problems are collected, not just the first.
"""

from __future__ import annotations

import io
import logging
import uuid
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
)
from loaders.safety import (
    default_max_bytes,
    inspect_ole,
    inspect_zip,
    macro_error,
    password_error,
    whole_file_error,
)
from loaders.shape_d import frame_from_csv, frame_from_sheet, frame_from_xlsx, read_dossiers
from loaders.sniff import READABLE, Kind, foreign_error, sniff, xls_encrypted
from loaders.sparse import TooComplex, dense_is_safe, read_ods_sparse, read_xls_sparse, read_xlsx_sparse
from loaders.tables import read_long, read_wide, table_end
from loaders.vocabulary import vocabulary

BIG_CSV_BYTES = 2 * 1024 * 1024
log = logging.getLogger(__name__)


class _Unreadable(Exception):
    """A third-party parser gave up on the file: the file is corrupt, not our code."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


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
                obs.append(
                    {
                        **{str(k): v for k, v in rec.items()},
                        "sector": rec["sector"] or None,
                        "value": float(rec["value"]),
                    }
                )
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
    strict: bool = False,
) -> CheckResult:
    """Read one report; never raises on bad input (every problem is a located ReportError).

    ``rules`` carries people's decisions about columns (this file's choices and learned mappings).
    ``strict`` lets a bug in our own code raise (the fuzz tests) instead of becoming an apology with a
    reference id; either way the traceback is logged.
    """
    name = file_name or (Path(path).name if path is not None else "upload")
    try:
        return _check(path, period, unit, data, name, max_bytes, rules)
    except _Unreadable as exc:
        ref = incident_id()
        log.warning("check %s: a parser gave up [ref %s]: %s", name, ref, exc.detail, exc_info=exc.__cause__)
        return _refused(
            name,
            f"Tệp bị hỏng hoặc có cấu trúc không đọc được (mã tham chiếu {ref}); hãy mở tệp bằng Excel, "
            "lưu lại dưới dạng .xlsx rồi gửi lại.",
            f"The file is corrupt or its structure cannot be read (reference {ref}); open it in Excel, save it "
            "as .xlsx and upload it again.",
        )
    except (MemoryError, TooComplex) as exc:
        log.warning("check %s: over the reading budget: %r", name, exc)
        return too_complex(name)
    except Exception:  # the contract: a result, never a crash
        ref = incident_id()
        log.exception("check %s: unexpected error [ref %s]", name, ref)
        if strict:
            raise
        return _refused(
            name,
            f"Xin lỗi, hệ thống gặp lỗi khi đọc tệp này (mã tham chiếu {ref}); tệp chưa được lưu. Hãy báo mã "
            "này cho quản trị viên.",
            f"Sorry, the system failed while reading this file (reference {ref}); nothing was stored. Please "
            "give this reference to the administrator.",
        )


def incident_id() -> str:
    """A short id that the server log and the user's message share."""
    return uuid.uuid4().hex[:10]


def too_complex(name: str, memory_mb: int | None = None, seconds: float | None = None) -> CheckResult:
    """The refusal for a file over the reading limits: what to do about it, not what broke."""
    lim_vi = lim_en = ""
    if memory_mb is not None and seconds is not None:
        lim_vi = f" ({memory_mb} MB bộ nhớ, {seconds:g} giây)"
        lim_en = f" ({memory_mb} MB of memory, {seconds:g} seconds)"
    return _refused(
        name,
        f"Tệp quá lớn hoặc quá phức tạp để đọc trong giới hạn{lim_vi}; hãy lưu lại chỉ trang tính số liệu "
        "(xóa các ô, định dạng và ghi chú thừa ở xa bảng) rồi gửi lại.",
        f"The file is too large or too complex to read within the limits{lim_en}; save only the data sheet "
        "(remove stray cells, formatting and comments far from the table) and upload it again.",
    )


def _refused(name: str, vi: str, en: str, fmt: str | None = None) -> CheckResult:
    return CheckResult(file=name, format=fmt, errors=[whole_file_error(name, vi, en)])


def _check(
    path: Path | str | None,
    period: str | None,
    unit: str | None,
    data: bytes | None,
    name: str,
    max_bytes: int | None,
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
    ctx = Context(file=name, cat=cat, names=resolver(cat), user_period=user_period, user_unit=unit or None, rules=rules)
    kind = sniff(data)
    if kind.name not in READABLE:
        return CheckResult(file=name, format=None, errors=[foreign_error(kind.name, name)])
    sheets = _sheets_of(ctx, kind, data, cap)
    if ctx.errors:
        return CheckResult(file=name, format=None, errors=ctx.errors)
    _hidden_warnings(ctx, sheets)
    shape = _read_sheets(ctx, sheets)
    if shape is None and kind.name == "text" and ext in _EXCEL_EXT:
        ctx.errors = [
            whole_file_error(
                name,
                "Tệp không phải là tệp Excel hợp lệ (hỏng hoặc sai định dạng) và cũng không phải bảng CSV.",
                "The file is not a valid Excel workbook (corrupt or wrong format), nor a CSV table.",
            )
        ]
    return _finish(ctx, shape)


def _sheets_of(ctx: Context, kind: Kind, data: bytes, cap: int) -> list[Sheet]:
    """The sheets of a readable file, by the kind its content shows (refusals go to ``ctx.errors``)."""
    if kind.name == "xlsx":
        return _xlsx_sheets(ctx, data, cap)
    if kind.name == "xlsb":
        return _xlsb_sheets(ctx, data, cap)
    if kind.name == "ods":
        rep = inspect_zip(data, ctx.file, cap, require=("content.xml",))
        if rep.errors:
            ctx.errors.extend(rep.errors)
            return []
        return _parsed(read_ods_sparse, data)
    if kind.name == "xls":
        return _xls_sheets(ctx, data)
    return _parsed(_csv_sheets, data)


def _hidden_warnings(ctx: Context, sheets: list[Sheet]) -> None:
    """One warning per sheet whose hidden rows or columns held values that were not read."""
    for s in sheets:
        if not (s.hidden_rows or s.hidden_cols):
            continue
        ctx.warn(
            f"Đã bỏ qua {s.hidden_rows} dòng ẩn và {s.hidden_cols} cột ẩn có dữ liệu (Excel không hiển thị và "
            "không in các ô này); nếu cần các số liệu đó, hãy bỏ ẩn rồi gửi lại.",
            f"Skipped {s.hidden_rows} hidden rows and {s.hidden_cols} hidden columns holding values (Excel "
            "neither shows nor prints them); unhide them and upload again if those figures are needed.",
            s.name,
        )


def _parsed(fn: Any, *args: Any, **kw: Any) -> Any:
    """Call a third-party reader; any exception it raises means the file cannot be parsed."""
    try:
        return fn(*args, **kw)
    except (MemoryError, RecursionError, TooComplex):
        raise
    except Exception as exc:
        raise _Unreadable(f"{type(exc).__name__}: {str(exc)[:300]}") from exc


def _too_big(name: str, size: int, cap: int) -> CheckResult:
    mb = 1024 * 1024
    return _refused(
        name,
        f"Tệp quá lớn ({size / mb:.1f} MB); giới hạn là {cap / mb:.0f} MB.",
        f"The file is too large ({size / mb:.1f} MB); the limit is {cap / mb:.0f} MB.",
    )


def _macro_content_type(ctypes: bytes) -> bool:
    """An .xlsm/.xltm/.xlam workbook part; .xlsb's 'sheet.binary.macroEnabled' names its format, not a macro."""
    return any(
        t in ctypes
        for t in (
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            b"application/vnd.ms-excel.template.macroEnabled.main+xml",
            b"application/vnd.ms-excel.addin.macroEnabled.main+xml",
        )
    )


def _xlsx_sheets(ctx: Context, data: bytes, cap: int) -> list[Sheet]:
    rep = inspect_zip(data, ctx.file, cap)
    if rep.errors:
        ctx.errors.extend(rep.errors)
        return []
    zf = _parsed(zipfile.ZipFile, io.BytesIO(data))
    ctypes = _parsed(zf.read, "[Content_Types].xml") if "[Content_Types].xml" in zf.namelist() else b""
    if _macro_content_type(ctypes):
        ctx.errors.append(macro_error(ctx.file))
        return []
    entries = [e for e in _parsed(list_sheets, zf) if e.state == "visible" and e.part in rep.sizes]
    small = [e for e in entries if rep.sizes[e.part] <= SMALL_SHEET_BYTES]
    if len(small) == len(entries):
        return _parsed(read_xlsx_sparse, data, entries)
    sheets: list[Sheet] = []
    for e in entries:
        if rep.sizes[e.part] <= SMALL_SHEET_BYTES:
            sheets.extend(_parsed(read_xlsx_sparse, data, [e]))
            continue
        rows, numeric = _parsed(peek_xlsx_sheet, zf, e.part, PEEK_ROWS)
        dense = _parsed(dense_is_safe, zf, e.part)
        src = BigSource(kind="xlsx" if dense else "xlsx-sparse", data=data, sheet_name=e.name, numeric_cells=numeric)
        sheets.append(Sheet(name=e.name, rows=rows, formats_known=False, big=src))
    return sheets


def _xlsb_sheets(ctx: Context, data: bytes, cap: int) -> list[Sheet]:
    """.xlsb values through calamine; a binary workbook calamine cannot read is refused with how to resave it."""
    rep = inspect_zip(data, ctx.file, cap)
    if rep.errors:
        ctx.errors.extend(rep.errors)
        return []
    try:
        return read_with_calamine(data)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        log.info("check %s: calamine cannot read this .xlsb: %s", ctx.file, exc)
        ctx.error(
            "Tệp ở định dạng .xlsb (sổ tính nhị phân) không đọc được; hãy mở bằng Excel và lưu lại dưới dạng "
            ".xlsx (Tệp › Lưu thành › Sổ làm việc Excel).",
            "The file is in the .xlsb (binary workbook) format and cannot be read; open it in Excel and save it "
            "as .xlsx (File › Save As › Excel Workbook).",
        )
        return []


def _xls_sheets(ctx: Context, data: bytes) -> list[Sheet]:
    """A legacy .xls: encryption and macros refused first, then xlrd (sparse), calamine when xlrd gives up."""
    errs = inspect_ole(data, ctx.file)
    if not errs and xls_encrypted(data):
        errs = [password_error(ctx.file)]
    if errs:
        ctx.errors.extend(errs)
        return []
    try:
        return read_xls_sparse(data)
    except (MemoryError, RecursionError, TooComplex):
        raise
    except Exception as exc:
        log.info("check %s: xlrd cannot read it, trying calamine: %s", ctx.file, exc)
    return _parsed(read_with_calamine, data)


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
        elif sheet.big.kind == "xlsx-sparse":  # far cells would make calamine's dense grid explode
            full = _parsed(_full_sheet, sheet)
            full_header = find_header(full, vocabulary(ctx.cat), ctx.rules) or header
            read_dossiers(ctx, full, full_header, frame_from_sheet(full, full_header))
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
    """A large sheet that is not a dossier export: all its values, read sparsely (memory follows content)."""
    assert sheet.big is not None
    if sheet.big.kind == "csv":
        full, _ = read_csv(sheet.big.data)
        return full
    zf = zipfile.ZipFile(io.BytesIO(sheet.big.data))
    entries = [e for e in list_sheets(zf) if e.name == sheet.big.sheet_name]
    full_sheets = read_xlsx_sparse(sheet.big.data, entries)
    return full_sheets[0] if full_sheets else sheet


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
                    other["sheet"],
                    None if pd.isna(other["row"]) else int(other["row"]),
                    other["column"],
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
                    loc["sheet"],
                    _int(loc["row"]),
                    loc["column"],
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
                    loc["sheet"],
                    _int(loc["row"]),
                    loc["column"],
                )


def _int(v: object) -> int | None:
    return None if v is None or pd.isna(v) else int(v)  # type: ignore[call-overload]
