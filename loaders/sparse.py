"""Read a workbook's sheets by walking only the cells that exist, so memory follows content, not dimension.

openpyxl in normal mode and calamine both build the dense rectangle from A1 to the last used position: one
styled cell or comment at XFD1048576 turns a 9 KB file into gigabytes. Here the sheet XML is streamed and each
cell that holds a value is kept by position; empty styled cells, comments and declared dimensions cost
nothing. Rows are ragged (each as long as its last value), hidden rows and columns are blanked and counted
(Excel neither shows nor prints them), and the styles table gives fonts (legacy TCVN3/VNI text is decoded per
cell), percent and date formats. ``.xls`` is read the same way through xlrd (ragged rows, formatting info),
``.ods`` through its content.xml.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element, XMLPullParser

import defusedxml.ElementTree as DET

from domain.legacy_fonts import decode_cell, font_encoding
from domain.text import nfc
from loaders.readers import Sheet, SheetEntry, col_index, list_sheets

MAX_ROWS = 1_048_576  # Excel's grid: cells beyond it are not shown by Excel and are not read here
MAX_COLS = 16_384
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})$")
_DATE_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57}
_PERCENT_IDS = {9, 10}


#: the row of every position without values; readers only read rows, so one shared (never mutated) list serves
_NO_CELLS: list[object] = []


class TooComplex(Exception):
    """The sheet holds more cells than the reading budget allows (real content, not a declared dimension)."""


@dataclass
class Styles:
    """Per cell-format index: the font name, whether the number format is a percent, whether it is a date."""

    fonts: list[str | None] = field(default_factory=list)
    percent: list[bool] = field(default_factory=list)
    date: list[bool] = field(default_factory=list)

    def font(self, s: int) -> str | None:
        return self.fonts[s] if 0 <= s < len(self.fonts) else None

    def is_percent(self, s: int) -> bool:
        return 0 <= s < len(self.percent) and self.percent[s]

    def is_date(self, s: int) -> bool:
        return 0 <= s < len(self.date) and self.date[s]


def _is_date_code(code: str) -> bool:
    """A number format that shows a date or time (d, m, y, h, s outside quotes and brackets)."""
    from openpyxl.styles.numbers import is_date_format

    return bool(is_date_format(code))


def read_styles(zf: zipfile.ZipFile) -> Styles:
    """Fonts and number formats of every cell format, from xl/styles.xml (absent: all default)."""
    if "xl/styles.xml" not in zf.namelist():
        return Styles()
    root = DET.fromstring(zf.read("xl/styles.xml"))
    codes: dict[int, str] = {}
    for nf in root.iter(f"{_NS}numFmt"):
        try:
            codes[int(nf.get("numFmtId", "-1"))] = nf.get("formatCode", "")
        except ValueError:
            continue
    font_names: list[str | None] = []
    fonts_el = root.find(f"{_NS}fonts")
    for f in fonts_el if fonts_el is not None else []:
        name = f.find(f"{_NS}name")
        font_names.append(name.get("val") if name is not None else None)
    styles = Styles()
    xfs = root.find(f"{_NS}cellXfs")
    for xf in xfs if xfs is not None else []:
        fmt_id = _int(xf.get("numFmtId"), 0)
        font_id = _int(xf.get("fontId"), 0)
        code = codes.get(fmt_id, "")
        styles.fonts.append(font_names[font_id] if 0 <= font_id < len(font_names) else None)
        styles.percent.append(fmt_id in _PERCENT_IDS or "%" in code)
        styles.date.append(fmt_id in _DATE_IDS or (bool(code) and _is_date_code(code)))
    return styles


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def read_shared_strings(zf: zipfile.ZipFile) -> list[str]:
    """All shared strings (rich-text runs joined, phonetic hints left out), streamed."""
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out: list[str] = []
    with zf.open("xl/sharedStrings.xml") as fh:
        for el in _elements(fh, {f"{_NS}si"}):
            out.append(_text_of(el))
            el.clear()
    return out


def _text_of(el: Element) -> str:
    """The text of a shared-string item or inline string: its <t> runs, outside phonetic <rPh> runs."""
    parts: list[str] = []
    for child in el:
        if child.tag == f"{_NS}t":
            parts.append(child.text or "")
        elif child.tag == f"{_NS}r":
            parts.extend(t.text or "" for t in child.iter(f"{_NS}t"))
    return "".join(parts)


def _elements(fh: IO[bytes], tags: set[str]) -> Iterator[Element]:
    """Stream the end events of the wanted elements (callers clear them)."""
    parser: XMLPullParser = XMLPullParser(events=("end",))
    for chunk in iter(lambda: fh.read(65536), b""):
        parser.feed(chunk)
        for _event, el in parser.read_events():  # type: ignore[misc]
            assert isinstance(el, Element)
            if el.tag in tags:
                yield el
    parser.close()


@dataclass
class _Grid:
    """Values by position while a sheet is read; turned into ragged rows at the end."""

    cells: dict[int, dict[int, object]] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)  # 0-based inclusive ranges
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    skipped_rows: set[int] = field(default_factory=set)
    skipped_cols: set[int] = field(default_factory=set)
    count: int = 0
    budget: int = 20_000_000

    def col_hidden(self, c: int) -> bool:
        return any(a <= c <= b for a, b in self.hidden_cols)

    def put(self, r: int, c: int, v: object, percent: bool = False) -> None:
        """Keep a value unless it lies outside Excel's grid or in a hidden row or column (then count it)."""
        if v is None or v == "" or r >= MAX_ROWS or c >= MAX_COLS or r < 0 or c < 0:
            return
        if r in self.hidden_rows:
            self.skipped_rows.add(r)
            return
        if self.hidden_cols and self.col_hidden(c):
            self.skipped_cols.add(c)
            return
        self.count += 1
        if self.count > self.budget:
            raise TooComplex(f"more than {self.budget} cells")
        self.cells.setdefault(r, {})[c] = v
        if percent:
            self.percent.add((r, c))

    def sheet(self, name: str | None, formats_known: bool = True) -> Sheet:
        """Ragged rows up to the last row with a value; merges clipped to the used range."""
        height = max(self.cells, default=-1) + 1
        width = max((max(row) for row in self.cells.values()), default=-1) + 1
        rows: list[list[object]] = [_NO_CELLS] * height  # one shared empty row: far cells cost no per-row object
        for r, got in self.cells.items():
            row: list[object] = [None] * (max(got) + 1)
            for c, v in got.items():
                row[c] = v
            rows[r] = row
        merged = [
            (r1, c1, min(r2, height - 1), min(c2, width - 1))
            for r1, c1, r2, c2 in self.merged
            if r1 < height and c1 < width
        ]
        return Sheet(
            name=name,
            rows=rows,
            percent=self.percent,
            merged=merged,
            formats_known=formats_known,
            hidden_rows=len(self.skipped_rows),
            hidden_cols=len(self.skipped_cols),
        )


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """'B2:D4' → (1, 1, 3, 3), 0-based inclusive; None when it is not a cell range."""
    a, _, b = ref.partition(":")
    pa, pb = _pos(a), _pos(b or a)
    if pa is None or pb is None:
        return None
    return min(pa[0], pb[0]), min(pa[1], pb[1]), max(pa[0], pb[0]), max(pa[1], pb[1])


