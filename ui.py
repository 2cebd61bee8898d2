"""The small UI helper every page uses: sign-in and role checks, language, cached data, chart blocks.

Pages stay thin: they call :func:`page_setup` first (which signs in, checks the role itself even when a
page file is served directly, bypassing the router, and shows the demo banner), then read frames through
the cached helpers here, then hand figures to :func:`chart_block`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.targets import PROJECTION_YEARS, Assessment
from charts.export import to_csv_bytes, to_xlsx_bytes, workbook_bytes
from domain.catalog import DATA_DIR, MINISTRY_MERGER, Catalog, Unit, catalog
from domain.fmt import fmt_date, fmt_delta, fmt_value
from domain.i18n import t
from domain.periods import KINDS, Period, kind_label, parse_period, period_sort_key
from store.db import Engine, database_reachable, get_engine, migrate
from store.queries import (
    ViewBase,
    data_version,
    finish_view,
    has_demo,
    periods_with_data,
    upload_ids_for,
    upload_sources,
    view_base,
)
from store.users import User, create_session, end_session, login, session_user

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
    return get_engine()


@st.cache_resource
def _migrated() -> bool:
    """Bring the schema up to date once per process (not cached when the database was down)."""
    migrate(_engine())
    return True


def lang() -> str:
    """Vietnamese unless the user chose English (kept in the URL so links keep the language)."""
    chosen = st.session_state.get("lang") or st.query_params.get("lang", "vi")
    return "en" if chosen == "en" else "vi"


def language_switch() -> None:
    url_widget(st.sidebar.radio, t("lang_label", lang()), ["vi", "en"], "lang", "vi", horizontal=True,
               format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v])


def url_widget(widget: Any, label: str, options: Sequence[Any], key: str, default: Any, **kwargs: Any) -> Any:
    """A selectbox / radio / select_slider whose value lives in the query string as its code (``?period=2024``).

    Streamlit's ``bind="query-params"`` writes the *formatted* label into the URL ("Năm 2024", "English"),
    which differs by language and breaks shared links, so the binding is done here: seed from the URL the
    first time the widget is seen, fall back to ``default`` when the value is no longer an option, and write
    the code back (left out when it equals the default, so links stay short).
    """
    opts = list(options)
    if key not in st.session_state or st.session_state[key] not in opts:
        wanted = st.query_params.get(key)
        typed = next((o for o in opts if str(o) == wanted), None) if wanted is not None else None
        st.session_state[key] = typed if typed is not None else default
    value = widget(label, opts, key=key, **kwargs)
    _write_param(key, None if value == default else str(value))
    return value


def url_multiselect(container: Any, label: str, options: Sequence[str], key: str, **kwargs: Any) -> list[str]:
    """A multiselect kept in the query string as repeated codes (``?units=VN34-01&units=VN34-79``)."""
    opts = list(options)
    if key not in st.session_state:
        st.session_state[key] = [u for u in st.query_params.get_all(key) if u in opts][: kwargs.get("max_selections")]
    else:
        st.session_state[key] = [u for u in st.session_state[key] if u in opts]
    value = list(container.multiselect(label, opts, key=key, **kwargs))
    current = st.query_params.get_all(key)
    if current != value:
        if value:
            st.query_params[key] = value
        elif key in st.query_params:
            del st.query_params[key]
    return value


def _write_param(key: str, value: str | None) -> None:
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def public_mode() -> bool:
    """An explicitly configured public read-only deployment: viewers need no account."""
    return os.environ.get("CCHC_PUBLIC_READONLY", "") == "1"


def idle_minutes() -> int:
    return int(os.environ.get("CCHC_IDLE_MINUTES", "60"))


SESSION_COOKIE = "cchc_session"
#: The browser forgets the cookie after a working day; the server ends idle sessions much sooner.
SESSION_COOKIE_MAX_AGE = 12 * 3600


def current_user() -> User | None:
    """The signed-in user, or None (also after the idle timeout, which signs the user out).

    A Streamlit session ends with its browser tab's connection (a reload or an opened link starts a new
    one), so a sign-in also sets a session cookie; a new connection that brings a live one is signed in.
    """
    if public_mode() and "user" not in st.session_state:
        return User(0, "public", "viewer", (), False)
    user = st.session_state.get("user")
    if user is None:
        token = st.context.cookies.get(SESSION_COOKIE) if not st.session_state.get("signed_out") else None
        token = token if isinstance(token, str) else None  # no real browser (AppTest) has no cookies
        if token and not database_reachable(_engine()):
            return None  # page_setup says the database is down; the session resumes when it is back
        user = session_user(_engine(), token, idle_minutes()) if token else None
        if user is None:
            return None
        st.session_state["user"] = user
        st.session_state["session_token"] = token
    last = st.session_state.get("last_seen")
    now = dt.datetime.now(dt.UTC)
    if last and now - last > dt.timedelta(minutes=idle_minutes()):
        logout()
        st.session_state["expired"] = True
        return None
    st.session_state["last_seen"] = now
    return user if isinstance(user, User) else None


def _cookie_script(token: str, max_age: int) -> None:
    """Set or clear the session cookie in the browser. The token is ours (random), never user text."""
    st.html(
        f"<script>document.cookie = '{SESSION_COOKIE}={token}; path=/; max-age={max_age}; SameSite=Strict';</script>",
        unsafe_allow_javascript=True,
    )


def sync_session_cookie() -> None:
    """Emit the cookie change a sign-in or sign-out asked for (after its rerun, so the browser gets it)."""
    pending = st.session_state.pop("cookie_pending", None)
    if pending is not None:
        token, max_age = pending
        _cookie_script(token, max_age)


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
        token = create_session(_engine(), result.user)
        st.session_state["user"] = result.user
        st.session_state["session_token"] = token
        st.session_state["last_seen"] = dt.datetime.now(dt.UTC)
        st.session_state["cookie_pending"] = (token, SESSION_COOKIE_MAX_AGE)
        st.session_state.pop("signed_out", None)
        st.rerun()


def logout() -> None:
    """Sign out here and end the server-side session, so the cookie no longer opens anything."""
    token = st.session_state.pop("session_token", None)
    if token:
        end_session(_engine(), token)
    st.session_state.pop("user", None)
    st.session_state["signed_out"] = True
    st.session_state["cookie_pending"] = ("", 0)


def _route_through_entry_script() -> None:
    """On a freshly started server Streamlit serves ``pages/x.py`` directly for ``/x`` (its old pages-folder
    mode) until some run of ``dashboard.py`` calls ``st.navigation``. Such a run has no language switch,
    no wide layout and a file-name menu; switch the server to ``st.navigation`` mode (exactly what the first
    ``st.navigation`` call does) and rerun, so ``dashboard.py`` routes to this same page."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_setup(min_role: str = "viewer") -> Ctx:
    """Run first on every page: sign-in, the page's own role check, the demo banner.

    A page file can be served directly on a fresh server (outside ``st.navigation``), so the check lives
    here and not only in the router: without a user of the right role the page stops before any data.
    """
    _route_through_entry_script()
    st.session_state["_page_charts"] = []
    sync_session_cookie()
    lg = lang()
    if not database_reachable(_engine()):
        st.error(t("db_unavailable", lg))
        st.stop()
    _migrated()
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


