"""Decimals are a column of data/indicators.csv: every figure of an indicator is shown with them."""

from __future__ import annotations

import pytest

from domain.catalog import catalog
from domain.fmt import fmt_delta, fmt_value


def test_every_indicator_says_its_decimals() -> None:
    for ind in catalog().indicators.values():
        assert 0 <= ind.decimals <= 3, ind.id


@pytest.mark.parametrize(
    ("indicator", "value", "vi", "en"),
    [
        ("on_time_rate", 85.54, "85,5%", "85.5%"),
        ("staff_reduced", 16149.0, "16.149", "16,149"),
        ("index766", 85.123, "85,12", "85.12"),
        ("on_time_rate", None, "–", "–"),
    ],
)
def test_fmt_value_uses_the_indicators_decimals(indicator: str, value: float | None, vi: str, en: str) -> None:
    ind = catalog().indicator(indicator)
    assert fmt_value(value, ind, "vi") == vi
    assert fmt_value(value, ind, "en") == en


def test_fmt_delta_of_a_rate_is_in_points() -> None:
    ind = catalog().indicator("on_time_rate")
    assert fmt_delta(1.25, ind, "vi") == "+1,2 điểm %"
    assert fmt_delta(-1.25, ind, "en") == "−1.2 pp"


def test_a_change_that_rounds_to_nothing_has_no_sign() -> None:
    ind = catalog().indicator("on_time_rate")
    for value, text in [(-0.02, "±0,0 điểm %"), (0.04, "±0,0 điểm %"), (-0.06, "−0,1 điểm %"), (0.0, "±0,0 điểm %")]:
        assert fmt_delta(value, ind, "vi") == text, value
