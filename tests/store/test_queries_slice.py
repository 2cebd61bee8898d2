"""Frames cut from every indicator's views of one period each are exactly the views read for a page's
indicators and periods: what the shared caches of ui.data rely on."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from domain.catalog import catalog
from domain.periods import parse_period, period_sort_key
from store.queries import (
    COLS,
    cut_views,
    finish_period,
    finish_view,
    periods_with_data,
    split_periods,
    view_base,
    view_frame,
)


@pytest.fixture(scope="module")
def per_period(demo_engine):
    """period → the base of every indicator for it (computed when first asked for)."""
    every = tuple(catalog().indicators)
    kept: dict[str, object] = {}

    def get(p: str):
        if p not in kept:
            kept[p] = view_base(demo_engine, every, (p,))
        return kept[p]

    return get


def test_views_cut_from_every_indicators_periods_equal_reading_them(demo_engine, per_period) -> None:
    cat = catalog()
    every = sorted(cat.indicators)
    periods = periods_with_data(demo_engine)
    rng = random.Random(15)
    years = tuple(p for p in periods if parse_period(p).kind == "Y")
    cases = [(("on_time_rate",), ("2024", "2023")), (("staff_reduced",), years), (("index766", "sipas"), ("2025",))]
    cases += [(("on_time_rate", "satisfaction_rate"), ("2026-Q1", "2024-Q1"))]  # two eras
    cases += [
        (tuple(rng.sample(every, rng.randint(1, 6))), tuple(rng.sample(periods, rng.randint(1, 4)))) for _ in range(12)
    ]
    cases.append((("on_time_rate",), ("2024", "2099-Q1")))  # a period without data adds nothing
    for indicators, chosen in cases:
        ordered = sorted(chosen, key=period_sort_key)
        onto = parse_period(chosen[0]).end
        for view, day in (("as-reported", None), ("rebased", None), ("as-reported", onto)):
            read = view_frame(demo_engine, indicators, chosen, view, onto=day)
            cut = cut_views([finish_period(per_period(p), view, cat, day) for p in ordered], indicators)
            pd.testing.assert_frame_equal(read, cut)


def test_a_periods_figures_do_not_depend_on_the_periods_beside_it(demo_engine) -> None:
    """Flags included: a 2026 figure reported by its own unit is not marked re-based because a 2021 one
    of the same page was, and a count summed from sectors keeps saying so."""
    indicators = ("on_time_rate", "dossiers_received", "satisfaction_rate")
    for view in ("as-reported", "rebased"):
        alone = view_frame(demo_engine, indicators, ("2026-Q1",), view)
        beside = view_frame(demo_engine, indicators, ("2026-Q1", "2021-Q3"), view)
        assert not alone.empty and alone["unit"].str.startswith("VN34").any()
        pd.testing.assert_frame_equal(alone, beside[beside["period"] == "2026-Q1"].reset_index(drop=True))


def test_a_period_carried_onto_todays_units_is_its_rebased_view(demo_engine, per_period) -> None:
    """What lets one kept frame serve both: as reported onto a day that carries the same units over as
    today, a period reads exactly as in the re-based view (flags included), in every period with data."""
    from domain.rebase import carried_onto

    cat = catalog()
    days = [parse_period(p).end for p in ("2025-Q2", "2025-Q3", "2026-Q2")]
    compared = 0
    for period in periods_with_data(demo_engine):
        base = per_period(period)
        units = base[0]["unit"].unique()
        today = carried_onto(cat, units, None)
        for day in days:
            if today and carried_onto(cat, units, day) == today:
                rebased = finish_period(base, "rebased", cat)
                pd.testing.assert_frame_equal(finish_period(base, "as-reported", cat, day), rebased)
                compared += 1
    assert compared >= len(periods_with_data(demo_engine))  # every period of the 63 or 22 era, at least once


def test_a_base_splits_into_its_periods_oldest_first(per_period) -> None:
    both = view_base_of(per_period, ("2025-Q1", "2024-Q4"))
    parts = split_periods(both)
    assert [set(b[0]["period"]) for b in parts] == [{"2024-Q4"}, {"2025-Q1"}]
    assert all(set(g["period"]) <= {b[0]["period"].iloc[0]} for b in parts for g in b[1])
    assert split_periods(None) == []


def view_base_of(per_period, periods):
    """Two per-period bases joined as one base (what view_base reads for both periods)."""
    bases = [per_period(p) for p in periods]
    return (
        pd.concat([b[0] for b in bases], ignore_index=True),
        [pd.concat([b[1][i] for b in bases], ignore_index=True) for i in range(len(bases[0][1]))],
    )


def test_nothing_stored_is_an_empty_view(per_period) -> None:
    assert list(finish_period(None, "as-reported")) == COLS
    assert cut_views([], ("on_time_rate",)).empty
    assert cut_views([finish_period(per_period("2024"), "rebased")], ("no_such_indicator",)).empty
    assert finish_view(None, ("on_time_rate",), "rebased").empty
