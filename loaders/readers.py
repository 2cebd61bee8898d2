"""Turn file bytes into sheets of cell values, choosing the reader by what each sheet needs.

Small sheets are read by :mod:`loaders.sparse`, which walks only the cells that exist and knows fonts (legacy
TCVN3/VNI text is decoded per cell), percent and date formats, merged ranges and hidden rows. Large sheets
(dossier exports up to a million rows): their first rows are peeked by streaming the sheet XML, and the values
are then read by calamine (fastexcel) in :mod:`loaders.shape_d` when its dense grid is safe (else sparsely).
CSV is decoded by sniffing BOMs, UTF-8 and cp1258.
"""

from __future__ import annotations

import codecs
import csv
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, XMLPullParser

import defusedxml.ElementTree as DET
from openpyxl.utils import get_column_letter

from domain.text import nfc

SMALL_SHEET_BYTES = 6 * 1024 * 1024  # inflated sheet XML; ≈ 5,000+ rows of a typical report
PEEK_ROWS = 40
MAX_COLS = 16_384  # Excel's last column, XFD
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@dataclass
class Sheet:
    """Cell values by absolute position: ``rows[r][c]`` is Excel row r+1, column c+1 (CSV: line numbers)."""

    name: str | None
    rows: list[list[object]]
    percent: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 (0-based, inclusive)
    formats_known: bool = True
    line_numbers: list[int] | None = None  # CSV: physical line of each row
    big: BigSource | None = None  # set when ``rows`` is only the first rows of a large sheet
    hidden_rows: int = 0  # rows Excel hides that held values; their cells are blanked, positions kept
    hidden_cols: int = 0  # the same for hidden columns

    def row_number(self, r: int) -> int:
        if self.line_numbers is not None and r < len(self.line_numbers):
            return self.line_numbers[r]
        return r + 1


@dataclass
class BigSource:
    """Where the full values of a peeked large sheet are: an xlsx sheet by name or CSV bytes."""

    kind: str  # "xlsx" | "csv"
    data: bytes
    sheet_name: str | None = None
    delimiter: str = ","
    total_rows: int | None = None
    numeric_cells: set[tuple[int, int]] = field(default_factory=set)  # peeked cells stored as numbers


def col_letter(c: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA), as openpyxl spells them."""
    return get_column_letter(c + 1)


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch.upper()) - 64)
    return n - 1


# ---------------------------------------------------------------------------------------------- CSV
def detect_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel 'Unicode text'), else cp1258 (Windows Vietnamese)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(data) > 3 and data[1] == 0 and data[3] == 0:
        return "utf-16-le"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a cut in the middle of a multi-byte letter at the very end is still UTF-8
        if exc.start < len(data) - 4:
            return "cp1258"
    return "utf-8"


def decode_text(data: bytes) -> str:
    """The text of a CSV in its detected encoding (undecodable bytes replaced, never an exception)."""
    return data.decode(detect_encoding(data), errors="replace")


def sniff_delimiter(text: str) -> str:
    """The separator used in the first lines: the one that splits them most consistently."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    best, best_score = ",", -1.0
    for d in ("\t", ";", ","):
        counts = [_count_outside_quotes(ln, d) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        score = sum(counts) / len(counts) + (5 if len(set(counts)) == 1 else 0)
        if score > best_score:
            best, best_score = d, score
    return best


def _count_outside_quotes(line: str, d: str) -> int:
    n, inside = 0, False
    for ch in line:
        if ch == '"':
            inside = not inside
        elif ch == d and not inside:
            n += 1
    return n


def read_csv(data: bytes, head_only: bool = False) -> tuple[Sheet, str]:
    """All rows (or the first PEEK_ROWS) with their physical line numbers; returns the delimiter too."""
    text = decode_text(data)
    delimiter = sniff_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[object]] = []
    lines: list[int] = []
    start = 1
    for rec in reader:
        lines.append(start)
        start = reader.line_num + 1
        rows.append([nfc(v) if v else None for v in rec])
        if head_only and len(rows) >= PEEK_ROWS:
            break
    return Sheet(name=None, rows=rows, line_numbers=lines, formats_known=True), delimiter


# --------------------------------------------------------------------------------------------- xlsx
@dataclass
class SheetEntry:
    name: str
    state: str  # visible | hidden | veryHidden
    part: str  # e.g. xl/worksheets/sheet1.xml


def list_sheets(zf: zipfile.ZipFile) -> list[SheetEntry]:
    """Sheets in workbook order with their visibility and XML part, read with defusedxml."""
    wb = DET.fromstring(zf.read("xl/workbook.xml"))
    rels_path = "xl/_rels/workbook.xml.rels"
    targets: dict[str, str] = {}
    if rels_path in zf.namelist():
        for rel in DET.fromstring(zf.read(rels_path)):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = part
    out = []
    sheets = wb.find(f"{_NS}sheets")
    for s in sheets if sheets is not None else []:
        rid = s.get(f"{_RNS}id", "")
        out.append(SheetEntry(s.get("name", ""), s.get("state", "visible"), targets.get(rid, "")))
    return out


