"""Entry point of the server: ``streamlit run serve.py``.

Streamlit's own app (``dashboard.py``, the router) served by ``st.App`` with the session routes beside it
(:mod:`ui.session_routes`): the server itself sets the HttpOnly session cookie, so no script on the page
ever holds it. Every option of ``streamlit run`` and ``.streamlit/config.toml`` applies as before.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from ui.session_routes import SessionGate, routes

app = st.App("dashboard.py", routes=routes(), middleware=[Middleware(SessionGate)])
