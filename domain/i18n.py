"""Interface strings in Vietnamese and English, kept as data in ``data/i18n*.csv`` (key, vi, en).

One file per area of the app (``i18n.csv`` for the dashboard, ``i18n_workflow.csv`` for the secretariat's
pages …) so that adding strings in one area never collides with another; a key defined twice is an error.

A missing key shows the key itself, so an untranslated label is visible in screenshots and caught by
the test that every key used in the code has both languages.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from domain.catalog import DATA_DIR

LANGS = ("vi", "en")


@lru_cache(maxsize=4)
def strings(data_dir: Path = DATA_DIR) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in sorted(data_dir.glob("i18n*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["key"] in out:
                    raise ValueError(f"{path.name}: string key {r['key']!r} is defined twice")
                out[r["key"]] = {"vi": r["vi"], "en": r["en"]}
    return out


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The string for ``key`` in ``lang``, formatted with ``kwargs`` (str.format placeholders)."""
    entry = strings().get(key)
    text = entry.get(lang if lang in LANGS else "vi", key) if entry else key
    return text.format(**kwargs) if kwargs else text
