"""Pure frame helpers the pages share: unit totals, changes, rankings, peers, Pareto shares.

Input frames are :func:`store.queries.view_frame` output (indicator, unit, period, sector, value, derived,
rebased, note); nothing here reads the database, so every function is tested on small frames.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import pandas as pd

from domain.catalog import Catalog
from domain.periods import parse_period, short_label
from domain.rebase import GROUP_UNIT, NATIONAL

#: The frame type, for pages that hand a frame from one call to the next without importing pandas.
Frame = pd.DataFrame

#: The group rows of a view frame (nation, all ministries, all localities), as domain.rebase names them.
GROUP_UNITS = tuple(GROUP_UNIT.values())


def totals(df: pd.DataFrame, indicator: str, period: str | None = None) -> pd.DataFrame:
    """Unit totals (sector "") of one indicator, optionally of one period; group rows included."""
    out = df[(df["indicator"] == indicator) & (df["sector"] == "")]
    if period is not None:
        out = out[out["period"] == period]
    return out


def unit_totals(df: pd.DataFrame, indicators: Collection[str], units: Collection[str]) -> pd.DataFrame:
    """Unit totals (sector "") of some indicators for some units (group rows included)."""
    return df[df["indicator"].isin(list(indicators)) & df["unit"].isin(list(units)) & (df["sector"] == "")]


def value_of(df: pd.DataFrame, indicator: str, period: str, unit: str = NATIONAL, sector: str = "") -> float | None:
    """One figure, or None when it is missing (never 0)."""
    hit = df[
        (df["indicator"] == indicator) & (df["period"] == period) & (df["unit"] == unit) & (df["sector"] == sector)
    ]
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


def unit_rows(
    df: pd.DataFrame, cat: Catalog, kinds: Sequence[str] = ("province", "ministry"), region: str = ""
) -> pd.DataFrame:
    """Rows of real units (not group rows) of the given kinds and, for provinces, region."""
    kind_of = {u.id: u.kind for u in cat.units.values()}
    region_of = {u.id: u.region for u in cat.units.values()}
    out = df[df["unit"].map(kind_of).isin(list(kinds))]
    if region:
        out = out[out["unit"].map(region_of) == region]
    return out


def with_names(df: pd.DataFrame, cat: Catalog, column: str = "name") -> pd.DataFrame:
    """Add the unit's chart label (provinces by short name, ministries by full name; group rows keep their id)."""
    names = {u.id: u.label for u in cat.units.values()}
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


def pareto(df: pd.DataFrame, indicator: str, period: str, units: Collection[str] = (NATIONAL,)) -> pd.DataFrame:
    """Sectors sorted by an indicator's value summed over ``units`` (largest first), with the cumulative share
    in percent. Missing figures are left out, never counted as zero; an all-zero total gives no shares."""
    rows = df[
        (df["indicator"] == indicator) & (df["period"] == period) & df["unit"].isin(list(units)) & (df["sector"] != "")
    ][["sector", "value"]].dropna()
    summed = rows.groupby("sector", sort=False)["value"].sum()
    rows = summed.reset_index().sort_values("value", ascending=False).reset_index(drop=True)
    total = rows["value"].sum()
    rows["cum_share"] = 100.0 * rows["value"].cumsum() / total if total else float("nan")
    return rows


def last_share(rows: pd.DataFrame) -> float:
    """The cumulative share reached by the last row of a :func:`pareto` (or its head)."""
    return float(rows["cum_share"].iloc[-1])


def in_scope(rows: pd.DataFrame, ids: Collection[str]) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the units in view, and the units in view without a figure (sorted), for the chart's note."""
    inside = rows[rows["unit"].isin(list(ids))]
    missing = sorted(set(ids) - set(inside.dropna(subset=["value"])["unit"]))
    return inside, missing


def mean_value(rows: pd.DataFrame) -> float | None:
    """The plain mean of the figures (missing ones left out); None when there are none."""
    return float(rows["value"].mean()) if len(rows) else None