@st.cache_resource(max_entries=32, show_spinner=False)
def _view_base(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None) -> ViewBase:
    """What both views of a frame share (the stored figures and the group rows), kept once per data version,
    so switching between as-reported and re-based does not read and roll up the figures again. Shared and
    only read (:func:`store.queries.finish_view` never changes it)."""
    return view_base(_engine(), indicators, periods)


@st.cache_data(max_entries=256, show_spinner=False)
def frame(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None, view: str) -> pd.DataFrame:
    """The view frame for small arguments, cached per data version (never keyed by a DataFrame).

    The same as :func:`store.queries.view_frame`, finished from the cached view-independent part.
    """
    return finish_view(_view_base(token, indicators, periods), indicators, view)


@st.cache_data(max_entries=128, show_spinner=False)
def sources(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None) -> pd.DataFrame:
    engine = _engine()
    return upload_sources(engine, upload_ids_for(engine, indicators, periods))


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(token: str, key: tuple[Any, ...], _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def cached_figure(ctx: Ctx, key: tuple[Any, ...], build: Callable[..., go.Figure], *args: Any,
                  **kwargs: Any) -> go.Figure:
    """``build(*args, **kwargs)``, built once per data version, language, day and ``key``.

    ``key`` holds the small arguments that decide the figure (its chart name, the filters, the chosen
    indicator…), never a frame: with the data version token they fix the data the figure is drawn from,
    so the arguments (frames included) are only used when the key is new.
    Building a Plotly figure (``update_layout`` / ``update_*axes``) costs more than a page's cached frames,
    so reruns reuse it. A resource cache, not a data cache: a pickled figure is re-validated on every read,
    which costs as much as building it; the shared figure is only read (``st.plotly_chart`` copies it).
    """
    return _figure(ctx.token, (ctx.lang, dt.date.today().isoformat(), *key), partial(build, *args, **kwargs))


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
    _register_chart(fig, data, source, notes)
    _source_and_downloads(ctx, data, key, str(fig.layout.title.text or key), source, notes)


def _source_and_downloads(ctx: Ctx, data: pd.DataFrame, key: str, title: str, source: str,
                          notes: Sequence[str]) -> None:
    """Source and notes as a caption, then the data as .xlsx and .csv (built only when clicked)."""
    lines = [s for s in (source, *(f"{t('notes', ctx.lang)}: {n}" for n in notes if n)) if s]
    if lines:
        st.caption("  \n".join(lines))
    row = st.container(horizontal=True)
    row.download_button(
        t("download_xlsx", ctx.lang), partial(to_xlsx_bytes, data, title=title, source=source), file_name=f"{key}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{key}",
    )
    row.download_button(
        t("download_csv", ctx.lang), partial(to_csv_bytes, data), file_name=f"{key}.csv", mime="text/csv",
        key=f"csv_{key}",
    )


PRINT_CSS = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDownloadButton"], [data-testid="stStatusWidget"] { display: none !important; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stTable"] { break-inside: avoid; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
}
</style>"""


def _register_chart(fig: go.Figure, data: pd.DataFrame, source: str, notes: Sequence[str]) -> None:
    """Remember this run's charts, so the page can offer all of them in one workbook."""
    y_title = fig.layout.yaxis.title.text if fig.layout.yaxis and fig.layout.yaxis.title else ""
    x_title = fig.layout.xaxis.title.text if fig.layout.xaxis and fig.layout.xaxis.title else ""
    st.session_state.setdefault("_page_charts", []).append({
        "title": str(fig.layout.title.text or ""), "data": data, "source": source, "notes": list(notes),
        "unit": y_title or x_title or "",
    })


