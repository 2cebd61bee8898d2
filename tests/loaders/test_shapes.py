"""Shapes A–D: the same rows in each container and encoding give one expected set of observations."""

from __future__ import annotations

import datetime as dt

import pytest

import loaders.check as check_mod
from bench.bench_loaders import HEADER as D_HEADER  # the dossier export the bench scales up
from domain.kpi import DOSSIER_COUNTS
from domain.legacy_fonts import unicode_to_tcvn3
from tests.loaders.helpers import II06A_PENDING, II06A_RESOLVED, SheetSpec, check, csv_bytes, obs_set, xlsx

LONG = [
    ["Đơn vị", "Kỳ báo cáo", "Chỉ tiêu", "Lĩnh vực", "Giá trị"],
    ["Tỉnh Bến Tre", "Năm 2024", "Số hồ sơ tiếp nhận", "Đất đai", "19.843"],
    ["Tỉnh Bến Tre", "2024", "dossiers_resolved", "Lĩnh vực đất đai", "17327"],
    ["Ha Noi", "2024", "Tỷ lệ hồ sơ giải quyết đúng hạn", "", "90,5%"],
    ["BTP", "Năm 2024", "Số biên chế tinh giản", "", "244"],
    ["Thành phố Hà Nội", "2024", "Số TTHC được cắt giảm, đơn giản hóa", "", "-"],
]
LONG_EXPECTED = {
    ("dossiers_received", "VN63-83", "2024", "dat_dai", 19843.0),
    ("dossiers_resolved", "VN63-83", "2024", "dat_dai", 17327.0),
    ("on_time_rate", "VN63-01", "2024", "", 90.5),
    ("staff_reduced", "M-BTP", "2024", "", 244.0),
}


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("a.xlsx", lambda: xlsx([["TỔNG HỢP SỐ LIỆU"], [], *LONG])),
        ("a.csv", lambda: csv_bytes(LONG)),
        ("a_bom.csv", lambda: b"\xef\xbb\xbf" + csv_bytes(LONG)),
        ("a_semicolon.csv", lambda: csv_bytes(LONG, sep=";")),
        ("a_tab.csv", lambda: csv_bytes(LONG, sep="\t")),
        ("a_utf16.txt", lambda: csv_bytes(LONG, sep="\t", encoding="utf-16")),
        ("a_cp1258.csv", lambda: csv_bytes(LONG, sep=";", encoding="cp1258")),
    ],
)
def test_shape_a_in_every_container(name: str, make) -> None:  # type: ignore[no-untyped-def]
    r = check(make(), name)
    assert r.ok, r.errors
    assert r.format == "A"
    assert obs_set(r) == LONG_EXPECTED


def test_shape_a_english_headers_and_user_period() -> None:
    rows = [["unit", "indicator", "value", "sector"], ["Tỉnh Bến Tre", "dossiers_received", "5355", "Hộ tịch"]]
    r = check(csv_bytes(rows), "a.csv", period="2024-Q4")
    assert r.ok, r.errors
    assert obs_set(r) == {("dossiers_received", "VN63-83", "2024-Q4", "tu_phap", 5355.0)}


