"""The pure maths behind the pages: target status, projection, rankings, peers, Pareto."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.frames import change_table, pareto, peers, same_kind_periods, value_of
from analysis.targets import assess, linear_projection, pick_target, status, track
from domain.catalog import Target, catalog
from tests.frames import frame, rows_of, sectors_of

T80 = Target("online_service_rate", "all", ">=", 80.0, 2025, "Nghị quyết 76/NQ-CP (15/7/2021)", "")
LOW = Target("late_rate", "all", "<=", 5.0, None, "test", "")


def test_status_met_not_met_missing_and_no_target():
    assert status(80.0, T80) == "met"
    assert status(79.9, T80) == "not_met"
    assert status(4.0, LOW) == "met" and status(6.0, LOW) == "not_met"
    assert status(None, T80) == "missing"
    assert status(float("nan"), T80) == "missing"
    assert status(50.0, None) == "no_target"


def test_linear_projection_is_least_squares_on_the_last_n_years():
    proj = linear_projection([2021, 2022, 2023, 2024], [10.0, 50.0, 60.0, 70.0], 2025, n=3)
    assert proj is not None
    assert proj.fitted_years == (2022, 2023, 2024)
    assert proj.slope == pytest.approx(10.0)
    assert proj.value == pytest.approx(80.0)
    # Exact least squares on a noisy line: slope = cov/var.
    proj = linear_projection([2022, 2023, 2024], [60.0, 66.0, 69.0], 2030)
    assert proj is not None and proj.slope == pytest.approx(4.5) and proj.value == pytest.approx(65.0 + 4.5 * 7)


def test_projection_skips_missing_values_and_needs_two_years():
    assert linear_projection([2024], [50.0], 2025) is None
    assert linear_projection([2023, 2024], [None, 50.0], 2025) is None  # type: ignore[list-item]
    proj = linear_projection([2022, 2023, 2024], [40.0, math.nan, 60.0], 2025)
    assert proj is not None and proj.value == pytest.approx(70.0)


def test_track_clips_rates_and_needs_a_projection():
    up = linear_projection([2023, 2024], [70.0, 78.0], 2025)
    assert track(up, T80) == "on_track"
    down = linear_projection([2023, 2024], [75.0, 74.0], 2025)
    assert track(down, T80) == "off_track"
    assert track(None, T80) == "unknown"


def test_pick_target_and_assess_use_the_right_year_and_document():
    cat = catalog()
    assert pick_target(cat, "online_service_rate", 2024).value == 80  # the 2025 target governs 2024
    assert pick_target(cat, "online_service_rate", 2026).value == 90  # then the 2030 one
    assert pick_target(cat, "staff_reduced", 2024) is None
    a = assess(cat, "online_service_rate", 2024, 75.0, {2022: 55.0, 2023: 65.0, 2024: 75.0})
    assert a.status == "not_met" and a.track == "on_track"
    assert a.projection is not None and a.projection.value == pytest.approx(85.0)
    assert "76/NQ-CP" in a.target.instrument
    past = assess(cat, "online_service_rate", 2025, 81.0, {})
    assert past.status == "met" and past.track == "" and past.projection is None


def test_change_table_ranks_by_better_direction_and_keeps_missing_missing():
    df = frame(
        rows_of("late_rate", "2024", {"A": 3.0, "B": 1.0, "C": 2.0})
        + rows_of("late_rate", "2023", {"A": 4.0, "B": 1.5})
    )
    out = change_table(df, "late_rate", "2024", "2023", "lower")
    assert list(out["unit"]) == ["B", "C", "A"]
    assert list(out["rank"]) == [1, 2, 3]
    assert out.loc[out["unit"] == "A", "change"].iloc[0] == pytest.approx(-1.0)
    assert pd.isna(out.loc[out["unit"] == "C", "change"].iloc[0])  # no 2023 figure: missing, not 0


def test_peers_exclude_the_unit_itself():
    cat = catalog()
    dbsh = [u.id for u in cat.provinces("63") if u.region == "DBSH"][:3]
    df = frame([("on_time_rate", u, "2024", "", v) for u, v in zip(dbsh, (90.0, 80.0, 70.0), strict=True)])
    out = peers(df, cat, "on_time_rate", "2024").set_index("unit")
    assert out.loc[dbsh[0], "peer_mean"] == pytest.approx(75.0)
    assert out.loc[dbsh[0], "gap"] == pytest.approx(15.0)
    assert out.loc[dbsh[2], "peer_n"] == 2


def test_pareto_and_helpers():
    df = frame(
        sectors_of(
            "dossiers_resolved_late", "VN", "2024", {"dat_dai": 60.0, "xay_dung": 30.0, "ldtbxh": 10.0, "": 100.0}
        )
    )
    out = pareto(df, "dossiers_resolved_late", "2024")
    assert list(out["sector"]) == ["dat_dai", "xay_dung", "ldtbxh"]
    assert list(out["cum_share"]) == pytest.approx([60.0, 90.0, 100.0])
    assert value_of(df, "dossiers_resolved_late", "2024") == 100.0
    assert value_of(df, "dossiers_resolved_late", "2023") is None
    assert same_kind_periods(["2024-Q1", "2024", "2024-Q2", "2025-Q1"], "Q", upto="2024-Q2") == ["2024-Q1", "2024-Q2"]


def test_a_rate_projection_is_held_within_0_to_100_and_says_so() -> None:
    from domain.fmt import fmt_value
    from ui.labels import target_text

    cat = catalog()
    ind = next(i for i in cat.indicators.values() if i.unit == "%" and any(t.year for t in cat.targets_for(i.id)))
    year = min(t.year for t in cat.targets_for(ind.id) if t.year) - 3
    a = assess(cat, ind.id, year, 95.0, {year - 2: 80.0, year - 1: 90.0, year: 99.0})
    assert a.projection is not None and a.projection.value == 100.0 and a.projection.bounded
    text = target_text(a, ind, "vi")
    assert fmt_value(100.0, ind, "vi") in text and "0–100%" in text and "103" not in text
