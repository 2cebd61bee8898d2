"""Tinh giản biên chế: how many positions were cut, where, and how that moved over time."""

from __future__ import annotations

import streamlit as st

import ui
from analysis.frames import (
    GROUP_UNITS,
    count_periods,
    in_scope,
    mean_by_kind,
    mean_value,
    same_kind_periods,
    timeline,
    totals,
    unit_totals,
    value_lookup,
    with_names,
)
from charts.figures import ranked_bars, stacked_bars
from charts.style import GROUP_COLOURS, INDICATOR_COLOURS
from domain.catalog import catalog
from domain.i18n import t
from domain.rebase import LOCALITIES, MINISTRIES, NATIONAL

IND = "staff_reduced"
PARTS = ("staff_reduced_civil_servants", "staff_reduced_public_employees")

ctx, f = ui.open_filtered_page("staff")
cat = catalog()
lg = ctx.lang
period, p = f.period, f.p
people = t("people", lg)

now = ui.frame(ctx.token, (IND, *PARTS), (period, f.last_year), f.view, onto=period)
cols = st.columns(3)
now_values = value_lookup(now)
for col, unit in zip(cols, GROUP_UNITS, strict=True):
    v = now_values.get((IND, period, unit, ""))
    prev = now_values.get((IND, f.last_year, unit, ""))
    ui.kpi_card(col, ctx, IND, v, prev, None, label=f"{cat.indicator(IND).name(lg)} – {ui.unit_name(unit, lg)}")


@st.fragment
def by_unit() -> None:
    """Units of the chosen kind and region, sorted, with the national and group averages as references."""
    scope = ui.scope_units(cat, f)
    ids = {u.id for u in scope}
    rows = totals(now, IND, period)
    units, missing = in_scope(with_names(rows, cat), ids)
    means = mean_by_kind(rows, cat)
    refs = [(t("avg_all_units", lg), means["all"])]
    for kind, key in (("ministry", "avg_ministries"), ("province", "avg_localities")):
        if kind in f.kinds:
            refs.append((t(key, lg), means[kind]))
    if f.region and len(units):
        refs.append((t("avg_region", lg), mean_value(units)))
    if units.empty:
        st.info(t("no_data", lg))
        return
    chosen = [ui.unit_name(u, lg) for u in f.units]
    fig = ui.cached_figure(
        ctx,
        ("staff_by_unit", *f.key),
        ranked_bars,
        units,
        indicator=IND,
        title=t("staff_by_unit_title", lg, period=p.label(lg)),
        axis_label=people,
        unit="người",
        decimals=cat.indicator(IND).decimals,
        better="higher",
        refs=refs,
        highlight=chosen,
        lang=lg,
        groups=ui.kind_groups(units, lg),
    )
    notes = [t("note_avg_per_unit", lg), *ui.notes_for(units, lg, missing)]
    ui.chart_block(
        ctx,
        fig,
        units[["unit", "name", "period", "value", "rebased"]],
        "staff_by_unit",
        ui.source_line(ctx, [IND], [period]),
        notes,
        link_units=True,
    )


by_unit()

same = same_kind_periods(ui.available_periods(ctx.token), p.kind)
hist = ui.frame(ctx.token, (IND, *PARTS), tuple(same), f.view)
groups = {u: ui.unit_name(u, lg) for u in (MINISTRIES, LOCALITIES)}
trend = timeline(unit_totals(hist, [IND], groups), lg, groups)
left, right = st.columns(2)
with left:
    if trend.empty:
        st.info(t("no_data", lg))
    else:
        colours = {
            ui.unit_name(MINISTRIES, lg): GROUP_COLOURS["ministries"],
            ui.unit_name(LOCALITIES, lg): GROUP_COLOURS["localities"],
        }
        fig = ui.cached_figure(
            ctx,
            ("staff_trend", *f.key),
            stacked_bars,
            trend,
            title=t("staff_trend_title", lg, kind=t("kind_" + p.kind, lg)),
            axis_label=people,
            colours=colours,
            lang=lg,
        )
        ui.chart_block(
            ctx,
            fig,
            trend[["unit", "period", "value"]],
            "staff_trend",
            ui.source_line(ctx, [IND], same),
            ui.notes_for(trend, lg),
        )
with right:
    part_names = {i: cat.indicator(i).name(lg) for i in PARTS}
    parts = timeline(unit_totals(hist, PARTS, [NATIONAL]), lg, part_names, "indicator")
    if parts.empty:
        st.info(t("no_data_parts", lg))
    else:
        colours = {cat.indicator(i).name(lg): INDICATOR_COLOURS[i] for i in PARTS}
        fig = ui.cached_figure(
            ctx,
            ("staff_parts", *f.key),
            stacked_bars,
            parts,
            title=t("staff_parts_title", lg, kind=t("kind_" + p.kind, lg)),
            axis_label=people,
            colours=colours,
            lang=lg,
        )
        reported = count_periods(parts)
        ui.chart_block(
            ctx,
            fig,
            parts[["indicator", "period", "value"]],
            "staff_parts",
            ui.source_line(ctx, list(PARTS), same),
            [t("note_parts_reported", lg, n=reported, total=len(same))],
        )

ui.page_footer(ctx, "staff")
