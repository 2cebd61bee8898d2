"""Plotly figures built from frames. No Streamlit and no SQL here: figures are testable as data."""

from charts.paths import memoise_paths

memoise_paths()