def largest(rows: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` rows with the largest values."""
    return rows.sort_values("value", ascending=False).head(n)


def yearly_values(df: pd.DataFrame, indicator: str, unit: str = NATIONAL) -> dict[int, float]:
    """Year → figure of one unit's total (the projection's input); missing years absent, never zero."""
    rows = totals(df, indicator)
    rows = rows[rows["unit"] == unit]
    return {parse_period(c).year: float(v) for c, v in zip(rows["period"], rows["value"], strict=True) if pd.notna(v)}


def group_values(
    lookup: dict[tuple[str, str, str, str], float | None], indicator: str, period: str
) -> dict[str, float]:
    """The group totals that are known ('national', 'ministries', 'localities' → figure), from a value lookup."""
    found = {g: lookup.get((indicator, period, u, "")) for g, u in GROUP_UNIT.items()}
    return {g: v for g, v in found.items() if v is not None}


def with_codes(df: pd.DataFrame, cat: Catalog) -> pd.DataFrame:
    """Add the unit's map code (the GeoJSON feature id)."""
    code_of = {u.id: u.code for u in cat.units.values()}
    return df.assign(code=df["unit"].map(code_of))


def with_sector_names(df: pd.DataFrame, cat: Catalog, lang: str = "vi") -> pd.DataFrame:
    """Add the sector's name (an unknown sector keeps its id)."""
    return df.assign(name=df["sector"].map(lambda s: cat.sectors[s].name(lang) if s in cat.sectors else s))


#: More periods than this on one axis: they are labelled short ("6T/2021", "Q3/2025"), never rotated.
CROWDED = 4


def timeline(df: pd.DataFrame, lang: str, series: dict[str, str] | None = None, by: str = "unit") -> pd.DataFrame:
    """Rows for a chart over time: ordered by the period's end, each with its period's ``label`` (short on a
    crowded axis, :data:`CROWDED`), its ``full_label`` (for hover text) and, when ``series`` maps the ``by``
    column's values to names, the ``series`` it belongs to."""
    full = df["period"].map(lambda c: parse_period(c).label(lang))
    crowded = df["period"].nunique() > CROWDED
    short = df["period"].map(lambda c: short_label(parse_period(c), lang)) if crowded else full
    out = df.assign(label=short, full_label=full)
    if series is not None:
        out = out.assign(series=out[by].map(series))
    return out.sort_values("period", key=lambda s: s.map(lambda c: parse_period(c).end))


def index_as_column(table: pd.DataFrame) -> pd.DataFrame:
    """A table indexed by unit (or name) with that index as its first column again, for downloads."""
    return table.reset_index()


def total_of(rows: pd.DataFrame) -> float:
    """The sum of the figures (missing ones left out)."""
    return float(rows["value"].sum())


def count_periods(df: pd.DataFrame) -> int:
    """How many distinct periods a frame has figures for."""
    return int(df["period"].nunique())


def same_kind_periods(periods: Sequence[str], kind: str, upto: str | None = None) -> list[str]:
    """Periods of one kind (Y, H, 9M, Q, M) in order, optionally up to and including ``upto``."""
    from domain.periods import period_sort_key

    out = [p for p in periods if parse_period(p).kind == kind]
    if upto is not None:
        end = period_sort_key(upto)
        out = [p for p in out if period_sort_key(p) <= end]
    return out


def rate_lines(
    hist: pd.DataFrame, cat: Catalog, lang: str, national: Sequence[str], chosen_indicator: str, chosen: dict[str, str]
) -> pd.DataFrame:
    """Lines over time: the nation's ``national`` indicators (named by indicator) and ``chosen_indicator``
    for the chosen units (``chosen``: unit → line name), ordered by period end."""
    hist = hist[hist["sector"] == ""]
    nation = hist[(hist["unit"] == NATIONAL) & hist["indicator"].isin(list(national))]
    nation = nation.assign(series=nation["indicator"].map(lambda i: cat.indicator(i).name(lang)))
    picked = hist[(hist["indicator"] == chosen_indicator) & hist["unit"].isin(list(chosen))]
    picked = picked.assign(series=picked["unit"].map(chosen))
    return timeline(pd.concat([nation, picked], ignore_index=True), lang)


def sector_matrix(
    df: pd.DataFrame,
    cat: Catalog,
    ids: Collection[str],
    values: str,
    ranked_by: str,
    n: int,
    sector_names: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units × sectors of ``values`` for the ``n`` sectors with most ``ranked_by`` over the units in view
    (units by name, worst first by their row mean; sectors by name), and the rows it was built from."""
    in_view = df[df["unit"].isin(list(ids)) & (df["sector"] != "")]
    rates = in_view[in_view["indicator"] == values]
    ranking = in_view[in_view["indicator"] == ranked_by]
    top = ranking.groupby("sector")["value"].sum().sort_values(ascending=False).head(n).index
    rates = rates[rates["sector"].isin(top)]
    if rates.empty:
        return pd.DataFrame(), rates
    rates = with_names(rates, cat)
    matrix = rates.pivot_table(index="name", columns="sector", values="value", aggfunc="first")
    matrix = matrix[[s for s in top if s in matrix.columns]]
    matrix = matrix.loc[matrix.mean(axis=1).sort_values(ascending=False).index]
    matrix.columns = [sector_names.get(s, s) for s in matrix.columns]
    return matrix, rates


def mean_by_kind(rows: pd.DataFrame, cat: Catalog) -> dict[str, float | None]:
    """The plain mean of the real units' figures ('all'), and of each unit kind ('province', 'ministry')."""
    units = rows[~rows["unit"].isin(GROUP_UNITS)]
    kind_of = {u.id: u.kind for u in cat.units.values()}
    kinds = units["unit"].map(kind_of)
    return {"all": mean_value(units), **{k: mean_value(units[kinds == k]) for k in ("province", "ministry")}}
