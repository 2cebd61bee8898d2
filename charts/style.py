"""One look for every chart: a colour-blind-safe palette, one colour per indicator, Vietnamese numbers."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from domain.fmt import d3_locale

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GOOD = "#0072B2"  # blue: the better side
BAD = "#D55E00"  # vermillion: the worse side, whatever the direction of "better"
NEUTRAL = "#7F7F7F"
TARGET = "#000000"

#: The same indicator has the same colour everywhere.
INDICATOR_COLOURS = {
    "staff_reduced": "#0072B2",
    "staff_reduced_civil_servants": "#56B4E9",
    "staff_reduced_public_employees": "#009E73",
    "on_time_rate": "#0072B2",
    "late_rate": "#D55E00",
    "dossiers_resolved_late": "#D55E00",
    "dossiers_pending_overdue": "#CC79A7",
    "dossier_digitization_rate": "#009E73",
    "result_digitization_rate": "#56B4E9",
    "reuse_rate": "#E69F00",
    "online_dossier_rate": "#CC79A7",
    "online_service_rate": "#0072B2",
    "online_payment_rate": "#000000",
    "satisfaction_rate": "#E69F00",
}
GROUP_COLOURS = {"ministries": "#E69F00", "localities": "#0072B2", "national": "#000000"}

FONT = "Be Vietnam Pro, DejaVu Sans, Arial, sans-serif"


def colour_of(indicator: str, fallback_index: int = 0) -> str:
    return INDICATOR_COLOURS.get(indicator, OKABE_ITO[fallback_index % len(OKABE_ITO)])


#: A title longer than this (characters) is wrapped at a space: a chart in a two-column layout or on a phone
#: never cuts it ("…6 tháng đầu năm 20"); about 47 characters of the 16 px title fit a 390 px screen.
TITLE_WIDTH = 42
#: Extra top margin (px) for each wrapped title line.
TITLE_LINE = 20


def wrap_title(title: str, width: int = TITLE_WIDTH) -> str:
    """The text in lines of at most ``width`` characters, joined by <br> (a longer word keeps its line)."""
    return "<br>".join(textwrap.wrap(str(title), width, break_long_words=False, break_on_hyphens=False)) or ""


def title_room(fig: go.Figure) -> int:
    """The extra top margin a wrapped title needs, to add to a figure's own top margin."""
    return TITLE_LINE * str(fig.layout.title.text or "").count("<br>")


def base_layout(fig: go.Figure, title: str, lang: str = "vi", height: int = 380) -> go.Figure:
    """Title (wrapped), Vietnamese separators (16.149; 85,5) and quiet margins on every figure."""
    title = wrap_title(title)
    room = TITLE_LINE * title.count("<br>")
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height + room,
        margin={"l": 10, "r": 10, "t": 60 + room, "b": 10},
        font={"family": FONT, "size": 13},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        plot_bgcolor="white",
        **d3_locale(lang),
    )
    fig.update_xaxes(showgrid=False, automargin=True)
    fig.update_yaxes(gridcolor="#E5E5E5", zeroline=False, automargin=True)
    return fig
