"""Giải quyết hồ sơ TTHC: are dossiers resolved on time, which sectors are late, where, what is overdue."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import ui
from analysis.frames import same_kind_periods, totals, with_names
from charts.figures import heatmap, pareto, ranked_bars, trend
from charts.style import INDICATOR_COLOURS, OKABE_ITO
from domain.catalog import catalog
from domain.i18n import t
from domain.periods import parse_period

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
hist = ui.frame(ctx.token, RATES, tuple(same), f.view)
hist = hist[hist["sector"] == ""]
national = hist[hist["unit"] == "VN"].assign(series=lambda d: d["indicator"].map(lambda i: cat.indicator(i).name(lg)))
chosen = hist[(hist["indicator"] == "late_rate") & hist["unit"].isin(f.units)]
chosen = chosen.assign(series=chosen["unit"].map(lambda u: f"{ui.unit_name(u, lg)} – {t('late_short', lg)}"))
lines = pd.concat([national, chosen], ignore_index=True)
lines = lines.assign(label=lines["period"].map(lambda c: parse_period(c).label(lg)),
                     end=lines["period"].map(lambda c: parse_period(c).end)).sort_values("end")
colours = {cat.indicator(i).name(lg): INDICATOR_COLOURS[i] for i in RATES}
for i, u in enumerate(f.units):
    colours[f"{ui.unit_name(u, lg)} – {t('late_short', lg)}"] = OKABE_ITO[(i + 1) % len(OKABE_ITO)]
if lines.empty:
    st.info(t("no_data", lg))
else:
    fig = ui.cached_figure(ctx, ("dossier_rates", *f.key), trend,
        lines, title=t("rates_trend_title", lg, kind=t("kind_" + p.kind, lg)),
        axis_label=t("rate_axis", lg), unit="%", colours=colours, highlight=period, lang=lg)
    ui.chart_block(ctx, fig, lines[["indicator", "unit", "period", "value", "derived", "note"]], "dossier_rates",
                   ui.source_line(ctx, ["dossiers_resolved", "dossiers_resolved_late"], same),
                   [t("note_derived", lg), *ui.notes_for(lines, lg)])

now = ui.frame(ctx.token, (LATE, "late_rate", OVERDUE), (period,), f.view)
left, right = st.columns(2)
with left:
    # Pareto: late dossiers by sector over the units in scope.
    rows = now[(now["indicator"] == LATE) & now["unit"].isin(ids) & (now["sector"] != "")]
    by_sector = rows.groupby("sector", as_index=False)["value"].sum().sort_values("value", ascending=False)
    total = by_sector["value"].sum()
    if by_sector.empty or not total:
        st.info(t("no_data", lg))
    else:
        by_sector["cum_share"] = 100 * by_sector["value"].cumsum() / total
        by_sector["name"] = by_sector["sector"].map(sector_name).fillna(by_sector["sector"])
        fig = ui.cached_figure(ctx, ("late_pareto", *f.key), pareto,
            by_sector, title=t("pareto_title", lg, period=p.label(lg)), axis_label=t("late_dossiers", lg),
            share_label=t("cum_share", lg), lang=lg)
        ui.chart_block(ctx, fig, by_sector, "late_pareto", ui.source_line(ctx, [LATE], [period]),
                       [t("pareto_note", lg, n=len(ids))])
with right:
    # Pending dossiers already past due, by unit.
    rows = with_names(totals(now, OVERDUE, period), cat)
    rows = rows[rows["unit"].isin(ids)]
    missing = sorted(ids - set(rows.dropna(subset=["value"])["unit"]))
    if rows.empty:
        st.info(t("no_data", lg))
    else:
        top = rows.sort_values("value", ascending=False).head(20)
        fig = ui.cached_figure(ctx, ("overdue", *f.key), ranked_bars,
            top, indicator=OVERDUE, title=t("overdue_title", lg, period=p.label(lg)),
            axis_label=t("dossiers", lg), unit="hồ sơ", better="lower",
            refs=[(t("avg_scope", lg), float(rows["value"].mean()))],
            highlight=[ui.unit_name(u, lg) for u in f.units], lang=lg)
        ui.chart_block(ctx, fig, rows[["unit", "name", "period", "value"]], "overdue",
                       ui.source_line(ctx, [OVERDUE], [period]),
                       [t("top20_note", lg, n=len(rows)), *ui.notes_for(rows, lg, missing)])


@st.fragment
def late_heatmap() -> None:
    """Units × sectors by late rate; the sectors shown are those with most late dossiers."""
    n_sectors = ui.url_widget(st.select_slider, t("heatmap_sectors", lg), [3, 5, 8, 10, 15], "hm_n", 8)
    rates = now[(now["indicator"] == "late_rate") & now["unit"].isin(ids) & (now["sector"] != "")]
    late = now[(now["indicator"] == LATE) & now["unit"].isin(ids) & (now["sector"] != "")]
    top = late.groupby("sector")["value"].sum().sort_values(ascending=False).head(int(n_sectors)).index
    rates = rates[rates["sector"].isin(top)]
    if rates.empty:
        st.info(t("no_data", lg))
        return
    rates = with_names(rates, cat)
    matrix = rates.pivot_table(index="name", columns="sector", values="value", aggfunc="first")
    matrix = matrix[[s for s in top if s in matrix.columns]]
    matrix = matrix.loc[matrix.mean(axis=1).sort_values(ascending=False).index]
    matrix.columns = [sector_name.get(s, s) for s in matrix.columns]
    fig = ui.cached_figure(ctx, ("late_heatmap", n_sectors, *f.key), heatmap,
        matrix, title=t("heatmap_title", lg, period=p.label(lg)), colour_label=t("late_rate_short", lg),
        better="lower", unit="%", lang=lg)
    ui.chart_block(ctx, fig, matrix.reset_index(), "late_heatmap", ui.source_line(ctx, [LATE], [period]),
                   [t("heatmap_note", lg), *ui.notes_for(rates, lg)])


late_heatmap()

ui.page_footer(ctx, "dossiers")
