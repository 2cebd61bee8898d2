"""The national map as an exported image (kaleido, system Chromium, offline): both archipelagos drawn,
named and coloured with their province's value."""

from __future__ import annotations

import io
import shutil

import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.figures import ISLANDS, archipelagos, better_scale, choropleth, island_colour
from charts.geo import province_geojson
from domain.catalog import catalog
from reports.docx_brief import fig_png

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs the system Chromium")


def _rgb(colour: str) -> tuple[int, int, int]:
    r, g, b = (int(float(x)) for x in colour.removeprefix("rgb(").removesuffix(")").split(","))
    return r, g, b


@pytest.mark.parametrize("era", ["34", "63"])
def test_the_map_image_shows_and_names_both_archipelagos(era: str) -> None:
    geo = province_geojson(era)
    codes = [str(f["id"]) for f in geo["features"]]
    # Every province its own value, so each archipelago's colour is its province's alone.
    df = pd.DataFrame({"code": codes, "name": codes, "value": [40.0 + i for i in range(len(codes))]})
    rate = catalog().indicator("on_time_rate")  # a rate in %, higher is better
    assert (rate.unit, rate.better) == ("%", "higher")
    fig = choropleth(df, geo, title="Bản đồ", indicator=rate)
    assert {c for c, _, _ in archipelagos(geo)} == set(ISLANDS)
    png = fig_png(fig, width=720, height=720)
    assert png is not None
    assert_islands_drawn(png, df, "higher")
    assert_islands_named(fig)


def assert_islands_drawn(png: bytes, df: pd.DataFrame, better: str) -> None:
    """Each archipelago's marker is in the image, in the colour the map gives its province's value."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = image.size
    pixels = image.load()
    value = dict(zip(df["code"].astype(str), df["value"], strict=True))
    zmin, zmax = float(df["value"].min()), float(df["value"].max())
    for code in ISLANDS:
        want = _rgb(island_colour(value.get(code), zmin, zmax, better_scale(better)))
        # East of the mainland (beyond 110° E) and left of the colour bar: only the archipelago's marker.
        hits = sum(
            1 for x in range(int(w * 0.45), int(w * 0.85)) for y in range(h)
            if all(abs(a - b) <= 2 for a, b in zip(pixels[x, y], want, strict=True))
        )  # fmt: skip
        assert hits > 100, (code, want, hits)


def assert_islands_named(fig: go.Figure) -> None:
    """The rendered map (as SVG, so its text can be read) names both archipelagos with their province."""
    svg = fig.to_image(format="svg", width=720, height=720).decode()
    for part in ("QĐ. Hoàng Sa", "(TP. Đà Nẵng)", "QĐ. Trường Sa", "(tỉnh Khánh Hòa)"):
        assert part in svg, part


def test_the_briefs_docx_holds_the_national_map(demo_engine) -> None:
    """The map image inside the brief's .docx passes the same checks, its figure the same labels."""
    from docx import Document
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from reports.brief import build_brief
    from reports.docx_brief import brief_charts, brief_docx

    brief = build_brief(demo_engine, "2025-9M")
    assert len(brief.map_values) == 34 and set(ISLANDS) <= set(brief.map_values["code"])
    doc = Document(io.BytesIO(brief_docx(brief)))
    images = [r.target_part.blob for r in doc.part.rels.values() if r.reltype == RT.IMAGE]
    maps = [png for png in images if _size(png) == (1440, 1440)]  # 720 px at scale 2: the square map
    assert len(maps) == 1
    assert_islands_drawn(maps[0], brief.map_values, "higher")
    assert "Hoàng Sa (TP. Đà Nẵng)" in "\n".join(p.text for p in doc.paragraphs)  # the note under it
    (fig,) = [f for _, f in brief_charts(brief) if any(isinstance(tr, go.Choropleth) for tr in f.data)]
    assert_islands_named(fig)


def _size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(png)).size
