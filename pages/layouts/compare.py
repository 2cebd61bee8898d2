"""So sánh địa phương / So sánh bộ, ngành: the one layout of the two comparison pages.

pages/provinces.py and pages/ministries.py only pick the unit kind. Kept in a sub-folder so Streamlit's
pages-folder mode (which lists every ``pages/*.py`` on a fresh server) never offers it as a page of its own.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

import ui
from analysis.frames import change_table, peers, same_kind_periods, totals, with_names
from charts.figures import choropleth, radar, ranked_bars, scatter
from domain.catalog import catalog
from domain.fmt import fmt_delta, fmt_value
from domain.i18n import t
from domain.periods import parse_period, period_sort_key

#: Indicators a committee compares units on; rates and scores first (they compare across unit sizes).
COMPARE = (
    "on_time_rate",
    "late_rate",
    "dossier_digitization_rate",
    "result_digitization_rate",
    "reuse_rate",
    "online_dossier_rate",
    "online_service_rate",
    "online_payment_rate",
    "satisfaction_rate",
    "index766",
    "par_index",
    "sipas",
    "staff_reduced",
    "dossiers_pending_overdue",
    "dossiers_resolved_late",
)
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


def _fmt_cell(value: Any, unit: str, lang: str) -> str:
    return fmt_value(None if pd.isna(value) else float(value), unit, lang)


def _delta_cell(value: Any, unit: str, lang: str) -> str:
    return fmt_delta(None if pd.isna(value) else float(value), unit, lang)


def compare_page(kind: str) -> None:
    """So sánh địa phương / So sánh bộ, ngành: map, ranking with change, peers, scatter, radar, indices."""
    page = "provinces" if kind == "province" else "ministries"
    ctx, f = ui.open_filtered_page(page, unit_kinds=(kind,), regions=kind == "province", choose_units=True)
    cat = catalog()
    lg = ctx.lang
    period, p = f.period, f.p
    scope = ui.scope_units(cat, f)
    ids = {u.id for u in scope}
    same = same_kind_periods(ui.available_periods(ctx.token), p.kind)
    name_of = {u: ui.unit_name(u, lg) for u in ids}
    chosen_names = [name_of.get(u, u) for u in f.units]

    @st.fragment
    def ranking() -> None:
        c1, c2 = st.columns(2)
        ind_id = str(
            ui.url_widget(
                c1.selectbox,
                t("indicator", lg),
                list(COMPARE),
                "ind",
                COMPARE[0],
                format_func=lambda i: cat.indicator(i).name(lg),
            )
        )
        earlier = [c for c in reversed(same) if period_sort_key(c) < period_sort_key(period)]
        default_base = f.last_year if f.last_year in earlier else (earlier[0] if earlier else period)
        bases = earlier or [period]
        base = str(
            ui.url_widget(
                c2.selectbox,
                t("compare_with", lg),
                bases,
                "cmp",
                default_base,
                format_func=lambda c: parse_period(c).label(lg),
            )
        )
        ind = cat.indicator(ind_id)
        df = ui.frame(ctx.token, (ind_id,), (period, base), f.view)
        rows = with_names(totals(df, ind_id, period), cat)
        rows = rows[rows["unit"].isin(ids)]
        missing = sorted(ids - set(rows.dropna(subset=["value"])["unit"]))
        src = ui.source_line(ctx, [ind_id, *ind.numerator, *ind.denominator], [period, base])
        notes = ui.notes_for(rows, lg, missing)
        if rows.empty:
            st.info(t("no_data", lg))
            return
        if kind == "province":
            era = "34" if f.rebased else p.province_era
            code_of = {u.id: u.code for u in cat.units.values()}
            geo = rows.assign(code=rows["unit"].map(code_of))
            fig = ui.cached_figure(
                ctx,
                (kind, "map", ind_id, base, *f.key),
                choropleth,
                geo,
                ui.geojson(era),
                title=t("map_title", lg, name=ind.name(lg), period=p.label(lg)),
                colour_label=ind.unit,
                better=ind.better or "higher",
                unit=ind.unit,
                lang=lg,
                missing_label=t("no_data_short", lg),
            )
            ui.chart_block(
                ctx,
                fig,
                geo[["unit", "code", "name", "period", "value", "rebased", "note"]],
                "map",
                src,
                [t("map_note", lg, era=era), *notes],
            )
        table = change_table(df[df["unit"].isin(ids)], ind_id, period, base, ind.better)
        table = with_names(table, cat)
        shown = pd.DataFrame(
            {
                t("col_rank", lg): table["rank"],
                t("col_unit", lg): table["name"],
                p.label(lg): [_fmt_cell(v, ind.unit, lg) for v in table["value"]],
                parse_period(base).label(lg): [_fmt_cell(v, ind.unit, lg) for v in table["base_value"]],
                t("col_change", lg): [_delta_cell(v, ind.unit, lg) for v in table["change"]],
            }
        )
        base_label = parse_period(base).label(lg)
        st.markdown(f"**{t('ranking_title', lg, name=ind.name(lg), period=p.label(lg), base=base_label)}**")
        st.dataframe(shown, hide_index=True, width="stretch", height=min(600, 36 * len(shown) + 40))
        ui.table_block(
            ctx,
            table[["rank", "unit", "name", "value", "base_value", "change"]],
            "ranking",
            src,
            [t("rank_note", lg, better=t("better_" + (ind.better or "higher"), lg)), *notes],
        )
        # Peers: each unit against the average of the others of its region (ministries: of all ministries).
        peer_df = peers(rows, cat, ind_id, period) if kind == "province" else _ministry_peers(rows)
        peer_df = with_names(peer_df, cat).dropna(subset=["gap"])
        if not peer_df.empty:
            fig = ui.cached_figure(
                ctx,
                (kind, "peers", ind_id, base, *f.key),
                ranked_bars,
                peer_df.assign(value=peer_df["gap"]),
                indicator=ind_id,
                title=t(
                    "peers_title" if kind == "province" else "peers_title_ministries",
                    lg,
                    name=ind.name(lg),
                    period=p.label(lg),
                ),
                axis_label=t("gap_axis", lg, unit=ind.unit),
                unit=ind.unit,
                better=ind.better or "higher",
                threshold=0.0,
                highlight=chosen_names,
                lang=lg,
            )
            ui.chart_block(
                ctx,
                fig,
                peer_df[["unit", "name", "value", "peer_mean", "peer_n", "gap"]],
                "peers",
                src,
                [t("peers_note" if kind == "province" else "peers_note_ministries", lg), *notes],
            )

    ranking()

    @st.fragment
    def scatter_block() -> None:
        c1, c2 = st.columns(2)
        x_id = str(
            ui.url_widget(
                c1.selectbox,
                t("axis_x", lg),
                list(COMPARE),
                "x",
                "dossier_digitization_rate",
                format_func=lambda i: cat.indicator(i).name(lg),
            )
        )
        y_id = str(
            ui.url_widget(
                c2.selectbox,
                t("axis_y", lg),
                list(COMPARE),
                "y",
                COMPARE[0],
                format_func=lambda i: cat.indicator(i).name(lg),
            )
        )
        df = ui.frame(ctx.token, tuple(dict.fromkeys((x_id, y_id))), (period,), f.view)
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
        fig = ui.cached_figure(
            ctx,
            (kind, "scatter", x_id, y_id, *f.key),
            scatter,
            data,
            title=t("scatter_title", lg, x=xi.name(lg), y=yi.name(lg), period=p.label(lg)),
            x_label=f"{xi.name(lg)} ({xi.unit})",
            y_label=f"{yi.name(lg)} ({yi.unit})",
            x_unit=xi.unit,
            y_unit=yi.unit,
            highlight=chosen_names,
            lang=lg,
        )
        ui.chart_block(
            ctx,
            fig,
            data,
            "scatter",
            ui.source_line(ctx, [x_id, y_id], [period]),
            ui.notes_for(df[df["unit"].isin(ids)], lg, missing),
        )

    scatter_block()

    left, right = st.columns(2)
    with left:
        if not 2 <= len(f.units) <= 6:
            st.info(t("radar_pick", lg))
        else:
            df = ui.frame(ctx.token, RADAR, (period,), f.view)
            rows = df[df["unit"].isin(f.units) & (df["sector"] == "")]
            rows = rows.assign(
                name=rows["unit"].map(lambda u: ui.unit_name(u, lg)),
                axis=rows["indicator"].map(lambda i: cat.indicator(i).name(lg)),
            )
            order = {cat.indicator(i).name(lg): n for n, i in enumerate(RADAR)}
            rows = rows.sort_values(["unit", "axis"], key=lambda s: s.map(order) if s.name == "axis" else s)
            fig = ui.cached_figure(
                ctx,
                (kind, "radar", *f.key),
                radar,
                rows[["name", "axis", "value"]],
                title=t("radar_title", lg, period=p.label(lg)),
                lang=lg,
            )
            ui.chart_block(
                ctx,
                fig,
                rows[["unit", "name", "indicator", "value"]],
                "radar",
                ui.source_line(ctx, list(RADAR), [period]),
                [t("radar_note", lg), *ui.notes_for(rows, lg)],
            )
    with right:
        years = [
            c for c in ui.available_periods(ctx.token) if parse_period(c).kind == "Y" and parse_period(c).year <= p.year
        ]
        pub = ui.frame(ctx.token, PUBLISHED + OURS, tuple(years), f.view)
        pub = pub[pub["unit"].isin(ids) & (pub["sector"] == "")]
        have = pub[pub["indicator"].isin(PUBLISHED)]
        if have.empty:
            st.info(t("no_data_published", lg))
        else:
            year = max(have["period"], key=period_sort_key)
            wide = pub[pub["period"] == year].pivot_table(
                index="unit", columns="indicator", values="value", aggfunc="first"
            )
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
            ui.table_block(
                ctx, data, "published", ui.source_line(ctx, list(PUBLISHED), [year]), [t("published_note", lg)]
            )
    ui.page_footer(ctx, kind)


def _ministry_peers(rows: pd.DataFrame) -> pd.DataFrame:
    """Each ministry against the mean of the other ministries (they have no regions)."""
    r = rows[["unit", "value"]].dropna().copy()
    n = len(r)
    r["region"] = ""
    r["peer_n"] = n - 1
    r["peer_mean"] = (r["value"].sum() - r["value"]) / (n - 1) if n > 1 else float("nan")
    r["gap"] = r["value"] - r["peer_mean"]
    return r.reset_index(drop=True)
