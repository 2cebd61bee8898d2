"""Generic figures of the dashboard pages: ranked bars, trends, Pareto, heatmap, map, scatter, radar.

Every builder takes a tidy frame the page prepared, a title that says what and when, and an axis label
with the unit. Missing values stay missing (gaps, grey areas, "–"), never zero. Colours follow
:mod:`charts.style`: one colour per indicator, and vermillion always on the worse side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from charts.style import BAD, GOOD, NEUTRAL, OKABE_ITO, TARGET, base_layout, colour_of, title_room, wrap_title
from domain.catalog import Indicator
from domain.fmt import fmt_number
from domain.i18n import t

#: Above this many points a trace is drawn with WebGL (Scattergl) so the browser stays fast.
WEBGL_THRESHOLD = 1_000
MISSING_COLOUR = "#D9D9D9"

#: Diverging bad → good scale (vermillion → light grey → blue): readable with every common colour deficiency.
BAD_TO_GOOD: list[tuple[float, str]] = [(0.0, BAD), (0.5, "#F2F2F2"), (1.0, GOOD)]


def better_scale(better: str) -> list[list[Any]]:
    """The colour scale for an indicator so the worse end is vermillion whichever direction is better."""
    if better == "lower":
        return [[1.0 - s, c] for s, c in reversed(BAD_TO_GOOD)]
    return [[s, c] for s, c in BAD_TO_GOOD]


def _hover_fmt(decimals: int) -> str:
    """Plotly's number format with the indicator's decimals (``decimals`` in data/indicators.csv)."""
    return ",." + str(decimals) + "f"


def _suffix(unit: str) -> str:
    return "%" if unit == "%" else ""


def ranked_bars(
    df: pd.DataFrame,
    *,
    indicator: Indicator,
    title: str,
    axis_label: str,
    refs: Sequence[tuple[str, float | None]] = (),
    highlight: Sequence[str] = (),
    threshold: float | None = None,
    lang: str = "vi",
    groups: Mapping[str, str] | None = None,
) -> go.Figure:
    """Horizontal bars of units (``df``: name, value), best at the top, with reference lines; values in the
    indicator's unit and decimals, ranked by its better direction.

    Bars are in the indicator's colour; with a ``threshold`` (a target) bars on the wrong side of it are
    vermillion. Highlighted units (chosen in the filter bar) get a black outline. ``groups`` (name → group
    label, e.g. ministries and provinces) draws each group as its own labelled block, ranked within it.
    """
    unit, dec, better = indicator.unit, indicator.decimals, indicator.better or "higher"
    data = df.dropna(subset=["value"]).sort_values("value", ascending=(better == "lower"))
    if groups:
        order = {g: n for n, g in enumerate(dict.fromkeys(groups.values()))}
        data = data.assign(_group=data["name"].map(groups).fillna(""))
        data = data.sort_values("_group", key=lambda s: s.map(order).fillna(len(order)), kind="stable")
    base = colour_of(indicator.id)
    colours = []
    for v in data["value"]:
        if threshold is None:
            colours.append(base)
        else:
            ok = v <= threshold if better == "lower" else v >= threshold
            colours.append(GOOD if ok else BAD)
    outline = [2.5 if n in set(highlight) else 0 for n in data["name"]]
    y: Any = [list(data["_group"]), list(data["name"])] if groups else data["name"]
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=y,
            orientation="h",
            marker={"color": colours, "line": {"color": TARGET, "width": outline}},
            text=[fmt_number(v, dec, lang) + _suffix(unit) for v in data["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:" + _hover_fmt(dec) + "}" + _suffix(unit) + "<extra></extra>",
            customdata=list(data["unit"]) if "unit" in data else None,  # a clicked bar's unit (its profile)
        )
    )
    height = max(260, 20 * len(data) + 130)
    base_layout(fig, title, lang, height=height)
    dashes = ["dash", "dot", "dashdot", "longdash"]
    for i, (label, value) in enumerate(r for r in refs if r[1] is not None):
        fig.add_vline(x=value, line={"color": TARGET if i == 0 else NEUTRAL, "dash": dashes[i % 4], "width": 1.5})
        # Reference labels go above the plot, one row each, so they never overlap the bars or each other.
        fig.add_annotation(
            x=value,
            y=1.0,
            yref="paper",
            yshift=6 + 16 * i,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            text=f"{label}: {fmt_number(value, dec, lang)}{_suffix(unit)}",
            font={"size": 11, "color": TARGET if i == 0 else "#555555"},
        )
    n_refs = sum(1 for r in refs if r[1] is not None)
    fig.update_layout(
        showlegend=False, margin={"l": 10, "r": 70, "t": 70 + 16 * n_refs + title_room(fig), "b": 10}, bargap=0.25
    )
    fig.update_xaxes(title_text=axis_label, ticksuffix=_suffix(unit), tickformat=",." + str(dec) + "f")
    fig.update_yaxes(autorange="reversed", type="multicategory" if groups else "category", gridcolor="rgba(0,0,0,0)")
    return fig


def trend(
    df: pd.DataFrame,
    *,
    title: str,
    axis_label: str,
    unit: str,
    decimals: int,
    colours: Mapping[str, str],
    thresholds: Sequence[tuple[str, float]] = (),
    highlight: str | None = None,
    lang: str = "vi",
    from_zero: bool = True,
    height: int = 360,
) -> go.Figure:
    """Lines over periods (``df``: series, label, period, value); one colour per series; gaps stay gaps.

    ``from_zero=False`` lets the value axis start near the lowest value, so two close lines (a unit beside
    the nation) can be told apart. ``height`` is the plot's, in pixels, before the title's wrapped lines."""
    fig = go.Figure()
    big = len(df) > WEBGL_THRESHOLD
    trace = go.Scattergl if big else go.Scatter
    for series, part in df.groupby("series", sort=False):
        colour = colours.get(str(series), OKABE_ITO[len(fig.data) % len(OKABE_ITO)])
        sizes = [11 if p == highlight else 6 for p in part["period"]]
        fig.add_trace(
            trace(
                x=part["label"],
                y=part["value"],
                mode="lines+markers",
                name=str(series),
                line={"color": colour, "width": 2},
                marker={"size": sizes, "color": colour},
                connectgaps=False,
                customdata=_full_labels(part),
                hovertemplate="%{fullData.name}<br>%{customdata}: %{y:"
                + _hover_fmt(decimals)
                + "}"
                + _suffix(unit)
                + "<extra></extra>",
            )
        )
    for label, value in thresholds:
        fig.add_hline(
            y=value,
            line={"color": TARGET, "dash": "dash", "width": 1},
            annotation_text=label,
            annotation_position="top left",
            annotation_font_size=11,
        )
    base_layout(fig, title, lang, height=height)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 90 + title_room(fig), "b": 10})
    fig.update_yaxes(
        title_text=axis_label,
        ticksuffix=_suffix(unit),
        rangemode="tozero" if from_zero else "normal",
        tickformat=_hover_fmt(decimals),
    )
    fig.update_xaxes(**period_axis(df["label"]))
    return fig


#: At most this many periods are labelled on one axis (every n-th one, the latest always): short labels
#: ("Q3/2025") of more periods overlap on a chart half a screen wide, and they are never rotated.
MAX_PERIOD_TICKS = 12


def period_axis(labels: Iterable[str]) -> dict[str, Any]:
    """The x axis of a chart over periods (``labels`` oldest first, repeated per series): one category per
    period, in order, labelled flat; on a crowded axis every n-th period counted back from the latest, so
    labels never overlap and the period a viewer looks for (the newest) always has its own. Hover text
    names each."""
    periods = list(dict.fromkeys(labels))
    axis: dict[str, Any] = {"type": "category", "categoryorder": "array", "categoryarray": periods, "tickangle": 0}
    step = -(-len(periods) // MAX_PERIOD_TICKS)
    if step > 1:
        shown = periods[::-1][::step][::-1]
        axis |= {"tickmode": "array", "tickvals": shown, "ticktext": shown}
    return axis


def _full_labels(part: pd.DataFrame) -> list[str]:
    """The periods' full names for hover text (a crowded axis shows them short)."""
    return [str(v) for v in part["full_label" if "full_label" in part else "label"]]


