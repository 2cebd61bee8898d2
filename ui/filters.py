"""The filter bar: one per page, every choice kept in the URL so a link reopens the same view.

Period type and period, era view (as reported or re-based to today's units), region, unit kind and up to
six units to compare; :class:`Filters` is what a page reads, :func:`scope_units` the units it covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from domain.catalog import MINISTRY_MERGER, Catalog, Unit, catalog
from domain.i18n import t
from domain.periods import KINDS, Period, kind_label, parse_period, period_sort_key
from store.queries import AS_REPORTED, REBASED, VIEWS
from ui.context import Ctx
from ui.data import available_periods
from ui.url_state import url_multiselect, url_widget

UNIT_KINDS = ("all", "province", "ministry")
#: At most this many units are picked for comparison (the radar chart compares two to six).
MAX_UNITS = 6


@dataclass(frozen=True)
class Filters:
    """The view a page shows: period, era view, region, unit kind and the units chosen for comparison."""

    kind: str
    period: str
    view: str
    region: str
    unit_kind: str
    units: tuple[str, ...]

    @property
    def p(self) -> Period:
        """The chosen period, parsed."""
        return parse_period(self.period)

    @property
    def rebased(self) -> bool:
        """Figures re-based to today's units (else as reported, in the units of their time)."""
        return self.view == REBASED

    @property
    def last_year(self) -> str:
        """The same period a year earlier (the cards' comparison)."""
        return self.p.last_year().code

    @property
    def kinds(self) -> tuple[str, ...]:
        """The unit kinds covered: both for "all", else the chosen one."""
        return ("province", "ministry") if self.unit_kind == "all" else (self.unit_kind,)

    @property
    def key(self) -> tuple[str, ...]:
        """The filters as plain strings, for cache keys."""
        return (*self.scope_key, *self.units)

    @property
    def scope_key(self) -> tuple[str, ...]:
        """:attr:`key` without the units chosen for comparison: the key of what covers every unit in scope
        (a map, a ranking) and only highlights the chosen ones elsewhere, so choosing units reuses it."""
        return (self.kind, self.period, self.view, self.region, self.unit_kind)


def scope_units(cat: Catalog, f: Filters, kinds: Sequence[str] | None = None) -> list[Unit]:
    """Units the view covers: those in force at the period's end (as reported) or today's (re-based),
    of the chosen kinds and, for provinces, the chosen region."""
    out: list[Unit] = []
    for kind in kinds or f.kinds:
        if kind == "province":
            units = cat.provinces("34" if f.rebased else f.p.province_era)
            out += [u for u in units if not f.region or u.region == f.region]
        elif kind == "ministry":
            # Re-based: today's government (the one in force after the last merger), else the period's own.
            day = max(dt.date.today(), MINISTRY_MERGER) if f.rebased else f.p.end
            out += cat.ministries_on(day)
    return out


def _query_default_kind(periods: Sequence[str]) -> str:
    """The period type implied by a ``?period=`` link, else the type of the latest period with data."""
    wanted = st.query_params.get("period")
    if wanted in periods:
        return parse_period(str(wanted)).kind
    return parse_period(periods[-1]).kind


def filter_bar(
    ctx: Ctx,
    *,
    unit_kinds: Sequence[str] = UNIT_KINDS,
    regions: bool = True,
    choose_units: bool = True,
) -> Filters:
    """Period type and period, era view, region, unit kind and units, all bound to the query string.

    Opens on the latest period with data. Every choice is kept in the query string as its code (see
    :func:`url_widget`): a leader copies the address bar and the link reopens the same view.
    """
    periods = available_periods(ctx.token)
    if not periods:
        st.info(t("no_data", ctx.lang))
        st.stop()
    with st.container(border=True):
        kind, period, view = _period_row(ctx.lang, periods)
        region, unit_kind = "", unit_kinds[0]
        chosen: tuple[str, ...] = ()
        if regions or len(unit_kinds) > 1 or choose_units:
            draft = Filters(kind, period, view, "", unit_kinds[0], ())
            region, unit_kind, chosen = _unit_row(ctx.lang, draft, unit_kinds, regions, choose_units)
    return Filters(kind, period, view, region, unit_kind, chosen)


