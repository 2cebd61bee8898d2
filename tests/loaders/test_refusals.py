"""Each refusal names its place (sheet, Excel row, column letter); all of a file's errors are collected."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.loaders.helpers import SheetSpec, check, csv_bytes, locations, xlsx

HEAD = ["STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Tỷ lệ hồ sơ giải quyết đúng hạn"]


def _b(*rows: list[object], title: str = "BÁO CÁO NĂM 2024") -> bytes:
    return xlsx(SheetSpec("Biểu 01", [[title], HEAD, *rows]))


@pytest.mark.parametrize(
    ("data", "kw", "where", "words"),
    [
        (_b([1, "Tỉnh Hà Tây", 5, 90]), {}, ("Biểu 01", 3, "B"), "Không xác định được đơn vị"),
        (
            _b([1, "Tỉnh Bến Tre", 5, 90], title="BÁO CÁO THÁNG 10/2025"),
            {},
            ("Biểu 01", 3, "B"),
            "Tỉnh Bến Tre đã sáp nhập vào Tỉnh Vĩnh Long từ 1/7/2025",
        ),
        (
            _b([1, "Bộ Kế hoạch và Đầu tư", 5, 90], title="BÁO CÁO THÁNG 10/2025"),
            {},
            ("Biểu 01", 3, "B"),
            "hợp nhất vào Bộ Tài chính",
        ),
        (_b([1, "Tỉnh Bến Tre", "năm trăm", 90]), {}, ("Biểu 01", 3, "C"), "phải chứa số"),
        (_b([1, "Tỉnh Bến Tre", -5, 90]), {}, ("Biểu 01", 3, "C"), "số nguyên không âm"),
        (_b([1, "Tỉnh Bến Tre", "12,5", 90]), {}, ("Biểu 01", 3, "C"), "số nguyên không âm"),
        (_b([1, "Tỉnh Bến Tre", 5, 120]), {}, ("Biểu 01", 3, "D"), "0–100"),
        (_b([1, "Tỉnh Bến Tre", 5, 90], [2, "Bến Tre", 6, 90]), {}, ("Biểu 01", 4, "C"), "trùng"),
        (_b([1, "Tỉnh Bến Tre", 5, 90], title="BÁO CÁO"), {}, ("Biểu 01", None, None), "không ghi kỳ báo cáo"),
        (_b([1, "Tỉnh Bến Tre", 5, 90]), {"period": "2024-Q4"}, ("Biểu 01", 1, "A"), "khác với kỳ đã chọn"),
        (_b([1, "Tỉnh Bến Tre", 5, 90]), {"unit": "Trà Vinh"}, ("Biểu 01", 3, "B"), "khác với đơn vị đã chọn"),
        (
            csv_bytes([["Đơn vị", "Kỳ báo cáo", "Chỉ tiêu", "Giá trị"], ["Tỉnh Bến Tre", "Năm 2024", "Số hồ sơ", "5"]]),
            {},
            (None, 2, "C"),
            "Không xác định được chỉ tiêu",
        ),
        (
            csv_bytes([["Đơn vị", "Chỉ tiêu", "Giá trị"], ["Tỉnh Bến Tre", "dossiers_received", "5"]]),
            {},
            (None, 2, None),
            "không ghi kỳ",
        ),
    ],
    ids=[
        "unknown-unit",
        "merged-province",
        "merged-ministry",
        "text-in-number",
        "negative",
        "fractional",
        "rate-over-100",
        "duplicate",
        "no-period",
        "period-contradicts",
        "unit-contradicts",
        "unknown-indicator",
        "csv-no-period",
    ],
)
def test_refusals_are_located(data: bytes, kw: dict, where: tuple, words: str) -> None:
    name = "r.csv" if data[:2] != b"PK" else "r.xlsx"
    r = check(data, name, **kw)
    assert not r.ok
    assert r.as_json()["observations"] == []
    hits = [e for e in r.errors if words in e.message_vi]
    assert hits, [e.message_vi for e in r.errors]
    sheet, row, col = where
    assert any((e.sheet, e.row, e.column) == (sheet, row, col) for e in hits), locations(r)
    assert all(e.message_en for e in r.errors)


def test_all_errors_of_a_file_are_collected() -> None:
    r = check(_b([1, "Tỉnh Hà Tây", 5, 90], [2, "Tỉnh Bến Tre", "hai", 90], [3, "Tỉnh Trà Vinh", 7, 101]))
    assert locations(r) == [("Biểu 01", 3, "B"), ("Biểu 01", 4, "C"), ("Biểu 01", 5, "D")]


def test_same_value_twice_is_not_a_duplicate() -> None:
    r = check(_b([1, "Tỉnh Bến Tre", 5, 90], [2, "Bến Tre", 5, 90]))
    assert r.ok, r.errors
    assert len(r.observations) == 2


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for n, d in members.items():
            zf.writestr(n, d)
    return buf.getvalue()


def _patched_workbook(sheet_xml_edit) -> bytes:  # type: ignore[no-untyped-def]
    src = zipfile.ZipFile(io.BytesIO(_b([1, "Tỉnh Bến Tre", 5, 90])))
    members = {n: src.read(n) for n in src.namelist()}
    return _zip(sheet_xml_edit(members))


def _entity_bomb(m: dict[str, bytes]) -> dict[str, bytes]:
    lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    xml = m["xl/worksheets/sheet1.xml"]
    m["xl/worksheets/sheet1.xml"] = lol + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml)
    return m


def _with_macro(m: dict[str, bytes]) -> dict[str, bytes]:
    m["xl/vbaProject.bin"] = b"\x00" * 100
    return m


def _xlsm_type(m: dict[str, bytes]) -> dict[str, bytes]:
    """The content type Excel gives an .xlsm's workbook part (macros are judged by content, not by name)."""
    m["[Content_Types].xml"] = m["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return m


def _bomb() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<" + b" " * (300 * 1024 * 1024) + b">",
        }
    )


