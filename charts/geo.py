"""The provinces' boundaries of each era, bundled in static/geo/ (one copy, two readers).

The dashboard's maps name the file by its address under Streamlit's static serving, so each browser
fetches the geometry once and the figure sent on every rerun holds only the figures; an exported image
(kaleido, the meeting brief) has no server to fetch from, so it embeds the GeoJSON read here.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

#: Served by Streamlit at /app/static/ (``server.enableStaticServing``).
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def province_file(era: str) -> str:
    """The boundaries of an era ('63' or '34') as a path under static/."""
    if era not in ("63", "34"):
        raise ValueError(f"no province boundaries for era {era!r}")
    return f"geo/vn_provinces_{era}.geojson"


@cache
def province_geojson(era: str) -> dict[str, Any]:
    """The provinces of an era as GeoJSON (feature id = province code), read once per process; only read."""
    data: dict[str, Any] = json.loads((STATIC_DIR / province_file(era)).read_text(encoding="utf-8"))
    return data