def page_footer(ctx: Ctx, page: str) -> None:
    """The whole page in one workbook (a sheet per chart, with the filters used) and print styling.

    Call last on a page: the charts drawn above are the current view.
    """
    charts = st.session_state.pop("_page_charts", [])
    filters = ", ".join(f"{k}={v}" for k, v in st.query_params.to_dict().items()) or "mặc định / default"
    st.divider()
    st.download_button(
        t("export_page", ctx.lang), partial(workbook_bytes, charts, filters), file_name=f"cchc_{page}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"export_page_{page}",
    )
    st.html(PRINT_CSS)


# --------------------------------------------------------------------------------------------------------------------
# The filter bar: one per page, every choice kept in the URL so a link reopens the same view.
# --------------------------------------------------------------------------------------------------------------------

VIEWS = ("as-reported", "rebased")
UNIT_KINDS = ("all", "province", "ministry")


@dataclass(frozen=True)
class Filters:
    """The view a page shows: period, era view, region, unit kind and the units chosen for comparison."""

    kind: str
    period: str
    view: str
    region: str
    unit_kind: str
    units: tuple[str, ...]

    @property
    def p(self) -> Period:
        return parse_period(self.period)

    @property
    def rebased(self) -> bool:
        return self.view == "rebased"

    @property
    def last_year(self) -> str:
        return self.p.last_year().code

    @property
    def kinds(self) -> tuple[str, ...]:
        return ("province", "ministry") if self.unit_kind == "all" else (self.unit_kind,)

    @property
    def key(self) -> tuple[str, ...]:
        """The filters as plain strings, for cache keys."""
        return (self.kind, self.period, self.view, self.region, self.unit_kind, *self.units)


