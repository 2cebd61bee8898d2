"""Figures of the secretariat's pages."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.style import base_layout, colour_of
from domain.catalog import Catalog
from domain.i18n import t


def preview_figure(obs: pd.DataFrame, cat: Catalog, lang: str = "vi") -> go.Figure | None:
    """The upload's most frequent indicator by unit (or by sector for a one-unit report)."""
    if obs.empty:
        return None
    indicator = obs["indicator"].value_counts().index[0]
    part = obs[obs["indicator"] == indicator]
    by_sector = part["unit"].nunique() == 1 and (part["sector"] != "").any()
    if by_sector:
        labels = [cat.sectors[s].name_vi if s in cat.sectors else (s or "–") for s in part["sector"]]
    else:
        part = part[part["sector"] == ""] if (part["sector"] == "").any() else part
        labels = [cat.units[u].label if u in cat.units else u for u in part["unit"]]
    frame = pd.DataFrame({"label": labels, "value": part["value"].to_numpy()}).groupby("label", sort=False).sum()
    frame = frame.sort_values("value", ascending=True).tail(30)
    ind = cat.indicators[indicator]
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=frame.index,
            orientation="h",
            marker_color=colour_of(indicator),
            hovertemplate="%{y}: %{x:,.1f}<extra></extra>",
        )
    )
    base_layout(
        fig, t("upload_preview_chart", lang, indicator=ind.name(lang)), lang, height=min(600, 140 + 18 * len(frame))
    )
    fig.update_xaxes(title_text=ind.unit)
    return fig
