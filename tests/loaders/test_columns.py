"""Every column accounted for: header wordings read by meaning, deeper headers, column-number rows, the column
map in ``check --json`` and the warning for a column of figures nobody has read."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.headers import ColumnRules
from loaders.vocabulary import HOW_SIMILAR, header_key, vocabulary
from tests.loaders.helpers import SheetSpec, check, xlsx

# wording → indicator it must be read as (sure or near-equal, never only suggested)
READ = [
    ("Số hồ sơ đã xử lý xong", "dossiers_resolved"),
    ("Hồ sơ nhận qua mạng", "dossiers_received_online"),
    ("Biên chế đã giảm", "staff_reduced"),
    ("Số biên chế tinh giản", "staff_reduced"),
    ("Tổng số hồ sơ tiếp nhận", "dossiers_received"),
    ("SỐ HỒ SƠ TIẾP NHẬN (hồ sơ)", "dossiers_received"),
    ("So ho so tiep nhan", "dossiers_received"),
    ("Số hồ sơ tiêp nhận", "dossiers_received"),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn (%)", "on_time_rate"),
    ("Tỉ lệ giải quyết đúng hạn", "on_time_rate"),
    ("Số hồ sơ giải quyết trễ hạn", "dossiers_resolved_late"),
    ("Số hồ sơ được số hóa", "dossiers_digitized"),
    ("Tỷ lệ số hóa hồ sơ", "dossier_digitization_rate"),
    ("Số TTHC được cắt giảm, đơn giản hóa", "procedures_cut"),
    ("Dossiers received online", "dossiers_received_online"),
    ("Số hồ sơ thanh toán trực tuyến", "dossiers_paid_online"),
    ("Số hồ sơ đang giải quyết quá hạn", "dossiers_pending_overdue"),
    ("Hồ sơ xử lý trễ hẹn", "dossiers_resolved_late"),  # hẹn: the date on the receipt
    ("Số hồ sơ giải quyết đúng hẹn", "dossiers_resolved_on_time"),
    ("Hồ sơ giải quyết sớm hẹn", "dossiers_resolved_early"),
    ("Hồ sơ nộp trực tuyến", "dossiers_received_online"),  # a sender's word for received, not paid
]

# wording → indicator it must NOT be read as (it may be suggested)
NOT_READ = [
    ("Số hồ sơ tiếp nhận mới trong kỳ", "dossiers_received"),
    ("Số hồ sơ tiếp nhận trực tiếp", "dossiers_received_online"),
    ("Số hồ sơ tiếp nhận trực tiếp", "dossiers_received"),
    ("Số hồ sơ nộp trực tiếp", "dossiers_received_online"),
    ("Số hồ sơ nộp trực tiếp", "dossiers_paid_online"),
    ("Số biên chế", "staff_reduced"),
    ("Số hồ sơ", "dossiers_received"),
    ("Số hồ sơ đang giải quyết", "dossiers_resolved"),
    ("Số hồ sơ đã giải quyết", "dossiers_pending"),
    ("Số công chức", "staff_reduced_civil_servants"),
    ("Kinh phí thực hiện (triệu đồng)", None),
    ("Dân số", None),
]


@pytest.mark.parametrize(("wording", "indicator"), READ)
def test_wordings_read_as_the_indicator(wording: str, indicator: str) -> None:
    m = vocabulary().match(wording)
    assert m.target == indicator, (wording, m)


@pytest.mark.parametrize(("wording", "indicator"), NOT_READ)
def test_wordings_never_silently_read(wording: str, indicator: str | None) -> None:
    m = vocabulary().match(wording)
    assert m.target is None or (indicator is not None and m.target != indicator), (wording, m)
    if indicator is None:
        assert m.target is None


def test_a_near_miss_is_a_ranked_suggestion() -> None:
    m = vocabulary().match("Số hồ sơ tiếp nhận mới trong kỳ")
    assert m.target is None and m.suggestions
    assert m.suggestions[0][0] == "dossiers_received"
    assert all(a[1] >= b[1] for a, b in zip(m.suggestions, m.suggestions[1:], strict=False))


def test_a_typo_is_read_by_similarity() -> None:
    m = vocabulary().match("Số hồ sơ tiếp nhận trực tuyếnn")
    assert (m.target, m.how) == ("dossiers_received_online", HOW_SIMILAR)
    assert 90 <= m.score < 100


def _staff_report(extra_header: str | None = None, extra_values: int | None = None) -> bytes:
    rows: list[list[object]] = [
        ["BỘ NỘI VỤ"],
        ["BÁO CÁO KẾT QUẢ TINH GIẢN BIÊN CHẾ NĂM 2024"],
        [],
        ["STT", "Tên bộ, ngành, địa phương", "Số biên chế tinh giản", None, None, "Số TTHC cắt giảm", extra_header],
        [None, None, "Tổng số", "Công chức", "Viên chức", None, None],
        ["(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Bộ Tư pháp", 12, 10, 2, 3, extra_values],
        [2, "Tỉnh Bến Tre", 30, 20, 10, 4, extra_values],
        [None, "Tổng cộng", 42, 30, 12, 7, None],
    ]
    return xlsx(SheetSpec("Biểu 1", rows, merged=["C4:E4", "A4:A5", "B4:B5", "F4:F5", "G4:G5"]))


def test_two_row_header_with_column_numbers_reads_the_staff_reductions() -> None:
    r = check(_staff_report())
    assert r.ok, r.errors
    got = {(o.indicator, o.unit): o.value for o in r.observations.itertuples()}
    assert got[("staff_reduced", "VN63-83")] == 30
    assert got[("staff_reduced_civil_servants", "M-BTP")] == 10
    assert got[("staff_reduced_public_employees", "VN63-83")] == 10
    assert got[("procedures_cut", "M-BTP")] == 3
    assert len(r.observations) == 8  # no row of column numbers read as data, no totals emitted
    assert r.warnings == []


def test_an_unknown_column_of_figures_is_a_warning_with_letter_header_and_count() -> None:
    r = check(_staff_report("Kinh phí tiết kiệm (triệu đồng)", 7))
    assert r.ok
    cols = {c.column: c for c in r.columns}
    assert cols["G"].meaning is None and cols["G"].numbers == 2
    assert [c.column for c in r.undecided] == ["G"]
    (w,) = r.warnings
    assert w.column == "G" and "Kinh phí tiết kiệm" in w.message_vi and "2" in w.message_en
    as_json = r.as_json()["columns"]
    assert {"column", "header", "meaning", "how", "score", "numbers"} <= set(as_json[0])


def test_a_column_of_figures_without_any_header_is_reported_too() -> None:
    r = check(_staff_report(None, 5))
    assert [c.column for c in r.undecided] == ["G"]
    assert r.warnings and r.warnings[0].column == "G"


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (ColumnRules(overrides={"G": "regulations_cut"}), ("regulations_cut", "user")),
        (ColumnRules(overrides={"Biểu 1!G": "@ignore"}), ("ignore", "user")),
        (ColumnRules(learned={header_key("Kinh phí tiết kiệm"): "regulations_cut"}), ("regulations_cut", "learned")),
    ],
)
def test_a_person_decides_an_unread_column(rules: ColumnRules, expected: tuple[str, str]) -> None:
    r = check(_staff_report("Kinh phí tiết kiệm (triệu đồng)", 7), rules=rules)
    g = next(c for c in r.columns if c.column == "G")
    assert (g.meaning, g.how) == expected
    assert r.undecided == [] and r.warnings == []
    n = int((r.observations["indicator"] == "regulations_cut").sum())
    assert n == (2 if expected[0] == "regulations_cut" else 0)


def test_three_row_header_with_groups_written_once() -> None:
    rows = [
        ["UBND TỈNH BẾN TRE"],
        ["Quý IV/2024"],
        ["STT", "Lĩnh vực", "Kết quả giải quyết", None, None, None],
        [None, None, "Đã giải quyết", None, "Đang giải quyết", None],
        [None, None, "Tổng số", "Quá hạn", "Tổng số", "Quá hạn"],
        [1, "Đất đai", 10, 3, 4, 1],
    ]
    r = check(xlsx(rows))
    assert r.ok, r.errors
    got = {o.indicator: o.value for o in r.observations.itertuples()}
    assert got == {
        "dossiers_resolved": 10,
        "dossiers_resolved_late": 3,
        "dossiers_pending": 4,
        "dossiers_pending_overdue": 1,
    }


# ------------------------------------------------------------------------------------ nothing vanishes
_KNOWN = ["Số hồ sơ tiếp nhận", "Số hồ sơ đã giải quyết", "Số biên chế tinh giản", "Số TTHC cắt giảm"]
_UNKNOWN = ["Kinh phí (triệu đồng)", "Diện tích", "Dân số trung bình", None]
_UNITS = ["Tỉnh Bến Tre", "Bộ Tư pháp", "Thành phố Hà Nội", "Tỉnh An Giang", "Bộ Y tế"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.sampled_from(_KNOWN + _UNKNOWN), min_size=1, max_size=6),
    values=st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 5000)), min_size=6, max_size=6), min_size=1, max_size=5
    ),
    with_total=st.booleans(),
)
def test_every_numeric_cell_is_an_observation_a_total_or_in_an_unread_column(
    headers: list[str | None], values: list[list[int | None]], with_total: bool
) -> None:
    heads = list(dict.fromkeys(h for h in headers if h)) + [None] * headers.count(None)
    width = len(heads)
    rows: list[list[object]] = [["BÁO CÁO NĂM 2024"], ["STT", "Đơn vị", *heads]]
    for i, vals in enumerate(values):
        rows.append([i + 1, _UNITS[i], *vals[:width]])
    total_row = len(rows) + 1 if with_total else None
    if with_total:
        rows.append([None, "Tổng cộng", *[1] * width])
    r = check(xlsx(rows))
    if not r.ok:
        return
    observed = {(o.row, o.column) for o in r.observations.itertuples()}
    unread = {c.column for c in r.columns if c.meaning is None or c.meaning == "ignore"}
    from loaders.readers import col_letter

    for ri, row in enumerate(rows[2:], start=3):
        for ci, v in enumerate(row[2:], start=2):
            if isinstance(v, int):
                letter = col_letter(ci)
                assert (ri, letter) in observed or ri == total_row or letter in unread, (ri, letter, r.columns)


# ----------------------------------------------------------------------- units and periods, as written
@pytest.mark.parametrize(
    ("label", "code", "unit"),
    [
        ("Ben Tre Province", None, "VN63-83"),
        ("Ho Chi Minh City", None, "VN63-79"),
        ("HCMC", None, "VN63-79"),
        ("Ministry of Justice", None, "M-BTP"),
        ("Hà Nội (1)", None, "VN63-01"),
        ("Bến Tre*", None, "VN63-83"),
        (None, 83, "VN63-83"),
        (None, 1, "VN63-01"),
        (None, "01", "VN63-01"),
        ("Tỉnh Bến Tre", 83, "VN63-83"),
        ("Tỉnh Bến Tre", 86, None),  # the code names another province: refused at the code cell
    ],
)
def test_units_by_name_code_or_both(label: str | None, code: object, unit: str | None) -> None:
    rows = [["BÁO CÁO NĂM 2024"], ["STT", "Mã tỉnh", "Tên đơn vị", "Số hồ sơ tiếp nhận"], [1, code, label, 10]]
    if label is None:
        rows = [["BÁO CÁO NĂM 2024"], ["STT", "Mã tỉnh", "Số hồ sơ tiếp nhận"], [1, code, 10]]
    r = check(xlsx(rows))
    if unit is None:
        assert not r.ok and r.errors[0].column == "B"
    else:
        assert r.ok, r.errors
        assert r.observations["unit"].tolist() == [unit]


def test_ministries_after_the_merger_by_their_dashed_short_names() -> None:
    rows = [
        ["BÁO CÁO QUÝ IV/2025"],
        ["Đơn vị", "Số hồ sơ tiếp nhận"],
        ["Nông nghiệp - Môi trường", 5],
        ["Văn hóa - Thể thao - Du lịch", 6],
        ["Khoa học - Công nghệ", 7],
    ]
    r = check(xlsx(rows))
    assert r.ok, r.errors
    assert sorted(r.observations["unit"]) == ["M-BKHCN", "M-BNNMT", "M-BVHTTDL"]


def test_an_old_code_whose_name_lives_on_says_the_new_code() -> None:
    rows = [["BÁO CÁO QUÝ IV/2025"], ["Mã tỉnh", "Số hồ sơ tiếp nhận"], ["10", 5]]
    r = check(xlsx(rows))
    (e,) = r.errors
    assert "mã mới 15" in e.message_vi and "Yên Bái" in e.message_vi and "new code 15" in e.message_en


@pytest.mark.parametrize(
    ("sheet", "title", "period", "ok"),
    [
        ("Quý IV-2024", None, "2024-Q4", True),  # the period in the sheet's name only
        ("2024", "BÁO CÁO NĂM 2024", "2024", True),
        ("Quý III-2024", "BÁO CÁO QUÝ IV/2024", None, False),  # two places disagree: refused at the title
    ],
)
def test_period_in_a_sheet_name(sheet: str, title: str | None, period: str | None, ok: bool) -> None:
    rows = [[title], ["Đơn vị", "Số hồ sơ tiếp nhận"], ["Tỉnh Bến Tre", 5]]
    r = check(xlsx(SheetSpec(sheet, rows)))
    assert r.ok is ok, r.errors
    if ok:
        assert r.observations["period"].tolist() == [period]
    else:
        assert (r.errors[0].sheet, r.errors[0].row) == (sheet, 1)


def test_one_period_per_sheet_in_one_workbook() -> None:
    head = ["Đơn vị", "Số hồ sơ tiếp nhận"]
    r = check(
        xlsx(
            SheetSpec("Quý III-2024", [head, ["Tỉnh Bến Tre", 5]]),
            SheetSpec("Quý IV-2024", [head, ["Tỉnh Bến Tre", 7]]),
        )
    )
    assert r.ok, r.errors
    assert sorted(zip(r.observations["period"], r.observations["value"], strict=True)) == [
        ("2024-Q3", 5.0),
        ("2024-Q4", 7.0),
    ]


def test_long_table_with_the_period_split_over_columns() -> None:
    rows = [
        ["Năm", "Quý", "Đơn vị", "Chỉ tiêu", "Giá trị"],
        [2024, "IV", "Tỉnh Bến Tre", "dossiers_received", 5],
        [2024, 3, "Tỉnh Bến Tre", "dossiers_received", 4],
        [2024, None, "Tỉnh Bến Tre", "staff_reduced", 9],
    ]
    r = check(xlsx(rows))
    assert r.ok, r.errors
    assert sorted(r.observations["period"]) == ["2024", "2024-Q3", "2024-Q4"]


# ----------------------------------------------------------------------- dossier exports of other systems
_EN_HEAD = ["Dossier ID", "Field", "Receipt date", "Deadline", "Completion date", "Status", "Agency name"]


@pytest.mark.parametrize(
    ("received", "due", "result", "error_column"),
    [
        ("02/12/2024", "10/12/2024", "05/12/2024", None),
        ("45628", "45636", "45631", None),  # Excel serial day numbers exported as text
        ("02/12/2024", "10/12/2024", "01/12/2024", "E"),  # resolved before it was received
        ("05/12/2024", "01/12/2024", "", "D"),  # due before it was received
    ],
)
def test_other_one_stop_exports(received: str, due: str, result: str, error_column: str | None) -> None:
    from tests.loaders.helpers import csv_bytes

    rows = [_EN_HEAD, ["HS-1", "Đất đai", received, due, result, "Đã trả kết quả", "Tỉnh Bến Tre"]]
    r = check(csv_bytes(rows), "export.csv", period="2024-Q4")
    if error_column is None:
        assert r.ok, r.errors
        got = {o.indicator: o.value for o in r.observations.itertuples()}
        assert got["dossiers_received"] == 1 and got["dossiers_resolved_early"] == 1
        assert {c.column: c.meaning for c in r.columns}["F"] == "@d_status"
    else:
        assert not r.ok
        assert (r.errors[0].row, r.errors[0].column) == (2, error_column)


@pytest.mark.parametrize(
    ("title", "code"),
    [
        ("01/10/2024 - 31/12/2024", "2024-Q4"),
        ("Kỳ báo cáo: 2024", "2024"),
        ("Năm: 2024", "2024"),
        ("T10/2025", "2025-10"),
        ("Quy IV 2024", "2024-Q4"),
        ("quarter 4 2024", "2024-Q4"),
        ("H1 2025", "2025-H1"),
        ("First half of 2025", "2025-H1"),
        ("6T/2025", "2025-H1"),
        ("Số: 10/2025/BC-UBND", None),
        ("Bến Tre, ngày 20 tháng 12 năm 2024", None),
    ],
)
def test_periods_as_titles_write_them(title: str, code: str | None) -> None:
    from loaders.titles import period_from_text

    p = period_from_text(title)
    assert (p.code if p else None) == code


def test_two_columns_read_as_one_indicator_are_asked_about_with_their_groups() -> None:
    rows = [
        ["BÁO CÁO QUÝ IV/2024"],
        ["Đơn vị", "Kết quả trong kỳ", "Lũy kế từ đầu năm"],
        [None, "Số hồ sơ tiếp nhận", "Số hồ sơ tiếp nhận"],
        ["Tỉnh Bến Tre", 5, 20],
    ]
    r = check(xlsx(SheetSpec("Biểu", rows, merged=["A2:A3"])))
    cols = {c.column: c for c in r.columns}
    assert cols["B"].meaning is None and cols["C"].meaning is None
    assert cols["B"].header == "Kết quả trong kỳ › Số hồ sơ tiếp nhận"
    assert cols["C"].suggestions[0][0] == "dossiers_received"
    assert [c.column for c in r.undecided] == ["B", "C"]
    decided = check(
        xlsx(SheetSpec("Biểu", rows, merged=["A2:A3"])),
        rules=ColumnRules(overrides={"B": "dossiers_received", "C": "@ignore"}),
    )
    assert decided.ok and decided.observations["value"].tolist() == [5.0]
