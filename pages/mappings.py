"""Ánh xạ cột đã học: the column decisions the secretariat made, to revoke or to apply to everyone (admin)."""

from __future__ import annotations

import streamlit as st

import ui
from charts.tables import mappings_table
from domain.catalog import catalog
from domain.i18n import t
from store.mappings import confirm_for_everyone, mappings_frame, revoke

ctx = ui.page_setup("mappings")
lg = ctx.lang
cat = catalog()
st.title(t("nav_mappings", lg))
st.caption(t("mappings_intro", lg))
frame = mappings_frame(ctx.engine)
if frame.empty:
    st.info(t("mappings_none", lg))
    st.stop()
st.dataframe(mappings_table(frame, cat, lg), hide_index=True, width="stretch")
labels = dict(zip(frame["id"].tolist(), frame["header"].tolist(), strict=True))
picked = st.selectbox(
    t("mappings_pick", lg), list(labels), key="mapping_pick", format_func=lambda i: f"#{i} — {labels[i]}"
)
left, right = st.columns(2)
if left.button(t("mappings_revoke", lg), key="mapping_revoke"):
    revoke(ctx.engine, int(picked), ctx.user.name)
    st.success(t("mappings_done", lg))
    st.rerun()
if right.button(t("mappings_confirm", lg), key="mapping_confirm"):
    confirm_for_everyone(ctx.engine, int(picked), ctx.user.name)
    st.success(t("mappings_done", lg))
    st.rerun()
