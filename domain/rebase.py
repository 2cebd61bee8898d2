"""Re-basing: carry figures of units that no longer exist onto today's units, and group totals.

Every old province merged whole into one new province and every dissolved ministry has one successor, so
counts add exactly. Rates are never averaged: they are recomputed from their summed counts. Scores are
never summed: they are combined as a mean weighted by a named count (flagged) or, where no weight is
named, carried over only when one old unit alone makes the new one, and otherwise shown per old unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from domain.catalog import Catalog
from domain.kpi import derive_rates, with_flags

GROUPS = ("national", "ministries", "localities")
GROUP_UNIT = {"national": "VN", "ministries": "@ministries", "localities": "@localities"}
#: The group rows by name, for code that means one of them.
NATIONAL, MINISTRIES, LOCALITIES = GROUP_UNIT["national"], GROUP_UNIT["ministries"], GROUP_UNIT["localities"]


def _kinds(cat: Catalog) -> dict[str, str]:
    return {i.id: i.kind for i in cat.indicators.values()}


def successor_on(cat: Catalog, unit_id: str, day: dt.date | None) -> str:
    """The unit that carries this one's figures on ``day``: itself while in force, else its successor's
    (followed until one is in force on ``day``, or the chain ends); ``None``: today's unit."""
    if day is None:
        return cat.successor_today(unit_id) if unit_id in cat.units else unit_id
    seen = set()
    current = unit_id
    while current in cat.units and not cat.units[current].valid_on(day) and current not in seen:
        seen.add(current)
        nxt = cat.units[current].successor_id
        if not nxt:
            break
        current = nxt
    return current


def rebase_onto(obs: pd.DataFrame, cat: Catalog, day: dt.date) -> pd.DataFrame:
    """Observations carried onto the units in force on ``day`` (the end of the period shown): figures of
    units already in force then stay as reported, those of former units are re-based onto their
    successors (counts added, rates from the summed counts, scores as :func:`rebase_units`), flagged
    ``rebased`` for those periods only. Nothing to carry over: the as-reported frame, rates derived."""
    obs = with_flags(obs)
    if obs.empty:
        return obs
    if not carried_onto(cat, obs["unit"].unique(), day):
        return derive_rates(obs, cat)
    return rebase_units(obs, cat, onto=day)


def carried_onto(cat: Catalog, units: Iterable[str], day: dt.date | None) -> tuple[tuple[str, str], ...]:
    """The former units among ``units`` and the units in force on ``day`` (``None``: today's, what
    :func:`rebase_units` carries over without ``onto``) that carry their figures, sorted: all that
    re-basing takes from ``day``, so two days with the same pairs give the same figures (what a cache of
    re-based frames is keyed by; the re-based view and the as-reported view onto a day of today's era are
    one frame). Empty: nothing to carry over."""
    pairs = ((u, successor_on(cat, u, day)) for u in units if u in cat.units)
    return tuple(sorted((u, s) for u, s in pairs if s != u))


def map_changes(cat: Catalog) -> tuple[dt.date, ...]:
    """The days the map changed (a unit's successor took over), oldest first: each starts an era whose
    days all carry the same units over (:func:`carried_onto`), so one day per era stands for all of it."""
    days = {u.valid_to + dt.timedelta(days=1) for u in cat.units.values() if u.successor_id and u.valid_to}
    return tuple(sorted(days))


