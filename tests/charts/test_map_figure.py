"""The dashboard's map names its boundaries by address instead of carrying them on every rerun, and the
address is the one file the app serves; an exported image still embeds the geometry."""

from __future__ import annotations

import json

import pandas as pd
import plotly.io as pio
import pytest

from charts.figures import choropleth
from charts.geo import STATIC_DIR, province_file, province_geojson
from domain.catalog import catalog


def _values(era: str, keep: int) -> pd.DataFrame:
    codes = [str(f["id"]) for f in province_geojson(era)["features"]][:keep]
    return pd.DataFrame({"code": codes, "name": codes, "unit": codes, "value": [50.0 + i for i in range(len(codes))]})


@pytest.mark.parametrize(
    ("era", "keep"),
    [("34", 34), ("34", 10), ("63", 63), ("63", 1)],  # every province, and some without data (a second trace)
)
def test_a_map_with_an_address_sends_no_geometry(era: str, keep: int) -> None:
    url = "app/static/" + province_file(era)
    rate = catalog().indicator("on_time_rate")
    inline = choropleth(_values(era, keep), province_geojson(era), title="Bản đồ", indicator=rate)
    named = choropleth(_values(era, keep), province_geojson(era), title="Bản đồ", indicator=rate, geojson_url=url)
    maps = [tr for tr in named.data if tr.type == "choropleth"]
    assert len(maps) == (1 if keep == len(province_geojson(era)["features"]) else 2)
    assert all(tr.geojson == url for tr in maps)
    assert all(isinstance(tr.geojson, dict) for tr in inline.data if tr.type == "choropleth")
    sent, embedded = len(pio.to_json(named, validate=False)), len(pio.to_json(inline, validate=False))
    assert sent < 20_000 < 100_000 < embedded

    # Everything but the geometry is the same figure: the same provinces, values and archipelagos.
    def without_geometry(fig: object) -> list[dict[str, object]]:
        traces = json.loads(pio.to_json(fig, validate=False))["data"]
        return [{k: v for k, v in tr.items() if k != "geojson"} for tr in traces]

    assert without_geometry(inline) == without_geometry(named)


@pytest.mark.parametrize("era", ["63", "34"])
def test_the_address_is_a_served_file_of_that_era(era: str) -> None:
    path = STATIC_DIR / province_file(era)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == province_geojson(era)
    assert len(data["features"]) == int(era)


def test_an_unknown_era_has_no_boundaries() -> None:
    with pytest.raises(ValueError):
        province_file("22")