def scope_units(cat: Catalog, f: Filters, kinds: Sequence[str] | None = None) -> list[Unit]:
    """Units the view covers: those in force at the period's end (as reported) or today's (re-based),
    of the chosen kinds and, for provinces, the chosen region."""
    out: list[Unit] = []
    for kind in kinds or f.kinds:
        if kind == "province":
            units = cat.provinces("34" if f.rebased else f.p.province_era)
            out += [u for u in units if not f.region or u.region == f.region]
        elif kind == "ministry":
            # Re-based: today's government (the one in force after the last merger), else the period's own.
            day = max(dt.date.today(), MINISTRY_MERGER) if f.rebased else f.p.end
            out += cat.ministries_on(day)
    return out


def _query_default_kind(periods: Sequence[str]) -> str:
    """The period type implied by a ``?period=`` link, else the type of the latest period with data."""
    wanted = st.query_params.get("period")
    if wanted in periods:
        return parse_period(str(wanted)).kind
    return parse_period(periods[-1]).kind


def filter_bar(
    ctx: Ctx,
    *,
    unit_kinds: Sequence[str] = UNIT_KINDS,
    regions: bool = True,
    choose_units: bool = True,
    max_units: int = 6,
    kinds_allowed: Sequence[str] | None = None,
) -> Filters:
    """Period type and period, era view, region, unit kind and units, all bound to the query string.

    Opens on the latest period with data. Every choice is kept in the query string as its code (see
    :func:`url_widget`): a leader copies the address bar and the link reopens the same view.
    """
    lg = ctx.lang
    cat = catalog()
    periods = available_periods(ctx.token)
    if not periods:
        st.info(t("no_data", lg))
        st.stop()
    present = [k for k in KINDS if any(parse_period(c).kind == k for c in periods)]
    if kinds_allowed is not None:
        present = [k for k in present if k in kinds_allowed] or present
    default_kind = _query_default_kind(periods)
    if default_kind not in present:
        default_kind = present[0]
    with st.container(border=True):
        c1, c2, c3 = st.columns([1, 1.4, 2.2])
        kind = url_widget(c1.selectbox, t("period_type", lg), present, "ptype", default_kind,
                          format_func=lambda k: kind_label(k, lg))
        options = sorted((c for c in periods if parse_period(c).kind == kind), key=period_sort_key, reverse=True)
        period = url_widget(c2.selectbox, t("period", lg), options, "period", options[0],
                            format_func=lambda c: parse_period(c).label(lg))
        view = url_widget(
            c3.radio, t("view_mode", lg), list(VIEWS), "view", VIEWS[0], horizontal=True,
            format_func=lambda v: t("view_as_reported_short" if v == "as-reported" else "view_rebased_short", lg),
            help=t("view_as_reported", lg) + "  \n" + t("view_rebased", lg),
        )
        region, unit_kind = "", unit_kinds[0]
        chosen: list[str] = []
        if regions or len(unit_kinds) > 1 or choose_units:
            d1, d2, d3 = st.columns([1, 1.4, 2.2])
            if len(unit_kinds) > 1:
                unit_kind = str(url_widget(d1.selectbox, t("unit_kind", lg), list(unit_kinds), "ukind", unit_kinds[0],
                                           format_func=lambda k: t(f"unit_kind_{k}", lg)))
            if regions and unit_kind != "ministry":
                region = str(url_widget(d2.selectbox, t("region", lg), ["", *cat.regions], "region", "",
                                        format_func=lambda r: cat.regions[r].name(lg) if r else t("all_regions", lg)))
            if choose_units:
                draft = Filters(str(kind), str(period), str(view), region, unit_kind, ())
                pool = scope_units(cat, draft)
                chosen = url_multiselect(
                    d3, t("units_pick", lg, n=max_units), [u.id for u in pool], "units",
                    format_func=lambda u: cat.units[u].short_name if u in cat.units else u,
                    max_selections=max_units, placeholder=t("units_placeholder", lg),
                )
    return Filters(str(kind), str(period), str(view), region, unit_kind, tuple(chosen))


