"""Chart, table and card blocks: a figure with its source, notes and downloads; a metric card with its target.

Every block receives the page run's :class:`~ui.context.Ctx`; a chart also records itself in ``ctx.charts``
for the page's one-workbook download. Pages draw every chart through :func:`chart`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.frames import value_lookup, yearly_values
from analysis.targets import Assessment, assess
from charts.export import DOCX_MIME, XLSX_MIME, to_csv_bytes, to_xlsx_bytes
from charts.geo import province_file
from charts.tables import with_profile_links
from domain.catalog import catalog
from domain.fmt import fmt_date, fmt_delta, fmt_value
from domain.i18n import t
from domain.periods import years_upto
from domain.plain import md_plain
from domain.rebase import NATIONAL
from ui.context import Ctx
from ui.data import available_periods, cached_figure, frame, shared, sources
from ui.filters import Filters
from ui.labels import target_text

#: Served by Streamlit from ./static; Plotly fetches its base map from here instead of the internet.
TOPOJSON_URL = "app/static/"


def geojson_url(era: str) -> str:
    """Where a browser fetches the provinces of an era (once per page load: Plotly keeps what it fetched)."""
    return TOPOJSON_URL + province_file(era)


PLOTLY_CONFIG = {
    "topojsonURL": TOPOJSON_URL,
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


def source_line(ctx: Ctx, indicators: Sequence[str], periods: Sequence[str] | None = None) -> str:
    """'Nguồn: file.xlsx (#3); cập nhật 26/11/2026' for the uploads behind a chart (shared per data version)."""
    chosen = tuple(periods) if periods is not None else None
    return str(
        shared(ctx.token, ("source", tuple(indicators), chosen, ctx.lang), partial(_source, ctx, indicators, chosen))
    )


def _source(ctx: Ctx, indicators: Sequence[str], periods: tuple[str, ...] | None) -> str:
    src = sources(ctx.token, tuple(indicators), periods)
    if src.empty:
        return ""
    names = ", ".join(f"{r.file_name} (#{r.id})" for r in src.itertuples())
    latest = pd.to_datetime(src["uploaded_at"]).max()
    updated = fmt_date(latest.to_pydatetime(), ctx.lang)
    return f"{t('source', ctx.lang)}: {names}; {t('last_updated', ctx.lang)} {updated}"


def chart(
    ctx: Ctx,
    name: str,
    key: tuple[Any, ...],
    build: Callable[[], go.Figure],
    data: pd.DataFrame,
    source: str = "",
    notes: Sequence[str] = (),
    link_units: bool = False,
) -> None:
    """The chart ``name``: its figure, its source and notes, and ``data`` as .xlsx and .csv below it.

    ``build`` (a ``functools.partial`` of a ``charts`` builder) runs once per data version, language, day,
    ``name`` and ``key`` — the small arguments that decide the figure (filters, chosen indicator…), never a
    frame — and every session shares the figure (:func:`ui.data.cached_figure`).
    ``link_units`` (for charts whose bars or regions are units, their ids as the traces' ``customdata``):
    clicking a unit opens its profile, for the period and view shown.
    """
    _figure_block(ctx, cached_figure(ctx, (name, *key), build), data, name, source, notes, link_units)


def _figure_block(
    ctx: Ctx, fig: go.Figure, data: pd.DataFrame, key: str, source: str, notes: Sequence[str], link_units: bool
) -> None:
    if link_units:
        event = st.plotly_chart(
            fig, key=f"chart_{key}", config=PLOTLY_CONFIG, width="stretch", on_select="rerun", selection_mode="points"
        )
        unit = selected_unit(event)
        if unit:
            open_profile(unit)
        notes = [*notes, t("chart_link_note", ctx.lang)]
    else:
        st.plotly_chart(fig, key=f"chart_{key}", config=PLOTLY_CONFIG, width="stretch")
    ctx.charts.add(key, fig, data, source, notes)
    _source_and_downloads(ctx, data, key, str(fig.layout.title.text or key).replace("<br>", " "), source, notes)


def selected_unit(event: Any) -> str | None:
    """The unit of the first clicked point of a chart's selection event (its ``customdata``), if any."""
    points = (event or {}).get("selection", {}).get("points", []) if hasattr(event, "get") else []
    units = catalog().units
    for point in points:
        data = point.get("customdata")
        data = data[0] if isinstance(data, list) and data else data
        if isinstance(data, str) and data in units:
            return data
    return None


#: The filters a unit's profile takes over from the page it was opened from (the filter bar's widget keys,
#: whose values are in the session state, not always in the URL: defaults are left out of it).
PROFILE_CARRIES = ("ptype", "period", "view")


def open_profile(unit: str) -> None:
    """Go to the unit's profile, keeping the period, view and language shown."""
    params = {k: str(st.session_state[k]) for k in PROFILE_CARRIES if st.session_state.get(k) is not None}
    if "lang" in st.query_params:
        params["lang"] = st.query_params["lang"]
    # The profile's widgets of the same keys must seed from its URL: a value left in the session state by this
    # page's widget is not carried to the other page's widget (Streamlit would show that widget's first option).
    for key in (*PROFILE_CARRIES, "unit"):
        st.session_state.pop(key, None)
    st.switch_page("pages/profile.py", query_params={"unit": unit, **params})


def _source_and_downloads(
    ctx: Ctx, data: pd.DataFrame, key: str, title: str, source: str, notes: Sequence[str]
) -> None:
    """Source and notes as a caption, then the data as .xlsx and .csv (built only when clicked)."""
    lines = [s for s in (source, *(f"{t('notes', ctx.lang)}: {n}" for n in notes if n)) if s]
    if lines:
        st.caption("  \n".join(md_plain(s) for s in lines))  # file names are the sender's text, never Markdown
    row = st.container(horizontal=True)
    row.download_button(
        t("download_xlsx", ctx.lang),
        partial(to_xlsx_bytes, data, title=title, source=source),
        file_name=f"{key}.xlsx",
        mime=XLSX_MIME,
        key=f"xlsx_{key}",
    )
    row.download_button(
        t("download_csv", ctx.lang),
        partial(to_csv_bytes, data),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv_{key}",
    )


def docx_button(label: str, build: Callable[[], bytes], file_name: str, key: str, caption: str) -> None:
    """A report's DOCX as the page's primary button, built only when clicked (Chromium renders its charts),
    with ``caption`` below it (what it holds, the command line that makes the same file)."""
    st.download_button(label, build, file_name=file_name, key=key, mime=DOCX_MIME, type="primary")
    st.caption(caption)


def unit_table(ctx: Ctx, shown: pd.DataFrame, units: Sequence[str], period: str, **kwargs: Any) -> None:
    """A table whose rows are ``units`` (in order), drawn with a last column linking each row to its profile."""
    col = t("col_profile", ctx.lang)
    config = {col: st.column_config.LinkColumn(col, display_text=t("profile_open", ctx.lang), width="small")}
    st.dataframe(with_profile_links(shown, units, period, col), column_config=config, **kwargs)


def table_block(ctx: Ctx, data: pd.DataFrame, key: str, source: str = "", notes: Sequence[str] = ()) -> None:
    """A table's source, notes and downloads (the table itself is drawn by the caller)."""
    _source_and_downloads(ctx, data, key, key, source, notes)


def national_cards(ctx: Ctx, f: Filters, indicators: Sequence[str], columns: int = 3, read: Sequence[str] = ()) -> None:
    """A card per indicator, nationwide, for the period shown: its figure, its change on the same period
    last year and, for an indicator with a target, its status and (for a target year ahead) the projection
    from the yearly figures. A card without a target says nothing of targets: most cards have none.

    ``read`` (default: ``indicators``) is the set the frames are read for: a page drawing its cards in
    several groups passes all of them, so every group after the first is a cache hit, not another query."""
    wanted = tuple(read or indicators)
    key = ("cards", wanted, f.period, f.last_year, f.view)
    cards = shared(ctx.token, key, partial(_card_figures, ctx.token, wanted, f))
    cols = st.columns(columns)
    for j, ind in enumerate(indicators):
        value, previous, assessment = cards.get(ind, (None, None, None))
        kpi_card(cols[j % columns], ctx, ind, value, previous, assessment)


def _card_figures(
    token: str, wanted: tuple[str, ...], f: Filters
) -> dict[str, tuple[float | None, float | None, Assessment | None]]:
    """Indicator → (national figure, the same period last year, target status) for :func:`national_cards`."""
    cat = catalog()
    nation = frame(token, wanted, (f.period, f.last_year), f.view)
    lookup = value_lookup(nation[nation["unit"] == NATIONAL])
    targeted = tuple(i for i in wanted if cat.targets_for(i))
    yearly = frame(token, targeted, years_upto(available_periods(token), f.p.year), f.view) if targeted else None
    out: dict[str, tuple[float | None, float | None, Assessment | None]] = {}
    for ind in wanted:
        value = lookup.get((ind, f.period, NATIONAL, ""))
        a = (
            assess(cat, ind, f.p.year, value, yearly_values(yearly, ind))
            if yearly is not None and ind in targeted
            else None
        )
        out[ind] = (value, lookup.get((ind, f.last_year, NATIONAL, "")), a)
    return out


def kpi_card(
    container: Any,
    ctx: Ctx,
    indicator: str,
    value: float | None,
    previous: float | None,
    assessment: Assessment | None,
    label: str = "",
) -> None:
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
        delta = fmt_delta(diff, ind, lg).replace("−", "-") + " " + t("vs_last_year", lg)
        if diff != 0 and ind.better:
            good = (diff > 0) == (ind.better == "higher")
            colour = "blue" if good else "orange"
    # The full name above the card: st.metric would cut a long Vietnamese indicator name with an ellipsis.
    box = container.container(border=True)
    box.markdown(f"**{label or ind.name(lg)}{unit_label}**", help=t("kpi_help", lg))
    box.metric(
        label or ind.name(lg), fmt_value(value, ind, lg), delta, delta_color=colour, label_visibility="collapsed"
    )
    if assessment is not None:
        box.caption(target_text(assessment, ind, lg))
