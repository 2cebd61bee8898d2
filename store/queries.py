"""Reads: current observations as frames, and the figures the dashboard shows (derived, re-based).

``view_frame`` is the one pipeline every page and ``cli.py query`` go through, so a number checked from
the shell is the number on screen: stored figures → sector roll-up → (re-basing) → rates from counts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from domain.catalog import Catalog, catalog
from domain.kpi import derive_rates, rollup_sectors, with_flags
from domain.periods import period_sort_key
from domain.rebase import GROUP_UNIT, aggregate_group, rebase_onto, rebase_units
from store.schema import meta, observations, uploads

VIEWS = ("as-reported", "rebased")
#: The two views by name: figures in the units of their time, or re-based to today's units.
AS_REPORTED, REBASED = VIEWS


def data_version(engine: sa.Engine) -> str:
    """Opaque token that changes on every ingest, rollback or demo load: the key of every cache."""
    with engine.connect() as conn:
        return version_on(conn)


def version_on(conn: sa.Connection) -> str:
    """:func:`data_version` on a connection already open (a page run asks it with the session check)."""
    row = conn.execute(sa.select(meta.c.value).where(meta.c.key == "data_version")).first()
    return str(row[0]) if row else "empty"


def reachable_version(engine: sa.Engine) -> str | None:
    """The data version, or None when the database does not answer now: every page run reads the one
    and learns the other from the same query (pages say plainly that the database is down)."""
    try:
        return data_version(engine)
    except (sa.exc.OperationalError, sa.exc.InterfaceError):
        return None


def current_observations(
    engine: sa.Engine,
    indicators: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
    units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Current (not superseded) stored figures, filtered in SQL so big stores stay fast."""
    o = observations
    stmt = sa.select(o.c.indicator, o.c.unit, o.c.period, o.c.sector, o.c.value, o.c.upload_id).where(
        o.c.superseded.is_(False)
    )
    if indicators is not None:
        stmt = stmt.where(o.c.indicator.in_(list(indicators)))
    if periods is not None:
        stmt = stmt.where(o.c.period.in_(list(periods)))
    if units is not None:
        stmt = stmt.where(o.c.unit.in_(list(units)))
    cols = ["indicator", "unit", "period", "sector", "value", "upload_id"]
    with engine.connect() as conn:
        # Plain tuples from the driver's cursor: no Row objects (the selected types need no result processing).
        res = conn.execute(stmt)
        rows = res.cursor.fetchall()
        res.close()
    if rows:
        # Column lists straight from the rows: a frame built from row objects costs pandas a probe per row.
        df = pd.DataFrame(dict(zip(cols, (list(c) for c in zip(*rows, strict=True)), strict=True)))
    else:
        df = pd.DataFrame(rows, columns=cols)
    df["value"] = df["value"].astype(float)
    return df


def expand_needed(indicators: Sequence[str], cat: Catalog) -> list[str]:
    """Indicators plus the counts their rates and score weights are computed from."""
    needed = set(indicators)
    for ind in indicators:
        i = cat.indicators.get(ind)
        if i is None:
            continue
        needed.update(i.numerator)
        needed.update(i.denominator)
        if i.weight:
            needed.add(i.weight)
    return sorted(needed)


def view_frame(
    engine: sa.Engine,
    indicators: Sequence[str],
    periods: Sequence[str] | None = None,
    view: str = AS_REPORTED,
    groups: Sequence[str] = ("national", "ministries", "localities"),
    onto: dt.date | None = None,
) -> pd.DataFrame:
    """What the dashboard shows for these indicators: per unit, plus group rows (unit '@ministries' …).

    Columns: indicator, unit, period, sector, value, derived, rebased, note. ``onto``: see :func:`finish_view`.
    """
    return finish_view(view_base(engine, indicators, periods, groups), indicators, view, onto=onto)


COLS = ["indicator", "unit", "period", "sector", "value", "derived", "rebased", "note"]

#: What both views of a frame share: the stored figures rolled up to unit totals, and the group rows
#: (group totals come from the figures as reported in either view). None when nothing is stored.
ViewBase = tuple[pd.DataFrame, list[pd.DataFrame]] | None


def view_base(
    engine: sa.Engine,
    indicators: Sequence[str],
    periods: Sequence[str] | None = None,
    groups: Sequence[str] = ("national", "ministries", "localities"),
) -> ViewBase:
    """The view-independent part of :func:`view_frame`: a cache can keep it and finish either view from it."""
    cat = catalog()
    raw = current_observations(engine, expand_needed(indicators, cat), periods)
    return base_of(raw, groups, cat)


#: The key of a figure; a view base is sorted by it (see :func:`base_of`).
KEY = ["indicator", "unit", "period", "sector"]


def _in_order(df: pd.DataFrame) -> pd.DataFrame:
    """Key order, and notes as Python strings (the roll-ups make them so or not, depending on the rows)."""
    return df.sort_values(KEY, kind="stable", ignore_index=True).astype({"note": object})


def base_of(raw: pd.DataFrame, groups: Sequence[str], cat: Catalog) -> ViewBase:
    """A view base in key order, from the stored figures in key order: whatever order the database returned
    them in, the sums come out the same."""
    if raw.empty:
        return None
    raw = with_flags(raw.drop(columns=["upload_id"], errors="ignore"))
    obs = _in_order(rollup_sectors(_in_order(raw), cat))
    return obs, [_in_order(aggregate_group(obs, cat, g)[COLS]) for g in groups]


