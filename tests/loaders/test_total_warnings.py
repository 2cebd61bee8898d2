"""A totals row that disagrees is reported with its numbers grouped and the indicator's name intact."""

from __future__ import annotations

from tests.loaders.helpers import check, xlsx


def test_totals_warning_keeps_the_commas_of_the_indicator_name() -> None:
    rows = [
        ["BÁO CÁO KẾT QUẢ CẢI CÁCH TTHC NĂM 2024"],
        ["STT", "Đơn vị", "Số TTHC được cắt giảm, đơn giản hóa"],
        [1, "Tỉnh Bến Tre", 1200],
        [2, "TP. Cần Thơ", 300],
        [None, "Tổng cộng", 2500],
    ]
    r = check(xlsx(rows))
    assert r.ok, r.errors
    assert [w.message_vi for w in r.warnings] == [
        "Dòng “Tổng cộng” ghi 2.500 nhưng tổng các dòng là 1.500 (chỉ tiêu: Số TTHC được cắt giảm, đơn giản hóa)."
    ]