def stacked_bars(
    df: pd.DataFrame, *, title: str, axis_label: str, colours: Mapping[str, str], lang: str = "vi"
) -> go.Figure:
    """Stacked bars over periods (``df``: series, label, value); each part labelled with its number."""
    fig = go.Figure()
    for series, part in df.groupby("series", sort=False):
        fig.add_trace(
            go.Bar(
                x=part["label"],
                y=part["value"],
                name=str(series),
                marker_color=colours.get(str(series), NEUTRAL),
                customdata=_full_labels(part),
                hovertemplate="%{fullData.name}<br>%{customdata}: %{y:,.0f}<extra></extra>",
            )
        )
    base_layout(fig, title, lang, height=360)
    fig.update_layout(barmode="stack", margin={"l": 10, "r": 10, "t": 90 + title_room(fig), "b": 10})
    fig.update_yaxes(title_text=axis_label, tickformat=",.0f")
    fig.update_xaxes(**period_axis(df["label"]))
    return fig


def pareto(df: pd.DataFrame, *, title: str, axis_label: str, share_label: str, lang: str = "vi") -> go.Figure:
    """Sectors by late dossiers, largest first, with the cumulative share (``df``: name, value, cum_share)."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=df["name"],
            y=df["value"],
            marker_color=BAD,
            name=axis_label,
            yaxis="y",
            text=[fmt_number(v, 0, lang) for v in df["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=df["name"],
            y=df["cum_share"],
            mode="lines+markers",
            name=share_label,
            yaxis="y2",
            line={"color": TARGET, "width": 1.5},
            hovertemplate="%{x}: %{y:,.1f}%<extra></extra>",
        )
    )
    base_layout(fig, title, lang, height=400)
    fig.update_layout(
        yaxis={"title": {"text": axis_label}, "tickformat": ",.0f"},
        yaxis2={
            "title": {"text": share_label},
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "ticksuffix": "%",
            "showgrid": False,
        },
        margin={"l": 10, "r": 10, "t": 90 + title_room(fig), "b": 10},
        showlegend=False,  # each axis names its series; a legend wrapped on a half-width chart hid the title
    )
    fig.update_xaxes(tickangle=-30)
    return fig


def heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    colour_label: str,
    better: str,
    unit: str,
    decimals: int,
    lang: str = "vi",
    groups: Mapping[str, str] | None = None,
) -> go.Figure:
    """Units (rows) × sectors (columns); empty cells are missing data, shown blank, never as 0.

    ``groups`` (row name → group label, e.g. ministries and provinces) draws each group as its own block."""
    dec = decimals
    y: Any = list(matrix.index)
    if groups:
        order = {g: n for n, g in enumerate(dict.fromkeys(groups.values()))}
        keys = [order.get(groups.get(str(r), ""), len(order)) for r in matrix.index]
        matrix = matrix.iloc[sorted(range(len(matrix)), key=lambda i: keys[i])]
        y = [[groups.get(str(r), "") for r in matrix.index], list(matrix.index)]
    text = [[("" if pd.isna(v) else fmt_number(v, dec, lang)) for v in row] for row in matrix.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=list(matrix.columns),
            y=y,
            colorscale=better_scale(better),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10},
            hoverongaps=False,
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": colour_label}, "ticksuffix": _suffix(unit)},
            hovertemplate="%{y} · %{x}: %{z:" + _hover_fmt(dec) + "}" + _suffix(unit) + "<extra></extra>",
        )
    )
    base_layout(fig, title, lang, height=max(320, 18 * len(matrix) + 160))
    fig.update_xaxes(side="top", tickangle=-30)
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")
    if groups:
        fig.update_yaxes(type="multicategory")
    fig.update_layout(plot_bgcolor="#FFFFFF", margin={"l": 10, "r": 10, "t": 130 + title_room(fig), "b": 10})
    return fig


def choropleth(
    df: pd.DataFrame,
    geojson: Mapping[str, Any],
    *,
    title: str,
    indicator: Indicator,
    lang: str = "vi",
    geojson_url: str | None = None,
) -> go.Figure:
    """Provinces coloured by the value of ``indicator`` (``df``: code, name, value), in its unit and decimals,
    better values darker; provinces without data drawn in grey and named so.

    Drawn from the bundled GeoJSON (feature id = province code) on an empty base map, so nothing is
    fetched from the internet. With ``geojson_url`` (the same file as served by the app) the traces name
    the geometry instead of holding it: the browser fetches it once, and the figure sent on every rerun is
    a few kilobytes instead of one copy of the boundaries per trace; ``geojson`` still places the
    archipelagos and names the provinces without data.

    The archipelagos are part of their provinces' geometry but a pixel at this scale, so each is also
    drawn as a marker of a fixed size (visible at every zoom) in its province's colour, inside a dashed
    frame and named ("QĐ. Hoàng Sa (TP. Đà Nẵng)", "QĐ. Trường Sa (tỉnh Khánh Hòa)"); the map's frame
    always holds both.
    """
    have = df.dropna(subset=["value"])
    fig = go.Figure()
    missing = [str(f["id"]) for f in geojson["features"] if str(f["id"]) not in set(have["code"])]
    if missing:
        fig.add_trace(_missing_provinces(geojson, missing, t("no_data_short", lang), geojson_url))
    unit, decimals = indicator.unit, indicator.decimals
    scale = better_scale(indicator.better or "higher")
    zmin = float(have["value"].min()) if len(have) else 0.0
    zmax = float(have["value"].max()) if len(have) else 1.0
    fig.add_trace(
        go.Choropleth(
            geojson=geojson_url or geojson,
            locations=have["code"],
            z=have["value"],
            featureidkey="id",
            zmin=zmin,
            zmax=zmax,
            colorscale=scale,
            marker={"line": {"color": "white", "width": 0.5}},
            text=have["name"],
            customdata=list(have["unit"]) if "unit" in have else None,  # a clicked province's unit (its profile)
            colorbar={
                "title": {"text": unit},
                "ticksuffix": _suffix(unit),
                "len": 0.8,
                "tickformat": ",." + str(decimals) + "f",
            },
            hovertemplate="%{text}: %{z:" + _hover_fmt(decimals) + "}" + _suffix(unit) + "<extra></extra>",
        )
    )
    value_of = dict(zip(have["code"].astype(str), have["value"], strict=True))
    for code, label, (lon, lat) in archipelagos(geojson):
        value = value_of.get(code)
        shown = "–" if value is None else fmt_number(value, decimals, lang) + _suffix(unit)
        fig.add_traces(_archipelago(label, lon, lat, island_colour(value, zmin, zmax, scale), shown))
    fig.update_geos(
        visible=False,
        projection_type="mercator",
        bgcolor="white",
        lonaxis_range=list(MAP_LON),
        lataxis_range=list(MAP_LAT),
    )
    base_layout(fig, title, lang, height=720)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 60 + title_room(fig), "b": 0})
    return fig


def _missing_provinces(
    geojson: Mapping[str, Any], missing: list[str], missing_label: str, url: str | None
) -> go.Choropleth:
    """The provinces without a figure, in grey and said so on hover (never drawn as 0)."""
    names = {
        str(f["id"]): f["properties"].get("short_name") or f["properties"].get("name") for f in geojson["features"]
    }
    return go.Choropleth(
        geojson=url or geojson,
        locations=missing,
        z=[0] * len(missing),
        featureidkey="id",
        showscale=False,
        colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]],
        marker={"line": {"color": "white", "width": 0.5}},
        text=[names.get(c, c) for c in missing],
        name=missing_label,
        hovertemplate="%{text}: " + (missing_label or "–") + "<extra></extra>",
    )


def _archipelago(label: str, lon: float, lat: float, colour: str, shown: str) -> list[go.Scattergeo]:
    """One archipelago: a dashed frame, a fixed-size marker in its province's colour, and its name."""
    x0, x1, y0, y1 = lon - ISLAND_FRAME, lon + ISLAND_FRAME, lat - ISLAND_FRAME, lat + ISLAND_FRAME
    frame = go.Scattergeo(
        lon=[x0, x1, x1, x0, x0],
        lat=[y0, y0, y1, y1, y0],
        mode="lines",
        hoverinfo="skip",
        showlegend=False,
        line={"color": "#555555", "width": 1, "dash": "dash"},
    )
    marker = go.Scattergeo(
        lon=[lon],
        lat=[lat],
        mode="markers",
        showlegend=False,
        name=label,
        marker={"size": 14, "color": colour, "symbol": "circle", "line": {"color": "#333333", "width": 1}},
        hovertemplate=f"{label}: {shown}<extra></extra>",
    )
    # The name under the frame, on two lines so it stays inside a phone-wide map.
    name = go.Scattergeo(
        lon=[lon],
        lat=[y0 - 0.2],
        mode="text",
        text=[label.replace(" (", "<br>(")],
        showlegend=False,
        textposition="bottom center",
        textfont={"size": 11, "color": "#222222"},
        hoverinfo="skip",
    )
    return [frame, marker, name]