def split_periods(base: ViewBase) -> list[ViewBase]:
    """A view base as one base per period, oldest period first, each in key order: how
    :func:`finish_view` finishes it, and what a cache keeps per period (:func:`finish_period`)."""
    if base is None:
        return []
    obs, group_parts = base
    out: list[ViewBase] = []
    for period in sorted(obs["period"].unique(), key=period_sort_key):
        parts = [g[g["period"] == period].reset_index(drop=True) for g in group_parts]
        out.append((obs[obs["period"] == period].reset_index(drop=True), parts))
    return out


def finish_period(base: ViewBase, view: str, cat: Catalog | None = None, onto: dt.date | None = None) -> pd.DataFrame:
    """Every figure of a base of one period in a view (see :func:`finish_view`), for all its indicators.

    A figure's view depends only on the figures of its own period: rates come from the counts of their
    unit and period, re-basing adds the former units' figures of the same period. So a cache can keep
    one finished frame per period and view and cut any page's frame from them (:func:`cut_views`)."""
    if base is None:
        return pd.DataFrame(columns=COLS)
    cat = cat or catalog()
    obs, group_parts = base
    if view == REBASED:
        units = rebase_units(obs, cat)
    elif onto is not None:
        units = rebase_onto(obs, cat, onto)
    else:
        units = derive_rates(obs, cat)
    parts = [p for p in [units[COLS], *group_parts] if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLS)


def cut_views(finished: Sequence[pd.DataFrame], indicators: Sequence[str]) -> pd.DataFrame:
    """The rows of some indicators from finished frames of one period each, in their order."""
    wanted = list(indicators)
    parts = [f[f["indicator"].isin(wanted)] for f in finished]
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLS)


def finish_view(
    base: ViewBase, indicators: Sequence[str], view: str, cat: Catalog | None = None, onto: dt.date | None = None
) -> pd.DataFrame:
    """A view (as reported or re-based) from its :func:`view_base`, period by period, oldest first; the
    base is read, never changed.

    ``onto`` (the last day of the period shown) makes the as-reported view comparable: figures of periods
    reported by former units (before 1/7/2025 for provinces, 1/3/2025 for ministries) are re-based onto
    the units in force on that day (:func:`domain.rebase.rebase_onto`); the re-based view ignores it.
    Each period is finished on its own (:func:`finish_period`), so a period's figures read the same
    whichever other periods a page shows beside it.
    """
    cat = cat or catalog()
    return cut_views([finish_period(b, view, cat, onto) for b in split_periods(base)], indicators)


def query_values(
    engine: sa.Engine,
    *,
    indicator: str,
    period: str,
    unit: str | None = None,
    group: str | None = None,
    sector: str = "",
    view: str = AS_REPORTED,
) -> list[dict[str, Any]]:
    """The figure(s) the dashboard would show, as plain dicts (``cli.py query --json``)."""
    frame = view_frame(engine, [indicator], [period], view, groups=[group] if group else [])
    frame = frame[frame["sector"] == sector]
    if group:
        frame = frame[frame["unit"] == GROUP_UNIT[group]]
    elif unit:
        frame = frame[frame["unit"] == unit]
    out = []
    for r in frame.sort_values("unit").to_dict("records"):
        value = float(r["value"])
        rec: dict[str, Any] = {
            "indicator": r["indicator"],
            "period": r["period"],
            "sector": r["sector"] or None,
            "value": int(value) if value.is_integer() and math.isfinite(value) else round(value, 6),
            "derived": bool(r["derived"]),
            "rebased": bool(r["rebased"]),
            "note": r["note"] or None,
        }
        rec = {"group": group, **rec} if group else {"unit": r["unit"], **rec}
        out.append(rec)
    return out


def periods_with_data(engine: sa.Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(observations.c.period).where(observations.c.superseded.is_(False)).distinct()
        ).fetchall()
    return sorted((r[0] for r in rows), key=period_sort_key)


def has_demo(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(uploads.c.id).where(uploads.c.is_demo.is_(True)).limit(1)).first() is not None


def upload_sources(engine: sa.Engine, upload_ids: Sequence[int]) -> pd.DataFrame:
    """File name, who and when for the uploads behind a chart (its source line)."""
    ids = sorted({int(u) for u in upload_ids})
    cols = ["id", "file_name", "uploaded_by", "uploaded_at", "is_demo", "note"]
    if not ids:
        return pd.DataFrame(columns=cols)
    with engine.connect() as conn:
        res = conn.execute(sa.select(*(uploads.c[c] for c in cols)).where(uploads.c.id.in_(ids)))
        return pd.DataFrame(res.fetchall(), columns=cols)


def uploads_frame(engine: sa.Engine) -> pd.DataFrame:
    cols = [
        "id",
        "file_name",
        "sha256",
        "size_bytes",
        "uploaded_by",
        "uploaded_at",
        "status",
        "format",
        "periods",
        "units",
        "n_observations",
        "n_warnings",
        "is_demo",
        "personal_data",
    ]
    with engine.connect() as conn:
        res = conn.execute(sa.select(*(uploads.c[c] for c in cols)).order_by(uploads.c.id.desc()))
        return pd.DataFrame(res.fetchall(), columns=cols)


def upload_ids_for(engine: sa.Engine, indicators: Sequence[str], periods: Sequence[str] | None = None) -> list[int]:
    """The uploads whose current figures feed a view: a chart's source line names them."""
    o = observations
    stmt = sa.select(o.c.upload_id).where(o.c.superseded.is_(False), o.c.indicator.in_(list(indicators))).distinct()
    if periods is not None:
        stmt = stmt.where(o.c.period.in_(list(periods)))
    with engine.connect() as conn:
        return sorted(int(r[0]) for r in conn.execute(stmt))
