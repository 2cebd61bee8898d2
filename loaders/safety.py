"""Refuse hostile or broken files before any parser sees them.

A .xlsx is a zip of XML: a few kilobytes can declare (or, lying, inflate to) gigabytes, and XML can define
entities that expand exponentially. Both are checked here from the bytes alone — declared sizes, actual
inflated sizes (streamed, stopping at the limit), compression ratios and DTDs — so that openpyxl and calamine
only ever parse files that passed. Encrypted and macro-enabled workbooks are refused for the same reason.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from dataclasses import dataclass, field

from domain.errors import ReportError

MB = 1024 * 1024
DEFAULT_MAX_MB = 50
MAX_TOTAL_UNCOMPRESSED = 1024 * MB
MAX_RATIO = 250  # inflated / compressed, per member larger than RATIO_FLOOR
RATIO_FLOOR = 4 * MB
MAX_MEMBERS = 5000
_CHUNK = 4 * MB

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def default_max_bytes() -> int:
    """The upload cap: CCHC_UPLOAD_MAX_MB (default 50 MB)."""
    try:
        mb = float(os.environ.get("CCHC_UPLOAD_MAX_MB", DEFAULT_MAX_MB))
    except ValueError:
        mb = DEFAULT_MAX_MB
    return int(mb * MB) if mb > 0 else DEFAULT_MAX_MB * MB


def whole_file_error(file: str, vi: str, en: str) -> ReportError:
    return ReportError(message_vi=vi, message_en=en, file=file)


@dataclass
class ZipReport:
    """What the zip holds once it passed: member sizes (actual), for choosing a reader per sheet."""

    errors: list[ReportError] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)


def inspect_ole(data: bytes, file: str) -> list[ReportError]:
    """An OLE file is a legacy .xls — or an encrypted .xlsx, or a workbook with VBA macros."""
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return [password_error(file)]
    if "_VBA_PROJECT".encode("utf-16-le") in data or b"_VBA_PROJECT" in data:
        return [macro_error(file)]
    return []


def password_error(file: str) -> ReportError:
    """The same words for an encrypted .xlsx, a legacy .xls with a password and an encrypted zip."""
    return whole_file_error(
        file,
        "Tệp có mật khẩu (được mã hóa); hãy gỡ mật khẩu trong Excel (Tệp › Thông tin › Bảo vệ sổ làm việc) "
        "rồi gửi lại.",
        "The workbook has a password (it is encrypted); remove the password in Excel (File › Info › Protect "
        "Workbook) and upload it again.",
    )


def macro_error(file: str) -> ReportError:
    return whole_file_error(
        file,
        "Tệp có chứa macro (VBA); hệ thống không nhận tệp có macro. Hãy lưu lại dưới dạng .xlsx.",
        "The workbook contains macros (VBA), which are not accepted; save it as .xlsx.",
    )


def _corrupt(file: str, detail: str) -> ReportError:
    return whole_file_error(
        file,
        f"Tệp Excel bị hỏng hoặc không đầy đủ, không đọc được ({detail}).",
        f"The Excel file is corrupt or incomplete and cannot be read ({detail}).",
    )


def _bomb(file: str, detail: str) -> ReportError:
    return whole_file_error(
        file,
        f"Tệp bị từ chối vì dung lượng sau giải nén bất thường ({detail}).",
        f"The file was refused: its uncompressed size is abnormal ({detail}).",
    )


def inspect_zip(
    data: bytes, file: str, max_bytes: int, require: tuple[str, ...] = ("xl/workbook.xml", "xl/workbook.bin")
) -> ZipReport:
    """Declared and actual inflated sizes, ratios, encryption, macros, DTDs; all problems, not just the first."""
    rep = ZipReport()
    limit = min(MAX_TOTAL_UNCOMPRESSED, max(20 * max_bytes, 64 * MB))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        rep.errors.append(_corrupt(file, type(exc).__name__))
        return rep
    names = {i.filename for i in infos}
    rep.errors.extend(_declared_problems(infos, names, file, limit))
    if rep.errors:
        return rep
    inflated = _inflate_all(zf, infos, file, limit, rep)
    if inflated and require and not any(n in names for n in require):
        rep.errors.append(
            whole_file_error(
                file,
                "Tệp nén không phải là sổ tính Excel (.xlsx).",
                "The zip archive is not an Excel workbook (.xlsx).",
            )
        )
    return rep


def _declared_problems(infos: list[zipfile.ZipInfo], names: set[str], file: str, limit: int) -> list[ReportError]:
    """What the archive's directory alone shows: too many members, a password, macros, bomb sizes or ratios."""
    if len(infos) > MAX_MEMBERS:
        return [_bomb(file, f"{len(infos)} members")]
    if any(i.flag_bits & 0x1 for i in infos):
        return [password_error(file)]
    out = [macro_error(file)] if any(n.lower().endswith("vbaproject.bin") for n in names) else []
    declared = sum(i.file_size for i in infos)
    if declared > limit:
        return [*out, _bomb(file, f"declared {declared // MB} MB > {limit // MB} MB")]
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return [*out, _bomb(file, f"{info.filename}: ratio {info.file_size // max(info.compress_size, 1)}")]
    return out


def _inflate_all(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], file: str, limit: int, rep: ZipReport) -> bool:
    """Inflate every member within the limit, recording sizes; False (with the refusal added) on a problem."""
    total = 0
    for info in infos:
        try:
            actual, has_dtd = _inflate(zf, info, limit - total)
        except _TooBig:
            rep.errors.append(_bomb(file, f"{info.filename} inflates beyond its declared size"))
            return False
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            rep.errors.append(_corrupt(file, f"{info.filename}: {type(exc).__name__}"))
            return False
        total += actual
        rep.sizes[info.filename] = actual
        if has_dtd:
            rep.errors.append(
                whole_file_error(
                    file,
                    f"Tệp bị từ chối: phần {info.filename} chứa khai báo DTD/ENTITY (có thể là tấn công XML).",
                    f"The file was refused: part {info.filename} declares a DTD/ENTITY (possible XML attack).",
                )
            )
            return False
    return True


class _TooBig(Exception):
    pass


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> tuple[int, bool]:
    """Stream one member: its actual size (stopping past the declared size or the budget) and whether it has a DTD.

    A DTD can only stand in the XML prolog, before the root element, so only the head is searched.
    """
    size = 0
    head = b""
    cap = min(info.file_size, budget)
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            if len(head) < 65536:
                head += chunk[: 65536 - len(head)]
            size += len(chunk)
            if size > cap:
                raise _TooBig
    upper = head.upper()
    return size, (b"<!DOCTYPE" in upper or b"<!ENTITY" in upper)
