"""Reports as senders really word them: deeper headers with "Trong đó", codes beside names, footnote rows,
groups written once, English long tables. Each must read completely, with no column of figures left unread."""

from __future__ import annotations

import pytest

from tests.loaders.helpers import II06A_PENDING, II06A_RESOLVED, SheetSpec, check, csv_bytes, xlsx

cases = {}
cases["c_trong_do_3rows"] = xlsx(
    SheetSpec(
        "II.06a",
        [
            ["UBND TỈNH BẾN TRE"],
            ["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC QUÝ IV/2024"],
            [
                "TT",
                "Lĩnh vực, công việc giải quyết theo cấp",
                "Số hồ sơ nhận giải quyết",
                None,
                None,
                None,
                "Kết quả giải quyết",
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                None,
                None,
                "Tổng số",
                "Trong đó",
                None,
                "Từ kỳ trước",
                "Số hồ sơ đã giải quyết",
                None,
                None,
                None,
                "Số hồ sơ đang giải quyết",
                None,
                None,
            ],
            [
                None,
                None,
                None,
                "Trực tuyến",
                "Trực tiếp, dịch vụ bưu chính",
                None,
                *II06A_RESOLVED,
                *II06A_PENDING,
            ],
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
            ["I", "Cấp tỉnh", None, None, None, None, None, None, None, None, None, None, None],
            [1, "Đất đai", 100, 60, 40, 5, 90, 20, 50, 20, 15, 10, 5],
            [2, "Xây dựng", 50, 30, 20, 0, 45, 5, 30, 10, 5, 5, 0],
            [None, "Tổng cộng", 150, 90, 60, 5, 135, 25, 80, 30, 20, 15, 5],
            ["Ghi chú: số liệu tính đến 14/12/2024"],
        ],
        merged=["C3:F3", "G3:M3", "D4:E4", "G4:J4", "K4:M4", "A3:A5", "B3:B5", "C4:C5", "F4:F5"],
    )
)
cases["b_wordings_codes"] = xlsx(
    SheetSpec(
        "Sheet1",
        [
            ["VĂN PHÒNG CHÍNH PHỦ"],
            ["BÁO CÁO 6 THÁNG ĐẦU NĂM 2025"],
            [
                "Mã",
                "Tên tỉnh/TP",
                "Hồ sơ nhận qua mạng",
                "Số hồ sơ đã xử lý xong",
                "Số hồ sơ\ntiếp nhận",
                "Tỉ lệ giải quyết đúng hạn (%)",
            ],
            ["A", "B", 1, 2, 3, 4],
            ["01", "TP. Hà Nội", 1000, 1500, 2000, 95.5],
            [79, "TP.HCM", 1200, 1800, 2500, 96],
            ["83", "Bến Tre (*)", 100, 150, 200, 0.9],
            [None, "(*) Số liệu tạm tính"],
        ],
    )
)
cases["b_staff_group_once"] = xlsx(
    SheetSpec(
        "Biểu 2",
        [
            ["BỘ NỘI VỤ"],
            ["KẾT QUẢ TINH GIẢN BIÊN CHẾ NĂM 2024"],
            ["Đơn vị tính: người"],
            ["STT", "Bộ, ngành, địa phương", "Biên chế đã giảm", None, None],
            [None, None, "Tổng", "Trong đó: Công chức", "Trong đó: Viên chức"],
            ["I", "Bộ, ngành", None, None, None],
            [1, "Bộ Tư pháp", 12, 10, 2],
            ["II", "Địa phương", None, None, None],
            [2, "Tỉnh Bến Tre", 30, 20, 10],
            [None, "Tổng cộng", 42, 30, 12],
        ],
    )
)
cases["a_english"] = csv_bytes(
    [
        ["Unit", "Year", "Quarter", "Indicator", "Value", "Note"],
        ["Ben Tre Province", 2024, 4, "Dossiers received", "1.520", ""],
        ["Ministry of Justice", 2024, 4, "on_time_rate", "85,5", "est"],
    ]
)
cases["b_rate_leaf"] = xlsx(
    SheetSpec(
        "Biểu",
        [
            ["Quý IV/2024"],
            ["STT", "Đơn vị", "Hồ sơ tiếp nhận", "Giải quyết đúng hạn", None],
            [None, None, None, "Số hồ sơ", "Tỷ lệ (%)"],
            [1, "Bến Tre", 10, 8, 80],
        ],
        merged=["D2:E2", "A2:A3", "B2:B3", "C2:C3"],
    )
)

EXPECTED = {"c_trong_do_3rows": 16, "b_wordings_codes": 12, "b_staff_group_once": 6, "a_english": 2, "b_rate_leaf": 3}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_realistic_report_reads_whole(name: str) -> None:
    r = check(cases[name], name + (".csv" if name.startswith("a_") else ".xlsx"))
    assert r.ok, r.errors
    assert len(r.observations) == EXPECTED[name]
    assert r.undecided == [] and r.warnings == []
