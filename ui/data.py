"""The UI's only caching: engine, frames and sources keyed by the database's data-version token, figures, maps.

Every cached function takes small arguments (the token, tuples of ids, the view), never a frame, so a new
upload (a new token) refreshes everything and nothing is keyed by a DataFrame's contents.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from domain.catalog import DATA_DIR, catalog
from domain.periods import parse_period
from reports.brief import BRIEF_INDICATORS, Brief, write_brief
from store.db import Engine, get_engine, migrate
from store.history import completeness
from store.queries import (
    AS_REPORTED,
    ViewBase,
    finish_view,
    has_demo,
    periods_with_data,
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
    migrate(engine())
    return True


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


@st.cache_resource(max_entries=32, show_spinner=False)
def _view_base(token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None) -> ViewBase:
    """What both views of a frame share (the stored figures and the group rows), kept once per data version,
    so switching between as-reported and re-based does not read and roll up the figures again. Shared and
    only read (:func:`store.queries.finish_view` never changes it)."""
    del token
    return view_base(engine(), indicators, periods)


@st.cache_data(max_entries=256, show_spinner=False)
def frame(
    token: str, indicators: tuple[str, ...], periods: tuple[str, ...] | None, view: str, onto: str = ""
) -> pd.DataFrame:
    """The view frame for small arguments, cached per data version (never keyed by a DataFrame).

    The same as :func:`store.queries.view_frame`, finished from the cached view-independent part.
    ``onto`` (the code of the period shown) is for frames that compare periods: in the as-reported view,
    periods of another era are re-based onto the units of the period shown (:func:`finish_view`).
    """
    day = parse_period(onto).end if onto else None
    return finish_view(_view_base(token, indicators, periods), indicators, view, onto=day)


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


@st.cache_resource(max_entries=512, show_spinner=False)
def _figure(token: str, key: tuple[Any, ...], _build: Callable[[], go.Figure]) -> go.Figure:
    """One figure per data version and filter key, shared by every session (the builder is not hashed)."""
    del token, key
    return _build()


def cached_figure(
    ctx: Ctx, key: tuple[Any, ...], build: Callable[..., go.Figure], *args: Any, **kwargs: Any
) -> go.Figure:
    """``build(*args, **kwargs)``, built once per data version, language, day and ``key``.

    ``key`` holds the small arguments that decide the figure (its chart name, the filters, the chosen
    indicator…), never a frame: with the data version token they fix the data the figure is drawn from,
    so the arguments (frames included) are only used when the key is new.
    Building a Plotly figure (``update_layout`` / ``update_*axes``) costs more than a page's cached frames,
    so reruns reuse it. A resource cache, not a data cache: a pickled figure is re-validated on every read,
    which costs as much as building it; the shared figure is only read (``st.plotly_chart`` copies it).
    """
    return _figure(ctx.token, (ctx.lang, dt.date.today().isoformat(), *key), partial(build, *args, **kwargs))


@st.cache_resource
def geojson(era: str) -> dict[str, Any]:
    """The provinces of an era ('63' or '34') as GeoJSON, read once per process from data/geo."""
    path = Path(DATA_DIR) / "geo" / f"vn_provinces_{era}.geojson"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data
