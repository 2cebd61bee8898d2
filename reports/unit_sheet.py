"""Phiếu đơn vị: one unit's profile for a period as a document — the profile page's figures, read the same way.

Every figure comes from the frames the page shows (:func:`store.queries.view_frame` with the page's
arguments) through the page's own functions (:func:`analysis.profile.unit_profile`,
:func:`charts.tables.profile_table`, :func:`analysis.profile.reporting_record`), so the sheet and the page
cannot disagree; :mod:`reports.docx_profile` lays it out as Word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from analysis.compare import COMPARE
from analysis.frames import same_kind_periods, timeline, unit_totals
from analysis.profile import (
    needed,
    peers_of,
    predecessors_text,
    record_units,
    reporting_record,
    strongest_weakest,
    unit_profile,
)
from charts.figures import trend
from charts.style import OKABE_ITO
from charts.tables import profile_table, record_table
from domain.catalog import Catalog, catalog
from domain.i18n import t
from domain.periods import parse_period
from domain.rebase import NATIONAL
from store.db import Engine
from store.history import completeness, deadline_day, unit_uploads
from store.queries import AS_REPORTED, has_demo, periods_with_data, upload_ids_for, upload_sources, view_frame

#: The headline indicator whose trend every sheet draws; the unit's weakest indicator is drawn beside it.
HEADLINE = "on_time_rate"
#: A profile's trend is lower than a page's (360 px), so the page prints on one A4 sheet with its table and record.
PROFILE_TREND_HEIGHT = 210
#: Periods of the reporting record on the sheet (the page shows eight; a printed page has room for four).
RECORD_PERIODS = 4


@dataclass
class UnitSheet:
    """What the phiếu says, in the reader's language: texts, the page's tables, trend figures, sources."""

    unit: str
    name: str
    period: str
    period_label: str
    lang: str
    is_demo: bool
    area_label: str
    profile: pd.DataFrame  # analysis.profile.unit_profile: the raw figures
    table: pd.DataFrame  # charts.tables.profile_table: exactly the page's table
    strongest: list[str]
    weakest: list[str]
    predecessors: str
    record: pd.DataFrame  # charts.tables.record_table of the latest periods
    trends: list[tuple[str, go.Figure]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: pd.DataFrame | None = None

    @property
    def title(self) -> str:
        return t("sheet_title", self.lang)


def area_label(cat: Catalog, unit_id: str, lang: str) -> str:
    """Whom the unit is compared with: its region's provinces, or the ministries."""
    unit = cat.units[unit_id]
    if unit.kind == "province" and unit.region:
        return t("profile_region", lang, region=cat.regions[unit.region].name(lang))
    return t("profile_ministries", lang)


def trend_lines(cat: Catalog, unit_id: str, lang: str) -> dict[str, str]:
    """The two lines of a profile's trend: the nation and the unit (unit id → line name)."""
    return {NATIONAL: t("group_national", lang), unit_id: cat.units[unit_id].label}


def trend_figure(hist: pd.DataFrame, cat: Catalog, unit_id: str, indicator: str, period: str, lang: str) -> go.Figure:
    """A profile's trend of one indicator (``hist``: :func:`trend_lines` over the periods of its kind): the
    unit in the first colour beside the nation in black, the period shown marked, the axis not from zero."""
    p, ind, unit = parse_period(period), cat.indicator(indicator), cat.units[unit_id]
    return trend(
        hist,
        title=t("trend_title", lang, name=f"{ind.name(lang)} – {unit.label}", kind=t("kind_" + p.kind, lang)),
        axis_label=ind.unit,
        unit=ind.unit,
        decimals=ind.decimals,
        colours={unit.label: OKABE_ITO[0], t("group_national", lang): "#000000"},
        highlight=period,
        lang=lang,
        from_zero=False,
        height=PROFILE_TREND_HEIGHT,
    )


def unit_record(
    engine: Engine, cat: Catalog, unit_id: str, period: str, periods: Sequence[str], n: int
) -> pd.DataFrame:
    """The unit's reporting record over the ``n`` latest periods of the kind of ``period`` up to it (of the
    ``periods`` with data), its predecessors' reports counted for it before the merger."""
    kind = parse_period(period).kind
    recent = list(reversed(same_kind_periods(periods, kind, upto=period)))[:n]
    reporters = sorted({u for c in recent for u in record_units(cat, unit_id, c)})
    return reporting_record(
        {c: completeness(engine, c, cat) for c in recent}, unit_uploads(engine, reporters, recent), cat, unit_id
    )


def _trend(
    engine: Engine, cat: Catalog, unit_id: str, period: str, indicator: str, view: str, lang: str
) -> tuple[go.Figure | None, pd.DataFrame]:
    """The page's trend chart of one indicator: the unit beside the nation over the periods of its kind."""
    p = parse_period(period)
    same = same_kind_periods(periods_with_data(engine), p.kind, upto=period)
    lines = trend_lines(cat, unit_id, lang)
    frame = view_frame(engine, (indicator,), same, view, onto=p.end)
    hist = timeline(unit_totals(frame, [indicator], lines), lang, lines)
    if hist.empty:
        return None, hist
    return trend_figure(hist, cat, unit_id, indicator, period, lang), hist


def build_unit_sheet(
    engine: Engine, unit_id: str, period: str, lang: str = "vi", view: str = AS_REPORTED, cat: Catalog | None = None
) -> UnitSheet:
    """The phiếu of ``unit_id`` (a unit in force at the end of ``period``: see :func:`analysis.profile.gone_to`)."""
    cat = cat or catalog()
    p = parse_period(period)
    unit = cat.units[unit_id]
    frame = view_frame(engine, needed(cat, COMPARE), [period], view, onto=p.end)
    profile = unit_profile(frame, cat, unit_id, period, COMPARE)
    area = area_label(cat, unit_id, lang)
    best, worst = strongest_weakest(profile)
    former = predecessors_text(cat, unit_id, t("profile_predecessors", lang), t("and", lang))
    record = unit_record(engine, cat, unit_id, period, periods_with_data(engine), RECORD_PERIODS)
    notes = [t("profile_rank_note", lang, n=len(peers_of(cat, unit, period)))]
    trends = []
    # Beside the headline, the weakest indicator that is not a count (a count's line would lie flat under the
    # nation's total, which is the sum of every unit's).
    weakest_rate = [i for i in worst if cat.indicator(i).kind != "count"][:1]
    for indicator in dict.fromkeys([HEADLINE, *weakest_rate]):
        fig, hist = _trend(engine, cat, unit_id, period, indicator, view, lang)
        if fig is not None:
            trends.append((cat.indicator(indicator).name(lang), fig))
            rebased = hist[hist["rebased"].astype(bool) & (hist["period"] != period)]
            if len(rebased):
                notes.append(t(f"note_compare_rebased_{unit.kind}", lang))
    notes.append(t("profile_record_note", lang, day=deadline_day()))
    if "demo" in set(record["status"]):
        notes.append(t("profile_record_demo", lang))
    ids = upload_ids_for(engine, needed(cat, COMPARE), [period])
    return UnitSheet(
        unit=unit_id,
        name=unit.name_vi,
        period=period,
        period_label=p.label(lang),
        lang=lang,
        is_demo=has_demo(engine),
        area_label=area,
        profile=profile,
        table=profile_table(profile, cat, lang, area),
        strongest=[cat.indicator(i).name(lang) for i in best],
        weakest=[cat.indicator(i).name(lang) for i in worst],
        predecessors=former,
        record=record_table(record, lang),
        trends=trends,
        notes=list(dict.fromkeys(notes)),
        sources=upload_sources(engine, ids),
    )
