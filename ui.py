"""The small UI helper every page uses: sign-in and role checks, language, cached data, chart blocks.

Pages stay thin: they call :func:`page_setup` first (which signs in, checks the role itself even when a
page file is served directly, bypassing the router, and shows the demo banner), then read frames through
the cached helpers here, then hand figures to :func:`chart_block`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.export import to_csv_bytes, to_xlsx_bytes
from domain.fmt import fmt_date
from domain.i18n import t
from store.db import Engine, get_engine, migrate
from store.queries import data_version, has_demo, periods_with_data, upload_ids_for, upload_sources, view_frame
from store.users import User, login

#: Served by Streamlit from ./static; Plotly fetches its base map from here instead of the internet.
TOPOJSON_URL = "app/static/"
PLOTLY_CONFIG = {
    "topojsonURL": TOPOJSON_URL,
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


@dataclass(frozen=True)
class Ctx:
    """What a page needs after setup: the engine, the data version, the user and the language."""

    engine: Engine
    token: str
    user: User
    lang: str


@st.cache_resource
def _engine() -> Engine:
    engine = get_engine()
    migrate(engine)
    return engine


def lang() -> str:
    """Vietnamese unless the user chose English (kept in the URL so links keep the language)."""
    chosen = st.session_state.get("lang") or st.query_params.get("lang", "vi")
    return "en" if chosen == "en" else "vi"


def language_switch() -> None:
    st.sidebar.radio(
        t("lang_label", lang()), ["vi", "en"], key="lang", horizontal=True, bind="query-params",
        format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v],
    )


def public_mode() -> bool:
    """An explicitly configured public read-only deployment: viewers need no account."""
    return os.environ.get("CCHC_PUBLIC_READONLY", "") == "1"


def idle_minutes() -> int:
    return int(os.environ.get("CCHC_IDLE_MINUTES", "60"))


def current_user() -> User | None:
    """The signed-in user, or None (also after the idle timeout, which signs the user out)."""
    if public_mode() and "user" not in st.session_state:
        return User(0, "public", "viewer", (), False)
    user = st.session_state.get("user")
    if user is None:
        return None
    last = st.session_state.get("last_seen")
    now = dt.datetime.now(dt.UTC)
    if last and now - last > dt.timedelta(minutes=idle_minutes()):
        st.session_state.pop("user", None)
        st.session_state["expired"] = True
        return None
    st.session_state["last_seen"] = now
    return user if isinstance(user, User) else None


def login_form() -> None:
    """Sign-in form; it never says which of name or password was wrong."""
    lg = lang()
    st.subheader(t("login_title", lg))
    if st.session_state.pop("expired", False):
        st.info(t("session_expired", lg))
    with st.form("login"):
        name = st.text_input(t("login_user", lg))
        password = st.text_input(t("login_password", lg), type="password")
        submitted = st.form_submit_button(t("login_button", lg))
    if submitted:
        result = login(_engine(), name.strip(), password)
        if result.user is None:
            if result.locked_minutes:
                st.error(t("login_locked", lg, minutes=result.locked_minutes))
            else:
                st.error(t("login_failed", lg))
            return
        st.session_state["user"] = result.user
        st.session_state["last_seen"] = dt.datetime.now(dt.UTC)
        st.rerun()


def logout() -> None:
    st.session_state.pop("user", None)


def page_setup(min_role: str = "viewer") -> Ctx:
    """Run first on every page: sign-in, the page's own role check, the demo banner.

    A page file can be served directly on a fresh server (outside ``st.navigation``), so the check lives
    here and not only in the router: without a user of the right role the page stops before any data.
    """
    lg = lang()
    user = current_user()
    if user is None:
        st.warning(t("login_required", lg))
        login_form()
        st.stop()
        raise SystemExit  # st.stop() raises; this line only tells type checkers the page ends here
    if not user.has_role(min_role):
        st.error(t("forbidden", lg))
        st.stop()
    engine = _engine()
    token = data_version(engine)
    if _has_demo(token):
        st.warning(t("demo_banner", lg), icon="⚠️")
    return Ctx(engine, token, user, lg)


@st.cache_data(max_entries=8, show_spinner=False)
def _has_demo(token: str) -> bool:
    return has_demo(_engine())


@st.cache_data(max_entries=8, show_spinner=False)
def available_periods(token: str) -> list[str]:
    """Periods with data, oldest first; keyed by the data version token only."""
    return periods_with_data(_engine())


@st.cache_data(max_entries=256, show_spinner=False)
def frame(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None, view: str) -> pd.DataFrame:
    """The view frame for small arguments, cached per data version (never keyed by a DataFrame)."""
    return view_frame(_engine(), indicators, periods, view)


@st.cache_data(max_entries=128, show_spinner=False)
def sources(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None) -> pd.DataFrame:
    engine = _engine()
    return upload_sources(engine, upload_ids_for(engine, indicators, periods))


def source_line(ctx: Ctx, indicators: Sequence[str], periods: Sequence[str] | None = None) -> str:
    """'Nguồn: file.xlsx (#3); cập nhật 26/11/2026' for the uploads behind a chart."""
    src = sources(ctx.token, tuple(indicators), tuple(periods) if periods is not None else None)
    if src.empty:
        return ""
    names = ", ".join(f"{r.file_name} (#{r.id})" for r in src.itertuples())
    latest = pd.to_datetime(src["uploaded_at"]).max()
    updated = fmt_date(latest.to_pydatetime(), ctx.lang)
    return f"{t('source', ctx.lang)}: {names}; {t('last_updated', ctx.lang)} {updated}"


def chart_block(
    ctx: Ctx,
    fig: go.Figure,
    data: pd.DataFrame,
    key: str,
    source: str = "",
    notes: Sequence[str] = (),
) -> None:
    """A figure with its source, notes and its data as .xlsx and .csv below it."""
    st.plotly_chart(fig, key=f"chart_{key}", config=PLOTLY_CONFIG, width="stretch")
    lines = [s for s in (source, *(f"{t('notes', ctx.lang)}: {n}" for n in notes if n)) if s]
    if lines:
        st.caption("  \n".join(lines))
    c1, c2, _ = st.columns([1, 1, 4])
    title = str(fig.layout.title.text or key)
    c1.download_button(
        t("download_xlsx", ctx.lang), to_xlsx_bytes(data, title=title, source=source), file_name=f"{key}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{key}",
    )
    c2.download_button(
        t("download_csv", ctx.lang), to_csv_bytes(data), file_name=f"{key}.csv", mime="text/csv", key=f"csv_{key}",
    )
