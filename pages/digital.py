"""Chuyển đổi số: digitization and online services, each against its target and the document that sets it."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from analysis.frames import (
    in_scope,
    same_kind_periods,
    timeline,
    totals,
    unit_totals,
    value_of,
    with_names,
)
from analysis.targets import pick_target
from charts.figures import ranked_bars, trend
from charts.style import INDICATOR_COLOURS, OKABE_ITO
from domain.catalog import Indicator, Target, catalog
from domain.fmt import fmt_percent
from domain.i18n import t
from domain.kpi import DIGITAL_RATES
from domain.rebase import NATIONAL

INDICATORS = DIGITAL_RATES

ctx, f = ui.open_filtered_page("digital")
cat = catalog()
lg = ctx.lang
period, p = f.period, f.p
all_periods = ui.available_periods(ctx.token)
ui.national_cards(ctx, f, INDICATORS)
st.caption(t("projection_method", lg))


@st.fragment
def detail() -> None:
    """One indicator: units against the target, and the national line over time."""
    ind_id = ui.indicator_select(INDICATORS)
    ind = cat.indicator(ind_id)
    target = pick_target(cat, ind_id, p.year)
    legal = f"{t('target_source', lg)}: {target.instrument} — {target.source_note}" if target else t("target_none", lg)
    # Full width, one under the other: the bars of 51 units in two blocks need the room (in half a page the
    # names and block labels left the bars a few pixels).
    units_against_target(ind, target, legal)
    national_line(ind, target, legal)


def units_against_target(ind: Indicator, target: Target | None, legal: str) -> None:
    """Each unit's value of one indicator, coloured by whether it meets the target, with the national line."""
    ind_id = ind.id
    scope = ui.scope_units(cat, f)
    ids = {u.id for u in scope}
    rows = with_names(totals(ui.frame(ctx.token, (ind_id,), (period,), f.view), ind_id, period), cat)
    national = value_of(rows, ind_id, period)
    rows, missing = in_scope(rows, ids)
    if rows.empty:
        st.info(t("no_data", lg))
        return
    refs = [(t("group_national", lg), national)]
    if target:
        refs.append((t("target_short", lg), target.value))
    ui.chart(
        ctx,
        f"{ind_id}_by_unit",
        f.key,
        partial(
            ranked_bars,
            rows,
            indicator=ind,
            title=t("by_unit_title", lg, name=ind.name(lg), period=p.label(lg)),
            axis_label=ind.name(lg) + " (%)",
            refs=refs,
            highlight=[ui.unit_name(u, lg) for u in f.units],
            threshold=target.value if target else None,
            lang=lg,
            groups=ui.kind_groups(rows, lg),
        ),
        rows[["unit", "name", "period", "value", "derived", "rebased", "note"]],
        ui.source_line(ctx, [ind_id, *ind.numerator, *ind.denominator], [period]),
        [legal, t("bars_colour_note", lg), *ui.notes_for(rows, lg, missing)],
        link_units=True,
    )


def national_line(ind: Indicator, target: Target | None, legal: str) -> None:
    """The nation and the chosen units over time against the target line."""
    ind_id = ind.id
    same = same_kind_periods(all_periods, p.kind)
    lines = {u: ui.unit_name(u, lg) for u in (NATIONAL, *f.units)}
    hist = timeline(
        unit_totals(ui.frame(ctx.token, (ind_id,), tuple(same), f.view, onto=period), [ind_id], lines), lg, lines
    )
    colours = {ui.unit_name(NATIONAL, lg): INDICATOR_COLOURS.get(ind_id, OKABE_ITO[0])}
    for i, u in enumerate(f.units):
        colours[ui.unit_name(u, lg)] = OKABE_ITO[(i + 1) % len(OKABE_ITO)]
    thresholds = (
        [(t("threshold", lg, value=fmt_percent(target.value, 0, lg)) + f" — {target.instrument}", target.value)]
        if target
        else []
    )
    if hist.empty:
        st.info(t("no_data", lg))
    else:
        ui.chart(
            ctx,
            f"{ind_id}_trend",
            f.key,
            partial(
                trend,
                hist,
                title=t("trend_title", lg, name=ind.name(lg), kind=t("kind_" + p.kind, lg)),
                axis_label=ind.name(lg) + " (%)",
                unit="%",
                decimals=ind.decimals,
                colours=colours,
                thresholds=thresholds,
                highlight=period,
                lang=lg,
            ),
            hist[["unit", "period", "value", "derived", "note"]],
            ui.source_line(ctx, [ind_id, *ind.numerator, *ind.denominator], same),
            [legal, *ui.notes_for(hist, lg, period=period)],
        )


detail()

ui.page_footer(ctx, "digital")