def _pos(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.replace("$", "").strip())
    if not m:
        return None
    return int(m.group(2)) - 1, _col(m.group(1))


@functools.lru_cache(maxsize=32768)
def _col(letters: str) -> int:
    return col_index(letters)


def _number(text: str) -> int | float | None:
    """A stored number as openpyxl gives it: int when written without a point or exponent."""
    try:
        if "." in text or "e" in text or "E" in text:
            return float(text)
        return int(text)
    except ValueError:
        return None


def _cell_value(
    el: Element, t: str, s: int, styles: Styles, shared: list[str], epoch: dt.datetime
) -> tuple[object, bool]:
    """The value openpyxl (data_only) would give a cell, and whether it is a number shown as a percent."""
    if t == "inlineStr":
        is_el = el.find(f"{_NS}is")
        text = _text_of(is_el) if is_el is not None else ""
        return _decoded(text, styles.font(s)), False
    v_el = el.find(f"{_NS}v")
    raw = v_el.text if v_el is not None and v_el.text is not None else None
    if raw is None:
        return None, False
    if t == "s":
        i = _int(raw, -1)
        return (_decoded(shared[i], styles.font(s)) if 0 <= i < len(shared) else None), False
    if t in ("str", "e"):
        return _decoded(raw, styles.font(s)), False
    if t == "b":
        return raw.strip() in ("1", "true"), False
    if t == "d":
        try:
            return dt.datetime.fromisoformat(raw.strip()), False
        except ValueError:
            return raw, False
    num = _number(raw.strip())
    if num is None:
        return raw, False
    if styles.is_date(s):
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(num, epoch), False
        except (ValueError, OverflowError, TypeError):
            return num, False
    return num, styles.is_percent(s)