def _lying_zip() -> bytes:
    """A member whose local and central headers understate its size (zip-bomb trick)."""
    payload = b"A" * (2 * 1024 * 1024)
    data = bytearray(
        _zip(
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": payload}
        )
    )
    real = len(payload).to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    return bytes(data).replace(real, small)


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("empty.xlsx", lambda: b"", "rỗng"),
        ("blank.csv", lambda: b"  \r\n", "rỗng"),
        ("truncated.xlsx", lambda: _b([1, "Tỉnh Bến Tre", 5, 90])[:1500], "hỏng"),
        ("not_excel.xlsx", lambda: b"hello world, not a workbook", "không phải là tệp Excel"),
        (
            "encrypted.xlsx",
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") * 3,
            "mật khẩu",
        ),
        ("macro.xlsm", lambda: _patched_workbook(_xlsm_type), "macro"),
        ("macro.xlsx", lambda: _patched_workbook(_with_macro), "macro"),
        ("entities.xlsx", lambda: _patched_workbook(_entity_bomb), "DTD"),
        ("bomb.xlsx", _bomb, "giải nén"),
        ("lying.xlsx", _lying_zip, "hỏng"),  # zipfile stops at the declared size; the CRC then fails
        ("zip_only.xlsx", lambda: _zip({"a.txt": b"hello"}), "không phải là sổ tính"),
        ("binary.csv", lambda: b"\x00\x01\x02\x03garbage" * 10, "không phải là tệp văn bản"),
        ("no_table.xlsx", lambda: xlsx([["Hướng dẫn"], ["Không có số liệu"]]), "Không tìm thấy bảng số liệu"),
    ],
)
def test_whole_file_refusals(name: str, make, words: str) -> None:  # type: ignore[no-untyped-def]
    r = check(make(), name, max_bytes=50 * 1024 * 1024)
    assert not r.ok
    assert any(words in e.message_vi for e in r.errors), [e.message_vi for e in r.errors]
    assert all(e.sheet is None and e.row is None for e in r.errors if words in e.message_vi)


def test_size_cap_from_argument_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _b([1, "Tỉnh Bến Tre", 5, 90])
    assert not check(data, max_bytes=1000).ok
    monkeypatch.setenv("CCHC_UPLOAD_MAX_MB", "0.001")
    r = check(data)
    assert not r.ok and "quá lớn" in r.errors[0].message_vi
    monkeypatch.setenv("CCHC_UPLOAD_MAX_MB", "50")
    assert check(data).ok


def test_missing_path_is_an_error_not_an_exception(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from loaders import check_file

    r = check_file(tmp_path / "khong_co.xlsx")
    assert not r.ok and r.file == "khong_co.xlsx"
