"""Interface strings in Vietnamese and English, kept as data in ``data/i18n.csv`` (key, vi, en).

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
def strings(path: Path = DATA_DIR / "i18n.csv") -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["key"]: {"vi": r["vi"], "en": r["en"]} for r in csv.DictReader(fh)}


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The string for ``key`` in ``lang``, formatted with ``kwargs`` (str.format placeholders)."""
    entry = strings().get(key)
    text = entry.get(lang if lang in LANGS else "vi", key) if entry else key
    return text.format(**kwargs) if kwargs else text
