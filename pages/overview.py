"""Tổng quan: the headline figures of a period, by reform area of Nghị quyết 76/NQ-CP.

Answers "where do we stand this period?": metric cards with the change against the same period last
year and the status against the target, the staff-reduction split, the sectors with most late dossiers
and digitization against its 80% threshold.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from analysis.frames import (
    group_values,
    last_share,
    pareto,
    same_kind_periods,
    timeline,
    totals,
    unit_totals,
    value_lookup,
    with_sector_names,
)
from analysis.targets import pick_target
from charts.figures import top_bars
from charts.overview import rate_trend, staff_split
from charts.style import BAD
from domain.catalog import catalog
from domain.fmt import fmt_number, fmt_percent
from domain.i18n import t
from domain.periods import kind_label
from domain.rebase import NATIONAL

#: The headline indicators, shown under their catalogue area in the order of the resolution.
HEADLINE = (
    "procedures_cut",
    "on_time_rate",
    "late_rate",
    "dossiers_pending_overdue",
    "staff_reduced",
    "dossier_digitization_rate",
    "online_dossier_rate",
    "online_service_rate",
    "online_payment_rate",
    "satisfaction_rate",
)

ctx, f = ui.open_filtered_page("overview", unit_kinds=("all",), regions=False, choose_units=False)
cat = catalog()
lg = ctx.lang
period, p = f.period, f.p
all_periods = ui.available_periods(ctx.token)

# Metric cards by reform area.
for area in sorted((a for a in cat.areas.values() if a.id != "chi_so"), key=lambda a: a.order):
    inds = [i for i in HEADLINE if cat.indicator(i).area == area.id]
    st.subheader(f"{area.order}. {area.name(lg)}")
    if not inds:
        st.caption(t("area_no_indicator", lg))
        continue
    ui.national_cards(ctx, f, inds, read=HEADLINE)
st.caption(t("cards_caption", lg, period=p.label(lg), base=p.last_year().label(lg)))

st.divider()
left, right = st.columns(2)
# Staff reductions: the seed meeting's split must read at a glance (?period=2024 gives 16.149 = 217 + 15.932).
with left:
    staff = ui.frame(ctx.token, ("staff_reduced",), (period,), f.view)
    values = group_values(value_lookup(staff), "staff_reduced", period)
    unit_label = t("people", lg)
    if values:
        c1, c2, c3 = st.columns(3)
        c1.metric(f"{t('group_national', lg)} ({unit_label})", fmt_number(values.get("national"), 0, lg))
        c2.metric(f"{t('group_ministries', lg)} ({unit_label})", fmt_number(values.get("ministries"), 0, lg))
        c3.metric(f"{t('group_localities', lg)} ({unit_label})", fmt_number(values.get("localities"), 0, lg))
        labels = {g: t(f"group_{g}", lg) for g in ("ministries", "localities")}
        data = totals(staff, "staff_reduced")[["indicator", "unit", "period", "value"]]
        caption = t(
            "staff_split_caption",
            lg,
            total=fmt_number(values.get("national"), 0, lg),
            ministries=fmt_number(values.get("ministries"), 0, lg),
            localities=fmt_number(values.get("localities"), 0, lg),
        )
        ui.chart(
            ctx,
            "staff_split",
            f.key,
            partial(staff_split, values, t("staff_split_title", lg, period=p.label(lg)), labels, unit_label, lg),
            data,
            ui.source_line(ctx, ["staff_reduced"], [period]),
            [caption],
        )
    else:
        st.info(t("no_data_staff", lg, period=p.label(lg)))

# The three sectors with most late dossiers, nationwide.
with right:
    late = ui.frame(ctx.token, ("dossiers_resolved_late",), (period,), f.view)
    top = pareto(late, "dossiers_resolved_late", period).head(3)
    if top.empty:
        st.info(t("no_data", lg))
    else:
        top = with_sector_names(top, cat)
        share = fmt_percent(last_share(top), 1, lg)
        ui.chart(
            ctx,
            "top_late",
            f.key,
            partial(
                top_bars,
                top,
                title=t("top_late_title", lg, period=p.label(lg)),
                axis_label=t("dossiers", lg),
                colour=BAD,
                lang=lg,
            ),
            top[["sector", "name", "value", "cum_share"]],
            ui.source_line(ctx, ["dossiers_resolved_late"], [period]),
            [t("top_late_note", lg, share=share)],
        )

# National on-time and digitization rates over periods of the same type, with the 80% threshold.
same_kind = same_kind_periods(all_periods, p.kind)
left, right = st.columns(2)
for col, (indicator, title_key) in zip(
    (left, right),
    (("on_time_rate", "on_time_title"), ("dossier_digitization_rate", "digitization_title")),
    strict=True,
):
    rates = ui.frame(ctx.token, (indicator,), tuple(same_kind), f.view)
    series = timeline(unit_totals(rates, [indicator], [NATIONAL]), lg)
    if series.empty:
        continue
    target = pick_target(cat, indicator, p.year)
    threshold = target.value if target else None
    info = cat.indicator(indicator)
    threshold_label = (
        t("threshold", lg, value=fmt_percent(target.value, 0, lg)) + f" — {target.instrument}" if target else ""
    )
    with col:
        ui.chart(
            ctx,
            indicator,
            ("rate_trend", *f.key),
            partial(
                rate_trend,
                series,
                indicator,
                f"{t(title_key, lg)} ({kind_label(p.kind, lg)})",
                info.name(lg),
                period,
                threshold,
                threshold_label,
                lg,
            ),
            series[["indicator", "period", "value"]],
            ui.source_line(ctx, [indicator, *info.numerator, *info.denominator], same_kind),
            [t("note_derived", lg), *ui.notes_for(series, lg)],
        )

ui.page_footer(ctx, "overview")