#: The national map's frame (degrees): the mainland, Hoàng Sa and Trường Sa with their labels.
MAP_LON, MAP_LAT = (101.8, 117.6), (7.6, 23.6)
#: Half the side of the dashed frame drawn round each archipelago (degrees).
ISLAND_FRAME = 0.6
#: Each archipelago by its province's code, with its name on the map (the same code in both eras).
ISLANDS = {"48": "QĐ. Hoàng Sa (TP. Đà Nẵng)", "56": "QĐ. Trường Sa (tỉnh Khánh Hòa)"}


def archipelagos(geojson: Mapping[str, Any]) -> list[tuple[str, str, tuple[float, float]]]:
    """(province code, label, centre) of Hoàng Sa and Trường Sa: the mean centre of the province's
    polygons east of 110° E in the bundled geometry."""
    out = []
    for f in geojson["features"]:
        code = str(f["id"])
        if code not in ISLANDS or f["geometry"]["type"] != "MultiPolygon":
            continue
        centres = []
        for poly in f["geometry"]["coordinates"]:
            ring = poly[0]
            lon = sum(p[0] for p in ring) / len(ring)
            if lon > 110:
                centres.append((lon, sum(p[1] for p in ring) / len(ring)))
        if centres:
            centre = (sum(c[0] for c in centres) / len(centres), sum(c[1] for c in centres) / len(centres))
            out.append((code, ISLANDS[code], centre))
    return out