def rebase_units(obs: pd.DataFrame, cat: Catalog, onto: dt.date | None = None) -> pd.DataFrame:
    """Observations of any era expressed in today's units (the 34 provinces, the 17-member government),
    or, with ``onto``, in the units in force on that day (see :func:`rebase_onto`)."""
    obs = with_flags(obs)
    if obs.empty:
        return obs
    successor = {u: successor_on(cat, u, onto) for u in obs["unit"].unique() if u in cat.units}
    obs = obs.assign(new_unit=obs["unit"].map(successor).fillna(obs["unit"]))
    moved = obs["new_unit"] != obs["unit"]
    if not moved.any():  # already in the units asked for: the figures as reported, rates from their counts
        return derive_rates(obs.drop(columns="new_unit"), cat)
    kinds = obs["indicator"].map(_kinds(cat))
    key = ["indicator", "new_unit", "period", "sector"]
    is_count = kinds == "count"

    counts = obs[is_count]
    summed = counts.groupby(key, sort=False)["value"].sum().reset_index()
    summed["derived"] = False
    summed["rebased"] = False
    summed["note"] = ""

    # Old units per new unit, counted over the non-count rows only (the key holds the indicator).
    others = obs[~is_count]
    others = others.assign(n=others.groupby(key, sort=False)["unit"].transform("nunique"))
    single = others[others["n"] == 1].copy()
    single["rebased"] = single["new_unit"] != single["unit"]
    multi = others[others["n"] > 1]
    weighted, per_old = _combine_scores(multi, obs, cat)

    parts = [
        summed.rename(columns={"new_unit": "unit"}),
        single.drop(columns=["unit", "n"]).rename(columns={"new_unit": "unit"}),
        weighted,
        per_old,
    ]
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    cols = ["indicator", "unit", "period", "sector", "value", "derived", "rebased", "note"]
    out = out[cols]
    moved_units = set(obs.loc[moved, "new_unit"].unique())
    # Rates of merged units come back from their summed counts; a reported rate of an old unit stays
    # (per old unit, flagged) only where its new unit has no counts to recompute it from.
    is_old_rate = out["note"].eq("not_rebased") & out["indicator"].map(_kinds(cat)).eq("rate")
    old_rates = out[is_old_rate]
    out = derive_rates(out[~is_old_rate], cat)
    hit = out["unit"].isin(moved_units)
    if onto is not None:
        # Onto the period shown: only the periods a former unit's figures were carried into are re-based.
        moved_keys = set(zip(obs.loc[moved, "new_unit"], obs.loc[moved, "period"], strict=True))
        hit &= pd.Series(list(zip(out["unit"], out["period"], strict=True)), index=out.index).isin(moved_keys)
    out.loc[hit & (out["note"] != "not_rebased"), "rebased"] = True
    if not old_rates.empty:
        key = ["indicator", "unit", "period", "sector"]
        as_new = old_rates[key].assign(unit=old_rates["unit"].map(successor))
        covered = as_new.merge(out[key], on=key, how="left", indicator=True)["_merge"].eq("both").to_numpy()
        out = pd.concat([out, old_rates[~covered]], ignore_index=True)
    return out.reset_index(drop=True)


