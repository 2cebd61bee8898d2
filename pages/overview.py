"""Tổng quan: the headline figures of a period."""

from __future__ import annotations

import streamlit as st

import ui
from charts.overview import rate_trend, staff_split
from domain.catalog import catalog
from domain.fmt import fmt_number, fmt_percent
from domain.i18n import t
from domain.periods import kind_label, parse_period

ctx = ui.page_setup("viewer")
cat = catalog()
lg = ctx.lang
st.title(t("nav_overview", lg))

periods = ui.available_periods(ctx.token)
if not periods:
    st.info(t("no_data", lg))
    st.stop()
default = "2024" if "2024" in periods else periods[-1]
period = st.selectbox(
    t("period", lg), list(reversed(periods)), index=list(reversed(periods)).index(default), key="period",
    format_func=lambda c: parse_period(c).label(lg), bind="query-params",
)
p = parse_period(period)
st.caption(f"{p.label(lg)} · {t('era_' + p.province_era, lg)}")

# Staff reductions: the seed meeting's split must read at a glance.
staff = ui.frame(ctx.token, ("staff_reduced",), (period,), "as-reported")
groups = {g: staff.loc[(staff["unit"] == u) & (staff["sector"] == ""), "value"]
          for g, u in (("national", "VN"), ("ministries", "@ministries"), ("localities", "@localities"))}
values = {g: float(s.iloc[0]) for g, s in groups.items() if not s.empty}
unit_label = t("people", lg)
if values:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("group_national", lg), fmt_number(values.get("national"), 0, lg) + f" {unit_label}")
    c2.metric(t("group_ministries", lg), fmt_number(values.get("ministries"), 0, lg) + f" {unit_label}")
    c3.metric(t("group_localities", lg), fmt_number(values.get("localities"), 0, lg) + f" {unit_label}")
    labels = {g: t(f"group_{g}", lg) for g in ("ministries", "localities")}
    fig = staff_split(values, t("staff_split_title", lg, period=p.label(lg)), labels, unit_label, lg)
    data = staff[staff["sector"] == ""][["indicator", "unit", "period", "value"]]
    caption = t("staff_split_caption", lg, total=fmt_number(values.get("national"), 0, lg),
                ministries=fmt_number(values.get("ministries"), 0, lg),
                localities=fmt_number(values.get("localities"), 0, lg))
    ui.chart_block(ctx, fig, data, "staff_split", ui.source_line(ctx, ["staff_reduced"], [period]), [caption])
else:
    st.info(t("no_data", lg))

# National on-time and digitization rates over periods of the same type.
same_kind = [c for c in periods if parse_period(c).kind == p.kind]
for indicator, title_key in (("on_time_rate", "on_time_title"), ("dossier_digitization_rate", "digitization_title")):
    rates = ui.frame(ctx.token, (indicator,), tuple(same_kind), "as-reported")
    series = rates[(rates["unit"] == "VN") & (rates["sector"] == "")].copy()
    if series.empty:
        continue
    series["label"] = series["period"].map(lambda c: parse_period(c).label(lg))
    series = series.sort_values("period", key=lambda s: s.map(lambda c: parse_period(c).end))
    targets = cat.targets_for(indicator)
    threshold = targets[0].value if targets else None
    ind = cat.indicator(indicator)
    threshold_label = (
        t("threshold", lg, value=fmt_percent(threshold, 0, lg)) + f" — {targets[0].instrument}" if targets else ""
    )
    fig = rate_trend(series, indicator, f"{t(title_key, lg)} ({kind_label(p.kind, lg)})", ind.name(lg), period,
                     threshold, threshold_label, lg)
    notes = [t("note_derived", lg)]
    ui.chart_block(ctx, fig, series[["indicator", "period", "value"]], indicator,
                   ui.source_line(ctx, [indicator, *ind.numerator, *ind.denominator], same_kind), notes)
