"""Targets: met / not met for a period, and on track / off track for a target year still ahead.

The projection is deliberately simple and stated on screen: an ordinary least-squares line through the
last ``n`` yearly values (default 3), read at the target year. Fewer than two yearly values give no
projection ("not enough data") rather than a guess.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from domain.catalog import Catalog, Target

#: How many recent yearly values the projection uses.
PROJECTION_YEARS = 3


@dataclass(frozen=True)
class Projection:
    """A straight-line projection: value expected in ``year`` from the yearly values it was fitted on."""

    year: int
    value: float
    slope: float
    fitted_years: tuple[int, ...]
    #: The line went past the indicator's possible range (a rate beyond 0–100%) and ``value`` is its bound.
    bounded: bool = False


def bounded(projection: Projection | None, low: float, high: float) -> Projection | None:
    """The projection held to ``low``–``high`` (a rate cannot be 103,2%), flagged when it was cut."""
    if projection is None or low <= projection.value <= high:
        return projection
    return replace(projection, value=min(max(projection.value, low), high), bounded=True)


def status(value: float | None, target: Target | None) -> str:
    """'met', 'not_met', 'no_target' or 'missing' (no value: never treated as zero)."""
    if target is None:
        return "no_target"
    if value is None or value != value:  # NaN
        return "missing"
    return "met" if target.met(value) else "not_met"


def pick_target(cat: Catalog, indicator: str, year: int) -> Target | None:
    """The target that applies to a year: the nearest target year not before it, else an undated one.

    A 2025 target governs 2021–2025 reports, a 2030 one the years after; a threshold without a year (the
    766 index's) applies always.
    """
    targets = cat.targets_for(indicator)
    dated = sorted((t for t in targets if t.year is not None), key=lambda t: t.year or 0)
    for t in dated:
        if t.year is not None and t.year >= year:
            return t
    undated = [t for t in targets if t.year is None]
    if undated:
        return undated[0]
    return dated[-1] if dated else None


def linear_projection(
    years: Sequence[int], values: Sequence[float], target_year: int, n: int = PROJECTION_YEARS
) -> Projection | None:
    """Least-squares line through the last ``n`` (year, value) pairs, evaluated at ``target_year``.

    Missing values (None/NaN) are skipped, never read as zero. Needs at least two distinct years.
    """
    pairs = sorted((int(y), float(v)) for y, v in zip(years, values, strict=True) if v is not None and v == v)
    pairs = pairs[-n:]
    if len({y for y, _ in pairs}) < 2:
        return None
    xs = [float(y) for y, _ in pairs]
    ys = [v for _, v in pairs]
    slope, intercept = statistics.linear_regression(xs, ys)
    value = intercept + slope * target_year
    return Projection(target_year, value, slope, tuple(int(x) for x in xs))


def track(projection: Projection | None, target: Target | None, clip: tuple[float, float] | None = (0.0, 100.0)) -> str:
    """'on_track', 'off_track', or 'unknown' for a dated target still ahead (given its projection)."""
    if projection is None or target is None:
        return "unknown"
    value = projection.value
    if clip is not None:
        value = min(max(value, clip[0]), clip[1])
    return "on_track" if target.met(value) else "off_track"


@dataclass(frozen=True)
class Assessment:
    """What a card or chart says about a figure and its target."""

    status: str  # met | not_met | no_target | missing
    target: Target | None
    projection: Projection | None
    track: str  # on_track | off_track | unknown | "" (no dated target ahead)


def assess(cat: Catalog, indicator: str, year: int, value: float | None, yearly: dict[int, float]) -> Assessment:
    """Status of ``value`` (a figure of ``year``) against its target and, for a target year still ahead,
    the projection from completed years up to ``year`` (``yearly``: year → value, missing years absent)."""
    target = pick_target(cat, indicator, year)
    st = status(value, target)
    if target is None or target.year is None or target.year <= year:
        return Assessment(st, target, None, "")
    known = {y: v for y, v in yearly.items() if y <= year}
    proj = linear_projection(list(known), list(known.values()), target.year)
    ind = cat.indicators.get(indicator)
    clip = (0.0, 100.0) if ind is not None and ind.unit == "%" else None
    if clip is not None:
        proj = bounded(proj, *clip)
    return Assessment(st, target, proj, track(proj, target, clip))