def subtitle(ctx: Ctx, f: Filters, kinds: Sequence[str] | None = None) -> None:
    """Which period, which units and which era the page shows (the issue's rule for every page)."""
    lg = ctx.lang
    cat = catalog()
    units = scope_units(cat, f, kinds)
    n_prov = sum(u.kind == "province" for u in units)
    n_min = sum(u.kind == "ministry" for u in units)
    parts = []
    if n_prov:
        parts.append(t("n_provinces", lg, n=n_prov))
    if n_min:
        parts.append(t("n_ministries", lg, n=n_min))
    scope = t("and", lg).join(parts)
    if f.region:
        scope = f"{cat.regions[f.region].name(lg)}: {scope}"
    if f.rebased:
        era = t("era_rebased", lg)
    else:
        eras = []
        if n_prov or not units:
            eras.append(t("era_" + f.p.province_era, lg))
        if n_min:
            eras.append(t("ministry_era_" + f.p.ministry_era, lg))
        era = "; ".join(eras)
    st.caption(t("subtitle_scope", lg, period=f.p.label(lg), units=scope, era=era))


def unit_name(unit_id: str, lang: str) -> str:
    """Short unit name; group rows by their translated group name."""
    groups = {"VN": "group_national", "@ministries": "group_ministries", "@localities": "group_localities"}
    if unit_id in groups:
        return t(groups[unit_id], lang)
    cat = catalog()
    return cat.units[unit_id].short_name if unit_id in cat.units else unit_id


def target_text(a: Assessment, unit: str, lang: str) -> str:
    """'✅ Đạt chỉ tiêu ≥ 80% (năm 2025; Nghị quyết 76/NQ-CP)' plus the projection for a year ahead."""
    if a.target is None:
        return t("target_none", lang)
    tgt = a.target
    goal = f"{'≥' if tgt.op == '>=' else '≤'} {fmt_value(tgt.value, unit, lang)}"
    when = t("target_year", lang, year=tgt.year) if tgt.year else ""
    head = {
        "met": "✔ " + t("target_met", lang, goal=goal),
        "not_met": "✖ " + t("target_not_met", lang, goal=goal),
        "missing": t("target_missing", lang, goal=goal),
    }.get(a.status, "")
    text = f"{head} ({when}{'; ' if when else ''}{tgt.instrument})"
    if a.track:
        if a.projection is None:
            text += " · " + t("projection_unknown", lang)
        else:
            mark = "↗ " + t("on_track", lang) if a.track == "on_track" else "↘ " + t("off_track", lang)
            text += " · " + t("projection", lang, year=a.projection.year,
                              value=fmt_value(a.projection.value, unit, lang), status=mark, n=PROJECTION_YEARS)
    return text


def kpi_card(container: Any, ctx: Ctx, indicator: str, value: float | None, previous: float | None,
             assessment: Assessment | None, label: str = "") -> None:
    """A metric card: the figure, its change against the same period last year, its target status.

    The change is coloured by the indicator's better direction (blue better, orange worse — colour-blind
    safe), so a fall in late dossiers reads as good.
    """
    lg = ctx.lang
    ind = catalog().indicator(indicator)
    unit_label = "" if ind.unit == "%" else f" ({ind.unit})"
    delta = None
    colour = "gray"
    if value is not None and previous is not None:
        diff = value - previous
        delta = fmt_delta(diff, ind.unit, lg).replace("−", "-") + " " + t("vs_last_year", lg)
        if diff != 0 and ind.better:
            good = (diff > 0) == (ind.better == "higher")
            colour = "blue" if good else "orange"
    # The full name above the card: st.metric would cut a long Vietnamese indicator name with an ellipsis.
    box = container.container(border=True)
    box.markdown(f"**{label or ind.name(lg)}{unit_label}**", help=t("kpi_help", lg))
    box.metric(label or ind.name(lg), fmt_value(value, ind.unit, lg), delta, delta_color=colour,
               label_visibility="collapsed")
    if assessment is not None:
        box.caption(target_text(assessment, ind.unit, lg))


