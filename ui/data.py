"""The UI's only caching: engine, frames and sources keyed by the database's data-version token, figures, maps.

Every cached function takes small arguments (the token, tuples of ids, the view), never a frame, so a new
upload (a new token) refreshes everything and nothing is keyed by a DataFrame's contents.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from domain.catalog import catalog
from domain.periods import parse_period, period_sort_key
from domain.rebase import carried_onto, map_changes
from reports.brief import BRIEF_INDICATORS, Brief, write_brief
from store.db import Engine, database_reachable, get_engine, migrate
from store.history import completeness
from store.queries import (
    AS_REPORTED,
    REBASED,
    VIEWS,
    ViewBase,
    cut_views,
    finish_period,
    has_demo,
    periods_with_data,
    reachable_version,
    upload_ids_for,
    upload_sources,
    view_base,
)
from ui.context import Ctx


@st.cache_resource
def engine() -> Engine:
    """One engine (connection pool) per process."""
    return get_engine()


@st.cache_resource
def migrated() -> bool:
    """Bring the schema up to date once per process (not cached when the database was down)."""
    eng = engine()
    migrate(eng)
    _migrated.add(eng)
    return True


_migrated: weakref.WeakSet[Engine] = weakref.WeakSet()  # engines whose database's schema is up to date


_HELD_VERSION = "_run_data_version"


def hold_version(version: str) -> None:
    """The data version the run's session check read with it (:func:`store.users.session_and_version`),
    for :func:`data_token` to take instead of asking again."""
    st.session_state[_HELD_VERSION] = version


def forget_held_version() -> None:
    """Drop a version held by an earlier run (each run starts without one)."""
    st.session_state.pop(_HELD_VERSION, None)


def data_token() -> str | None:
    """The data version every cache is keyed by, read once per page run; None when the database does not
    answer. The first run that reaches the database brings its schema up to date (:func:`migrated`); from
    then on the version read with this run's session check is taken, or the version's own query is the
    round trip that tells whether the database is there."""
    eng = engine()
    if eng not in _migrated:
        if not database_reachable(eng):
            return None
        migrated()
    held = st.session_state.pop(_HELD_VERSION, None)
    return held if isinstance(held, str) else reachable_version(eng)


@st.cache_data(max_entries=8, show_spinner=False)
def demo_loaded(token: str) -> bool:
    """Whether demo figures are stored (the pages then say so in a banner)."""
    del token  # the cache key: the data version
    return has_demo(engine())


@st.cache_data(max_entries=8, show_spinner=False)
def available_periods(token: str) -> list[str]:
    """Periods with data, oldest first; keyed by the data version token only."""
    del token
    return periods_with_data(engine())


#: Data versions whose per-period frames are kept: the newest, and the one before for runs still on it.
KEEP_VERSIONS = 2
_versions: list[str] = []  # the kept data versions, in the order first seen (tokens are opaque, not ordered)
#: data version → key → what is kept for every session: ("base", period) a period's view base of every
#: indicator, ("view", period, carried) that base re-based (or ("view", period, view, ()) when nothing is
#: carried over) (:func:`period_view`).
_kept: dict[str, dict[tuple[Any, ...], Any]] = {}
_kept_lock = threading.Lock()  # changes to _versions and _kept
_compute_lock = threading.RLock()  # one frame computed at a time: two sessions never compute the same one
_MISSING: Any = object()
log = logging.getLogger(__name__)


def _keep(token: str, key: tuple[Any, ...], value: Any) -> None:
    with _kept_lock:
        if token not in _versions:  # a new version (or one forgotten): the oldest kept one goes
            _versions.append(token)
            for old in _versions[:-KEEP_VERSIONS]:
                _kept.pop(old, None)
            del _versions[:-KEEP_VERSIONS]
        _kept.setdefault(token, {})[key] = value


def _kept_or(token: str, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """What is kept under ``key`` for data version ``token``, computed once (by one session) when missing."""
    found = _kept.get(token, {}).get(key, _MISSING)
    if found is not _MISSING:
        return found
    with _compute_lock:
        found = _kept.get(token, {}).get(key, _MISSING)
        if found is _MISSING:
            found = compute()
            _keep(token, key, found)
        return found


def period_base(token: str, period: str, eng: Engine | None = None) -> ViewBase:
    """The view base of every indicator for one period (:func:`store.queries.view_base`), kept per data
    version for every session. Memory is bounded by the data itself: one base per period with data."""
    cat = catalog()
    return _kept_or(token, ("base", period), lambda: view_base(eng or engine(), tuple(cat.indicators), (period,)))


def period_view(token: str, period: str, view: str, onto: dt.date | None, eng: Engine | None = None) -> pd.DataFrame:
    """Every figure of one period in a view (:func:`store.queries.finish_period`), kept per data version for
    every session and only read: any page's frame is cut from these (:func:`frame`), so no viewer's new
    filter combination rolls up, re-bases or derives figures again.

    A re-based frame is kept by what it carries over (:func:`domain.rebase.carried_onto`), whichever view
    asked: all the days of one era share one frame, and the as-reported view of an older period carried
    onto today's units is the re-based view the warm-up already computed. A frame that carries nothing is
    kept per view (the as-reported view of a period with nothing to carry onto that day is the plain one)."""
    base = period_base(token, period, eng)
    cat = catalog()
    day = None if view == REBASED else onto  # the re-based view is onto today's units
    carried: tuple[tuple[str, str], ...] = ()
    if base is not None and (view == REBASED or day is not None):
        obs = base[0]  # its units are read only when what they carry is not kept yet
        carried = _kept_or(token, ("carried", period, day), lambda: carried_onto(cat, obs["unit"].unique(), day))
    if not carried:
        return _kept_or(token, ("view", period, view, ()), lambda: finish_period(base, view, cat))
    return _kept_or(token, ("view", period, carried), lambda: finish_period(base, view, cat, day))


def warm_periods(token: str, eng: Engine) -> int:
    """Compute every period's frames of data version ``token`` in both views, newest period first (what
    viewers open), so no viewer's first filter combination pays for them; stops when newer versions pushed
    this one out. Bounded: one base and two views per period with data, one at a time. Returns how many
    periods it computed. A page that compares periods across eras shows older periods as reported carried
    onto the units of the period shown: one frame per era the map went through (:func:`period_view`),
    computed here too, so no viewer re-bases a period. Onto today's units that frame is the re-based
    view itself; the era between the two mergers (the ministries merged, the provinces not yet) adds a
    third of the warm-up's time (1,7 s of CPU on the demo)."""
    done = 0
    eras = map_changes(catalog())
    for period in reversed(periods_with_data(eng)):
        if done and token not in _versions:
            break
        if ("warmed", period) not in _kept.get(token, {}):
            for v in VIEWS:
                period_view(token, period, v, None, eng)
            for day in eras:
                period_view(token, period, AS_REPORTED, day, eng)
            with _kept_lock:  # marked only while still kept: an old version's warm-up never brings it back
                if token in _kept:
                    _kept[token][("warmed", period)] = True
            done += 1
    return done


