"""A chart over periods labels at most a dozen of them, always the latest, evenly spaced and flat."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from charts.figures import MAX_PERIOD_TICKS, period_axis, stacked_bars, trend


def quarters(n: int) -> list[str]:
    return [f"Q{q % 4 + 1}/{2021 + q // 4}" for q in range(n)]


@pytest.mark.parametrize("n", [1, 4, MAX_PERIOD_TICKS, MAX_PERIOD_TICKS + 1, 22, 24, 25, 60])
def test_a_crowded_axis_labels_every_nth_period_back_from_the_latest(n: int) -> None:
    labels = quarters(n)
    axis = period_axis(labels)
    assert axis["categoryarray"] == labels and axis["tickangle"] == 0  # every period keeps its place
    shown = axis.get("tickvals", labels)
    assert len(shown) <= MAX_PERIOD_TICKS and shown[-1] == labels[-1]
    positions = [labels.index(v) for v in shown]
    assert len({b - a for a, b in itertools.pairwise(positions)}) <= 1  # evenly spaced
    if n <= MAX_PERIOD_TICKS:
        assert "tickvals" not in axis  # few periods: Plotly labels each one itself
    else:
        assert axis["ticktext"] == shown and len(shown) > MAX_PERIOD_TICKS // 2  # not thinned more than needed


def test_trends_and_stacked_bars_over_22_quarters_label_at_most_a_dozen() -> None:
    labels = quarters(22)
    df = pd.DataFrame({"series": "A", "label": labels, "period": labels, "value": range(22)})
    for fig in (
        trend(df, title="t", axis_label="%", unit="%", decimals=1, colours={}),
        stacked_bars(df, title="t", axis_label="n", colours={}),
    ):
        ticks = list(fig.layout.xaxis.tickvals)
        assert list(fig.layout.xaxis.categoryarray) == labels
        assert len(ticks) <= MAX_PERIOD_TICKS and ticks[-1] == labels[-1]
