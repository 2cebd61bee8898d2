"""Pure frame helpers the pages share: unit totals, changes, rankings, peers, Pareto shares.

Input frames are :func:`store.queries.view_frame` output (indicator, unit, period, sector, value, derived,
rebased, note); nothing here reads the database, so every function is tested on small frames.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from domain.catalog import Catalog

GROUP_UNITS = ("VN", "@ministries", "@localities")


def totals(df: pd.DataFrame, indicator: str, period: str | None = None) -> pd.DataFrame:
    """Unit totals (sector "") of one indicator, optionally of one period; group rows included."""
    out = df[(df["indicator"] == indicator) & (df["sector"] == "")]
    if period is not None:
        out = out[out["period"] == period]
    return out


def value_of(df: pd.DataFrame, indicator: str, period: str, unit: str = "VN", sector: str = "") -> float | None:
    """One figure, or None when it is missing (never 0)."""
    hit = df[(df["indicator"] == indicator) & (df["period"] == period) & (df["unit"] == unit)
             & (df["sector"] == sector)]
    if hit.empty or pd.isna(hit["value"].iloc[0]):
        return None
    return float(hit["value"].iloc[0])


def value_lookup(df: pd.DataFrame, sector: str | None = "") -> dict[tuple[str, str, str, str], float | None]:
    """Every figure of a frame by (indicator, period, unit, sector), built once: ``lookup.get(key)`` gives
    what :func:`value_of` would (the first matching row; None when missing, never 0).

    Only the rows of ``sector`` (default: unit totals) are indexed; ``None`` indexes every sector.
    """
    if sector is not None:
        df = df[df["sector"] == sector]
    if df.empty:
        return {}
    first = df.drop_duplicates(["indicator", "period", "unit", "sector"], keep="first")
    keys = zip(first["indicator"], first["period"], first["unit"], first["sector"], strict=True)
    return {k: (None if pd.isna(v) else float(v)) for k, v in zip(keys, first["value"], strict=True)}


def unit_rows(df: pd.DataFrame, cat: Catalog, kinds: Sequence[str] = ("province", "ministry"),
              region: str = "") -> pd.DataFrame:
    """Rows of real units (not group rows) of the given kinds and, for provinces, region."""
    kind_of = {u.id: u.kind for u in cat.units.values()}
    region_of = {u.id: u.region for u in cat.units.values()}
    out = df[df["unit"].map(kind_of).isin(list(kinds))]
    if region:
        out = out[out["unit"].map(region_of) == region]
    return out


def with_names(df: pd.DataFrame, cat: Catalog, column: str = "name") -> pd.DataFrame:
    """Add the unit's short name (group rows keep their id) for labels."""
    names = {u.id: u.short_name for u in cat.units.values()}
    return df.assign(**{column: df["unit"].map(names).fillna(df["unit"])})


def change_table(df: pd.DataFrame, indicator: str, period: str, base: str, better: str) -> pd.DataFrame:
    """Rank of every unit in ``period`` (1 = best in the indicator's better direction) and the change
    against ``base``; a unit missing in either period has a missing change, not 0."""
    now = totals(df, indicator, period)[["unit", "value", "rebased", "note"]]
    before = totals(df, indicator, base)[["unit", "value"]].rename(columns={"value": "base_value"})
    out = now.merge(before, on="unit", how="left")
    out["change"] = out["value"] - out["base_value"]
    ascending = better == "lower"
    out["rank"] = out["value"].rank(ascending=ascending, method="min").astype("Int64")
    return out.sort_values(["rank", "unit"], na_position="last").reset_index(drop=True)


def peers(df: pd.DataFrame, cat: Catalog, indicator: str, period: str) -> pd.DataFrame:
    """Each province against its region's average excluding itself (plain mean of the other provinces).

    Columns: unit, region, value, peer_mean, peer_n, gap (value − peer_mean).
    """
    rows = unit_rows(totals(df, indicator, period), cat, ("province",))[["unit", "value"]].dropna()
    region_of = {u.id: u.region for u in cat.units.values()}
    rows = rows.assign(region=rows["unit"].map(region_of))
    grp = rows.groupby("region")["value"]
    total, count = grp.transform("sum"), grp.transform("count")
    others = count - 1
    rows["peer_n"] = others
    rows["peer_mean"] = ((total - rows["value"]) / others).where(others > 0)
    rows["gap"] = rows["value"] - rows["peer_mean"]
    return rows.reset_index(drop=True)


def pareto(df: pd.DataFrame, indicator: str, period: str, unit: str = "VN") -> pd.DataFrame:
    """Sectors sorted by an indicator's value (largest first) with the cumulative share in percent."""
    rows = df[(df["indicator"] == indicator) & (df["period"] == period) & (df["unit"] == unit)
              & (df["sector"] != "")][["sector", "value"]].dropna()
    rows = rows.sort_values("value", ascending=False).reset_index(drop=True)
    total = rows["value"].sum()
    rows["cum_share"] = 100.0 * rows["value"].cumsum() / total if total else float("nan")
    return rows


def same_kind_periods(periods: Sequence[str], kind: str, upto: str | None = None) -> list[str]:
    """Periods of one kind (Y, H, 9M, Q, M) in order, optionally up to and including ``upto``."""
    from domain.periods import parse_period, period_sort_key

    out = [p for p in periods if parse_period(p).kind == kind]
    if upto is not None:
        end = period_sort_key(upto)
        out = [p for p in out if period_sort_key(p) <= end]
    return out