_warming: set[str] = set()


def _start_warm_up(token: str) -> None:
    """One background warm-up per data version and process (see :func:`warm_periods`)."""
    with _kept_lock:
        if token in _warming:
            return
        if len(_warming) >= 16:  # bounded: long-gone versions are forgotten
            _warming.clear()
        _warming.add(token)
    eng = engine()

    def run() -> None:
        try:
            log.info("warm-up of data version %s: %d periods", token, warm_periods(token, eng))
        except Exception:  # the database went away: viewers compute what they need on their own
            log.exception("warm-up of data version %s stopped", token)

    threading.Thread(target=run, name="cchc-warm-up", daemon=True).start()


@st.cache_data(max_entries=256, show_spinner=False)
def frame(
    token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None, view: str, onto: str = ""
) -> pd.DataFrame:
    """The view frame for small arguments, cached per data version (never keyed by a DataFrame).

    The same as :func:`store.queries.view_frame`, cut from the finished frames of each period that every
    session shares (:func:`period_view`; the first cut of a new data version starts their warm-up).
    ``onto`` (the code of the period shown) is for frames that compare periods: in the as-reported view,
    periods of another era are re-based onto the units of the period shown (:func:`finish_view`).
    """
    _start_warm_up(token)
    day = parse_period(onto).end if onto else None
    chosen = sorted(set(periods if periods is not None else available_periods(token)), key=period_sort_key)
    return cut_views([period_view(token, p, view, day) for p in chosen], indicators)


@st.cache_data(max_entries=128, show_spinner=False)
def sources(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None) -> pd.DataFrame:
    """The uploads behind some indicators and periods (file name, id, upload time)."""
    del token
    eng = engine()
    return upload_sources(eng, upload_ids_for(eng, indicators, periods))


@st.cache_data(max_entries=64, show_spinner=False)
def board(token: str, period: str) -> pd.DataFrame:
    """Every unit expected to report for ``period`` and its status (:func:`store.history.completeness`)."""
    del token
    return completeness(engine(), period, catalog())


@st.cache_resource(max_entries=512, show_spinner=False)
def brief(token: str, period: str, scope: str, lang: str) -> Brief:
    """The meeting brief (:func:`reports.brief.build_brief`) per data version, period, scope and language,
    shared by every session and only read. Its figures come from :func:`frame` and :func:`board`, so the
    other scopes and the other language of a period reuse what the first one read."""
    rows = frame(token, BRIEF_INDICATORS, (period, parse_period(period).last_year().code), AS_REPORTED, onto=period)
    return write_brief(rows, board(token, period), demo_loaded(token), period, scope, lang, catalog())


@st.cache_resource(max_entries=1024, show_spinner=False)
def _shared(token: str, key: tuple[Any, ...], _compute: Callable[[], Any]) -> Any:
    del token, key
    return _compute()


def shared(token: str, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()`` once per data version and ``key`` for every session, then only read: what a block
    works out from cached frames on every run (a card's figures, a source line), where working it out
    costs more than drawing it. ``key`` holds the small arguments that decide the result, never a frame."""
    return _shared(token, key, compute)


def cached_figure(ctx: Ctx, key: tuple[Any, ...], build: Callable[[], go.Figure]) -> go.Figure:
    """``build()``, built once per data version, language, day and ``key``.

    ``key`` holds the small arguments that decide the figure (its chart name, the filters, the chosen
    indicator…), never a frame: with the data version token they fix the data the figure is drawn from,
    so ``build`` (and the frames it holds) is only called when the key is new.
    Building a Plotly figure (``update_layout`` / ``update_*axes``) costs more than a page's cached frames,
    so reruns reuse it. A resource cache, not a data cache: a pickled figure is re-validated on every read,
    which costs as much as building it; the shared figure is only read (``st.plotly_chart`` copies it).
    """
    return shared(ctx.token, ("figure", ctx.lang, dt.date.today().isoformat(), *key), build)
