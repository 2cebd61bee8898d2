"""The router (served by `streamlit run serve.py`, which adds the session routes); every page also checks the role.

Page icons are emoji on purpose: a ``:material/…`` icon makes the browser fetch a font from the internet,
and the dashboard runs on closed government networks. They are emoji that DejaVu Sans also draws (ℹ ✂ ✉ ⚡ ⚖ ✒ …),
so a machine without a colour-emoji font still shows a symbol rather than an empty box.
"""

from __future__ import annotations

import streamlit as st

import ui
from domain.i18n import t

st.set_page_config(page_title="CCHC Dashboard", page_icon="📊", layout="wide")
ui.language_switch()
lg = ui.lang()
user = ui.router_user()  # checked once per run: the page opened below takes this answer

pages = ui.menu(user, lg)  # made once per session, language and role

if user is None:
    nav = st.navigation(pages, position="hidden")
else:
    st.sidebar.caption(t("signed_in_as", lg, name=user.name, role=t(f"role_{user.role}", lg)))
    if user.name != "public" and st.sidebar.button(t("logout", lg)):
        ui.logout()
        st.rerun()
    nav = st.navigation(pages)
nav.run()
