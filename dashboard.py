"""Entry point: `streamlit run dashboard.py`. The router; every page also checks the role itself."""

from __future__ import annotations

import streamlit as st

import ui
from domain.i18n import t

st.set_page_config(page_title="CCHC Dashboard", page_icon="📊", layout="wide")
ui.language_switch()
lg = ui.lang()
user = ui.current_user()

overview = st.Page("pages/overview.py", title=t("nav_overview", lg), icon="📊", url_path="overview", default=True)

if user is None:
    nav = st.navigation([overview], position="hidden")
else:
    st.sidebar.caption(t("signed_in_as", lg, name=user.name, role=t(f"role_{user.role}", lg)))
    if user.name != "public" and st.sidebar.button(t("logout", lg)):
        ui.logout()
        st.rerun()
    nav = st.navigation([overview])
nav.run()
