"""Odd and hostile files built in memory: far-corner cells, pivot caches, lookalike formats, foreign files.

Each builder returns the bytes of one file; ``CASES`` pairs them with the name the file is uploaded as and
the words its true answer must contain (``None``: the file must be accepted). The same table is used by the
loader tests and by the bounded subprocess runs that measure time and peak memory per case.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl.comments import Comment

from tests.loaders.helpers import SheetSpec, csv_bytes, xlsx

DATA = Path(__file__).resolve().parent.parent / "data"
HEAD = ["STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Tỷ lệ hồ sơ giải quyết đúng hạn"]
TABLE = [["BÁO CÁO NĂM 2024"], HEAD, [1, "Tỉnh Bến Tre", 5, 90], [2, "Tỉnh Trà Vinh", 7, 80]]
LONG = [["Đơn vị", "Kỳ báo cáo", "Chỉ tiêu", "Giá trị"], ["Tỉnh Bến Tre", "Năm 2024", "dossiers_received", "5"]]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def members(data: bytes) -> dict[str, bytes]:
    src = zipfile.ZipFile(io.BytesIO(data))
    return {n: src.read(n) for n in src.namelist()}


def zip_of(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    return buf.getvalue()


def table_xlsx() -> bytes:
    """The small accepted table; its title has a font so that cell format 1 exists for the styled cells."""
    return xlsx(SheetSpec("Biểu 01", TABLE, fonts={"A1": "Times New Roman"}))


def edit_sheet(data: bytes, edit: Callable[[bytes], bytes], part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with one sheet's XML rewritten (for cells no writer would place)."""
    m = members(data)
    m[part] = edit(m[part])
    return zip_of(m)


def _add_styled_cell(xml: bytes, ref: bytes, row: int) -> bytes:
    """A cell with a style and no value at ``ref`` (its own row at the end), dimension widened to match."""
    xml = xml.replace(b'<dimension ref="A1:D4"/>', b'<dimension ref="A1:' + ref + b'"/>')
    return xml.replace(b"</sheetData>", b'<row r="%d"><c r="%s" s="1"/></row></sheetData>' % (row, ref))


def styled_far_corner(data: bytes | None = None) -> bytes:
    """One styled, empty cell at XFD1048576 (the last cell Excel has)."""
    return edit_sheet(data or table_xlsx(), lambda x: _add_styled_cell(x, b"XFD1048576", 1048576))


