"""Re-basing onto today's units and group totals: counts add, rates recompute, scores never sum."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.catalog import catalog
from domain.kpi import derive_rates, rollup_sectors
from domain.rebase import aggregate_group, rebase_units
from tests.frames import frame as obs_frame


def frame(rows):
    return obs_frame(rows, flags=False)


def value(df, indicator, unit, sector=""):
    hit = df[(df["indicator"] == indicator) & (df["unit"] == unit) & (df["sector"] == sector)]
    assert len(hit) == 1, (indicator, unit, sector, hit)
    return float(hit["value"].iloc[0])


# Bến Tre (83), Trà Vinh (84) and Vĩnh Long (86) became Vĩnh Long (VN34-86); Hà Nội stayed alone.
OLD = frame(
    [
        ("dossiers_resolved", "VN63-83", "2024", "", 1000),
        ("dossiers_resolved_early", "VN63-83", "2024", "", 500),
        ("dossiers_resolved_on_time", "VN63-83", "2024", "", 450),
        ("dossiers_resolved_late", "VN63-83", "2024", "", 50),
        ("dossiers_resolved", "VN63-84", "2024", "", 3000),
        ("dossiers_resolved_early", "VN63-84", "2024", "", 2000),
        ("dossiers_resolved_on_time", "VN63-84", "2024", "", 970),
        ("dossiers_resolved_late", "VN63-84", "2024", "", 30),
        ("dossiers_resolved", "VN63-86", "2024", "", 1000),
        ("dossiers_resolved_early", "VN63-86", "2024", "", 800),
        ("dossiers_resolved_on_time", "VN63-86", "2024", "", 100),
        ("dossiers_resolved_late", "VN63-86", "2024", "", 100),
        ("on_time_rate", "VN63-83", "2024", "", 95.0),
        ("on_time_rate", "VN63-84", "2024", "", 99.0),
        ("on_time_rate", "VN63-86", "2024", "", 90.0),
        ("satisfaction_rate", "VN63-83", "2024", "", 80.0),
        ("satisfaction_rate", "VN63-84", "2024", "", 90.0),
        ("satisfaction_rate", "VN63-86", "2024", "", 70.0),
        ("par_index", "VN63-83", "2024", "", 85.0),
        ("par_index", "VN63-84", "2024", "", 88.0),
        ("staff_reduced", "VN63-01", "2024", "", 700),
        ("par_index", "VN63-01", "2024", "", 91.4),
        ("staff_reduced", "M-BTNMT", "2024", "", 12),
        ("staff_reduced", "M-BNNPTNT", "2024", "", 20),
    ]
)


@pytest.mark.parametrize(
    ("indicator", "unit", "expected"),
    [
        ("dossiers_resolved", "VN34-86", 5000),  # counts add
        ("dossiers_resolved_late", "VN34-86", 180),
        ("on_time_rate", "VN34-86", 100 * (1000 + 3000 + 1000 - 180) / 5000),  # recomputed, not averaged
        ("satisfaction_rate", "VN34-86", (80 * 1000 + 90 * 3000 + 70 * 1000) / 5000),  # weighted by resolved
        ("staff_reduced", "VN34-01", 700),  # a 1:1 successor carries the value
        ("par_index", "VN34-01", 91.4),  # a score of a lone predecessor carries over
        ("staff_reduced", "M-BNNMT", 32),  # two ministries merged
    ],
)
def test_rebase_values(indicator, unit, expected):
    out = rebase_units(OLD, catalog())
    assert value(out, indicator, unit) == pytest.approx(expected)
    row = out[(out["indicator"] == indicator) & (out["unit"] == unit)].iloc[0]
    assert bool(row["rebased"])


def test_rebase_flags_rates_and_weighted_scores():
    out = rebase_units(OLD, catalog())
    rate = out[(out["indicator"] == "on_time_rate") & (out["unit"] == "VN34-86")].iloc[0]
    assert bool(rate["derived"])
    sat = out[(out["indicator"] == "satisfaction_rate") & (out["unit"] == "VN34-86")].iloc[0]
    assert sat["note"] == "weighted_mean:dossiers_resolved"
    # the reported per-old-unit rates are gone: replaced by the one recomputed rate
    assert not out["unit"].isin(["VN63-83", "VN63-84", "VN63-86"]).any() or (
        out.loc[out["unit"].str.startswith("VN63"), "indicator"].eq("par_index").all()
    )


def test_scores_without_weight_are_never_summed():
    out = rebase_units(OLD, catalog())
    # PAR INDEX of Bến Tre and Trà Vinh stays per old unit, flagged, never 173
    par = out[out["indicator"] == "par_index"]
    assert set(par["unit"]) == {"VN63-83", "VN63-84", "VN34-01"}
    assert (par.loc[par["unit"] != "VN34-01", "note"] == "not_rebased").all()
    assert par["value"].max() < 100


def test_rebased_counts_keep_the_national_total_exactly():
    cat = catalog()
    rows = []
    for i, u in enumerate(sorted(x.id for x in cat.provinces("63"))):
        rows.append(("staff_reduced", u, "2024", "", float(100 + 7 * i)))
    old = frame(rows)
    new = rebase_units(old, cat)
    assert set(new["unit"]) == {u.id for u in cat.provinces("34")}
    assert new["value"].sum() == old["value"].sum()
    assert value(aggregate_group(old, cat, "localities"), "staff_reduced", "@localities") == old["value"].sum()
    assert value(aggregate_group(new, cat, "localities"), "staff_reduced", "@localities") == old["value"].sum()


def test_groups_split_ministries_and_localities():
    cat = catalog()
    assert value(aggregate_group(OLD, cat, "ministries"), "staff_reduced", "@ministries") == 32
    assert value(aggregate_group(OLD, cat, "localities"), "staff_reduced", "@localities") == 700
    assert value(aggregate_group(OLD, cat, "national"), "staff_reduced", "VN") == 732
    nat = aggregate_group(OLD, cat, "national")
    assert value(nat, "on_time_rate", "VN") == pytest.approx(100 * 4820 / 5000)
    par = nat[nat["indicator"] == "par_index"].iloc[0]
    assert par["note"] == "mean_of_units"


def test_group_rates_are_never_averaged_without_counts():
    cat = catalog()
    only_rates = frame(
        [("online_payment_rate", "VN63-01", "2024", "", 50.0), ("online_payment_rate", "VN63-83", "2024", "", 90.0)]
    )
    nat = aggregate_group(only_rates, cat, "national")
    assert nat[nat["indicator"] == "online_payment_rate"].empty


@pytest.mark.parametrize(
    ("reported", "note"),
    [(96.4, ""), (96.45, ""), (90.0, "rate_disagrees")],
)
def test_derive_rates_flags_disagreement(reported, note):
    df = frame(
        [
            ("dossiers_resolved", "VN63-01", "2024", "", 1000),
            ("dossiers_resolved_early", "VN63-01", "2024", "", 900),
            ("dossiers_resolved_on_time", "VN63-01", "2024", "", 64),
            ("dossiers_resolved_late", "VN63-01", "2024", "", 36),
            ("on_time_rate", "VN63-01", "2024", "", reported),
        ]
    )
    out = derive_rates(df, catalog())
    row = out[out["indicator"] == "on_time_rate"].iloc[0]
    assert row["value"] == pytest.approx(96.4)
    assert bool(row["derived"])
    assert row["note"] == note


def test_reported_rate_kept_where_counts_are_missing():
    df = frame([("on_time_rate", "VN63-01", "2024", "", 97.5)])
    out = derive_rates(df, catalog())
    row = out.iloc[0]
    assert row["value"] == 97.5 and not bool(row["derived"]) and row["note"] == "reported_rate"


def test_rollup_adds_unit_totals_from_sectors():
    df = frame(
        [
            ("dossiers_received", "VN63-01", "2024", "dat_dai", 10),
            ("dossiers_received", "VN63-01", "2024", "tu_phap", 5),
            ("dossiers_received", "VN63-83", "2024", "dat_dai", 4),
            ("dossiers_received", "VN63-83", "2024", "", 9),  # stated total wins
        ]
    )
    out = rollup_sectors(df, catalog())
    assert value(out, "dossiers_received", "VN63-01") == 15
    assert value(out, "dossiers_received", "VN63-83") == 9


def test_onto_a_period_carries_only_former_units():
    import datetime as dt

    from domain.rebase import rebase_onto, successor_on

    cat = catalog()
    # Onto 30/6/2026 (34 provinces, 17 ministries): the 2024 figures move, the 2026 ones stay as reported.
    now = frame([("staff_reduced", "VN34-86", "2026-H1", "", 40), ("staff_reduced", "M-BNNMT", "2026-H1", "", 9)])
    out = rebase_onto(pd.concat([OLD, now], ignore_index=True), cat, dt.date(2026, 6, 30))
    assert value(out[out["period"] == "2024"], "dossiers_resolved", "VN34-86") == 5000
    assert value(out[out["period"] == "2024"], "staff_reduced", "M-BNNMT") == 32
    current = out[out["period"] == "2026-H1"]
    assert value(current, "staff_reduced", "VN34-86") == 40 and not current["rebased"].any()
    assert out[out["period"] == "2024"].query("unit == 'VN34-86'")["rebased"].all()
    # Onto 31/3/2025 (63 provinces, 17 ministries): only the ministries move.
    out = rebase_onto(OLD, cat, dt.date(2025, 3, 31))
    assert value(out, "dossiers_resolved", "VN63-84") == 3000 and value(out, "staff_reduced", "M-BNNMT") == 32
    assert not out.loc[out["unit"].str.startswith("VN63"), "rebased"].any()
    # Nothing to carry: the figures as reported, rates derived.
    assert value(
        rebase_onto(OLD[OLD["unit"].str.startswith("VN63")], cat, dt.date(2024, 12, 31)), "on_time_rate", "VN63-84"
    ) == pytest.approx(99.0)
    assert successor_on(cat, "VN63-83", dt.date(2025, 6, 30)) == "VN63-83"
    assert successor_on(cat, "VN63-83", dt.date(2025, 7, 1)) == "VN34-86"


def test_figures_already_in_todays_units_keep_their_rates():
    """Re-basing figures with nothing to carry over still gives their rates from counts (it once returned
    the stored figures as they were: a period in today's units showed no unit rates in the re-based view)."""
    now = frame(
        [
            ("dossiers_resolved", "VN34-86", "2026-Q1", "", 200),
            ("dossiers_resolved_early", "VN34-86", "2026-Q1", "", 100),
            ("dossiers_resolved_on_time", "VN34-86", "2026-Q1", "", 90),
            ("dossiers_resolved_late", "VN34-86", "2026-Q1", "", 10),
        ]
    )
    cat = catalog()
    for out in (rebase_units(now, cat), derive_rates(now, cat)):
        assert value(out, "on_time_rate", "VN34-86") == pytest.approx(95.0)
        assert not out["rebased"].any()


@pytest.mark.parametrize(
    ("units", "day", "expected"),
    [
        (("VN63-83", "VN63-01"), (2025, 6, 30), ()),  # before the merger: nothing carried
        (("VN63-83", "VN63-01"), (2025, 7, 1), (("VN63-01", "VN34-01"), ("VN63-83", "VN34-86"))),
        (("VN63-83", "VN63-01"), (2026, 12, 31), (("VN63-01", "VN34-01"), ("VN63-83", "VN34-86"))),
        (("M-BTNMT", "VN63-01"), (2025, 3, 1), (("M-BTNMT", "M-BNNMT"),)),  # the ministries first
        (("VN34-86", "M-BNNMT", "@ministries", "VN"), (2026, 6, 30), ()),  # today's units and groups stay
    ],
)
def test_what_a_day_carries_over(units, day, expected):
    import datetime as dt

    from domain.rebase import carried_onto

    assert carried_onto(catalog(), units, dt.date(*day)) == expected


def test_today_carries_what_every_day_since_the_last_merger_carries():
    import datetime as dt

    from domain.rebase import carried_onto

    cat = catalog()
    units = sorted(cat.units)
    today = carried_onto(cat, units, None)
    assert ("VN63-83", "VN34-86") in today and ("M-BTNMT", "M-BNNMT") in today
    assert all(old != new and new in cat.units for old, new in today)
    assert carried_onto(cat, units, dt.date(2025, 7, 1)) == today == carried_onto(cat, units, dt.date(2026, 12, 31))
    assert carried_onto(cat, units, dt.date(2025, 6, 30)) != today  # between the two mergers
    assert carried_onto(cat, ("VN34-86", "@ministries", "no-such-unit"), None) == ()


def test_the_map_changed_on_the_two_mergers():
    import datetime as dt
    from dataclasses import replace

    from domain.catalog import MINISTRY_MERGER, PROVINCE_MERGER
    from domain.rebase import map_changes

    assert map_changes(catalog()) == (MINISTRY_MERGER, PROVINCE_MERGER) == (dt.date(2025, 3, 1), dt.date(2025, 7, 1))
    assert map_changes(replace(catalog(), units={})) == ()


@pytest.mark.parametrize("day", [(2025, 7, 1), (2025, 12, 31), (2026, 6, 30)])
def test_days_that_carry_the_same_units_give_the_same_figures(day):
    """What a cache of re-based frames relies on: the figures depend on the day only through what it carries."""
    import datetime as dt

    from domain.rebase import rebase_onto

    cat = catalog()
    pd.testing.assert_frame_equal(rebase_onto(OLD, cat, dt.date(*day)), rebase_onto(OLD, cat, dt.date(2025, 9, 30)))


def test_frames_hold_python_strings():
    """The domain's one pandas setting (see domain/__init__.py) is in force wherever frames are built."""
    import domain  # noqa: F401

    assert pd.Series(["Hà Nội"]).dtype.storage == "python"
    assert pd.Series(["Hà Nội"]).dtype == "str"