def _period_row(lg: str, periods: Sequence[str]) -> tuple[str, str, str]:
    """The first row: period type, period (the latest with data by default) and era view."""
    present = [k for k in KINDS if any(parse_period(c).kind == k for c in periods)]
    default_kind = _query_default_kind(periods)
    if default_kind not in present:
        default_kind = present[0]
    c1, c2, c3 = st.columns([1, 1.4, 2.2])
    kind = url_widget(
        c1.selectbox, t("period_type", lg), present, "ptype", default_kind, format_func=lambda k: kind_label(k, lg)
    )
    options = sorted((c for c in periods if parse_period(c).kind == kind), key=period_sort_key, reverse=True)
    period = url_widget(
        c2.selectbox,
        t("period", lg),
        options,
        "period",
        options[0],
        format_func=lambda c: parse_period(c).label(lg),
    )
    view = url_widget(
        c3.radio,
        t("view_mode", lg),
        list(VIEWS),
        "view",
        VIEWS[0],
        horizontal=True,
        format_func=lambda v: t("view_as_reported_short" if v == AS_REPORTED else "view_rebased_short", lg),
        help=t("view_as_reported", lg) + "  \n" + t("view_rebased", lg),
    )
    return str(kind), str(period), str(view)


def _unit_row(
    lg: str, draft: Filters, unit_kinds: Sequence[str], regions: bool, choose_units: bool
) -> tuple[str, str, tuple[str, ...]]:
    """The second row: unit kind, region and the units chosen for comparison (pooled by the first two)."""
    cat = catalog()
    d1, d2, d3 = st.columns([1, 1.4, 2.2])
    unit_kind, region = unit_kinds[0], ""
    if len(unit_kinds) > 1:
        unit_kind = str(
            url_widget(
                d1.selectbox,
                t("unit_kind", lg),
                list(unit_kinds),
                "ukind",
                unit_kinds[0],
                format_func=lambda k: t(f"unit_kind_{k}", lg),
            )
        )
    if regions and unit_kind != "ministry":
        region = str(
            url_widget(
                d2.selectbox,
                t("region", lg),
                ["", *cat.regions],
                "region",
                "",
                format_func=lambda r: cat.regions[r].name(lg) if r else t("all_regions", lg),
            )
        )
    if not choose_units:
        return region, unit_kind, ()
    pool = scope_units(cat, Filters(draft.kind, draft.period, draft.view, region, unit_kind, ()))
    chosen = url_multiselect(
        d3,
        t("units_pick", lg, n=MAX_UNITS),
        [u.id for u in pool],
        "units",
        format_func=lambda u: cat.units[u].label if u in cat.units else u,
        max_selections=MAX_UNITS,
        placeholder=t("units_placeholder", lg),
    )
    return region, unit_kind, tuple(chosen)


def subtitle(ctx: Ctx, f: Filters, kinds: Sequence[str] | None = None) -> None:
    """Which period, which units and which era the page shows (the issue's rule for every page)."""
    lg = ctx.lang
    cat = catalog()
    units = scope_units(cat, f, kinds)
    n_prov = sum(u.kind == "province" for u in units)
    n_min = sum(u.kind == "ministry" for u in units)
    parts = []
    if n_prov:
        parts.append(t("n_provinces", lg, n=n_prov))
    if n_min:
        parts.append(t("n_ministries", lg, n=n_min))
    scope = t("and", lg).join(parts)
    if f.region:
        scope = f"{cat.regions[f.region].name(lg)}: {scope}"
    if f.rebased:
        era = t("era_rebased", lg)
    else:
        eras = []
        if n_prov or not units:
            eras.append(t("era_" + f.p.province_era, lg))
        if n_min:
            eras.append(t("ministry_era_" + f.p.ministry_era, lg))
        era = "; ".join(eras)
    st.caption(t("subtitle_scope", lg, period=f.p.label(lg), units=scope, era=era))
