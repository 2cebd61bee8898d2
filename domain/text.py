"""Vietnamese text as reports spell it: normalise once, then compare by meaning, not by keystrokes.

Reports mix NFC and NFD, old and new tone placement ("Hoà"/"Hòa"), capitals, stray punctuation and
missing diacritics ("Ha Noi"). Matching therefore works on a *key*: diacritics folded (đ → d), lower
case, every run of non-alphanumerics collapsed, so "TP. Hồ Chí Minh" and "tp ho chi minh" meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


@lru_cache(maxsize=65536)
def nfc(text: str) -> str:
    """NFC with non-breaking and zero-width spaces made ordinary, and outer blanks removed (cached: reports
    repeat the same names and labels on every row)."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Remove every diacritic (including đ → d), keep case; the basis of all name matching."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def words(text: str) -> str:
    """Folded lower-case words separated by single spaces: 'UBND TỈNH BẾN TRE' → 'ubnd tinh ben tre'."""
    return _NON_ALNUM.sub(" ", fold(nfc(text)).lower()).strip()


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The comparison key: folded, lower case, without spaces or punctuation ('Bà Rịa-Vũng Tàu' → 'bariavungtau')."""
    return words(text).replace(" ", "")
