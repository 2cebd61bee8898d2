"""Tình hình nộp báo cáo: who has reported for a period, who was late, who is missing."""

from __future__ import annotations

import datetime as dt
from functools import partial

import streamlit as st

import ui
from charts.export import XLSX_MIME, to_xlsx_bytes
from domain.catalog import catalog
from domain.fmt import fmt_date, fmt_percent
from domain.i18n import t
from domain.periods import parse_period, recent_periods
from store.history import deadline_day

ctx = ui.open_page("completeness")
cat = catalog()
lg = ctx.lang

choices = sorted(
    set(recent_periods()) | set(ui.available_periods(ctx.token)), key=lambda c: parse_period(c).end, reverse=True
)
choices = [c for c in choices if parse_period(c).kind != "M"]
latest = next((c for c in choices if parse_period(c).end < dt.date.today()), choices[0])
period = ui.url_widget(
    st.selectbox, t("period", lg), choices, "period", latest, format_func=lambda c: parse_period(c).label(lg)
)
p = parse_period(period)
board = ui.board(ctx.token, period)
st.caption(
    t(
        "completeness_intro",
        lg,
        period=p.label(lg),
        era=t("era_" + p.province_era, lg),
        deadline=fmt_date(board["deadline"].iloc[0], lg),
        day=deadline_day(),
    )
)

counts = board["status"].value_counts()
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("completeness_rate", lg), fmt_percent(100 * (len(board) - counts.get("missing", 0)) / len(board), 1, lg))
c2.metric(t("status_submitted", lg), int(counts.get("submitted", 0)))
c3.metric(t("status_late", lg), int(counts.get("late", 0)))
c4.metric(t("status_missing", lg), int(counts.get("missing", 0)))

table = board.assign(
    status=[t(f"status_{s}", lg) for s in board["status"]],
    kind=[t(f"kind_{k}", lg) for k in board["kind"]],
    first_at=[fmt_date(x, lg) for x in board["first_at"]],
    by=board["by"].fillna(""),
    deadline=[fmt_date(x, lg) for x in board["deadline"]],
).rename(
    columns={
        "name": t("wf_col_unit", lg),
        "kind": t("col_unit_kind", lg),
        "status": t("col_status", lg),
        "first_at": t("col_at", lg),
        "by": t("col_by", lg),
        "deadline": t("col_deadline", lg),
    }
)
st.dataframe(table.drop(columns=["unit", "upload_id"]), hide_index=True, width="stretch", height=420)
missing = board[board["status"] == "missing"][["unit", "name", "kind"]]
st.download_button(
    t("completeness_missing_export", lg),
    partial(to_xlsx_bytes, missing, title=p.label(lg)),  # built when clicked, not on every run
    file_name=f"chua_nop_{period}.xlsx",
    key="missing_export",
    mime=XLSX_MIME,
)