@st.cache_resource
def geojson(era: str) -> dict[str, Any]:
    """The provinces of an era ('63' or '34') as GeoJSON, read once per process from data/geo."""
    path = Path(DATA_DIR) / "geo" / f"vn_provinces_{era}.geojson"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def notes_for(frame: pd.DataFrame, lang: str, missing: Sequence[str] = ()) -> list[str]:
    """Notes under a chart: re-based figures, directly reported rates, units without data."""
    out = []
    if "rebased" in frame and frame["rebased"].astype(bool).any():
        out.append(t("note_rebased", lang))
    if "note" in frame and frame["note"].eq("reported_rate").any():
        out.append(t("note_reported_rate", lang))
    if "note" in frame and frame["note"].eq("not_rebased").any():
        out.append(t("note_not_rebased", lang))
    if missing:
        names = ", ".join(unit_name(u, lang) for u in list(missing)[:12])
        more = len(missing) - 12
        out.append(t("note_missing_units", lang, n=len(missing), names=names + (f" (+{more})" if more > 0 else "")))
    return out


# --------------------------------------------------------------------------------------------------------------------
# The two comparison pages (provinces, ministries) share one layout; the page files only pick the kind.
# --------------------------------------------------------------------------------------------------------------------

#: Indicators a committee compares units on; rates and scores first (they compare across unit sizes).
COMPARE = (
    "on_time_rate", "late_rate", "dossier_digitization_rate", "result_digitization_rate", "reuse_rate",
    "online_dossier_rate", "online_service_rate", "online_payment_rate", "satisfaction_rate", "index766",
    "par_index", "sipas", "staff_reduced", "dossiers_pending_overdue", "dossiers_resolved_late",
)
RADAR = ("on_time_rate", "dossier_digitization_rate", "reuse_rate", "online_dossier_rate", "online_payment_rate",
         "satisfaction_rate")
PUBLISHED = ("par_index", "sipas", "index766")
OURS = ("on_time_rate", "online_dossier_rate", "satisfaction_rate")


def _fmt_cell(value: Any, unit: str, lang: str) -> str:
    return fmt_value(None if pd.isna(value) else float(value), unit, lang)


def _delta_cell(value: Any, unit: str, lang: str) -> str:
    return fmt_delta(None if pd.isna(value) else float(value), unit, lang)


