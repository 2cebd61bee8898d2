"""The UI helpers every page uses, re-exported so a page needs only ``import ui``.

- :mod:`ui.registry` — every page's file, title, icon and least role (the router's menu and each page's check)
- :mod:`ui.page` — how a page opens (sign-in, role, title, filters) and closes (one-workbook download, print)
- :mod:`ui.session` — sign-in form, session cookie, idle sign-out
- :mod:`ui.session_routes` — the server's routes that set and clear the HttpOnly session cookie (``serve.py``)
- :mod:`ui.oidc` — sign-in through the organisation's OpenID Connect provider (``st.login``, ``st.user``)
- :mod:`ui.url_state` — widgets kept in the query string, the language
- :mod:`ui.data` — the only caching: engine, frames, sources, figures, maps
- :mod:`ui.filters` — the filter bar and the units a view covers
- :mod:`ui.blocks` — chart, table and card blocks with source, notes and downloads
- :mod:`ui.labels` — unit names, target sentences, chart notes
- :mod:`ui.context` — what a page run carries (:class:`Ctx`) and the charts it drew
"""

from __future__ import annotations

from ui.blocks import (
    PLOTLY_CONFIG,
    TOPOJSON_URL,
    chart,
    docx_button,
    geojson_url,
    kpi_card,
    national_cards,
    open_profile,
    selected_unit,
    source_line,
    table_block,
    unit_table,
)
from ui.context import Ctx, PageCharts
from ui.data import available_periods, board, brief, frame, shared, sources
from ui.filters import MAX_UNITS, UNIT_KINDS, VIEWS, Filters, filter_bar, scope_units, subtitle
from ui.labels import kind_groups, notes_for, target_text, unit_name
from ui.menu import menu
from ui.page import PRINT_CSS, open_filtered_page, open_page, page_footer, page_setup
from ui.registry import PAGES, PageSpec
from ui.session import current_user, login_form, logout, public_mode, router_user, sync_session_cookie
from ui.url_state import indicator_select, lang, language_switch, url_multiselect, url_widget

__all__ = [
    "MAX_UNITS",
    "PAGES",
    "PLOTLY_CONFIG",
    "PRINT_CSS",
    "TOPOJSON_URL",
    "UNIT_KINDS",
    "VIEWS",
    "Ctx",
    "Filters",
    "PageCharts",
    "PageSpec",
    "available_periods",
    "board",
    "brief",
    "chart",
    "current_user",
    "docx_button",
    "filter_bar",
    "frame",
    "geojson_url",
    "indicator_select",
    "kind_groups",
    "kpi_card",
    "lang",
    "language_switch",
    "login_form",
    "logout",
    "menu",
    "national_cards",
    "notes_for",
    "open_filtered_page",
    "open_page",
    "open_profile",
    "page_footer",
    "page_setup",
    "public_mode",
    "router_user",
    "scope_units",
    "selected_unit",
    "shared",
    "source_line",
    "sources",
    "subtitle",
    "sync_session_cookie",
    "table_block",
    "target_text",
    "unit_name",
    "unit_table",
    "url_multiselect",
    "url_widget",
]
