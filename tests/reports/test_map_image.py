"""The national map as an exported image (kaleido, system Chromium, offline): both archipelagos drawn,
named and coloured with their province's value."""

from __future__ import annotations

import io
import json
import shutil

import pandas as pd
import pytest

from charts.figures import ISLANDS, archipelagos, better_scale, choropleth, island_colour
from domain.catalog import DATA_DIR
from reports.docx_brief import fig_png

pytestmark = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs the system Chromium")


def _rgb(colour: str) -> tuple[int, int, int]:
    r, g, b = (int(float(x)) for x in colour.removeprefix("rgb(").removesuffix(")").split(","))
    return r, g, b


@pytest.mark.parametrize("era", ["34", "63"])
def test_the_map_image_shows_and_names_both_archipelagos(era: str) -> None:
    from PIL import Image

    geo = json.loads((DATA_DIR / "geo" / f"vn_provinces_{era}.geojson").read_text(encoding="utf-8"))
    codes = [str(f["id"]) for f in geo["features"]]
    # Every province its own value, so each archipelago's colour is its province's alone.
    df = pd.DataFrame({"code": codes, "name": codes, "value": [40.0 + i for i in range(len(codes))]})
    fig = choropleth(df, geo, title="Bản đồ", colour_label="%", better="higher", unit="%", decimals=1)
    assert {c for c, _, _ in archipelagos(geo)} == set(ISLANDS)
    png = fig_png(fig, width=720, height=720)
    assert png is not None
    image = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = image.size
    pixels = image.load()
    value = dict(zip(codes, df["value"], strict=True))
    zmin, zmax = float(df["value"].min()), float(df["value"].max())
    for code in ISLANDS:
        want = _rgb(island_colour(value[code], zmin, zmax, better_scale("higher")))
        # East of the mainland (beyond 110° E) and left of the colour bar: only the archipelago's marker.
        hits = sum(
            1 for x in range(int(w * 0.45), int(w * 0.85)) for y in range(h)
            if all(abs(a - b) <= 2 for a, b in zip(pixels[x, y], want, strict=True))
        )  # fmt: skip
        assert hits > 100, (code, want, hits)
    svg = fig.to_image(format="svg", width=720, height=720).decode()
    for part in ("QĐ. Hoàng Sa", "(TP. Đà Nẵng)", "QĐ. Trường Sa", "(tỉnh Khánh Hòa)"):
        assert part in svg, part
