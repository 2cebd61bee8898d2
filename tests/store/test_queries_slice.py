"""A view base cut from per-period bases of every indicator is exactly the base read for those indicators."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from domain.catalog import catalog
from domain.periods import parse_period
from store.queries import expand_needed, finish_view, periods_with_data, slice_base, view_base


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


def _same(a, b, indicators) -> None:
    """The same unit rows; the same group rows of the indicators and their counts (the base read also holds
    group rates its counts give, which the views drop)."""
    assert (a is None) == (b is None)
    if a is None:
        return
    pd.testing.assert_frame_equal(a[0], b[0])
    needed = expand_needed(indicators, catalog())
    assert len(a[1]) == len(b[1])
    for x, y in zip(a[1], b[1], strict=True):
        x = x[x["indicator"].isin(needed)].reset_index(drop=True)
        if not (x.empty and y.empty):
            pd.testing.assert_frame_equal(x, y)


def test_cut_bases_and_their_views_equal_reading_them(demo_engine, per_period) -> None:
    cat = catalog()
    every = sorted(cat.indicators)
    periods = periods_with_data(demo_engine)
    rng = random.Random(15)
    years = tuple(p for p in periods if parse_period(p).kind == "Y")
    cases = [(("on_time_rate",), ("2024", "2023")), (("staff_reduced",), years), (("index766", "sipas"), ("2025",))]
    cases += [
        (tuple(rng.sample(every, rng.randint(1, 6))), tuple(rng.sample(periods, rng.randint(1, 4)))) for _ in range(12)
    ]
    cases.append((("on_time_rate",), ("2024", "2099-Q1")))  # a period without data adds nothing
    for indicators, chosen in cases:
        read = view_base(demo_engine, indicators, chosen)
        cut = slice_base([per_period(p) for p in chosen], indicators)
        _same(read, cut, indicators)
        onto = parse_period(chosen[0]).end
        for view, day in (("as-reported", None), ("rebased", None), ("as-reported", onto)):
            pd.testing.assert_frame_equal(
                finish_view(read, indicators, view, onto=day), finish_view(cut, indicators, view, onto=day)
            )


def test_nothing_stored_is_no_base(per_period) -> None:
    assert slice_base([], ("on_time_rate",)) is None
    assert slice_base([None, None], ("on_time_rate",)) is None
    assert slice_base([per_period("2024")], ("no_such_indicator",)) is None
