"""So sánh địa phương / So sánh bộ, ngành: the one layout of the two comparison pages.

pages/provinces.py and pages/ministries.py only pick the unit kind. Kept in a sub-folder so Streamlit's
pages-folder mode (which lists every ``pages/*.py`` on a fresh server) never offers it as a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import streamlit as st

import ui
from analysis.compare import (
    COMPARE,
    gaps_as_values,
    has_pairs,
    latest_published,
    pair_values,
    radar_rows,
    unit_peers,
    without_pair,
)
from analysis.frames import (
    Frame,
    change_table,
    in_scope,
    index_as_column,
    same_kind_periods,
    totals,
    with_codes,
    with_names,
)
from charts.figures import choropleth, radar, ranked_bars, scatter
from charts.geo import province_geojson
from charts.tables import indicator_columns, ranking_table
from domain.catalog import Catalog, catalog
from domain.i18n import t
from domain.periods import parse_period, period_sort_key, years_upto

RADAR = (
    "on_time_rate",
    "dossier_digitization_rate",
    "reuse_rate",
    "online_dossier_rate",
    "online_payment_rate",
    "satisfaction_rate",
)
PUBLISHED = ("par_index", "sipas", "index766")
OURS = ("on_time_rate", "online_dossier_rate", "satisfaction_rate")


@dataclass(frozen=True)
class View:
    """What every section of a comparison page shares: the run, the filters and the units in scope."""

    kind: str  # province | ministry
    ctx: ui.Ctx
    f: ui.Filters
    cat: Catalog
    ids: frozenset[str]
    name_of: dict[str, str]

    @property
    def lg(self) -> str:
        return self.ctx.lang

    @property
    def chosen_names(self) -> list[str]:
        return [self.name_of.get(u, u) for u in self.f.units]

    def indicator_name(self, i: str) -> str:
        return self.cat.indicator(i).name(self.lg)

    def period_label(self, c: str) -> str:
        return parse_period(c).label(self.lg)


def compare_page(kind: str) -> None:
    """So sánh địa phương / So sánh bộ, ngành: map, ranking with change, peers, scatter, radar, indices."""
    page = "provinces" if kind == "province" else "ministries"
    ctx, f = ui.open_filtered_page(page, unit_kinds=(kind,), regions=kind == "province", choose_units=True)
    cat = catalog()
    ids = frozenset(u.id for u in ui.scope_units(cat, f))
    v = View(kind, ctx, f, cat, ids, {u: ui.unit_name(u, ctx.lang) for u in ids})
    st.fragment(ranking)(v)
    st.fragment(scatter_block)(v)
    left, right = st.columns(2)
    with left:
        radar_block(v)
    with right:
        published_block(v)
    ui.page_footer(ctx, kind)


def _indicator_and_base(v: View) -> tuple[str, str]:
    """The indicator and the comparison period the viewer picked (kept in the URL)."""
    lg, period = v.lg, v.f.period
    c1, c2 = st.columns(2)
    ind_id = ui.indicator_select(COMPARE, container=c1)
    same = same_kind_periods(ui.available_periods(v.ctx.token), v.f.p.kind)
    earlier = [c for c in reversed(same) if period_sort_key(c) < period_sort_key(period)]
    default_base = v.f.last_year if v.f.last_year in earlier else (earlier[0] if earlier else period)
    bases = earlier or [period]
    base = str(
        ui.url_widget(c2.selectbox, t("compare_with", lg), bases, "cmp", default_base, format_func=v.period_label)
    )
    return ind_id, base


@dataclass(frozen=True)
class Ranking:
    """What the ranking section shows, worked out once per data version, scope and language for every
    session (it covers every unit in scope; the chosen units are only highlighted): only read."""

    rows: Frame
    geo: Frame
    table: Frame
    shown: Frame
    peers: Frame
    src: str
    notes: list[str]
    change_notes: list[str]


def _ranking(v: View, ind_id: str, base: str) -> Ranking:
    ctx, f, cat, lg, ids, period = v.ctx, v.f, v.cat, v.lg, v.ids, v.f.period
    ind = cat.indicator(ind_id)
    # The comparison period is carried onto the units of the period shown when it is of another era.
    df = ui.frame(ctx.token, (ind_id,), (period, base), f.view, onto=period)
    rows, missing = in_scope(with_names(totals(df, ind_id, period), cat), ids)
    table = with_names(change_table(in_scope(df, ids)[0], ind_id, period, base, ind.better), cat)
    return Ranking(
        rows=rows,
        geo=with_codes(rows, cat) if v.kind == "province" and not rows.empty else rows,
        table=table,
        shown=ranking_table(table, ind, f.p.label(lg), parse_period(base).label(lg), lg),
        peers=unit_peers(rows, cat, ind_id, period, v.kind) if not rows.empty else rows,
        src=ui.source_line(ctx, [ind_id, *ind.numerator, *ind.denominator], [period, base]),
        notes=ui.notes_for(rows, lg, missing),
        change_notes=ui.notes_for(in_scope(df, ids)[0], lg, missing, period=period),
    )


def ranking(v: View) -> None:
    """The map, the ranking with its change on the comparison period, and each unit against its peers."""
    ctx, f, lg = v.ctx, v.f, v.lg
    period, p = f.period, f.p
    ind_id, base = _indicator_and_base(v)
    ind = v.cat.indicator(ind_id)
    m: Ranking = ui.shared(ctx.token, ("ranking", ind_id, base, lg, *f.scope_key), partial(_ranking, v, ind_id, base))
    if m.rows.empty:
        st.info(t("no_data", lg))
        return
    if v.kind == "province":
        era = "34" if f.rebased else p.province_era
        ui.chart(
            ctx,
            "map",
            (v.kind, ind_id, base, *f.scope_key),  # every province in scope, none highlighted
            partial(
                choropleth,
                m.geo,
                province_geojson(era),
                title=t("map_title", lg, name=ind.name(lg), period=p.label(lg)),
                indicator=ind,
                lang=lg,
                geojson_url=ui.geojson_url(era),
            ),
            m.geo[["unit", "code", "name", "period", "value", "rebased", "note"]],
            m.src,
            [t("map_note", lg, era=era), *m.notes],
            link_units=True,
        )
    base_label = parse_period(base).label(lg)
    st.markdown(f"**{t('ranking_title', lg, name=ind.name(lg), period=p.label(lg), base=base_label)}**")
    ui.unit_table(
        ctx,
        m.shown,
        list(m.table["unit"]),
        period,
        hide_index=True,
        width="stretch",
        height=min(600, 36 * len(m.shown) + 40),
    )
    ui.table_block(
        ctx,
        m.table[["rank", "unit", "name", "value", "base_value", "change"]],
        "ranking",
        m.src,
        [t("rank_note", lg, better=t("better_" + (ind.better or "higher"), lg)), *m.change_notes],
    )
    peers_block(v, ind_id, base, m)


def peers_block(v: View, ind_id: str, base: str, m: Ranking) -> None:
    """Each unit against the average of the others of its region (ministries: of all ministries)."""
    ctx, f, lg, kind = v.ctx, v.f, v.lg, v.kind
    ind = v.cat.indicator(ind_id)
    peer_df, src, notes = m.peers, m.src, m.notes
    if peer_df.empty:
        return
    ui.chart(
        ctx,
        "peers",
        (kind, ind_id, base, *f.key),
        partial(
            ranked_bars,
            gaps_as_values(peer_df),
            indicator=ind,
            title=t(
                "peers_title" if kind == "province" else "peers_title_ministries",
                lg,
                name=ind.name(lg),
                period=f.p.label(lg),
            ),
            axis_label=t("gap_axis", lg, unit=ind.unit),
            threshold=0.0,
            highlight=v.chosen_names,
            lang=lg,
        ),
        peer_df[["unit", "name", "value", "peer_mean", "peer_n", "gap"]],
        src,
        [t("peers_note" if kind == "province" else "peers_note_ministries", lg), *notes],
        link_units=True,
    )


@dataclass(frozen=True)
class Pairs:
    """The scatter's points (one per unit in scope with both figures), source and notes: once per data
    version, scope, language and pair of indicators for every session; only read."""

    data: Frame
    src: str
    notes: list[str]


def _pairs(v: View, x_id: str, y_id: str) -> Pairs:
    ctx, f, lg, period = v.ctx, v.f, v.lg, v.f.period
    df = ui.frame(ctx.token, tuple(dict.fromkeys((x_id, y_id))), (period,), f.view)
    data = pair_values(df, x_id, y_id, period, v.name_of)
    return Pairs(
        data, ui.source_line(ctx, [x_id, y_id], [period]), ui.notes_for(in_scope(df, v.ids)[0], lg, without_pair(data))
    )


def scatter_block(v: View) -> None:
    """Any two indicators against each other, one point per unit."""
    ctx, f, lg = v.ctx, v.f, v.lg
    c1, c2 = st.columns(2)
    x_id = ui.indicator_select(COMPARE, "x", t("axis_x", lg), "dossier_digitization_rate", c1)
    y_id = ui.indicator_select(COMPARE, "y", t("axis_y", lg), container=c2)
    m: Pairs = ui.shared(ctx.token, ("pairs", x_id, y_id, lg, *f.scope_key), partial(_pairs, v, x_id, y_id))
    xi, yi = v.cat.indicator(x_id), v.cat.indicator(y_id)
    if not has_pairs(m.data):
        st.info(t("no_data", lg))
        return
    ui.chart(
        ctx,
        "scatter",
        (v.kind, x_id, y_id, *f.key),  # the chosen units are highlighted
        partial(
            scatter,
            m.data,
            title=t("scatter_title", lg, x=xi.name(lg), y=yi.name(lg), period=f.p.label(lg)),
            x_label=f"{xi.name(lg)} ({xi.unit})",
            y_label=f"{yi.name(lg)} ({yi.unit})",
            x_unit=xi.unit,
            y_unit=yi.unit,
            x_decimals=xi.decimals,
            y_decimals=yi.decimals,
            highlight=v.chosen_names,
            lang=lg,
        ),
        m.data,
        m.src,
        m.notes,
    )


def radar_block(v: View) -> None:
    """The chosen units (2 to MAX_UNITS) on the radar's indicators."""
    ctx, f, lg = v.ctx, v.f, v.lg
    if not 2 <= len(f.units) <= ui.MAX_UNITS:
        st.info(t("radar_pick", lg))
        return
    df = ui.frame(ctx.token, RADAR, (f.period,), f.view)
    rows = radar_rows(
        df, f.units, RADAR, {u: ui.unit_name(u, lg) for u in f.units}, {i: v.indicator_name(i) for i in RADAR}
    )
    ui.chart(
        ctx,
        "radar",
        (v.kind, *f.key),
        partial(radar, rows[["name", "axis", "value"]], title=t("radar_title", lg, period=f.p.label(lg)), lang=lg),
        rows[["unit", "name", "indicator", "value"]],
        ui.source_line(ctx, list(RADAR), [f.period]),
        [t("radar_note", lg), *ui.notes_for(rows, lg)],
    )


