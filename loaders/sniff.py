"""What a file is, from its bytes: the extension a secretariat typed says nothing Excel itself trusts.

Excel opens an .xlsx renamed .xls and a CSV renamed .xlsx, so the reader is chosen by content. Files that are
not spreadsheets at all (a web page saved as .xls, a PDF, a scan, a Quattro Pro, Lotus or Apple Numbers file)
are named for what they look like, with how to resave them, instead of failing inside a parser.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from domain.errors import ReportError
from loaders.safety import OLE_MAGIC, whole_file_error

#: kinds read as spreadsheets; every other kind is refused by :func:`foreign_error`
READABLE = {"xlsx", "xlsb", "ods", "xls", "text"}

_RESAVE_VI = "hãy mở tệp bằng Excel (hoặc LibreOffice) và lưu lại dưới dạng .xlsx"
_RESAVE_EN = "open it in Excel (or LibreOffice) and save it as .xlsx"
_FOREIGN: dict[str, tuple[str, str]] = {
    "html": ("một trang web (HTML), không phải tệp Excel", "a web page (HTML), not an Excel file"),
    "xml2003": (
        "tệp XML Excel 2003, định dạng cũ không được hỗ trợ",
        "an Excel 2003 XML file, an unsupported old format",
    ),
    "pdf": ("tệp PDF, không phải tệp Excel hay CSV", "a PDF document, not an Excel or CSV file"),
    "image": (
        "một hình ảnh (ảnh chụp hoặc bản quét), không phải tệp Excel hay CSV",
        "an image (a photo or scan), not an Excel or CSV file",
    ),
    "quattro": ("tệp Quattro Pro, không phải tệp Excel hay CSV", "a Quattro Pro file, not an Excel or CSV file"),
    "lotus": ("tệp Lotus 1-2-3, không phải tệp Excel hay CSV", "a Lotus 1-2-3 file, not an Excel or CSV file"),
    "numbers": ("tệp Apple Numbers, không phải tệp Excel hay CSV", "an Apple Numbers file, not an Excel or CSV file"),
    "word": ("một văn bản Word, không phải tệp Excel hay CSV", "a Word document, not an Excel or CSV file"),
    "zip": (
        "một tệp nén (zip) không phải là sổ tính Excel (.xlsx)",
        "a zip archive that is not an Excel workbook (.xlsx)",
    ),
    "binary": (
        "một tệp nhị phân, không phải là tệp văn bản CSV hay Excel",
        "a binary file, neither a CSV text file nor an Excel workbook",
    ),
}


@dataclass(frozen=True)
class Kind:
    """The content's kind and, for zips, the names of its members (read once here)."""

    name: str
    members: tuple[str, ...] = ()


def sniff(data: bytes) -> Kind:
    """The kind of a file from its first bytes and, for zip and OLE containers, their member names."""
    if data[:2] == b"PK":
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return Kind(_ole_kind(data))
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return Kind("pdf")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")):
        return Kind("image")
    if len(head) >= 6 and head[:4] in (b"\x00\x00\x02\x00", b"\x00\x00\x1a\x00"):
        version = struct.unpack("<H", head[4:6])[0]
        if version in (0x5120, 0x5121) or (head[:4] == b"\x00\x00\x02\x00" and version in (0x1001, 0x1002)):
            return Kind("quattro")
        return Kind("lotus")
    text = _text_head(head)
    if text is not None:
        low = text.lstrip().lower()
        if low.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or (
            low.startswith("<") and "<table" in low and "<td" in low
        ):
            return Kind("html")
        if low.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in text:
            return Kind("xml2003")
        return Kind("text")
    return Kind("binary")


def _text_head(head: bytes) -> str | None:
    """The head as text when it looks like text (UTF-8/16, cp1258), else None (a NUL in 8-bit data)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    if len(head) > 3 and head[1] == 0 and head[3] == 0:
        return head.decode("utf-16-le", errors="replace")
    if b"\x00" in head:
        return None
    return head.decode("utf-8", errors="replace")


def _zip_kind(data: bytes) -> Kind:
    try:
        names = tuple(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return Kind("xlsx")  # a damaged zip: inspect_zip names the damage
    has = set(names)
    if "xl/workbook.bin" in has:
        return Kind("xlsb", names)
    if "xl/workbook.xml" in has:
        return Kind("xlsx", names)
    if "content.xml" in has and ("mimetype" in has or "META-INF/manifest.xml" in has):
        return Kind("ods", names)
    if any(n.startswith("Index/") and n.endswith(".iwa") for n in names) or "Index.zip" in has:
        return Kind("numbers", names)
    if "word/document.xml" in has:
        return Kind("word", names)
    if "[Content_Types].xml" in has:
        return Kind("xlsx", names)  # an OOXML package without its workbook: inspect_zip says so
    return Kind("zip", names)


def _ole_kind(data: bytes) -> str:
    """OLE holds legacy .xls, encrypted .xlsx, Word .doc and Quattro Pro 9+ files; the stream names tell them apart."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptionInfo") or has("EncryptedPackage"):
        return "xls"  # safety.inspect_ole refuses it as password-protected
    if has("Workbook") or has("Book"):
        return "xls"
    if has("NativeContent_MAIN"):
        return "quattro"
    if has("WordDocument"):
        return "word"
    return "xls"


def foreign_error(kind: str, file: str) -> ReportError:
    """'This is a PDF, not an Excel or CSV file; open it in Excel and save it as .xlsx' in both languages."""
    vi, en = _FOREIGN.get(kind, _FOREIGN["binary"])
    return whole_file_error(
        file,
        f"Tệp này là {vi}; hệ thống chỉ nhận tệp Excel (.xlsx, .xls, .ods) hoặc CSV — {_RESAVE_VI}.",
        f"This file is {en}; only Excel (.xlsx, .xls, .ods) or CSV files are accepted — {_RESAVE_EN}.",
    )


def xls_encrypted(data: bytes) -> bool:
    """A legacy .xls protected by a password: a FILEPASS record among the workbook globals, before the first EOF."""
    try:
        from xlrd.compdoc import CompDoc

        doc = CompDoc(data, logfile=io.StringIO())
        stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
    except Exception:  # not a readable OLE container: the reader will say so
        return False
    if not stream:
        return False
    pos = 0
    while pos + 4 <= len(stream):
        rtype, rlen = struct.unpack_from("<HH", stream, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x000A:
            return False
        pos += 4 + rlen
    return False