def _unit_table(unit_font: str | None = None) -> SheetSpec:
    ben_tre = unicode_to_tcvn3("Tỉnh Bến Tre") if unit_font else "Tỉnh Bến Tre"
    rows = [
        ["CỤC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH"],
        ["BÁO CÁO KẾT QUẢ GIẢI QUYẾT TTHC NĂM 2024"],
        [],
        ["STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Hồ sơ đã giải quyết", None, None, None, "Tỷ lệ đúng hạn (%)"],
        [None, None, None, "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", None],
        ["I", "Bộ, ngành", None, None, None, None, None, None],
        [1, "Bộ Tư pháp", "2.780", 2615, 1000, 1591, 24, "99,1"],
        ["", "Cộng", "2.780", 2615, 1000, 1591, 24, None],
        ["II", "Địa phương", None, None, None, None, None, None],
        [1, ben_tre, 13277, 11475, 5000, 6452, 23, 99.8],
        [2, "TP. Cần Thơ", 12199, "-", "-", "-", "-", "-"],
        [None, "Tổng cộng", 28256, 14090, 6000, 8043, 47, None],
        [],
        ["Ghi chú: số liệu tính đến 14/12/2024"],
        [None, "NGƯỜI LẬP BIỂU", None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"],
        [None, "Nguyễn Văn A", 123],
    ]
    fonts = {"B10": ".VnTime"} if unit_font else {}
    return SheetSpec("Biểu 01", rows, merged=["D4:G4", "A4:A5", "B4:B5", "C4:C5", "H4:H5"], fonts=fonts)


UNIT_TABLE_EXPECTED = {
    ("dossiers_received", "M-BTP", "2024", "", 2780.0),
    ("dossiers_resolved", "M-BTP", "2024", "", 2615.0),
    ("dossiers_resolved_early", "M-BTP", "2024", "", 1000.0),
    ("dossiers_resolved_on_time", "M-BTP", "2024", "", 1591.0),
    ("dossiers_resolved_late", "M-BTP", "2024", "", 24.0),
    ("on_time_rate", "M-BTP", "2024", "", 99.1),
    ("dossiers_received", "VN63-83", "2024", "", 13277.0),
    ("dossiers_resolved", "VN63-83", "2024", "", 11475.0),
    ("dossiers_resolved_early", "VN63-83", "2024", "", 5000.0),
    ("dossiers_resolved_on_time", "VN63-83", "2024", "", 6452.0),
    ("dossiers_resolved_late", "VN63-83", "2024", "", 23.0),
    ("on_time_rate", "VN63-83", "2024", "", 99.8),
    ("dossiers_received", "VN63-92", "2024", "", 12199.0),
}


@pytest.mark.parametrize("font", [None, ".VnTime"])
def test_shape_b_two_row_header_groups_totals_notes(font: str | None) -> None:
    instructions = SheetSpec("Hướng dẫn", [["Hướng dẫn điền biểu"], ["Ghi số liệu vào trang Biểu 01"]])
    hidden = SheetSpec("Ẩn", [["Đơn vị", "Số hồ sơ tiếp nhận"], ["Tỉnh Trà Vinh", 5]], hidden=True)
    r = check(xlsx(instructions, _unit_table(font), hidden))
    assert r.ok, r.errors
    assert r.format == "B"
    assert obs_set(r) == UNIT_TABLE_EXPECTED
    assert not r.warnings, r.warnings


def test_totals_row_that_disagrees_is_a_warning_not_a_refusal() -> None:
    spec = _unit_table()
    rows = [list(x) for x in spec.rows]
    rows[11][2] = 99999  # Tổng cộng, Số hồ sơ tiếp nhận
    r = check(xlsx(SheetSpec(spec.name, rows, merged=spec.merged)))
    assert r.ok
    assert [(w.sheet, w.row, w.column) for w in r.warnings] == [("Biểu 01", 12, "C")]
    assert "Tổng cộng" in r.warnings[0].message_vi


def test_percent_cells_and_rate_count_disagreement_warning() -> None:
    rows = [
        ["Kỳ báo cáo: Quý IV/2024"],
        ["STT", "Đơn vị", "Số hồ sơ tiếp nhận", "Số hồ sơ tiếp nhận trực tuyến", "Tỷ lệ hồ sơ tiếp nhận trực tuyến"],
        [1, "Bộ Tư pháp", 2780, 2149, 0.773],
        [2, "BTC", 2595, 2069, 0.5],
    ]
    spec = SheetSpec("Tổng hợp", rows, formats={"E3": "0.0%", "E4": "0.0%"})
    r = check(xlsx(spec))
    assert r.ok, r.errors
    assert ("online_dossier_rate", "M-BTP", "2024-Q4", "", 77.3) in obs_set(r)
    assert [(w.sheet, w.row, w.column) for w in r.warnings] == [("Tổng hợp", 4, "E")]


def test_resolved_not_equal_to_parts_is_a_warning() -> None:
    spec = _unit_table()
    rows = [list(x) for x in spec.rows]
    rows[9][3] = 11476  # Bến Tre resolved total
    rows[11][3] = 14091
    r = check(xlsx(SheetSpec(spec.name, rows, merged=spec.merged)))
    assert r.ok
    assert ("Biểu 01", 10, "D") in [(w.sheet, w.row, w.column) for w in r.warnings]


def _sector_sheet(name: str, unit_title: str, period_title: str, first: int) -> SheetSpec:
    rows = [
        [unit_title],
        ["Biểu số II.06a/VPCP/KSTT"],
        [period_title],
        ["STT", "Lĩnh vực", "Tiếp nhận", None, None, None, "Đã giải quyết", None, None, None, "Đang giải quyết"],
        [
            None,
            None,
            "Tổng số",
            "Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "Từ kỳ trước",
            *II06A_RESOLVED,
            *II06A_PENDING,
        ],
        ["I", "Cấp tỉnh"],
        [1, "Đất đai", first, 10, 5, 3, 15, 5, 5, 5, 3, 2, 1],
        [2, "Hộ tịch", 7, "x", 7, 0, 7, 7, 0, 0, 0, 0, 0],
        [None, "Tổng cộng", first + 7, 10, 12, 3, 22, 12, 5, 5, 3, 2, 1],
    ]
    return SheetSpec(name, rows, merged=["C4:F4", "G4:J4", "K4:M4", "A4:A5", "B4:B5"])


def test_shape_c_one_unit_per_sheet_named_in_the_title() -> None:
    data = xlsx(
        _sector_sheet("Bến Tre", "UBND TỈNH BẾN TRE", "Kỳ báo cáo: Quý 4 năm 2024", 18),
        _sector_sheet("Trà Vinh", "ỦY BAN NHÂN DÂN TỈNH TRÀ VINH", "QUÝ IV/2024", 20),
    )
    r = check(data)
    assert r.ok, r.errors
    assert r.format == "C"
    got = obs_set(r)
    assert ("dossiers_received", "VN63-83", "2024-Q4", "dat_dai", 18.0) in got
    assert ("dossiers_received", "VN63-84", "2024-Q4", "dat_dai", 20.0) in got
    assert ("dossiers_pending_overdue", "VN63-84", "2024-Q4", "tu_phap", 0.0) in got
    assert not any(o[0] == "dossiers_received_online" and o[3] == "tu_phap" for o in got)  # 'x' = not reported
    assert len(got) == 2 * (8 + 7)


def test_shape_c_unit_from_the_user_when_the_title_has_none() -> None:
    sheet = _sector_sheet("Biểu", "BÁO CÁO", "Tháng 10/2025", 18)
    assert not check(xlsx(sheet)).ok
    r = check(xlsx(sheet), unit="An Giang")
    assert r.ok, r.errors
    assert {o[1] for o in obs_set(r)} == {"VN34-91"}


def _dossiers(text_dates: bool) -> list[list[object]]:
    def d(day: dt.date | None) -> object:
        if day is None:
            return None
        return day.strftime("%d/%m/%Y") if text_dates else dt.datetime(day.year, day.month, day.day)

    D = dt.date
    raw = [
        ("Đất đai", D(2024, 10, 1), D(2024, 10, 10), D(2024, 10, 5), "Trực tuyến", "Có", "Có", "Tỉnh Bến Tre"),
        ("Đất đai", D(2024, 10, 1), D(2024, 10, 10), D(2024, 10, 10), "Trực tiếp", "Không", "Có", "Tỉnh Bến Tre"),
        (
            "Lĩnh vực đất đai",
            D(2024, 10, 1),
            D(2024, 10, 10),
            D(2024, 10, 11),
            "Trực tuyến",
            "Có",
            "Không",
            "Tỉnh Bến Tre",
        ),
        ("Hộ tịch", D(2024, 11, 1), D(2024, 12, 1), None, "Bưu chính công ích", "Không", "Không", "Tỉnh Bến Tre"),
        ("Hộ tịch", D(2024, 12, 1), D(2024, 12, 20), None, "Trực tuyến", "Có", "Không", "Tỉnh Bến Tre"),
        ("Tư pháp", D(2024, 12, 1), D(2024, 12, 14), None, "Trực tuyến", "Có", "Không", "Tỉnh Trà Vinh"),
    ]
    rows: list[list[object]] = [D_HEADER]
    for i, (sec, rec, due, res, ch, dg, rd, unit) in enumerate(raw, 1):
        rows.append([i, f"H05-{i:06d}", sec, "Thủ tục", d(rec), d(due), d(res), ch, dg, rd, unit])
    return rows


D_EXPECTED = {
    ("VN63-83", "dat_dai"): dict(
        zip(
            DOSSIER_COUNTS,
            [3, 2, 3, 1, 1, 1, 0, 0, 2, 2],
            strict=True,
        )
    ),
    ("VN63-83", "tu_phap"): {
        "dossiers_received": 2,
        "dossiers_received_online": 1,
        "dossiers_resolved": 0,
        "dossiers_resolved_early": 0,
        "dossiers_resolved_on_time": 0,
        "dossiers_resolved_late": 0,
        "dossiers_pending": 2,
        "dossiers_pending_overdue": 1,
        "dossiers_digitized": 1,
        "results_digitized": 0,
    },
    ("VN63-84", "tu_phap"): {
        "dossiers_received": 1,
        "dossiers_received_online": 1,
        "dossiers_resolved": 0,
        "dossiers_resolved_early": 0,
        "dossiers_resolved_on_time": 0,
        "dossiers_resolved_late": 0,
        "dossiers_pending": 1,
        "dossiers_pending_overdue": 0,
        "dossiers_digitized": 1,
        "results_digitized": 0,
    },
}
D_SET = {(ind, u, "2024-Q4", s, float(v)) for (u, s), counts in D_EXPECTED.items() for ind, v in counts.items()}


@pytest.mark.parametrize("big", [False, True], ids=["small", "fast-path"])
@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("d.xlsx", lambda: xlsx(_dossiers(text_dates=False))),
        ("d_text_dates.xlsx", lambda: xlsx(_dossiers(text_dates=True))),
        ("d.csv", lambda: csv_bytes(_dossiers(text_dates=True))),
        ("d_cp1258.csv", lambda: csv_bytes(_dossiers(text_dates=True), sep=";", encoding="cp1258")),
        ("d_utf16.csv", lambda: csv_bytes(_dossiers(text_dates=True), sep="\t", encoding="utf-16")),
    ],
)
def test_shape_d_counts(name: str, make, big: bool, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    if big:  # the reader used for million-row exports, on the same rows
        monkeypatch.setattr(check_mod, "SMALL_SHEET_BYTES", 0)
        monkeypatch.setattr(check_mod, "BIG_CSV_BYTES", 0)
    r = check(make(), name, period="2024-Q4")
    assert r.ok, r.errors
    assert r.format == "D"
    assert obs_set(r) == D_SET


def test_shape_d_period_end_from_a_title_range() -> None:
    rows = [["DANH SÁCH HỒ SƠ từ ngày 15/09/2024 đến ngày 14/12/2024"], [], *_dossiers(text_dates=True)]
    r = check(csv_bytes(rows), "d.csv")
    assert r.ok, r.errors
    assert obs_set(r) == D_SET
