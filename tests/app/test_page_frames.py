"""The frame maths the pages call (analysis.frames, analysis.compare), each on a frame built in the test."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.compare import latest_published, ministry_peers, pair_values, radar_rows, without_pair
from analysis.frames import (
    group_values,
    in_scope,
    mean_by_kind,
    pareto,
    rate_lines,
    sector_matrix,
    timeline,
    unit_totals,
    value_lookup,
    yearly_values,
)
from domain.catalog import catalog
from tests.frames import frame

LATE = "dossiers_resolved_late"


@pytest.mark.parametrize(
    ("units", "sectors", "values", "shares"),
    [
        (["VN"], ["dat_dai", "xay_dung"], [60.0, 40.0], [60.0, 100.0]),  # one unit: its sectors as they are
        (["VN63-01", "VN63-83"], ["xay_dung", "dat_dai"], [70.0, 30.0], [70.0, 100.0]),  # summed over units
    ],
)
def test_pareto_sums_sectors_over_the_units_in_view(units, sectors, values, shares) -> None:
    df = frame([
        (LATE, "VN", "2024", "dat_dai", 60.0), (LATE, "VN", "2024", "xay_dung", 40.0),
        (LATE, "VN63-01", "2024", "dat_dai", 10.0), (LATE, "VN63-01", "2024", "xay_dung", 50.0),
        (LATE, "VN63-83", "2024", "dat_dai", 20.0), (LATE, "VN63-83", "2024", "xay_dung", 20.0),
        (LATE, "VN63-83", "2024", "ho_tich", math.nan),  # missing: left out, never a zero bar
        (LATE, "VN63-83", "2024", "", 40.0),
    ])  # fmt: skip
    out = pareto(df, LATE, "2024", units)
    assert list(out["sector"]) == sectors
    assert list(out["value"]) == values
    assert list(out["cum_share"]) == pytest.approx(shares)


def test_in_scope_names_the_units_without_a_figure() -> None:
    df = frame([(LATE, "A", "2024", "", 1.0), (LATE, "B", "2024", "", math.nan), (LATE, "X", "2024", "", 5.0)])
    rows, missing = in_scope(df, {"A", "B", "C"})
    assert sorted(rows["unit"]) == ["A", "B"]
    assert missing == ["B", "C"]


def test_yearly_values_and_group_values_skip_missing_figures() -> None:
    df = frame([
        ("online_service_rate", "VN", "2023", "", 70.0), ("online_service_rate", "VN", "2024", "", math.nan),
        ("online_service_rate", "VN", "2025", "", 82.0), ("online_service_rate", "VN63-01", "2025", "", 99.0),
        ("staff_reduced", "VN", "2024", "", 16149.0), ("staff_reduced", "@localities", "2024", "", 15932.0),
    ])  # fmt: skip
    assert yearly_values(df, "online_service_rate") == {2023: 70.0, 2025: 82.0}
    assert group_values(value_lookup(df), "staff_reduced", "2024") == {"national": 16149.0, "localities": 15932.0}


def test_timeline_orders_by_period_end_and_names_series() -> None:
    df = frame([(LATE, "VN", "2024", "", 1.0), (LATE, "VN", "2024-Q1", "", 2.0), (LATE, "A", "2023", "", 3.0)])
    out = timeline(df, "vi", {"VN": "Toàn quốc", "A": "Tỉnh A"})
    assert list(out["period"]) == ["2023", "2024-Q1", "2024"]
    assert list(out["label"]) == ["Năm 2023", "Quý I/2024", "Năm 2024"]
    assert list(out["series"]) == ["Tỉnh A", "Toàn quốc", "Toàn quốc"]


def test_unit_totals_and_rate_lines() -> None:
    cat = catalog()
    df = frame([
        ("on_time_rate", "VN", "2024", "", 95.0), ("late_rate", "VN", "2024", "", 5.0),
        ("late_rate", "VN63-01", "2024", "", 7.0), ("late_rate", "VN63-01", "2024", "dat_dai", 9.0),
        ("on_time_rate", "VN63-01", "2024", "", 93.0),
    ])  # fmt: skip
    assert len(unit_totals(df, ["late_rate"], ["VN", "VN63-01"])) == 2
    lines = rate_lines(df, cat, "vi", ("on_time_rate", "late_rate"), "late_rate", {"VN63-01": "Hà Nội – quá hạn"})
    assert sorted(lines["series"]) == sorted([
        cat.indicator("on_time_rate").name("vi"), cat.indicator("late_rate").name("vi"), "Hà Nội – quá hạn",
    ])  # fmt: skip


def test_sector_matrix_keeps_the_sectors_with_most_late_dossiers_worst_unit_first() -> None:
    cat = catalog()
    df = frame([
        (LATE, "VN63-01", "2024", "dat_dai", 50.0), (LATE, "VN63-01", "2024", "xay_dung", 5.0),
        (LATE, "VN63-83", "2024", "dat_dai", 30.0), (LATE, "VN63-83", "2024", "ho_tich", 1.0),
        ("late_rate", "VN63-01", "2024", "dat_dai", 4.0), ("late_rate", "VN63-83", "2024", "dat_dai", 8.0),
        ("late_rate", "VN63-01", "2024", "xay_dung", 2.0), ("late_rate", "VN63-83", "2024", "ho_tich", 1.0),
    ])  # fmt: skip
    matrix, rates = sector_matrix(df, cat, {"VN63-01", "VN63-83"}, "late_rate", LATE, 2, {"dat_dai": "Đất đai"})
    assert list(matrix.columns) == ["Đất đai", "xay_dung"]
    assert list(matrix.index) == ["Bến Tre", "Hà Nội"]  # mean late rate 8 before 3
    assert set(rates["sector"]) == {"dat_dai", "xay_dung"}


def test_mean_by_kind_leaves_out_group_rows() -> None:
    df = frame([
        ("staff_reduced", "VN", "2024", "", 1000.0), ("staff_reduced", "VN63-01", "2024", "", 10.0),
        ("staff_reduced", "VN63-83", "2024", "", 30.0), ("staff_reduced", "M-BTP", "2024", "", 5.0),
    ])  # fmt: skip
    assert mean_by_kind(df, catalog()) == {"all": 15.0, "province": 20.0, "ministry": 5.0}


@pytest.mark.parametrize(
    ("values", "peer_means"),
    [
        ([90.0, 80.0, 70.0], [75.0, 80.0, 85.0]),
        ([90.0], [math.nan]),  # a lone ministry has no peers
    ],
)
def test_ministry_peers_are_the_other_ministries(values, peer_means) -> None:
    rows = pd.DataFrame({"unit": [f"M-{i}" for i in range(len(values))], "value": values})
    out = ministry_peers(rows)
    assert list(out["peer_mean"]) == pytest.approx(peer_means, nan_ok=True)
    assert list(out["peer_n"]) == [len(values) - 1] * len(values)


def test_pairs_radar_and_published_table() -> None:
    df = frame([
        ("on_time_rate", "A", "2024", "", 90.0), ("reuse_rate", "A", "2024", "", 40.0),
        ("on_time_rate", "B", "2024", "", 80.0),
        ("index766", "A", "2023", "", 70.0), ("index766", "B", "2024", "", 85.0), ("index766", "A", "2024", "", 60.0),
    ])  # fmt: skip
    pairs = pair_values(df, "on_time_rate", "reuse_rate", "2024", {"B": "Bé", "A": "A"})
    assert list(pairs["unit"]) == ["A", "B"] and list(pairs["name"]) == ["A", "Bé"]
    assert without_pair(pairs) == ["B"]
    radar = radar_rows(df, ["A"], ("reuse_rate", "on_time_rate"), {"A": "A"}, {"reuse_rate": "R", "on_time_rate": "O"})
    assert list(radar["axis"]) == ["R", "O"]
    year, wide = latest_published(df, {"A", "B"}, ("index766",), ("on_time_rate",), {"A": "A", "B": "B"})
    assert year == "2024"
    assert list(wide.index) == ["B", "A"]  # best 766 index first
    assert list(wide.columns) == ["index766", "on_time_rate"]
