"""Hồ sơ đơn vị: one province or ministry — all its indicators for the period with rank, region, nation and
target; its trend with its predecessors re-based and named; its reporting record; strongest and weakest."""

from __future__ import annotations

from functools import partial

import streamlit as st

import ui
from analysis.compare import COMPARE
from analysis.frames import same_kind_periods, timeline, unit_totals
from analysis.profile import (
    gone_to,
    merger_day,
    needed,
    peers_of,
    predecessors_text,
    strongest_weakest,
    unit_profile,
)
from charts.tables import profile_table, record_table
from domain.catalog import catalog
from domain.i18n import t
from reports.docx_profile import unit_sheet_docx
from reports.unit_sheet import area_label, build_unit_sheet, trend_figure, trend_lines, unit_record
from store.history import deadline_day

#: Periods of the reporting record the page shows (the printed sheet has room for fewer).
RECORD_PERIODS = 8

ctx, f = ui.open_filtered_page("profile", unit_kinds=("all",), regions=False, choose_units=False)
cat = catalog()
lg = ctx.lang
period, p = f.period, f.p
units = sorted(cat.units.values(), key=lambda u: (u.kind != "province", u.era != "34", u.label))
unit_id = str(
    ui.url_widget(
        st.selectbox,
        t("profile_unit", lg),
        [u.id for u in units],
        "unit",
        units[0].id,
        format_func=lambda u: (
            cat.units[u].name_vi
            if cat.units[u].label == cat.units[u].name_vi
            else f"{cat.units[u].label} ({cat.units[u].name_vi})"
        ),
    )
)
unit = cat.units[unit_id]
successor_id = gone_to(cat, unit_id, period)
if successor_id:
    gone, successor = merger_day(unit), cat.units[successor_id]
    st.info(
        t("profile_gone", lg, name=unit.name_vi, day=f"{gone.day}/{gone.month}/{gone.year}", successor=successor.label)
    )
    st.markdown(f"[{successor.name_vi} →](profile?unit={successor.id}&period={period})")
    st.stop()

former = predecessors_text(cat, unit_id, t("profile_predecessors", lg), t("and", lg))
if former:
    st.caption(former)

df = ui.frame(ctx.token, needed(cat, COMPARE), (period,), f.view, onto=period)
profile = unit_profile(df, cat, unit_id, period, COMPARE)
area = area_label(cat, unit_id, lg)
st.markdown(f"**{t('profile_table_title', lg, name=unit.name_vi, period=p.label(lg))}**")
if profile.empty:
    st.info(t("no_data", lg))
else:
    shown = profile_table(profile, cat, lg, area)
    st.table(shown, hide_index=True)  # a static table: every row and column wraps to the page, in print too
    ui.table_block(
        ctx,
        profile,
        "profile",
        ui.source_line(ctx, list(COMPARE), [period]),
        [t("profile_rank_note", lg, n=len(peers_of(cat, unit, period))), *ui.notes_for(df, lg)],
    )
    best, worst = strongest_weakest(profile)
    c1, c2 = st.columns(2)
    c1.markdown(
        f"**{t('profile_strongest', lg)}:** "
        + (", ".join(cat.indicator(i).name(lg) for i in best) or t("profile_none", lg))
    )
    c2.markdown(
        f"**{t('profile_weakest', lg)}:** "
        + (", ".join(cat.indicator(i).name(lg) for i in worst) or t("profile_none", lg))
    )


@st.fragment
def unit_trend() -> None:
    """One indicator over the periods of the chosen type, the unit beside the nation; before the merger
    the unit's line is its predecessors' figures re-based onto it."""
    ind_id = ui.indicator_select(COMPARE)
    same = same_kind_periods(ui.available_periods(ctx.token), p.kind, upto=period)
    lines = trend_lines(cat, unit_id, lg)
    hist = timeline(
        unit_totals(ui.frame(ctx.token, (ind_id,), tuple(same), f.view, onto=period), [ind_id], lines), lg, lines
    )
    if hist.empty:
        st.info(t("no_data", lg))
        return
    notes = ui.notes_for(hist, lg, period=period)
    if former:
        notes.append(former)
    ui.chart(
        ctx,
        "profile_trend",
        (unit_id, ind_id, *f.key),
        partial(trend_figure, hist, cat, unit_id, ind_id, period, lg),
        hist[["unit", "period", "value", "rebased", "note"]],
        ui.source_line(ctx, needed(cat, [ind_id]), same),
        notes,
    )


unit_trend()

st.markdown(f"**{t('profile_record_title', lg)}**")
record = unit_record(ctx.engine, cat, unit_id, period, ui.available_periods(ctx.token), RECORD_PERIODS)
st.table(record_table(record, lg), hide_index=True)
st.caption(t("profile_record_note", lg, day=deadline_day()))
if "demo" in set(record["status"]):
    st.caption(t("profile_record_demo", lg))


def _sheet_docx() -> bytes:
    """Built only when the button is clicked: the charts are rendered by Chromium."""
    return unit_sheet_docx(build_unit_sheet(ctx.engine, unit_id, period, lg, f.view, cat))


ui.docx_button(
    t("sheet_docx", lg),
    _sheet_docx,
    f"phieu_don_vi_{unit_id}_{period}.docx",
    "sheet_docx",
    t("sheet_print", lg, unit=unit_id, period=period),
)
ui.page_footer(ctx, "profile", one_page=True)
