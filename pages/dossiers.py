"""Giải quyết hồ sơ TTHC: are dossiers resolved on time, which sectors are late, where, what is overdue."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from analysis.frames import (
    in_scope,
    index_as_column,
    largest,
    mean_value,
    pareto,
    rate_lines,
    same_kind_periods,
    sector_matrix,
    total_of,
    totals,
    with_names,
    with_sector_names,
)
from charts.figures import heatmap, ranked_bars, trend
from charts.figures import pareto as pareto_chart
from charts.style import INDICATOR_COLOURS, OKABE_ITO
from domain.catalog import catalog
from domain.i18n import t

RATES = ("on_time_rate", "late_rate")
LATE = "dossiers_resolved_late"
OVERDUE = "dossiers_pending_overdue"

ctx, f = ui.open_filtered_page("dossiers")
cat = catalog()
lg = ctx.lang
period, p = f.period, f.p
scope = ui.scope_units(cat, f)
ids = {u.id for u in scope}
sector_name = {s.id: s.name_vi for s in cat.sectors.values()}

# On-time and late rates over periods of the chosen type: nationwide, and the chosen units' late rate.
same = same_kind_periods(ui.available_periods(ctx.token), p.kind)
hist = ui.frame(ctx.token, RATES, tuple(same), f.view, onto=period)
late_line = {u: f"{ui.unit_name(u, lg)} – {t('late_short', lg)}" for u in f.units}
lines = rate_lines(hist, cat, lg, RATES, "late_rate", late_line)
colours = {cat.indicator(i).name(lg): INDICATOR_COLOURS[i] for i in RATES}
for i, u in enumerate(f.units):
    colours[late_line[u]] = OKABE_ITO[(i + 1) % len(OKABE_ITO)]
if lines.empty:
    st.info(t("no_data", lg))
else:
    ui.chart(
        ctx,
        "dossier_rates",
        f.key,
        partial(
            trend,
            lines,
            title=t("rates_trend_title", lg, kind=t("kind_" + p.kind, lg)),
            axis_label=t("rate_axis", lg),
            unit="%",
            decimals=cat.indicator("late_rate").decimals,
            colours=colours,
            highlight=period,
            lang=lg,
        ),
        lines[["indicator", "unit", "period", "value", "derived", "note"]],
        ui.source_line(ctx, ["dossiers_resolved", "dossiers_resolved_late"], same),
        [t("note_derived", lg), *ui.notes_for(lines, lg, period=period)],
    )

now = ui.frame(ctx.token, (LATE, "late_rate", OVERDUE), (period,), f.view)
left, right = st.columns(2)
with left:
    # Pareto: late dossiers by sector over the units in scope.
    by_sector = ui.shared(ctx.token, ("late_pareto", *f.scope_key), lambda: pareto(now, LATE, period, ids))
    if by_sector.empty or not total_of(by_sector):
        st.info(t("no_data", lg))
    else:
        by_sector = with_sector_names(by_sector, cat)
        ui.chart(
            ctx,
            "late_pareto",
            f.scope_key,  # every unit in scope: the units chosen are not drawn
            partial(
                pareto_chart,
                by_sector,
                title=t("pareto_title", lg, period=p.label(lg)),
                axis_label=t("late_dossiers", lg),
                share_label=t("cum_share", lg),
                lang=lg,
            ),
            by_sector,
            ui.source_line(ctx, [LATE], [period]),
            [t("pareto_note", lg, n=len(ids))],
        )
with right:
    # Pending dossiers already past due, by unit.
    rows, missing = in_scope(with_names(totals(now, OVERDUE, period), cat), ids)
    if rows.empty:
        st.info(t("no_data", lg))
    else:
        top = largest(rows, 20)
        ui.chart(
            ctx,
            "overdue",
            f.key,
            partial(
                ranked_bars,
                top,
                indicator=cat.indicator(OVERDUE),
                title=t("overdue_title", lg, period=p.label(lg)),
                axis_label=t("dossiers", lg),
                refs=[(t("avg_scope", lg), mean_value(rows))],
                highlight=[ui.unit_name(u, lg) for u in f.units],
                lang=lg,
                groups=ui.kind_groups(top, lg),
            ),
            rows[["unit", "name", "period", "value"]],
            ui.source_line(ctx, [OVERDUE], [period]),
            [t("top20_note", lg, n=len(rows)), *ui.notes_for(rows, lg, missing)],
            link_units=True,
        )


@st.fragment
def late_heatmap() -> None:
    """Units × sectors by late rate; the sectors shown are those with most late dossiers."""
    n_sectors = ui.url_widget(st.select_slider, t("heatmap_sectors", lg), [3, 5, 8, 10, 15], "hm_n", 8)
    matrix, rates = ui.shared(
        ctx.token,
        ("late_matrix", n_sectors, *f.scope_key),
        partial(sector_matrix, now, cat, ids, "late_rate", LATE, int(n_sectors), sector_name),
    )
    if rates.empty:
        st.info(t("no_data", lg))
        return
    ui.chart(
        ctx,
        "late_heatmap",
        (n_sectors, *f.scope_key),  # every unit in scope: the units chosen are not drawn
        partial(
            heatmap,
            matrix,
            title=t("heatmap_title", lg, period=p.label(lg)),
            colour_label=t("late_rate_short", lg),
            better="lower",
            unit="%",
            decimals=cat.indicator("late_rate").decimals,
            lang=lg,
            groups=ui.kind_groups(rates, lg),
        ),
        index_as_column(matrix),
        ui.source_line(ctx, [LATE], [period]),
        [t("heatmap_note", lg), *ui.notes_for(rates, lg)],
    )


late_heatmap()

ui.page_footer(ctx, "dossiers")