def _decoded(text: str, font: str | None) -> str:
    if font_encoding(font):
        text = decode_cell(text, font)
    return nfc(text)


def read_xlsx_sheet(
    zf: zipfile.ZipFile,
    entry: SheetEntry,
    styles: Styles,
    shared: list[str],
    epoch: dt.datetime,
    budget: int = 20_000_000,
) -> Sheet:
    """One worksheet by streaming its XML: values kept sparsely, hidden rows/columns blanked and counted."""
    grid = _Grid(budget=budget)
    c_tag, row_tag, col_tag, merge_tag = (f"{_NS}{t}" for t in ("c", "row", "col", "mergeCell"))
    last_row, col_next = -1, 0
    pending: list[tuple[int | None, int, object, bool]] = []  # a row's cells, placed when the row ends
    parser: XMLPullParser = XMLPullParser(events=("end",))  # end events only: half the events to handle
    with zf.open(entry.part) as fh:
        for chunk in iter(lambda: fh.read(1 << 18), b""):
            parser.feed(chunk)
            for _event, el in parser.read_events():  # type: ignore[misc]
                assert isinstance(el, Element)
                tag = el.tag
                if tag == c_tag:
                    ref = el.get("r")
                    pos = _pos(ref) if ref else None
                    r, c = pos if pos is not None else (None, col_next)
                    col_next = c + 1
                    v, pct = _cell_value(el, el.get("t", "n"), _int(el.get("s"), 0), styles, shared, epoch)
                    if v is not None:
                        pending.append((r, c, v, pct))
                    el.clear()
                elif tag == row_tag:
                    last_row = _int(el.get("r"), last_row + 2) - 1
                    if el.get("hidden") in ("1", "true"):
                        grid.hidden_rows.add(last_row)
                    for r_, c_, v_, pct_ in pending:
                        grid.put(last_row if r_ is None else r_, c_, v_, pct_)
                    pending.clear()
                    col_next = 0
                    el.clear()
                elif tag in (col_tag, merge_tag):
                    _sheet_layout(grid, el, tag == col_tag)
        parser.close()
    for r_, c_, v_, pct_ in pending:  # cells outside any row element (hand-written XML)
        grid.put(last_row + 1 if r_ is None else r_, c_, v_, pct_)
    return grid.sheet(entry.name)


def _sheet_layout(grid: _Grid, el: Element, is_col: bool) -> None:
    """A <col> element's hidden columns, or a <mergeCell>'s range."""
    if is_col:
        if el.get("hidden") in ("1", "true"):
            lo, hi = _int(el.get("min"), 1) - 1, _int(el.get("max"), 1) - 1
            grid.hidden_cols.append((max(lo, 0), min(hi, MAX_COLS - 1)))
        return
    rng = _range(el.get("ref", ""))
    if rng is not None:
        grid.merged.append(rng)


_REF_ROW = re.compile(rb'<c r="[A-Za-z]{1,4}([0-9]{1,8})"')
_REF_WIDE = re.compile(rb'<c r="([A-Za-z]{2,4})[0-9]')