@dataclass(frozen=True)
class Published:
    """The latest published year's indices beside our KPIs for the units in scope (once per data version,
    scope and language for every session; only read)."""

    year: str | None
    wide: Frame
    shown: Frame
    src: str


def _published(v: View) -> Published:
    ctx, f, lg = v.ctx, v.f, v.lg
    years = years_upto(ui.available_periods(ctx.token), f.p.year)
    pub = ui.frame(ctx.token, PUBLISHED + OURS, years, f.view)
    year, wide = latest_published(pub, v.ids, PUBLISHED, OURS, v.name_of)
    if year is None:
        return Published(None, wide, wide, "")
    return Published(
        year, wide, indicator_columns(wide, v.cat, v.name_of, lg), ui.source_line(ctx, list(PUBLISHED), [year])
    )


def published_block(v: View) -> None:
    """PAR INDEX, SIPAS and the 766 index of the latest published year beside our own KPIs."""
    ctx, lg = v.ctx, v.lg
    m: Published = ui.shared(ctx.token, ("published", lg, *v.f.scope_key), partial(_published, v))
    if m.year is None:
        st.info(t("no_data_published", lg))
        return
    st.markdown(f"**{t('published_title', lg, year=m.year)}**")
    st.dataframe(m.shown, hide_index=True, width="stretch", height=420)
    ui.table_block(ctx, index_as_column(m.wide), "published", m.src, [t("published_note", lg)])
