"""Báo cáo: the meeting brief for a period and scope, as text on screen and as a Word document."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import ui
from domain.catalog import catalog
from domain.i18n import t
from domain.periods import parse_period
from reports.brief import BRIEF_INDICATORS
from reports.docx_brief import brief_docx
from store.queries import expand_needed

ctx = ui.open_page("brief")
cat = catalog()
lg = ctx.lang
st.caption(t("brief_intro", lg))

periods = [c for c in reversed(ui.available_periods(ctx.token)) if parse_period(c).end < dt.date.today()]
if not periods:
    st.info(t("no_data", lg))
    st.stop()
c1, c2 = st.columns(2)
with c1:
    period = ui.url_widget(
        st.selectbox, t("period", lg), periods, "period", periods[0], format_func=lambda c: parse_period(c).label(lg)
    )
p = parse_period(period)
units = ["national", *(u.id for u in cat.provinces(p.province_era)), *(u.id for u in cat.ministries_on(p.end))]
with c2:
    scope = ui.url_widget(
        st.selectbox,
        t("brief_scope", lg),
        units,
        "scope",
        "national",
        format_func=lambda u: t("group_national", lg) if u == "national" else cat.units[u].name_vi,
    )

brief = ui.brief(ctx.token, period, scope, lg)
st.subheader(brief.title)
st.caption(brief.scope_label)
for section in brief.sections:
    st.markdown(f"**{section.title}**")
    for sentence in section.sentences:
        st.write(sentence.text)


def _docx() -> bytes:
    used = ui.sources(ctx.token, tuple(expand_needed(BRIEF_INDICATORS, cat)), (p.code, p.last_year().code))
    return brief_docx(brief, used, cat=cat)


ui.docx_button(
    t("brief_docx", lg),
    _docx,
    f"bao_cao_cchc_{period}_{scope}.docx",
    "brief_docx",
    t("brief_cli", lg, period=period, scope=scope),
)
st.html(ui.PRINT_CSS)
