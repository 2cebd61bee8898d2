"""Plotly's path parser, memoised (charts/paths.py), answers what the parser itself answers, and the
figures built through it are the same figures."""

from __future__ import annotations

import pandas as pd
import plotly.basedatatypes as base
import plotly.graph_objects as go
import pytest

import charts  # noqa: F401  (memoises the parser, as every import of charts does)
from charts.figures import stacked_bars, trend
from charts.paths import memoise_paths

PATHS = [
    "",
    "title",
    "title_text",
    "title.font.size",
    "plot_bgcolor",
    "error_x_thickness",
    "xaxis2_title_text",
    "annotations[0].text",
    "shapes[3]_line_dash",
    "a_path_",
    "_another_path",
    "yet__another_path",
    "marker.colorbar.tickfont_size",
]


def test_the_pinned_plotly_has_the_parser_and_it_is_memoised_once() -> None:
    parse = base._str_to_dict_path_full
    assert hasattr(parse, "cache_info") and hasattr(parse, "__wrapped__")
    assert memoise_paths() and base._str_to_dict_path_full is parse  # a second call changes nothing


@pytest.mark.parametrize("path", PATHS)
def test_each_path_parses_as_plotly_parses_it(path: str) -> None:
    parse = base._str_to_dict_path_full
    assert parse(path) == parse.__wrapped__(path)
    assert parse(path) == parse.__wrapped__(path)  # the second answer comes from the memo


def test_figures_built_with_the_memo_are_the_figures_built_without(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = [f"Q{q % 4 + 1}/{2021 + q // 4}" for q in range(22)]
    df = pd.DataFrame({"series": ["A"] * 22 + ["B"] * 22, "label": labels * 2, "period": labels * 2})
    df["value"] = range(44)

    def build() -> list[go.Figure]:
        return [
            trend(
                df, title="Tỷ lệ đúng hạn", axis_label="%", unit="%", decimals=1, colours={}, thresholds=[("x", 90.0)]
            ),
            stacked_bars(df, title="Tinh giản", axis_label="người", colours={"A": "#000000"}),
        ]

    with_memo = [f.to_json() for f in build()]
    monkeypatch.setattr(base, "_str_to_dict_path_full", base._str_to_dict_path_full.__wrapped__)
    assert [f.to_json() for f in build()] == with_memo