def dense_is_safe(zf: zipfile.ZipFile, part: str, slack: int = 8, floor: int = 2_000_000) -> bool:
    """Whether calamine's dense grid (last row × last column) stays near the number of cells actually written.

    A few cells far from the table (ZZZZ2, XFD1048576) make calamine allocate the whole rectangle: gigabytes,
    or an abort. One scan of the references at regex speed says whether the fast reader is safe for this sheet.
    """
    cells, max_r, max_c = 0, 0, 0
    tail = b""
    with zf.open(part) as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            buf = tail + chunk
            cut = buf.rfind(b"<c ")
            cut = cut if cut > 0 else len(buf)
            head, tail = buf[:cut], buf[cut:]
            cells += head.count(b"<c ")
            max_r = max(max_r, max(map(int, _REF_ROW.findall(head)), default=0))
            wide = set(_REF_WIDE.findall(head))
            max_c = max(max_c, max((col_index(w.decode()) for w in wide), default=0))
        cells += tail.count(b"<c ")
        max_r = max(max_r, max(map(int, _REF_ROW.findall(tail)), default=0))
        max_c = max(max_c, max((col_index(w.decode()) for w in set(_REF_WIDE.findall(tail))), default=0))
    return max_r * (max(max_c, 25) + 1) <= slack * cells + floor


def workbook_epoch(zf: zipfile.ZipFile) -> dt.datetime:
    """1900 or 1904 date system (Mac workbooks), from workbookPr/@date1904."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    wb = DET.fromstring(zf.read("xl/workbook.xml"))
    pr = wb.find(f"{_NS}workbookPr")
    mac = pr is not None and pr.get("date1904") in ("1", "true")
    return CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900


def read_xlsx_sparse(data: bytes, entries: list[SheetEntry] | None = None, budget: int = 20_000_000) -> list[Sheet]:
    """Every visible worksheet of an .xlsx, each read sparsely (see the module docstring)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    names = set(zf.namelist())
    entries = entries if entries is not None else list_sheets(zf)
    styles = read_styles(zf)
    shared = read_shared_strings(zf)
    epoch = workbook_epoch(zf)
    return [
        read_xlsx_sheet(zf, e, styles, shared, epoch, budget)
        for e in entries
        if e.state == "visible" and e.part in names and "worksheets/" in e.part
    ]


# ---------------------------------------------------------------------------------------------- .xls
def read_xls_sparse(data: bytes, budget: int = 20_000_000) -> list[Sheet]:
    """Every visible sheet of a legacy .xls through xlrd: ragged rows, fonts, percent/date formats, hidden parts."""
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True, on_demand=True)
    sheets = []
    try:
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            if getattr(sh, "visibility", 0) != 0:
                continue
            sheets.append(_xls_sheet(book, sh, budget))
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return sheets


def _xls_sheet(book: Any, sh: Any, budget: int) -> Sheet:
    import xlrd

    grid = _Grid(budget=budget)
    grid.hidden_rows = {r for r, info in sh.rowinfo_map.items() if getattr(info, "hidden", 0)}
    grid.hidden_cols = [(c, c) for c, info in sh.colinfo_map.items() if getattr(info, "hidden", 0)]
    fonts = book.font_list
    for r in range(sh.nrows):
        for c, cell in enumerate(sh.row(r)):
            ctype = cell.ctype
            if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            xf = book.xf_list[cell.xf_index] if 0 <= cell.xf_index < len(book.xf_list) else None
            fmt = book.format_map.get(xf.format_key) if xf is not None else None
            font = fonts[xf.font_index].name if xf is not None and 0 <= xf.font_index < len(fonts) else None
            v: object = cell.value
            pct = False
            if ctype == xlrd.XL_CELL_TEXT:
                v = _decoded(str(v), font)
            elif ctype == xlrd.XL_CELL_NUMBER:
                pct = fmt is not None and "%" in (fmt.format_str or "")
                f = float(cell.value)
                v = int(f) if f.is_integer() and abs(f) < 2**53 else f
            elif ctype == xlrd.XL_CELL_DATE:
                with contextlib.suppress(ValueError, OverflowError):
                    v = xlrd.xldate.xldate_as_datetime(v, book.datemode)
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                v = bool(v)
            elif ctype == xlrd.XL_CELL_ERROR:
                v = xlrd.error_text_from_code.get(v, "#N/A")
            grid.put(r, c, v, pct)
    grid.merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sh.merged_cells]
    return grid.sheet(sh.name)


