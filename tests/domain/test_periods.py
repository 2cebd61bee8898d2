"""Periods: codes, calendar and cut-off windows, eras, comparisons (table-driven)."""

from __future__ import annotations

import datetime as dt

import pytest

from domain.catalog import catalog
from domain.periods import Period, PeriodError, parse_period, period_sort_key, years_upto

D = dt.date


@pytest.mark.parametrize(
    ("code", "start", "end", "cut_start", "cut_end", "cumulative", "label"),
    [
        ("2024", D(2024, 1, 1), D(2024, 12, 31), D(2023, 12, 15), D(2024, 12, 14), True, "Năm 2024"),
        ("2024-Q1", D(2024, 1, 1), D(2024, 3, 31), D(2023, 12, 15), D(2024, 3, 14), False, "Quý I/2024"),
        ("2024-Q3", D(2024, 7, 1), D(2024, 9, 30), D(2024, 6, 15), D(2024, 9, 14), False, "Quý III/2024"),
        ("2024-Q4", D(2024, 10, 1), D(2024, 12, 31), D(2024, 9, 15), D(2024, 12, 14), False, "Quý IV/2024"),
        ("2025-H1", D(2025, 1, 1), D(2025, 6, 30), D(2024, 12, 15), D(2025, 6, 14), True, "6 tháng đầu năm 2025"),
        ("2025-H2", D(2025, 7, 1), D(2025, 12, 31), D(2025, 6, 15), D(2025, 12, 14), False, "6 tháng cuối năm 2025"),
        ("2025-9M", D(2025, 1, 1), D(2025, 9, 30), D(2024, 12, 15), D(2025, 9, 14), True, "9 tháng năm 2025"),
        ("2025-10", D(2025, 10, 1), D(2025, 10, 31), D(2025, 9, 15), D(2025, 10, 14), False, "Tháng 10/2025"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), D(2024, 1, 15), D(2024, 2, 14), False, "Tháng 2/2024"),
    ],
)
def test_period_windows(code, start, end, cut_start, cut_end, cumulative, label):
    p = parse_period(code)
    assert p.code == code
    assert (p.start, p.end) == (start, end)
    assert (p.cutoff_start, p.cutoff_end) == (cut_start, cut_end)
    assert p.cumulative is cumulative
    assert p.label("vi") == label


@pytest.mark.parametrize(
    ("code", "province_era", "ministry_era"),
    [
        ("2024", "63", "22"),
        ("2025-02", "63", "22"),
        ("2025-Q1", "63", "17"),  # the 17-member government took office on 1/3/2025
        ("2025-H1", "63", "17"),  # ends 30/6/2025, the last day of the 63
        ("2025-06", "63", "17"),
        ("2025-07", "34", "17"),
        ("2025-Q3", "34", "17"),
        ("2025-9M", "34", "17"),  # cumulative from January, but its last day is in the 34-era
        ("2025", "34", "17"),
        ("2026-H1", "34", "17"),
    ],
)
def test_eras_follow_the_last_day(code, province_era, ministry_era):
    p = parse_period(code)
    assert (p.province_era, p.ministry_era) == (province_era, ministry_era)


@pytest.mark.parametrize("bad", ["", "24", "2024-Q5", "2024-H3", "2024-13", "2024-00", "2024-6M", "Q3-2024"])
def test_bad_codes_are_refused(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_surrounding_spaces_and_numbers_are_tolerated():
    assert parse_period(" 2024 ").code == "2024"
    assert parse_period(2024).code == "2024"


def test_same_period_last_year_and_order():
    assert parse_period("2025-Q3").last_year() == Period(2024, "Q", 3)
    assert parse_period("2025-9M").last_year().code == "2024-9M"
    codes = ["2024", "2024-Q4", "2024-Q1", "2024-H1", "2024-9M", "2024-Q2", "2024-Q3"]
    assert sorted(codes, key=period_sort_key) == [
        "2024-Q1",
        "2024-Q2",
        "2024-H1",
        "2024-Q3",
        "2024-9M",
        "2024-Q4",
        "2024",
    ]


def test_english_labels():
    assert parse_period("2024-Q4").label("en") == "Q4 2024"
    assert parse_period("2025-H1").label("en") == "First half of 2025"
    assert parse_period("2025-10").label("en") == "October 2025"


def test_vietnamese_number_and_date_formats():
    import datetime as dt

    import pandas as pd

    from domain.fmt import fmt_date, fmt_delta, fmt_number, fmt_percent

    assert fmt_number(16149) == "16.149" and fmt_number(1234567) == "1.234.567"
    assert fmt_number(16149, lang="en") == "16,149"
    assert fmt_percent(85.5) == "85,5%" and fmt_percent(85.5, lang="en") == "85.5%"
    cat = catalog()
    late, staff = cat.indicator("late_rate"), cat.indicator("staff_reduced")
    assert fmt_delta(-2.34, late) == "−2,3 điểm %" and fmt_delta(1234, staff) == "+1.234"
    assert fmt_date(dt.date(2025, 7, 1)) == "01/07/2025"
    assert fmt_number(None) == fmt_number(float("nan")) == fmt_date(pd.NaT) == fmt_date(None) == "–"


@pytest.mark.parametrize(
    "codes, year, expected",
    [
        (["2023", "2024-Q4", "2024", "2025-H1", "2025"], 2024, ("2023", "2024")),
        (["2025", "2023"], 2026, ("2025", "2023")),  # the order given is kept
        (["2024-Q1", "2024-06"], 2024, ()),
        (["2026"], 2025, ()),
        ([], 2024, ()),
    ],
)
def test_years_upto_keeps_the_yearly_periods_up_to_the_year(codes, year, expected):
    assert years_upto(codes, year) == expected
