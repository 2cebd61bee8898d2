"""Tài khoản: accounts, roles and scopes (admin). Every change is audited by the store."""

from __future__ import annotations

import streamlit as st

import ui
from domain.catalog import catalog
from domain.i18n import t
from domain.plain import md_plain
from domain.roles import ROLES
from store.users import ALL_UNITS, add_user, disable_user, list_users, set_role, unlock

ctx = ui.open_page("users")
cat = catalog()
lg = ctx.lang
st.caption(t("users_intro", lg))

users = list_users(ctx.engine)
st.dataframe(
    {
        t("users_name", lg): [u.name for u in users],
        t("col_role", lg): [t(f"role_{u.role}", lg) for u in users],
        t("col_scope", lg): [", ".join(cat.units[s].name_vi for s in u.scopes if s in cat.units) or "*" for u in users],
        t("col_status", lg): ["🔒" if u.disabled else "✓" for u in users],
    },
    hide_index=True,
    width="stretch",
)

scope_choices = sorted(
    (u.id for u in cat.units.values() if u.kind in ("province", "ministry") and u.valid_to is None),
    key=lambda x: cat.units[x].name_vi,
)
with st.form("add_user"):
    st.subheader(t("users_add", lg))
    name = st.text_input(t("users_name", lg))
    role = st.selectbox(t("col_role", lg), ROLES, format_func=lambda r: t(f"role_{r}", lg))
    scopes = st.multiselect(t("col_scope", lg), scope_choices, format_func=lambda u: cat.units[u].name_vi)
    every = st.checkbox(t("users_all_units", lg))
    if st.form_submit_button(t("users_add", lg)) and name.strip():
        try:
            password = add_user(
                ctx.engine, name.strip(), role, scopes=(ALL_UNITS,) if every else tuple(scopes), by=ctx.user.name
            )
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.success(t("users_created", lg, name=md_plain(name.strip()), password=md_plain(password)))

names = [u.name for u in users]
if names:
    with st.form("change_user"):
        st.subheader(t("users_change_role", lg))
        who = st.selectbox(t("users_name", lg), names)
        new_role = st.selectbox(t("col_role", lg), ROLES, format_func=lambda r: t(f"role_{r}", lg), key="new_role")
        new_scopes = st.multiselect(
            t("col_scope", lg), scope_choices, format_func=lambda u: cat.units[u].name_vi, key="new_scopes"
        )
        new_every = st.checkbox(t("users_all_units", lg), key="new_every")
        c1, c2, c3 = st.columns(3)
        if c1.form_submit_button(t("users_change_role", lg)):
            try:
                set_role(ctx.engine, who, new_role, (ALL_UNITS,) if new_every else tuple(new_scopes), by=ctx.user.name)
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.success(t("users_done", lg))
        if c2.form_submit_button(t("users_disable", lg)) and who != ctx.user.name:
            disable_user(ctx.engine, who, by=ctx.user.name)
            st.success(t("users_done", lg))
        if c3.form_submit_button(t("users_unlock", lg)):
            unlock(ctx.engine, who, by=ctx.user.name)
            st.success(t("users_done", lg))
