"""KPI maths: roll sector figures up to unit totals and derive rates from their counts.

A rate is only as good as its counts, so wherever the numerator and denominator counts exist the rate is
recomputed from them (and a directly reported rate that disagrees by more than 0.1 percentage point is
flagged); where they do not, the reported rate is kept and marked as directly reported.
"""

from __future__ import annotations

import pandas as pd

from domain.catalog import Catalog, Indicator

#: Largest gap, in percentage points, between a reported rate and the one its counts give.
RATE_TOLERANCE_PP = 0.1

GROUP_COLS = ["unit", "period", "sector"]

#: The ten dossier counts one dossier export (shape D) yields per unit × sector × period, in the order the
#: forms list them; the unit table, the demo and the tests take the same list from here.
DOSSIER_COUNTS: tuple[str, ...] = (
    "dossiers_received",
    "dossiers_received_online",
    "dossiers_resolved",
    "dossiers_resolved_early",
    "dossiers_resolved_on_time",
    "dossiers_resolved_late",
    "dossiers_pending",
    "dossiers_pending_overdue",
    "dossiers_digitized",
    "results_digitized",
)

#: The digital-government rates of NQ 76 and QĐ 766 in the order the digital page and the brief read them.
DIGITAL_RATES: tuple[str, ...] = (
    "dossier_digitization_rate",
    "result_digitization_rate",
    "reuse_rate",
    "online_dossier_rate",
    "online_service_rate",
    "online_payment_rate",
)


def with_flags(df: pd.DataFrame) -> pd.DataFrame:
    """Ensure the provenance flags every derived frame carries exist (derived, rebased, note)."""
    out = df.copy()
    for col, default in (("derived", False), ("rebased", False), ("note", "")):
        if col not in out.columns:
            out[col] = default
    return out


def rollup_sectors(obs: pd.DataFrame, cat: Catalog) -> pd.DataFrame:
    """Add unit totals (sector "") for counts reported only per sector.

    A unit's total is the sum of its sectors; where the file stated the total itself, that stays.
    """
    obs = with_flags(obs)
    counts = {i.id for i in cat.indicators.values() if i.kind == "count"}
    per_sector = obs[(obs["sector"] != "") & obs["indicator"].isin(counts)]
    if per_sector.empty:
        return obs
    sums = per_sector.groupby(["indicator", "unit", "period"], sort=False)["value"].sum().reset_index()
    sums["sector"] = ""
    have = obs.loc[obs["sector"] == "", ["indicator", "unit", "period"]]
    merged = sums.merge(have.drop_duplicates(), how="left", on=["indicator", "unit", "period"], indicator=True)
    new = merged[merged["_merge"] == "left_only"].drop(columns="_merge")
    new = with_flags(new)
    new["derived"] = True
    new["note"] = "sum_of_sectors"
    return pd.concat([obs, new[obs.columns.intersection(new.columns)]], ignore_index=True)


def _sum_parts(wide: pd.DataFrame, parts: tuple[str, ...]) -> pd.Series:
    if not all(p in wide.columns for p in parts):
        return pd.Series(float("nan"), index=wide.index)
    return wide[list(parts)].sum(axis=1, min_count=len(parts))


def derive_rates(obs: pd.DataFrame, cat: Catalog, indicators: list[str] | None = None) -> pd.DataFrame:
    """Replace or add every rate that can be computed from counts; keep reported rates otherwise.

    Returns the frame with rates recomputed (``derived`` True), reported rates kept where counts are
    missing (``note`` 'reported_rate'), and disagreements over the tolerance noted ('rate_disagrees').
    """
    obs = with_flags(obs)
    rates = [
        i
        for i in cat.indicators.values()
        if i.kind == "rate" and i.numerator and i.denominator and (indicators is None or i.id in indicators)
    ]
    if not rates or obs.empty:
        return obs
    needed = {p for r in rates for p in (*r.numerator, *r.denominator)}
    base = obs[obs["indicator"].isin(needed)]
    if base.empty:
        return _mark_reported(obs, rates)
    wide = base.pivot_table(index=GROUP_COLS, columns="indicator", values="value", aggfunc="sum")
    have = set(wide.columns)
    # A rate whose counts are not all present derives nothing (see _sum_parts): skip building it.
    frames = [_derive_one(wide, rate) for rate in rates if have.issuperset((*rate.numerator, *rate.denominator))]
    derived = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if derived.empty:
        return _mark_reported(obs, rates)
    return _merge_derived(obs, derived, rates)


def _derive_one(wide: pd.DataFrame, rate: Indicator) -> pd.DataFrame:
    num = _sum_parts(wide, rate.numerator)
    den = _sum_parts(wide, rate.denominator)
    ok = num.notna() & den.notna() & (den > 0)
    value = (100.0 * num[ok] / den[ok]).clip(upper=100.0)
    out = value.rename("value").reset_index()
    out["indicator"] = rate.id
    return out


def _mark_reported(obs: pd.DataFrame, rates: list[Indicator]) -> pd.DataFrame:
    ids = {r.id for r in rates}
    mask = obs["indicator"].isin(ids) & ~obs["derived"].astype(bool)
    obs.loc[mask & (obs["note"] == ""), "note"] = "reported_rate"
    return obs


def _merge_derived(obs: pd.DataFrame, derived: pd.DataFrame, rates: list[Indicator]) -> pd.DataFrame:
    ids = {r.id for r in rates}
    key = ["indicator", *GROUP_COLS]
    reported = obs[obs["indicator"].isin(ids)]
    rest = obs[~obs["indicator"].isin(ids)]
    both = reported.merge(derived, on=key, how="outer", suffixes=("_rep", ""), indicator=True)
    out = both[key].copy()
    has_derived = both["_merge"] != "left_only"
    out["value"] = both["value"].where(has_derived, both["value_rep"])
    out["derived"] = has_derived
    out["rebased"] = both["rebased"].fillna(False).astype(bool) if "rebased" in both else False
    gap = (both["value_rep"] - both["value"]).abs()
    note = pd.Series("", index=both.index, dtype="object")
    note[~has_derived] = "reported_rate"
    note[has_derived & gap.notna() & (gap > RATE_TOLERANCE_PP)] = "rate_disagrees"
    out["note"] = note
    for col in obs.columns:
        if col not in out.columns:
            out[col] = both[col] if col in both.columns else None
    return pd.concat([rest, out[obs.columns]], ignore_index=True)