def compare_page(kind: str) -> None:
    """So sánh địa phương / So sánh bộ, ngành: map, ranking with change, peers, scatter, radar, indices."""
    from analysis.frames import change_table, peers, same_kind_periods, totals, with_names
    from charts.figures import choropleth, radar, ranked_bars, scatter

    ctx = page_setup("viewer")
    cat = catalog()
    lg = ctx.lang
    st.title(t("nav_provinces" if kind == "province" else "nav_ministries", lg))
    f = filter_bar(ctx, unit_kinds=(kind,), regions=kind == "province", choose_units=True)
    subtitle(ctx, f)
    period, p = f.period, f.p
    scope = scope_units(cat, f)
    ids = {u.id for u in scope}
    same = same_kind_periods(available_periods(ctx.token), p.kind)
    name_of = {u: unit_name(u, lg) for u in ids}
    chosen_names = [name_of.get(u, u) for u in f.units]

    @st.fragment
    def ranking() -> None:
        c1, c2 = st.columns(2)
        ind_id = str(url_widget(c1.selectbox, t("indicator", lg), list(COMPARE), "ind", COMPARE[0],
                                format_func=lambda i: cat.indicator(i).name(lg)))
        earlier = [c for c in reversed(same) if period_sort_key(c) < period_sort_key(period)]
        default_base = f.last_year if f.last_year in earlier else (earlier[0] if earlier else period)
        bases = earlier or [period]
        base = str(url_widget(c2.selectbox, t("compare_with", lg), bases, "cmp", default_base,
                              format_func=lambda c: parse_period(c).label(lg)))
        ind = cat.indicator(ind_id)
        df = frame(ctx.token, (ind_id,), (period, base), f.view)
        rows = with_names(totals(df, ind_id, period), cat)
        rows = rows[rows["unit"].isin(ids)]
        missing = sorted(ids - set(rows.dropna(subset=["value"])["unit"]))
        src = source_line(ctx, [ind_id, *ind.numerator, *ind.denominator], [period, base])
        notes = notes_for(rows, lg, missing)
        if rows.empty:
            st.info(t("no_data", lg))
            return
        if kind == "province":
            era = "34" if f.rebased else p.province_era
            code_of = {u.id: u.code for u in cat.units.values()}
            geo = rows.assign(code=rows["unit"].map(code_of))
            fig = cached_figure(ctx, (kind, "map", ind_id, base, *f.key), choropleth,
                geo, geojson(era), title=t("map_title", lg, name=ind.name(lg), period=p.label(lg)),
                colour_label=ind.unit, better=ind.better or "higher", unit=ind.unit, lang=lg,
                missing_label=t("no_data_short", lg))
            chart_block(ctx, fig, geo[["unit", "code", "name", "period", "value", "rebased", "note"]], "map", src,
                        [t("map_note", lg, era=era), *notes])
        table = change_table(df[df["unit"].isin(ids)], ind_id, period, base, ind.better)
        table = with_names(table, cat)
        shown = pd.DataFrame({
            t("col_rank", lg): table["rank"],
            t("col_unit", lg): table["name"],
            p.label(lg): [_fmt_cell(v, ind.unit, lg) for v in table["value"]],
            parse_period(base).label(lg): [_fmt_cell(v, ind.unit, lg) for v in table["base_value"]],
            t("col_change", lg): [_delta_cell(v, ind.unit, lg) for v in table["change"]],
        })
        base_label = parse_period(base).label(lg)
        st.markdown(f"**{t('ranking_title', lg, name=ind.name(lg), period=p.label(lg), base=base_label)}**")
        st.dataframe(shown, hide_index=True, width="stretch", height=min(600, 36 * len(shown) + 40))
        table_block(ctx, table[["rank", "unit", "name", "value", "base_value", "change"]], "ranking", src,
                    [t("rank_note", lg, better=t("better_" + (ind.better or "higher"), lg)), *notes])
        # Peers: each unit against the average of the others of its region (ministries: of all ministries).
        peer_df = peers(rows, cat, ind_id, period) if kind == "province" else _ministry_peers(rows)
        peer_df = with_names(peer_df, cat).dropna(subset=["gap"])
        if not peer_df.empty:
            fig = cached_figure(ctx, (kind, "peers", ind_id, base, *f.key), ranked_bars,
                peer_df.assign(value=peer_df["gap"]), indicator=ind_id,
                title=t("peers_title" if kind == "province" else "peers_title_ministries", lg,
                        name=ind.name(lg), period=p.label(lg)),
                axis_label=t("gap_axis", lg, unit=ind.unit), unit=ind.unit, better=ind.better or "higher",
                threshold=0.0, highlight=chosen_names, lang=lg)
            chart_block(ctx, fig, peer_df[["unit", "name", "value", "peer_mean", "peer_n", "gap"]], "peers", src,
                        [t("peers_note" if kind == "province" else "peers_note_ministries", lg), *notes])

    ranking()

    @st.fragment
    def scatter_block() -> None:
        c1, c2 = st.columns(2)
        x_id = str(url_widget(c1.selectbox, t("axis_x", lg), list(COMPARE), "x", "dossier_digitization_rate",
                              format_func=lambda i: cat.indicator(i).name(lg)))
        y_id = str(url_widget(c2.selectbox, t("axis_y", lg), list(COMPARE), "y", COMPARE[0],
                              format_func=lambda i: cat.indicator(i).name(lg)))
        df = frame(ctx.token, tuple(dict.fromkeys((x_id, y_id))), (period,), f.view)
        xs = totals(df, x_id, period).set_index("unit")["value"]
        ys = totals(df, y_id, period).set_index("unit")["value"]
        data = pd.DataFrame({"unit": sorted(ids)})
        data["name"] = data["unit"].map(name_of)
        data["x"] = data["unit"].map(xs)
        data["y"] = data["unit"].map(ys)
        xi, yi = cat.indicator(x_id), cat.indicator(y_id)
        missing = sorted(data.loc[data[["x", "y"]].isna().any(axis=1), "unit"])
        if data.dropna(subset=["x", "y"]).empty:
            st.info(t("no_data", lg))
            return
        fig = cached_figure(ctx, (kind, "scatter", x_id, y_id, *f.key), scatter,
            data, title=t("scatter_title", lg, x=xi.name(lg), y=yi.name(lg), period=p.label(lg)),
            x_label=f"{xi.name(lg)} ({xi.unit})", y_label=f"{yi.name(lg)} ({yi.unit})", x_unit=xi.unit,
            y_unit=yi.unit, highlight=chosen_names, lang=lg)
        chart_block(ctx, fig, data, "scatter", source_line(ctx, [x_id, y_id], [period]),
                    notes_for(df[df["unit"].isin(ids)], lg, missing))

    scatter_block()

    left, right = st.columns(2)
    with left:
        if not 2 <= len(f.units) <= 6:
            st.info(t("radar_pick", lg))
        else:
            df = frame(ctx.token, RADAR, (period,), f.view)
            rows = df[df["unit"].isin(f.units) & (df["sector"] == "")]
            rows = rows.assign(name=rows["unit"].map(lambda u: unit_name(u, lg)),
                               axis=rows["indicator"].map(lambda i: cat.indicator(i).name(lg)))
            order = {cat.indicator(i).name(lg): n for n, i in enumerate(RADAR)}
            rows = rows.sort_values(["unit", "axis"], key=lambda s: s.map(order) if s.name == "axis" else s)
            fig = cached_figure(ctx, (kind, "radar", *f.key), radar,
                rows[["name", "axis", "value"]], title=t("radar_title", lg, period=p.label(lg)), lang=lg)
            chart_block(ctx, fig, rows[["unit", "name", "indicator", "value"]], "radar",
                        source_line(ctx, list(RADAR), [period]), [t("radar_note", lg), *notes_for(rows, lg)])
    with right:
        years = [c for c in available_periods(ctx.token)
                 if parse_period(c).kind == "Y" and parse_period(c).year <= p.year]
        pub = frame(ctx.token, PUBLISHED + OURS, tuple(years), f.view)
        pub = pub[pub["unit"].isin(ids) & (pub["sector"] == "")]
        have = pub[pub["indicator"].isin(PUBLISHED)]
        if have.empty:
            st.info(t("no_data_published", lg))
        else:
            year = max(have["period"], key=period_sort_key)
            wide = pub[pub["period"] == year].pivot_table(index="unit", columns="indicator", values="value",
                                                          aggfunc="first")
            wide = wide.reindex(columns=[*PUBLISHED, *OURS])
            wide = wide.reindex(sorted(ids, key=lambda u: name_of.get(u, u)))
            wide = wide.sort_values("index766", ascending=False, na_position="last")
            shown = pd.DataFrame({t("col_unit", lg): [name_of.get(u, u) for u in wide.index]})
            for col in wide.columns:
                i = cat.indicator(col)
                shown[i.name(lg)] = [_fmt_cell(v, i.unit, lg) for v in wide[col]]
            st.markdown(f"**{t('published_title', lg, year=year)}**")
            st.dataframe(shown, hide_index=True, width="stretch", height=420)
            data = wide.reset_index()
            table_block(ctx, data, "published", source_line(ctx, list(PUBLISHED), [year]),
                        [t("published_note", lg)])
    page_footer(ctx, kind)


def _ministry_peers(rows: pd.DataFrame) -> pd.DataFrame:
    """Each ministry against the mean of the other ministries (they have no regions)."""
    r = rows[["unit", "value"]].dropna().copy()
    n = len(r)
    r["region"] = ""
    r["peer_n"] = n - 1
    r["peer_mean"] = (r["value"].sum() - r["value"]) / (n - 1) if n > 1 else float("nan")
    r["gap"] = r["value"] - r["peer_mean"]
    return r.reset_index(drop=True)


def table_block(ctx: Ctx, data: pd.DataFrame, key: str, source: str = "", notes: Sequence[str] = ()) -> None:
    """A table's source, notes and downloads (the table itself is drawn by the caller)."""
    _source_and_downloads(ctx, data, key, key, source, notes)
