"""Tiny observation frames built in a test: the columns the store's queries return."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

Row = tuple[str, str, str, str, float]


def frame(rows: Iterable[Row], flags: bool = True) -> pd.DataFrame:
    """Rows of (indicator, unit, period, sector, value); with ``flags``, as a view returns them (nothing
    derived or re-based, no note)."""
    df = pd.DataFrame(list(rows), columns=["indicator", "unit", "period", "sector", "value"])
    return df.assign(derived=False, rebased=False, note="") if flags else df


def rows_of(indicator: str, period: str, values: Mapping[str, float], sector: str = "") -> list[Row]:
    """One indicator and period: a row per unit of ``values`` (unit → value)."""
    return [(indicator, unit, period, sector, value) for unit, value in values.items()]


def sectors_of(indicator: str, unit: str, period: str, values: Mapping[str, float]) -> list[Row]:
    """One indicator, unit and period: a row per sector of ``values`` (sector → value; "" is the total)."""
    return [(indicator, unit, period, sector, value) for sector, value in values.items()]