def island_colour(value: float | None, zmin: float, zmax: float, scale: Sequence[Sequence[Any]]) -> str:
    """The colour the choropleth gives ``value`` (grey when missing), for the archipelagos' markers."""
    if value is None or pd.isna(value):
        return MISSING_COLOUR
    frac = 0.5 if zmax <= zmin else min(1.0, max(0.0, (float(value) - zmin) / (zmax - zmin)))
    return str(sample_colorscale([list(s) for s in scale], [frac])[0])


def scatter(
    df: pd.DataFrame,
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_unit: str,
    y_unit: str,
    x_decimals: int,
    y_decimals: int,
    highlight: Sequence[str] = (),
    lang: str = "vi",
) -> go.Figure:
    """Units by two indicators (``df``: name, x, y); chosen units labelled; WebGL when there are many."""
    data = df.dropna(subset=["x", "y"])
    trace = go.Scattergl if len(data) > WEBGL_THRESHOLD else go.Scatter
    chosen = data["name"].isin(list(highlight))
    fig = go.Figure(
        trace(
            x=data["x"],
            y=data["y"],
            mode="markers",
            text=data["name"],
            name="",
            marker={"size": 9, "color": [TARGET if c else OKABE_ITO[0] for c in chosen], "opacity": 0.8},
            hovertemplate="%{text}<br>"
            + x_label
            + ": %{x:"
            + _hover_fmt(x_decimals)
            + "}<br>"
            + y_label
            + ": %{y:"
            + _hover_fmt(y_decimals)
            + "}<extra></extra>",
        )
    )
    for r in data[chosen].itertuples():
        fig.add_annotation(
            x=r.x, y=r.y, text=str(r.name), showarrow=True, arrowhead=0, ax=20, ay=-20, font={"size": 11}
        )
    base_layout(fig, title, lang, height=440)
    fig.update_xaxes(title_text=x_label, ticksuffix=_suffix(x_unit), showgrid=True, gridcolor="#E5E5E5")
    fig.update_yaxes(title_text=y_label, ticksuffix=_suffix(y_unit))
    fig.update_layout(showlegend=False)
    return fig


