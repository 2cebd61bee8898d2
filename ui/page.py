"""How every page opens and closes: sign-in and role check, title, filter bar, then the one-workbook footer.

A page file can be served directly on a fresh server (outside ``st.navigation``), so the role check lives
here and not only in the router: without a user of the right role the page stops before any data.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import streamlit as st

from charts.export import XLSX_MIME, workbook_bytes
from domain.i18n import t
from ui.context import Ctx
from ui.data import data_token, demo_loaded, engine
from ui.filters import UNIT_KINDS, Filters, filter_bar, subtitle
from ui.registry import BY_NAME, required_role
from ui.session import login_form, run_user, sync_session_cookie
from ui.url_state import lang

PRINT_CSS = """<style>
/* On a phone a static table keeps readable columns and scrolls sideways, instead of one word a line. */
@media screen and (max-width: 640px) {
  [data-testid="stTable"] { overflow-x: auto; }
  [data-testid="stTable"] table { min-width: 620px; }
}
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stStatusWidget"] { display: none !important; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stTable"] { break-inside: avoid; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
}
</style>"""


#: Added for a page meant to print on one A4 page (the unit profile): the filter bar (its period is in the
#: subtitle), the other widgets and the rules are left out, with narrow page margins.
ONE_PAGE_CSS = """<style>
@media print {
  @page { size: A4; margin: 8mm; }
  [data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
    > [data-testid="stLayoutWrapper"]:has([data-testid="stRadio"]),
  [data-testid="stElementContainer"]:has([data-testid="stSelectbox"]),
  [data-testid="stElementContainer"]:has([data-testid="stButton"]),
  [data-testid="stElementContainer"]:has(hr),
  [data-testid="stElementContainer"]:has([data-testid="stDownloadButton"]) + [data-testid="stElementContainer"] {
    display: none !important;
  }
  html { font-size: 10px !important; }
  h1 { padding-top: 0 !important; font-size: 2rem !important; }
  [data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.4rem !important; }
  [data-testid="stTable"] td, [data-testid="stTable"] th { padding: 0.15rem 0.4rem !important; }
  /* The app's containers are a screen high: printed, they would push an empty second sheet. */
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    height: auto !important; min-height: 0 !important; overflow: visible !important;
  }
  [data-testid="stMainBlockContainer"] { padding-bottom: 0 !important; }
}
</style>"""


def _route_through_entry_script() -> None:
    """On a freshly started server Streamlit serves ``pages/x.py`` directly for ``/x`` (its old pages-folder
    mode) until some run of ``dashboard.py`` calls ``st.navigation``. Such a run has no language switch,
    no wide layout and a file-name menu; switch the server to ``st.navigation`` mode (exactly what the first
    ``st.navigation`` call does) and rerun, so ``dashboard.py`` routes to this same page.

    Streamlit has no public way to do this: the pages-folder mode is decided once per process by the private
    class attribute ``PagesManager.uses_pages_directory`` (set when ``pages/`` exists, cleared by the first
    ``st.navigation`` call). ``tests/app/test_streamlit_private.py`` pins the attribute this relies on.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(page: str = "viewer") -> Ctx:
    """Run first on every page: sign-in, the page's own role check (from :mod:`ui.registry`), the demo banner.

    ``page`` is the page's name in the registry; a bare role name is still accepted for the pages that
    pass one.
    """
    min_role = required_role(page)
    _route_through_entry_script()
    sync_session_cookie()
    lg = lang()
    eng = engine()
    token = data_token()
    if not token:
        st.error(t("db_unavailable", lg))
        st.stop()
        raise SystemExit
    user = run_user()
    if user is None:
        st.warning(t("login_required", lg))
        login_form()
        st.stop()
        raise SystemExit  # st.stop() raises; this line only tells type checkers the page ends here
    if not user.has_role(min_role):
        st.error(t("forbidden", lg))
        st.stop()
    if demo_loaded(token):
        st.warning(t("demo_banner", lg), icon="⚠️")
    return Ctx(eng, token, user, lg)


def open_page(page: str) -> Ctx:
    """The preamble of a page: :func:`page_setup`, then the page's title from the registry."""
    ctx = page_setup(page)
    st.title(t(BY_NAME[page].title_key, ctx.lang))
    return ctx


def open_filtered_page(
    page: str,
    *,
    unit_kinds: Sequence[str] = UNIT_KINDS,
    regions: bool = True,
    choose_units: bool = True,
) -> tuple[Ctx, Filters]:
    """The preamble of a dashboard page: :func:`open_page`, the filter bar and the subtitle saying what
    the page shows."""
    ctx = open_page(page)
    f = filter_bar(ctx, unit_kinds=unit_kinds, regions=regions, choose_units=choose_units)
    subtitle(ctx, f)
    return ctx, f


def page_footer(ctx: Ctx, page: str, one_page: bool = False) -> None:
    """The whole page in one workbook (a sheet per chart, with the filters used) and print styling
    (``one_page``: :data:`ONE_PAGE_CSS` too).

    Call last on a page: the charts drawn above (``ctx.charts``) are the current view.
    """
    filters = ", ".join(f"{k}={v}" for k, v in st.query_params.to_dict().items()) or "mặc định / default"
    st.divider()
    st.download_button(
        t("export_page", ctx.lang),
        partial(workbook_bytes, ctx.charts.as_list(), filters),
        file_name=f"cchc_{page}.xlsx",
        mime=XLSX_MIME,
        key=f"export_page_{page}",
    )
    st.html(PRINT_CSS + (ONE_PAGE_CSS if one_page else ""))
