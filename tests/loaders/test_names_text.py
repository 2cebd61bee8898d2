"""Names, text keys, legacy fonts, periods in titles and cell values: table-driven."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.legacy_fonts import decode_cell, tcvn3_to_unicode, unicode_to_tcvn3, vni_to_unicode
from domain.names import resolver
from domain.periods import parse_period
from domain.text import fold, key, nfc
from loaders.titles import period_from_text
from loaders.values import BadValue, parse_date, parse_number


@pytest.mark.parametrize(
    ("text", "period", "unit"),
    [
        ("Thừa Thiên Huế", "2024-Q4", "VN63-46"),
        ("TP.HCM", "2024", "VN63-79"),
        ("HCM", "2025-10", "VN34-79"),
        ("TP. Hồ Chí Minh", "2024", "VN63-79"),
        ("Ho Chi Minh", "2025-10", "VN34-79"),
        ("BR-VT", "2024", "VN63-77"),
        ("Ha Noi", "2024", "VN63-01"),
        ("Thành phố Hà Nội", "2025-10", "VN34-01"),
        ("Bộ Tư pháp", "2024", "M-BTP"),
        ("BTP", "2025-10", "M-BTP"),
        ("UBND TỈNH BẾN TRE", "2024-Q4", "VN63-83"),
        ("UBND TỈNH AN GIANG", "2025-10", "VN34-91"),
        ("An Giang", "2024-Q4", "VN63-89"),
        ("Tỉnh Khánh Hoà", "2024", "VN63-56"),
        ("tinh  khanh   hoa", "2024", "VN63-56"),
        ("Bộ Kế hoạch và Đầu tư", "2024", "M-BKHDT"),
        ("Bộ KH&ĐT", "2024", "M-BKHDT"),
        ("Bộ Nông nghiệp và Môi trường", "2025-10", "M-BNNMT"),
        ("83", "2024", "VN63-83"),
    ],
)
def test_unit_names_resolve_in_the_era_of_the_period(text: str, period: str, unit: str) -> None:
    assert resolver().unit(text, parse_period(period)).unit_id == unit


@pytest.mark.parametrize(
    ("text", "period", "words_vi", "words_en"),
    [
        ("Bến Tre", "2025-10", "Tỉnh Bến Tre đã sáp nhập vào Tỉnh Vĩnh Long từ 1/7/2025", "merged into"),
        ("BR-VT", "2025-10", "sáp nhập vào Thành phố Hồ Chí Minh", "merged into"),
        ("Bộ Kế hoạch và Đầu tư", "2025", "hợp nhất vào Bộ Tài chính từ 1/3/2025", "merged into"),
        ("Bộ Nông nghiệp và Môi trường", "2024", "được thành lập từ 1/3/2025", "exists only from"),
        ("Tỉnh Hà Tây", "2024", "Không xác định được đơn vị", "Unknown unit"),
    ],
)
def test_units_outside_their_era_explain_why(text: str, period: str, words_vi: str, words_en: str) -> None:
    m = resolver().unit(text, parse_period(period))
    assert m.unit_id is None
    assert words_vi in m.message_vi and words_en in m.message_en


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Hộ tịch", "tu_phap"),
        ("Đăng ký kinh doanh", "dau_tu"),
        ("lĩnh vực đất đai", "dat_dai"),
        ("DAT DAI", "dat_dai"),
        ("LĐ-TB&XH", "ldtbxh"),
        ("Không có lĩnh vực này", None),
    ],
)
def test_sector_aliases(text: str, sector: str | None) -> None:
    assert resolver().sector(text) == sector


def test_text_keys_ignore_case_diacritics_spacing_punctuation() -> None:
    assert key("TP. Hồ Chí Minh") == key("tp ho chi minh") == "tphochiminh"
    assert fold("Đắk Lắk") == "Dak Lak"
    assert nfc("Hoa\u0300") == "Hoà"
    assert key("Bà Rịa-Vũng Tàu") == key("Ba Ria - Vung Tau")


@pytest.mark.parametrize(
    "text", ["Tỉnh Bến Tre", "Đồng Tháp", "Thừa Thiên Huế", "lĩnh vực đất đai", "Quảng Ngãi", "Hồ sơ đã giải quyết"]
)
def test_legacy_fonts_round_trip(text: str) -> None:
    encoded = unicode_to_tcvn3(text)
    assert encoded != text
    assert tcvn3_to_unicode(encoded) == text
    assert decode_cell(encoded, ".VnTime") == text
    assert decode_cell(encoded, ".VnTimeH") == text.upper()


@pytest.mark.parametrize(
    ("vni", "text"),
    [
        ("Ñoàng Thaùp", "Đồng Tháp"),
        ("Tænh Beán Tre", "Tỉnh Bến Tre"),
        ("Thöøa Thieân Hueá", "Thừa Thiên Huế"),
        ("ñaát ñai", "đất đai"),
        ("Quaûng Ngaõi", "Quảng Ngãi"),
        ("Ñaêk Laêk", "Đăk Lăk"),
    ],
)
def test_vni(vni: str, text: str) -> None:
    assert vni_to_unicode(vni) == text
    assert decode_cell(vni, "VNI-Times") == text
    assert decode_cell(vni, "Times New Roman") == vni


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("Năm 2024", "2024"),
        ("NĂM 2024", "2024"),
        ("BÁO CÁO KẾT QUẢ NĂM 2024", "2024"),
        ("Quý IV/2024", "2024-Q4"),
        ("Quý 4 năm 2024", "2024-Q4"),
        ("QUÝ III NĂM 2024", "2024-Q3"),
        ("6 tháng đầu năm 2025", "2025-H1"),
        ("9 tháng năm 2025", "2025-9M"),
        ("9 tháng đầu năm 2025", "2025-9M"),
        ("Tháng 10/2025", "2025-10"),
        ("THÁNG 10 NĂM 2025", "2025-10"),
        ("Kỳ báo cáo: Quý IV/2024", "2024-Q4"),
        ("Từ ngày 15/12/2023 đến ngày 14/12/2024", "2024"),
        ("Từ ngày 15/09/2024 đến ngày 14/12/2024", "2024-Q4"),
        ("từ 15/12/2024 đến 14/6/2025", "2025-H1"),
        ("2024-Q4", "2024-Q4"),
        ("2024", "2024"),
    ],
)
def test_periods_from_titles(title: str, code: str) -> None:
    p = period_from_text(title)
    assert p is not None and p.code == code


@pytest.mark.parametrize("title", ["Bến Tre, ngày 20 tháng 12 năm 2024", "TÌNH HÌNH GIẢI QUYẾT TTHC", ""])
def test_titles_without_a_period(title: str) -> None:
    assert period_from_text(title) is None


@pytest.mark.parametrize(
    ("cell", "kw", "value"),
    [
        ("16.149", {"whole": True}, 16149.0),
        ("1.234.567", {}, 1234567.0),
        ("85,5", {}, 85.5),
        ("85,5%", {}, 85.5),
        (0.855, {"percent_format": True}, 85.5),
        (98.6, {}, 98.6),
        ("98.6", {}, 98.6),
        ("1.234,5", {}, 1234.5),
        ("16,149", {"whole": True}, 16149.0),
        (" 7 181 ", {"whole": True}, 7181.0),
        (0, {}, 0.0),
        ("0", {}, 0.0),
        ("", {}, None),
        ("-", {}, None),
        ("x", {}, None),
        ("—", {}, None),
        (None, {}, None),
    ],
)
def test_numbers(cell: object, kw: dict, value: float | None) -> None:
    got = parse_number(cell, **kw)
    assert got == pytest.approx(value) if value is not None else got is None


@pytest.mark.parametrize("cell", ["hai trăm", "12a", "1..2", dt.date(2024, 1, 1), True])
def test_text_in_numeric_cells_is_bad(cell: object) -> None:
    with pytest.raises(BadValue):
        parse_number(cell)


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("05/12/2024", dt.date(2024, 12, 5)),
        (dt.datetime(2024, 12, 5, 17, 30), dt.date(2024, 12, 5)),
        (45631, dt.date(2024, 12, 5)),
        ("2024-12-05 00:00:00", dt.date(2024, 12, 5)),
        ("", None),
    ],
)
def test_dates(cell: object, day: dt.date | None) -> None:
    assert parse_date(cell) == day
