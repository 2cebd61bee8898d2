"""Figures of the overview page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import GROUP_COLOURS, TARGET, base_layout, colour_of, title_room
from domain.fmt import fmt_number, fmt_percent


def staff_split(
    values: dict[str, float], title: str, labels: dict[str, str], unit_label: str, lang: str = "vi"
) -> go.Figure:
    """Ministries and localities side by side with the national total in the title's reach.

    ``values`` has keys ministries, localities (and national); missing keys are drawn as missing.
    """
    groups = ["ministries", "localities"]
    fig = go.Figure(
        go.Bar(
            x=[values.get(g) for g in groups],
            y=[labels[g] for g in groups],
            orientation="h",
            marker_color=[GROUP_COLOURS[g] for g in groups],
            text=[fmt_number(values.get(g), 0, lang) for g in groups],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.0f} " + unit_label + "<extra></extra>",
        )
    )
    base_layout(fig, title, lang, height=220)
    fig.update_xaxes(title_text=unit_label, tickformat=",.0f")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(showlegend=False, margin={"l": 10, "r": 60, "t": 60 + title_room(fig), "b": 10})
    return fig


def rate_trend(
    df: pd.DataFrame,
    indicator: str,
    title: str,
    axis_label: str,
    highlight: str | None,
    threshold: float | None = None,
    threshold_label: str = "",
    lang: str = "vi",
) -> go.Figure:
    """A rate over periods (``df``: period, label, value), the chosen period marked, a target line."""
    colour = colour_of(indicator)
    fig = go.Figure(
        go.Scatter(
            x=df["label"],
            y=df["value"],
            mode="lines+markers",
            line={"color": colour, "width": 2},
            marker={"size": [11 if p == highlight else 6 for p in df["period"]], "color": colour},
            customdata=[str(v) for v in df["full_label" if "full_label" in df else "label"]],
            hovertemplate="%{customdata}: %{y:,.1f}%<extra></extra>",
            name=title,
            connectgaps=False,
        )
    )
    if threshold is not None:
        fig.add_hline(
            y=threshold,
            line={"color": TARGET, "dash": "dash", "width": 1},
            annotation_text=threshold_label,
            annotation_position="top left",
        )
    base_layout(fig, title, lang, height=320)
    fig.update_yaxes(title_text=axis_label, ticksuffix="%", rangemode="tozero")
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_layout(showlegend=False)
    if highlight is not None and highlight in set(df["period"]):
        at = list(df["period"]).index(highlight)
        v = df["value"].iloc[at]
        # On a category axis the annotation is placed by the category's index: given the label "2024",
        # Plotly.js reads it as the number 2024 and stretches the axis to it, every point drawn at the left.
        fig.add_annotation(x=at, y=v, text=fmt_percent(v, 1, lang), showarrow=True, arrowhead=0, ay=-28)
    return fig