# ---------------------------------------------------------------------------------------------- .ods
_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def read_ods_sparse(data: bytes, budget: int = 20_000_000) -> list[Sheet]:
    """Every table of an OpenDocument spreadsheet by streaming content.xml; repeated empty cells cost nothing."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    reader = _OdsReader(budget)
    parser: XMLPullParser = XMLPullParser(events=("start", "end"))
    with zf.open("content.xml") as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            parser.feed(chunk)
            for event, el in parser.read_events():  # type: ignore[misc]
                assert isinstance(el, Element)
                if event == "start":
                    reader.start(el)
                else:
                    reader.end(el)
        parser.close()
    return reader.sheets


class _OdsReader:
    """The state of one pass over content.xml: the table being read, the row and column reached."""

    def __init__(self, budget: int):
        self.budget = budget
        self.sheets: list[Sheet] = []
        self.grid: _Grid | None = None
        self.name: str | None = None
        self.r = self.c = self.col_pos = 0
        self.row_repeat = 1

    def start(self, el: Element) -> None:
        if el.tag == f"{_ODS_TABLE}table":
            self.grid, self.name, self.r, self.col_pos = _Grid(budget=self.budget), el.get(f"{_ODS_TABLE}name"), 0, 0
        elif el.tag == f"{_ODS_TABLE}table-row" and self.grid is not None:
            self.c = 0
            self.row_repeat = max(1, _int(el.get(f"{_ODS_TABLE}number-rows-repeated"), 1))
            if el.get(f"{_ODS_TABLE}visibility", "visible") != "visible":
                self.grid.hidden_rows.update(range(self.r, min(self.r + self.row_repeat, MAX_ROWS)))

    def end(self, el: Element) -> None:
        grid, tag = self.grid, el.tag
        if grid is None:
            return
        if tag == f"{_ODS_TABLE}table-column":
            n = max(1, _int(el.get(f"{_ODS_TABLE}number-columns-repeated"), 1))
            if el.get(f"{_ODS_TABLE}visibility", "visible") != "visible":
                grid.hidden_cols.append((self.col_pos, min(self.col_pos + n - 1, MAX_COLS - 1)))
            self.col_pos += n
        elif tag in (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell"):
            self._cell(grid, el)
            el.clear()
        elif tag == f"{_ODS_TABLE}table-row":
            self.r += self.row_repeat
            el.clear()
        elif tag == f"{_ODS_TABLE}table":
            self.sheets.append(grid.sheet(self.name))
            self.grid = None
            el.clear()

    def _cell(self, grid: _Grid, el: Element) -> None:
        """A cell (repeated over columns and its row's repeats), and the range it spans when merged."""
        r, c = self.r, self.c
        n = max(1, _int(el.get(f"{_ODS_TABLE}number-columns-repeated"), 1))
        v, pct = _ods_value(el)
        if v is not None:
            for rr in range(r, min(r + self.row_repeat, MAX_ROWS)):
                for cc in range(c, min(c + n, MAX_COLS)):
                    grid.put(rr, cc, v, pct)
        span_c = _int(el.get(f"{_ODS_TABLE}number-columns-spanned"), 1)
        span_r = _int(el.get(f"{_ODS_TABLE}number-rows-spanned"), 1)
        if span_c > 1 or span_r > 1:
            grid.merged.append((r, c, r + span_r - 1, c + span_c - 1))
        self.c = c + n


def _ods_value(el: Element) -> tuple[object, bool]:
    """A cell's typed value: numbers from office:value, dates parsed, text from its paragraphs."""
    kind = el.get(f"{_ODS_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        num = _number(el.get(f"{_ODS_OFFICE}value", ""))
        if kind == "percentage" and num is not None:
            return num, True
        return num, False
    if kind == "date":
        try:
            return dt.datetime.fromisoformat(el.get(f"{_ODS_OFFICE}date-value", "")), False
        except ValueError:
            return None, False
    if kind == "boolean":
        return el.get(f"{_ODS_OFFICE}boolean-value") == "true", False
    paras = ["".join(p.itertext()) for p in el.iter(f"{_ODS_TEXT}p")]
    text = "\n".join(paras)
    return (nfc(text) if text else None), False