def read_with_calamine(data: bytes, hidden_ok: bool = False) -> list[Sheet]:
    """Values of every visible sheet via calamine (.xlsb, or an .xls xlrd cannot read): no fonts, no formats."""
    import python_calamine as pcal

    wb = pcal.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in wb.sheets_metadata:
        if not hidden_ok and "Visible" not in str(meta.visible):
            continue
        if "Work" not in str(getattr(meta, "typ", "WorkSheet")):
            continue
        sh = wb.get_sheet_by_name(meta.name)
        r0, c0 = sh.start or (0, 0)
        rows: list[list[object]] = [[] for _ in range(r0)]
        for rec in sh.to_python(skip_empty_area=True):
            rows.append([None] * c0 + [None if v == "" else (nfc(v) if isinstance(v, str) else v) for v in rec])
        merged = [(a[0], a[1], b[0], b[1]) for a, b in (sh.merged_cell_ranges or [])]
        sheets.append(Sheet(name=meta.name, rows=rows, merged=merged, formats_known=False))
    return sheets


def peek_xlsx_sheet(zf: zipfile.ZipFile, part: str, n_rows: int = PEEK_ROWS) -> tuple[list[list[object]], set]:
    """The first rows of a sheet by streaming its XML (shared strings resolved lazily), without loading it all."""
    cells = _peek_cells(zf, part, n_rows)
    shared = _shared_strings(zf, {int(v) for t, v in cells.values() if t == "s" and v.isdigit()})
    height = max((r for r, _ in cells), default=-1) + 1
    widths = [0] * height
    for r, c in cells:
        widths[r] = max(widths[r], c + 1)
    rows: list[list[object]] = [[None] * w for w in widths]  # ragged: a far cell costs its own row only
    numeric: set[tuple[int, int]] = set()
    for (r, c), (t, text) in cells.items():
        rows[r][c], is_number = _peeked_value(t, text, shared)
        if is_number:
            numeric.add((r, c))
    return rows, numeric


def _peek_cells(zf: zipfile.ZipFile, part: str, n_rows: int) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, column) → (cell type, raw text) of the cells of the first ``n_rows`` rows, streamed."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    parser: XMLPullParser = XMLPullParser(events=("end",))
    with zf.open(part) as fh:
        for chunk in iter(lambda: fh.read(65536), b""):
            parser.feed(chunk)
            for _event, el in parser.read_events():  # type: ignore[misc]
                assert isinstance(el, Element)
                if el.tag == f"{_NS}c":
                    pos = _cell_position(el.get("r", ""))
                    if pos is not None and pos[0] >= n_rows:
                        return cells
                    if pos is not None and pos[1] < MAX_COLS:  # beyond Excel's last column Excel shows nothing
                        cells[pos] = (el.get("t", "n"), _cell_text(el))
                    el.clear()
                elif el.tag == f"{_NS}row":
                    el.clear()
    return cells


def _cell_position(ref: str) -> tuple[int, int] | None:
    """'B12' → (11, 1); None for a reference without letters or digits."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return (int(digits) - 1, col_index(letters)) if letters and digits else None


def _cell_text(el: Element) -> str:
    if el.get("t") == "inlineStr":
        return "".join(x.text or "" for x in el.iter(f"{_NS}t"))
    v = el.find(f"{_NS}v")
    return (v.text or "") if v is not None else ""


def _peeked_value(t: str, text: str, shared: dict[int, str]) -> tuple[object, bool]:
    """A peeked cell's value and whether the sheet stored it as a number."""
    if t == "s":
        return (nfc(shared.get(int(text), "")) if text.isdigit() else None), False
    if t in ("inlineStr", "str"):
        return nfc(text), False
    if t == "n" and text:
        try:
            return float(text), True
        except ValueError:
            return text, False
    return text or None, False


def _shared_strings(zf: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """Only the shared strings the peeked cells use, streaming until the largest index is reached."""
    if not wanted or "xl/sharedStrings.xml" not in zf.namelist():
        return {}
    top = max(wanted)
    out: dict[int, str] = {}
    parser: XMLPullParser = XMLPullParser(events=("end",))
    idx = 0
    with zf.open("xl/sharedStrings.xml") as fh:
        for chunk in _chunks(fh):
            parser.feed(chunk)
            for _event, el in parser.read_events():  # type: ignore[misc]
                assert isinstance(el, Element)
                if el.tag == f"{_NS}si":
                    if idx in wanted:
                        out[idx] = "".join(x.text or "" for x in el.iter(f"{_NS}t"))
                    idx += 1
                    el.clear()
                    if idx > top:
                        return out
    return out


def _chunks(fh: Any) -> Iterator[bytes]:
    return iter(lambda: fh.read(65536), b"")