def radar(df: pd.DataFrame, *, title: str, lang: str = "vi") -> go.Figure:
    """2–6 units over several 0–100 indicators (``df``: name, axis, value); missing points left out."""
    fig = go.Figure()
    df = df.assign(axis=df["axis"].map(_wrap))
    axes = list(dict.fromkeys(df["axis"]))
    for i, (name, part) in enumerate(df.groupby("name", sort=False)):
        values = part.set_index("axis")["value"].reindex(axes)
        fig.add_trace(
            go.Scatterpolar(
                r=[*values.tolist(), values.iloc[0]],
                theta=[*axes, axes[0]],
                name=str(name),
                fill="none",
                line={"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 2},
                connectgaps=False,
                hovertemplate="%{fullData.name}<br>%{theta}: %{r:,.1f}<extra></extra>",
            )
        )
    base_layout(fig, title, lang, height=480)
    fig.update_layout(
        polar={
            "radialaxis": {"range": [0, 100], "ticksuffix": "%", "angle": 90, "tickfont": {"size": 9}},
            "angularaxis": {"tickfont": {"size": 11}},
        },
        legend={"orientation": "h", "y": -0.1, "x": 0, "xanchor": "left", "yanchor": "top"},
        margin={"l": 60, "r": 60, "t": 70 + title_room(fig), "b": 40},
    )
    return fig


def _wrap(text: str, width: int = 18) -> str:
    """A long axis name in lines of about ``width`` characters, so labels never overlap."""
    return wrap_title(text, width)


def top_bars(df: pd.DataFrame, *, title: str, axis_label: str, colour: str, lang: str = "vi") -> go.Figure:
    """A short list of named bars (``df``: name, value), largest first, numbers printed on the bars."""
    data = df.sort_values("value", ascending=False)
    fig = go.Figure(
        go.Bar(
            x=data["value"],
            y=data["name"],
            orientation="h",
            marker_color=colour,
            text=[fmt_number(v, 0, lang) for v in data["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    )
    base_layout(fig, title, lang, height=max(220, 45 * len(data) + 110))
    fig.update_xaxes(title_text=axis_label, tickformat=",.0f")
    fig.update_yaxes(autorange="reversed", gridcolor="rgba(0,0,0,0)")
    fig.update_layout(showlegend=False, margin={"l": 10, "r": 70, "t": 60 + title_room(fig), "b": 10})
    return fig
