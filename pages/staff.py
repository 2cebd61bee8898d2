"""Tinh giản biên chế: how many positions were cut, where, and how that moved over time."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from analysis.frames import (
    GROUP_UNITS,
    Frame,
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
    notes = [t("note_avg_per_unit", lg), *ui.notes_for(units, lg, missing)]
    ui.chart(
        ctx,
        "staff_by_unit",
        f.key,
        partial(
            ranked_bars,
            units,
            indicator=cat.indicator(IND),
            title=t("staff_by_unit_title", lg, period=p.label(lg)),
            axis_label=people,
            refs=refs,
            highlight=chosen,
            lang=lg,
            groups=ui.kind_groups(units, lg),
        ),
        units[["unit", "name", "period", "value", "rebased"]],
        ui.source_line(ctx, [IND], [period]),
        notes,
        link_units=True,
    )


by_unit()

same = same_kind_periods(ui.available_periods(ctx.token), p.kind)
hist = ui.frame(ctx.token, (IND, *PARTS), tuple(same), f.view)
groups = {u: ui.unit_name(u, lg) for u in (MINISTRIES, LOCALITIES)}
trend = timeline(unit_totals(hist, [IND], groups), lg, groups)


def stacked(
    name: str, frame: Frame, colours: dict[str, str], columns: list[str], source: str, notes: list[str]
) -> None:
    """Staff reductions over the periods of the chosen type, one stacked bar a period."""
    title = t(f"{name}_title", lg, kind=t("kind_" + p.kind, lg))
    ui.chart(
        ctx,
        name,
        f.scope_key,  # the groups' totals: the units chosen are not drawn
        partial(stacked_bars, frame, title=title, axis_label=people, colours=colours, lang=lg),
        frame[columns],
        source,
        notes,
    )


left, right = st.columns(2)
with left:
    if trend.empty:
        st.info(t("no_data", lg))
    else:
        groups_colours = {
            ui.unit_name(MINISTRIES, lg): GROUP_COLOURS["ministries"],
            ui.unit_name(LOCALITIES, lg): GROUP_COLOURS["localities"],
        }
        stacked(
            "staff_trend",
            trend,
            groups_colours,
            ["unit", "period", "value"],
            ui.source_line(ctx, [IND], same),
            ui.notes_for(trend, lg),
        )
with right:
    part_names = {i: cat.indicator(i).name(lg) for i in PARTS}
    parts = timeline(unit_totals(hist, PARTS, [NATIONAL]), lg, part_names, "indicator")
    if parts.empty:
        st.info(t("no_data_parts", lg))
    else:
        stacked(
            "staff_parts",
            parts,
            {cat.indicator(i).name(lg): INDICATOR_COLOURS[i] for i in PARTS},
            ["indicator", "period", "value"],
            ui.source_line(ctx, list(PARTS), same),
            [t("note_parts_reported", lg, n=count_periods(parts), total=len(same))],
        )

ui.page_footer(ctx, "staff")
