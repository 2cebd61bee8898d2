"""The router's pages, made once per session, language and role instead of on every run.

Making a page resolves its script's path on disk (``st.Page``); with fifteen pages that cost a few
milliseconds of every click under load. A session's runs follow one another, so its own list is reused;
it is never shared between sessions, since ``st.navigation`` marks the page it returns as the one to run.
"""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from domain.i18n import t
from store.users import User
from ui.registry import PAGES

_KEY = "_menu_pages"


def menu(user: User | None, lang: str) -> list[StreamlitPage]:
    """The pages ``user`` may open (all of them before sign-in: each page asks for it), the hidden home first."""
    roles = None if user is None else tuple(spec.name for spec in PAGES if user.has_role(spec.role))
    key = (lang, roles)
    kept = st.session_state.get(_KEY)
    if kept is not None and kept[0] == key:
        return list(kept[1])
    pages = [
        st.Page(spec.path, title=t(spec.title_key, lang), icon=spec.icon, url_path=spec.name)
        for spec in PAGES
        if user is None or user.has_role(spec.role)
    ]
    pages.insert(
        0, st.Page("pages/home.py", title=t("nav_overview", lang), url_path="home", default=True, visibility="hidden")
    )
    st.session_state[_KEY] = (key, tuple(pages))
    return pages
