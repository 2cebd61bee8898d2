"""One unit's profile: every indicator of a period with its rank among its kind, its region's and the nation's
value and its target; its predecessors before a merger; its strongest and weakest indicators.

Pure frame maths on a view frame (:func:`store.queries.view_frame` columns) that holds the indicators and the
counts their rates come from; names come from the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.targets import pick_target, status
from domain.catalog import MINISTRY_MERGER, PROVINCE_MERGER, Catalog, Unit
from domain.kpi import derive_rates
from domain.periods import parse_period
from domain.rebase import MINISTRIES, NATIONAL

COLUMNS = ["indicator", "value", "rank", "n", "region_value", "national_value", "target_op", "target_value",
           "target_instrument", "status"]  # fmt: skip


def needed(cat: Catalog, indicators: Sequence[str]) -> tuple[str, ...]:
    """The indicators and the counts their rates and weighted scores are computed from."""
    out: dict[str, None] = {}
    for i in indicators:
        ind = cat.indicator(i)
        out[i] = None
        for part in (*ind.numerator, *ind.denominator, *((ind.weight,) if ind.weight else ())):
            out[part] = None
    return tuple(out)


def peers_of(cat: Catalog, unit: Unit, period: str) -> list[str]:
    """The units a unit is ranked among: the provinces of the period's era, or the ministries in force then
    (a unit of today ranked for an earlier period: today's units, as its figures are re-based)."""
    p = parse_period(period)
    if unit.kind == "province":
        era = unit.era if unit.era else p.province_era
        return [u.id for u in cat.provinces(era)]
    day = p.end if unit.valid_on(p.end) else max(p.end, MINISTRY_MERGER)
    return [u.id for u in cat.ministries_on(day)]


def _area_value(df: pd.DataFrame, cat: Catalog, indicator: str, period: str, units: Sequence[str]) -> float | None:
    """The indicator over some units: counts added, a rate from the summed counts, a score's plain mean."""
    ind = cat.indicator(indicator)
    rows = df[df["unit"].isin(list(units)) & (df["period"] == period) & (df["sector"] == "")]
    if ind.kind == "score":
        vals = rows.loc[rows["indicator"] == indicator, "value"].dropna()
        return float(vals.mean()) if len(vals) else None
    counts = rows[rows["indicator"].map(lambda i: cat.indicator(i).kind == "count")]
    summed = counts.groupby("indicator", as_index=False)["value"].sum()
    if ind.kind == "count":
        hit = summed.loc[summed["indicator"] == indicator, "value"]
        return float(hit.iloc[0]) if len(hit) else None
    area = summed.assign(unit="@area", period=period, sector="")
    hit = derive_rates(area, cat)
    hit = hit.loc[hit["indicator"] == indicator, "value"].dropna()
    return float(hit.iloc[0]) if len(hit) else None


def unit_profile(df: pd.DataFrame, cat: Catalog, unit_id: str, period: str, indicators: Sequence[str]) -> pd.DataFrame:
    """One row per indicator the unit has a figure for in ``period``: its value, rank (1 = best in the
    indicator's better direction) among ``n`` units of its kind with a figure, its region's value (all
    ministries for a ministry), the nation's, and its target (:func:`analysis.targets.pick_target`) with the
    status ('met', 'not_met', 'no_target')."""
    unit = cat.units[unit_id]
    peers = peers_of(cat, unit, period)
    region = [u for u in peers if cat.units[u].region == unit.region] if unit.kind == "province" else peers
    year = parse_period(period).year
    rows = []
    totals = df[(df["sector"] == "") & (df["period"] == period)]
    for i in indicators:
        ind = cat.indicator(i)
        mine = totals[(totals["indicator"] == i) & (totals["unit"] == unit_id)]["value"].dropna()
        if mine.empty:
            continue
        value = float(mine.iloc[0])
        among = totals[(totals["indicator"] == i) & totals["unit"].isin(peers)]["value"].dropna()
        better = among > value if ind.better != "lower" else among < value
        rank = int(better.sum()) + 1 if ind.better else None
        nation = totals[(totals["indicator"] == i) & (totals["unit"] == NATIONAL)]["value"].dropna()
        if unit.kind == "ministry":
            group = totals[(totals["indicator"] == i) & (totals["unit"] == MINISTRIES)]["value"].dropna()
            region_value = float(group.iloc[0]) if len(group) else _area_value(df, cat, i, period, region)
        else:
            region_value = _area_value(df, cat, i, period, region)
        target = pick_target(cat, i, year)
        rows.append({
            "indicator": i, "value": value, "rank": rank, "n": len(among),
            "region_value": region_value, "national_value": float(nation.iloc[0]) if len(nation) else None,
            "target_op": target.op if target else "", "target_value": target.value if target else None,
            "target_instrument": target.instrument if target else "", "status": status(value, target),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def strongest_weakest(profile: pd.DataFrame, n: int = 3) -> tuple[list[str], list[str]]:
    """The indicators the unit ranks best and worst on among its kind (by the share of units ahead of it)."""
    ranked = profile.dropna(subset=["rank"])
    ranked = ranked[ranked["n"] > 1]
    if ranked.empty:
        return [], []
    share = (ranked["rank"].astype(float) - 1) / (ranked["n"].astype(float) - 1)
    order = ranked.assign(share=share).sort_values(["share", "indicator"])
    best = order[order["share"] <= 0.5].head(n)["indicator"].tolist()
    worst = order[order["share"] > 0.5].sort_values("share", ascending=False).head(n)["indicator"].tolist()
    return best, worst


def predecessors(cat: Catalog, unit_id: str) -> list[Unit]:
    """The former units whose figures a unit of today carries (merged into it), by name; [] when none or
    when it only carried on its own figures under a new code."""
    former = [u for u in cat.units.values() if u.id != unit_id and u.successor_id
              and cat.successor_today(u.id) == unit_id]  # fmt: skip
    return sorted(former, key=lambda u: u.short_name)


def merger_day(unit: Unit) -> dt.date:
    """The day its predecessors' figures stop: 1/7/2025 for a province, 1/3/2025 for a ministry."""
    return PROVINCE_MERGER if unit.kind == "province" else MINISTRY_MERGER


#: A unit made of several former units reported as well as the worst of them.
_WORST = {"missing": 0, "late": 1, "submitted": 2}


def record_status(board: pd.DataFrame, units: Sequence[str]) -> tuple[str, dt.datetime | None]:
    """The status of some units on a :func:`store.history.completeness` board (the worst of them, so a
    merged unit's earlier period is "late" when one predecessor was late) and the last first-upload time."""
    rows = board[board["unit"].isin(list(units))]
    if rows.empty:
        return "", None
    worst = min(rows["status"], key=lambda s: _WORST.get(str(s), 0))
    times = pd.to_datetime(rows["first_at"]).dropna()
    return str(worst), (times.max().to_pydatetime() if len(times) else None)


def record_units(cat: Catalog, unit_id: str, period: str) -> list[str]:
    """Who reported a unit's figures for a period: itself, or before its merger its predecessors."""
    unit = cat.units[unit_id]
    if unit.valid_on(parse_period(period).end):
        return [unit_id]
    return [u.id for u in predecessors(cat, unit_id) if u.valid_on(parse_period(period).end)]


RECORD_COLUMNS = ["period", "status", "first_at", "deadline", "uploads", "revisions"]


def reporting_record(
    boards: Mapping[str, pd.DataFrame], uploads: pd.DataFrame, cat: Catalog, unit_id: str
) -> pd.DataFrame:
    """A unit's reporting record, one row per period of ``boards`` (period → its
    :func:`store.history.completeness` board), from the :func:`store.history.unit_uploads` of the units that
    reported its figures then (:func:`record_units`).

    ``status`` is the board's (on time or late by its one rule, the worst of a merged unit's predecessors),
    except that a period whose figures only demo uploads hold is 'demo': generated figures are neither on
    time nor late, and the board does not count them. ``uploads`` counts the uploads (real ones, or the
    demo ones for a 'demo' period) and ``revisions`` those after each unit's first.
    """
    rows = []
    for period, board in boards.items():
        units = record_units(cat, unit_id, period)
        status, first_at = record_status(board, units)
        mine = uploads[uploads["unit"].isin(units) & (uploads["period"] == period)]
        real = mine[~mine["is_demo"].astype(bool)]
        if real.empty and len(mine):
            status, real = "demo", mine
            first_at = pd.Timestamp(mine["uploaded_at"].min()).to_pydatetime()
        per_unit = real.groupby("unit")["upload_id"].nunique()
        deadline = board["deadline"].iloc[0] if len(board) else None
        rows.append({
            "period": period, "status": status, "first_at": first_at, "deadline": deadline,
            "uploads": int(per_unit.sum()), "revisions": int((per_unit - 1).clip(lower=0).sum()),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def gone_to(cat: Catalog, unit_id: str, period: str) -> str | None:
    """The unit of today that carries a unit's figures when the unit had merged away before ``period``
    ended (its profile is then its successor's); None while it still existed."""
    unit = cat.units[unit_id]
    end = parse_period(period).end
    if unit.valid_on(end) or not unit.successor_id or end <= (unit.valid_to or end):
        return None
    return cat.successor_today(unit_id)


def predecessors_text(cat: Catalog, unit_id: str, template: str, and_word: str) -> str:
    """The sentence naming a unit's predecessors ("Vĩnh Long, gồm Bến Tre, Trà Vinh và Vĩnh Long trước
    1/7/2025") from ``template`` (fields name, names, day); "" when it has none."""
    former = predecessors(cat, unit_id)
    if not former:
        return ""
    unit = cat.units[unit_id]
    names = [u.label for u in former]
    joined = (", ".join(names[:-1]) + " " + and_word.strip() + " " + names[-1]) if len(names) > 1 else names[0]
    day = merger_day(unit)
    return template.format(name=unit.label, names=joined, day=f"{day.day}/{day.month}/{day.year}")
