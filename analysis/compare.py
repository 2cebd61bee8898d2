"""Units compared with each other: ministries against the other ministries, two indicators side by side,
a radar of chosen units, the published indices beside ours.

Pure frame maths for the comparison pages (pages/layouts/compare.py); names come in as mappings.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from analysis.frames import peers, totals, with_names
from domain.catalog import Catalog
from domain.periods import period_sort_key

#: Indicators a committee compares units on; rates and scores first (they compare across unit sizes).
COMPARE = (
    "on_time_rate", "late_rate", "dossier_digitization_rate", "result_digitization_rate", "reuse_rate",
    "online_dossier_rate", "online_service_rate", "online_payment_rate", "satisfaction_rate", "index766",
    "par_index", "sipas", "staff_reduced", "dossiers_pending_overdue", "dossiers_resolved_late",
)  # fmt: skip


def ministry_peers(rows: pd.DataFrame) -> pd.DataFrame:
    """Each ministry against the mean of the other ministries (they have no regions).

    Columns as :func:`analysis.frames.peers`: unit, value, region (""), peer_n, peer_mean, gap.
    """
    r = rows[["unit", "value"]].dropna().copy()
    n = len(r)
    r["region"] = ""
    r["peer_n"] = n - 1
    r["peer_mean"] = (r["value"].sum() - r["value"]) / (n - 1) if n > 1 else float("nan")
    r["gap"] = r["value"] - r["peer_mean"]
    return r.reset_index(drop=True)


def pair_values(df: pd.DataFrame, x: str, y: str, period: str, names: dict[str, str]) -> pd.DataFrame:
    """One row per unit of ``names`` (sorted by id): its name and its ``x`` and ``y`` figures (missing: NaN)."""
    xs = totals(df, x, period).set_index("unit")["value"]
    ys = totals(df, y, period).set_index("unit")["value"]
    data = pd.DataFrame({"unit": sorted(names)})
    data["name"] = data["unit"].map(names)
    data["x"] = data["unit"].map(xs)
    data["y"] = data["unit"].map(ys)
    return data


def without_pair(data: pd.DataFrame) -> list[str]:
    """The units of :func:`pair_values` missing either figure (sorted)."""
    return sorted(data.loc[data[["x", "y"]].isna().any(axis=1), "unit"])


def has_pairs(data: pd.DataFrame) -> bool:
    """Whether any unit of :func:`pair_values` has both figures."""
    return not data.dropna(subset=["x", "y"]).empty


def radar_rows(
    df: pd.DataFrame, units: Sequence[str], axes: Sequence[str], names: dict[str, str], axis_names: dict[str, str]
) -> pd.DataFrame:
    """The chosen units' totals on each axis indicator, with unit ``name`` and ``axis`` name, in axis order."""
    rows = df[df["unit"].isin(list(units)) & df["indicator"].isin(list(axes)) & (df["sector"] == "")]
    rows = rows.assign(name=rows["unit"].map(names), axis=rows["indicator"].map(axis_names))
    order = {axis_names[i]: n for n, i in enumerate(axes)}
    return rows.sort_values(["unit", "axis"], key=lambda s: s.map(order) if s.name == "axis" else s)


def latest_published(
    df: pd.DataFrame, ids: Collection[str], published: Sequence[str], ours: Sequence[str], names: dict[str, str]
) -> tuple[str | None, pd.DataFrame]:
    """The latest year with a published index for the units in view, and that year's figures as a unit ×
    indicator table (published indices first, then ours), best 766 index first, unknown last."""
    pub = df[df["unit"].isin(list(ids)) & (df["sector"] == "")]
    have = pub[pub["indicator"].isin(list(published))]
    if have.empty:
        return None, pd.DataFrame()
    year = str(max(have["period"], key=period_sort_key))
    wide = pub[pub["period"] == year].pivot_table(index="unit", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=[*published, *ours])
    wide = wide.reindex(sorted(ids, key=lambda u: names.get(u, u)))
    return year, wide.sort_values("index766", ascending=False, na_position="last")


def unit_peers(rows: pd.DataFrame, cat: Catalog, indicator: str, period: str, kind: str) -> pd.DataFrame:
    """Each unit's gap to its peers, named, units without a gap left out: provinces against the other
    provinces of their region (:func:`analysis.frames.peers`), ministries against the other ministries."""
    out = peers(rows, cat, indicator, period) if kind == "province" else ministry_peers(rows)
    return with_names(out, cat).dropna(subset=["gap"])


def gaps_as_values(peer_rows: pd.DataFrame) -> pd.DataFrame:
    """Peer rows with the gap as the bar value (the ranked-bars figure draws ``value``)."""
    return peer_rows.assign(value=peer_rows["gap"])
