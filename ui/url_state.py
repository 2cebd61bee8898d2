"""Widgets whose value lives in the query string as its code, so a copied link reopens the same view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from domain.catalog import catalog
from domain.i18n import t


def lang() -> str:
    """Vietnamese unless the user chose English (kept in the URL so links keep the language)."""
    chosen = st.session_state.get("lang") or st.query_params.get("lang", "vi")
    return "en" if chosen == "en" else "vi"


def language_switch() -> None:
    """The sidebar's Tiếng Việt / English choice (``?lang=en``)."""
    url_widget(
        st.sidebar.radio,
        t("lang_label", lang()),
        ["vi", "en"],
        "lang",
        "vi",
        horizontal=True,
        format_func=lambda v: {"vi": "Tiếng Việt", "en": "English"}[v],
    )


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
    """Set ``?key=value`` (``None`` removes it); untouched when already so, to spare a browser history entry."""
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def indicator_select(
    options: Sequence[str], key: str = "ind", label: str = "", default: str | None = None, container: Any = st
) -> str:
    """A selectbox of catalogue indicators by their names, kept in the URL by id (``?ind=on_time_rate``)."""
    lg = lang()
    name = catalog().indicator
    chosen = url_widget(
        container.selectbox,
        label or t("indicator", lg),
        list(options),
        key,
        default if default is not None else options[0],
        format_func=lambda i: name(i).name(lg),
    )
    return str(chosen)