def _combine_scores(multi: pd.DataFrame, obs: pd.DataFrame, cat: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weighted means for scores that name a weight; everything else stays per old unit, flagged."""
    if multi.empty:
        return pd.DataFrame(), pd.DataFrame()
    weight_of = {i.id: i.weight for i in cat.indicators.values() if i.kind == "score" and i.weight}
    can_weigh = multi["indicator"].isin(list(weight_of))
    weighted, unweighable = _weighted_mean(multi[can_weigh], obs, weight_of, by="new_unit")
    per_old = pd.concat([multi[~can_weigh], unweighable], ignore_index=True)
    per_old = per_old.drop(columns=["new_unit", "n"]).assign(note="not_rebased", rebased=False)
    return weighted, per_old


def _weighted_mean(
    scores: pd.DataFrame, obs: pd.DataFrame, weight_of: dict[str, str], by: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean of each score over the units sharing ``by``, weighted by its named count.

    Returns the means (unit = the ``by`` value) and the original score rows that could not be weighted
    because some unit lacks its weight.
    """
    if scores.empty:
        return pd.DataFrame(), scores
    w = obs[obs["indicator"].isin(set(weight_of.values()))][["indicator", "unit", "period", "sector", "value"]]
    w = w.rename(columns={"indicator": "weight_indicator", "value": "weight"})
    s = scores.assign(weight_indicator=scores["indicator"].map(weight_of))
    s = s.merge(w, on=["weight_indicator", "unit", "period", "sector"], how="left")
    key = ["indicator", by, "period", "sector"]
    # Every unit of the group has its weight and the weights add to more than 0 (vectorised, no per-group call).
    grouped = s.assign(lacks=s["weight"].isna()).groupby(key, sort=False)
    complete = ~grouped["lacks"].transform("any") & (grouped["weight"].transform("sum") > 0)
    good = s[complete]
    out = (
        good.assign(wv=good["value"] * good["weight"])
        .groupby(key, as_index=False, sort=False)
        .agg(wv=("wv", "sum"), w=("weight", "sum"))
    )
    out["value"] = out["wv"] / out["w"]
    out = out.drop(columns=["wv", "w"]).rename(columns={by: "unit"})
    out["derived"] = True
    out["rebased"] = by == "new_unit"
    out["note"] = "weighted_mean:" + out["indicator"].map(weight_of)
    return out, s[~complete].drop(columns=["weight_indicator", "weight"])


def group_members(group: str) -> set[str]:
    """Unit kinds that make up a group total."""
    return {"national": {"province", "ministry"}, "ministries": {"ministry"}, "localities": {"province"}}[group]


def aggregate_group(obs: pd.DataFrame, cat: Catalog, group: str) -> pd.DataFrame:
    """National, all-ministries or all-localities figures: counts add, rates from counts, scores averaged.

    Rates are recomputed from the group's summed counts, never averaged; without counts there is none.
    A score is averaged across the group's units, weighted by its named count where every unit has it
    (note 'weighted_mean:…'), else as a plain mean (note 'mean_of_units'). Where no unit reports an
    indicator but the nation does (e.g. a published national average), the national row is used.
    """
    obs = with_flags(obs)
    kind_of = {u.id: u.kind for u in cat.units.values()}
    members = obs[obs["unit"].map(kind_of).isin(group_members(group))]
    kinds = members["indicator"].map(_kinds(cat))
    key = ["indicator", "period", "sector"]
    counts = members[kinds == "count"].groupby(key, sort=False)["value"].sum().reset_index()
    counts["derived"] = False
    counts["note"] = ""
    scores = members[kinds == "score"]
    weight_of = {i.id: i.weight for i in cat.indicators.values() if i.kind == "score" and i.weight}
    score_rows = _group_scores(scores, members, weight_of)
    # Rates are not averaged across units: they come back from the summed counts below, or stay missing.
    parts = [f for f in (counts, score_rows) if not f.empty]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*key, "value", "derived", "note"])
    out["unit"] = GROUP_UNIT[group]
    out["rebased"] = False
    out = derive_rates(out[["indicator", "unit", "period", "sector", "value", "derived", "rebased", "note"]], cat)
    if group == "national":
        out = _fill_from_nation(out, obs)
    return out


def _group_scores(scores: pd.DataFrame, members: pd.DataFrame, weight_of: dict[str, str]) -> pd.DataFrame:
    if scores.empty:
        return pd.DataFrame()
    key = ["indicator", "period", "sector"]
    can_weigh = scores["indicator"].isin(list(weight_of))
    weighted, unweighable = _weighted_mean(scores[can_weigh].assign(group="g"), members, weight_of, by="group")
    remaining = pd.concat([scores[~can_weigh], unweighable], ignore_index=True)
    plain = remaining.groupby(key, sort=False)["value"].mean().reset_index()
    plain["derived"] = True
    plain["note"] = "mean_of_units"
    if not weighted.empty:
        weighted = weighted[[*key, "value", "derived", "note"]]
    return pd.concat([f for f in (weighted, plain) if not f.empty], ignore_index=True)


def _fill_from_nation(out: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    national = obs[obs["unit"] == "VN"]
    if national.empty:
        return out
    key = ["indicator", "period", "sector"]
    have = out[key].drop_duplicates()
    extra = national.merge(have, on=key, how="left", indicator=True)
    extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
    if extra.empty:
        return out
    extra = with_flags(extra)[out.columns]
    return pd.concat([out, extra], ignore_index=True)
