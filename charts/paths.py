"""Plotly's property paths parsed once per process.

Every property a figure sets or reads (``update_layout(plot_bgcolor=…)``, ``title_text``, each validator's
lookup) goes through ``plotly.basedatatypes._str_to_dict_path_full``, which splits the path on ``.[]_``
and re-joins it character by character. A figure build asks it for the same few dozen paths again and
again: measured under load (py-spy, samples holding the GIL) it was 7 % of all of a replica's Python time.
Its answer depends only on the string, so it is memoised here. Pinned to the Plotly in requirements.txt by
``tests/charts/test_plotly_paths.py``: a Plotly without this function leaves figures exactly as they are.
"""

from __future__ import annotations

import functools
from typing import Any

import plotly.basedatatypes as _base

#: The paths kept (a figure of ours uses about a hundred; the bound keeps a stray caller harmless).
PATHS_KEPT = 4096


def memoise_paths() -> bool:
    """Memoise Plotly's path parser once per process; False when this Plotly has none to memoise."""
    parse: Any = getattr(_base, "_str_to_dict_path_full", None)
    if parse is None or hasattr(parse, "cache_info"):
        return parse is not None
    kept = functools.lru_cache(maxsize=PATHS_KEPT)(parse)

    def parse_once(path: Any) -> Any:
        return kept(path) if isinstance(path, str) else parse(path)

    parse_once.cache_info = kept.cache_info  # type: ignore[attr-defined]  # marks it memoised
    parse_once.__wrapped__ = parse  # type: ignore[attr-defined]
    _base._str_to_dict_path_full = parse_once
    return True