def comment_far_corner() -> bytes:
    """A comment on XFD1048576: openpyxl's writer puts the cell and the comment parts in for us."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(table_xlsx()))
    wb.active["XFD1048576"].comment = Comment("ghi chú", "x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def styled_last_column(rows: int = 20_000) -> bytes:
    """A styled, empty cell in the last column (XFD) of each of ``rows`` rows: a template formatted by rows."""

    def edit(xml: bytes) -> bytes:
        body = b"".join(b'<row r="%d"><c r="XFD%d" s="1"/></row>' % (r, r) for r in range(5, rows + 5))
        return xml.replace(b"</sheetData>", body + b"</sheetData>")

    return edit_sheet(table_xlsx(), edit)


def far_value_padded(padding_mb: float = 7) -> bytes:
    """A value at ZZZZ2 (beyond Excel's last column) and a few MB of ordinary rows, so the sheet is 'large'."""
    rnd = random.Random(5)

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(b'<c r="A2"', b'<c r="ZZZZ2" t="inlineStr"><is><t>x</t></is></c><c r="A2"', 1)
        rows, size, r = [], 0, 10
        while size < padding_mb * 1024 * 1024:
            # figures in columns with no header: read as nothing, warned about as unread (never a unit name)
            row = b'<row r="%d"><c r="F%d"><v>%d</v></c><c r="G%d"><v>%d</v></c></row>' % (
                r,
                r,
                rnd.randrange(10**9),
                r,
                rnd.randrange(10**9),
            )
            rows.append(row)
            size += len(row)
            r += 1
        return xml.replace(b"</sheetData>", b"".join(rows) + b"</sheetData>")

    return edit_sheet(table_xlsx(), edit)


def sample_with_far_cell(name: str = "sc01_ben_tre_quy_iv_2024.xlsx") -> bytes:
    """A real sample report with one stray styled cell at XFD1048576 added to its first sheet."""
    data = (DATA / name).read_bytes()
    m = members(data)
    part = sorted(p for p in m if p.startswith("xl/worksheets/sheet") and p.endswith(".xml"))[0]
    m[part] = m[part].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')
    return zip_of(m)


def xls_far_cell() -> bytes:
    """A legacy .xls (xlwt) with the table and one value at IV65536, the last cell of the format."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Biểu 01")
    for r, row in enumerate(TABLE):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    ws.write(65535, 255, "x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xls_table(hidden_row: int | None = None, hidden_col: int | None = None) -> bytes:
    """The table as a real .xls written by xlwt, optionally with one hidden row or column (0-based)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Biểu 01")
    for r, row in enumerate(TABLE):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    if hidden_row is not None:
        ws.row(hidden_row).hidden = True
    if hidden_col is not None:
        ws.col(hidden_col).hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods_table(hidden_row: int | None = None) -> bytes:
    """The table as a real OpenDocument spreadsheet written by odfpy."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Biểu 01")
    for r, row in enumerate(TABLE):
        tr = TableRow(visibility="collapse") if r == hidden_row else TableRow()
        for v in row:
            if isinstance(v, int | float):
                cell = TableCell(valuetype="float", value=str(v))
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def pivot_workbook() -> bytes:
    """The table plus a pivot cache openpyxl cannot read (a definition without its required parts)."""
    m = members(table_xlsx())
    m["xl/workbook.xml"] = m["xl/workbook.xml"].replace(
        b"</workbook>",
        b'<pivotCaches xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<pivotCache cacheId="1" r:id="rIdPivot"/></pivotCaches></workbook>',
    )
    m["xl/_rels/workbook.xml.rels"] = m["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdPivot" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'pivotCacheDefinition" Target="pivotCache/pivotCacheDefinition1.xml"/></Relationships>',
    )
    m["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        b'<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<cacheFields><cacheField/></cacheFields></pivotCacheDefinition>"
    )
    m["[Content_Types].xml"] = m["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml"/></Types>',
    )
    return zip_of(m)


def xlsb_like() -> bytes:
    """A zip whose content type is the .xlsb one ('binary.macroEnabled' names the format, not a macro)."""
    ct = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Override PartName="/xl/workbook.bin" ContentType="application/'
        b'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>'
    )
    return zip_of(
        {
            "[Content_Types].xml": ct,
            "xl/workbook.bin": b"\x83\x01\x00" * 10,
            "xl/_rels/workbook.bin.rels": b"<Relationships/>",
        }
    )


def xls_with_filepass() -> bytes:
    """A real .xls whose WRITEACCESS record is turned into FILEPASS: Excel's legacy password encryption."""
    data = bytearray(xls_table())
    pos = data.find(struct.pack("<HH", 0x005C, 112))
    assert pos > 0
    data[pos : pos + 2] = struct.pack("<H", 0x002F)
    return bytes(data)


def ole_encrypted_xlsx() -> bytes:
    """An OLE container naming EncryptionInfo / EncryptedPackage: an .xlsx saved with a password."""
    return OLE_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")


def numbers_zip() -> bytes:
    return zip_of(
        {"Index/Document.iwa": b"\x00" * 64, "Metadata/Properties.plist": b"<plist/>", "preview.jpg": b"\xff\xd8\xff"}
    )


def html_table() -> bytes:
    return (
        "<html><head><meta charset='utf-8'></head><body><table><tr><td>Đơn vị</td><td>Giá trị</td></tr>"
        "</table></body></html>"
    ).encode()


def big_csv(mb: float = 20) -> bytes:
    """A dossier-like CSV of about ``mb`` MB whose every row names an unknown unit (refused, with many errors)."""
    rows: list[list[object]] = [["Đơn vị", "Kỳ báo cáo", "Chỉ tiêu", "Giá trị"]]
    line = ["Tỉnh Không Có", "Năm 2024", "Số hồ sơ tiếp nhận", "5"]
    n = int(mb * 1024 * 1024 / len(",".join(line).encode() + b"\r\n"))
    rows.extend([line] * n)
    return csv_bytes(rows)


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    make: Callable[[], bytes]
    words: str | None  # a phrase of the Vietnamese reason; None: accepted


CASES = [
    Case("comment-far-corner", "bao_cao.xlsx", comment_far_corner, None),
    Case("styled-far-corner", "bao_cao.xlsx", styled_far_corner, None),
    Case("styled-last-column", "bao_cao.xlsx", styled_last_column, None),
    Case("far-value-padded", "bao_cao.xlsx", far_value_padded, None),
    Case("sample-far-cell", "sc01_ben_tre_quy_iv_2024.xlsx", sample_with_far_cell, None),
    Case("xls-far-cell", "bao_cao.xls", xls_far_cell, None),
    Case("pivot", "bao_cao.xlsx", pivot_workbook, None),
    Case("xlsb", "bao_cao.xlsb", xlsb_like, "định dạng .xlsb"),
    Case("xls-password", "bao_cao.xls", xls_with_filepass, "có mật khẩu"),
    Case("xlsx-password", "bao_cao.xlsx", ole_encrypted_xlsx, "có mật khẩu"),
    Case("numbers", "bao_cao.xlsx", numbers_zip, "Apple Numbers"),
    Case("html-as-xls", "bao_cao.xls", html_table, "HTML"),
    Case("quattro-pro", "bao_cao.xls", lambda: b"\x00\x00\x02\x00\x20\x51" + b"\x00" * 200, "Quattro Pro"),
    Case("lotus", "bao_cao.xls", lambda: b"\x00\x00\x02\x00\x06\x04\x06\x00" + b"\x00" * 200, "Lotus"),
    Case("pdf", "bao_cao.xlsx", lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 20, "PDF"),
    Case("png", "bao_cao.xlsx", lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 300, "hình ảnh"),
    Case("xls-real", "bao_cao.xls", xls_table, None),
    Case("ods-real", "bao_cao.ods", ods_table, None),
    Case("xlsx-named-xls", "bao_cao.xls", table_xlsx, None),
    Case("csv-named-xlsx", "bao_cao.xlsx", lambda: csv_bytes(LONG, sep=";"), None),
    Case("big-csv", "ho_so.csv", lambda: big_csv(10), "Không xác định được đơn vị"),
]
