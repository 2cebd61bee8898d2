"""Text typed in the pre-Unicode Vietnamese fonts that older spreadsheets still carry.

Excel stores such text as the code points of the font's bytes, so "Bến Tre" typed in `.VnTime` (TCVN3 / ABC)
arrives as "BÕn Tre" and in `VNI-Times` as "Beán Tre". Which table applies is known only from the cell's
font name, so conversion is per cell and pure: bytes-as-characters in, Unicode (NFC) out.
"""

from __future__ import annotations

import unicodedata

# TCVN 5712:1993 (VN3): one byte per letter; toned capitals live in the separate upper-case fonts (.VnTimeH).
_TCVN3_LETTERS = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
_TCVN3_BYTES = bytes.fromhex(
    "b5 b8 b6 b7 b9"
    " a8 bb be bc bd c6"
    " a9 c7 ca c8 c9 cb"
    " ae"
    " cc d0 ce cf d1"
    " aa d2 d5 d3 d4 d6"
    " d7 dd d8 dc de"
    " df e3 e1 e2 e4"
    " ab e5 e8 e6 e7 e9"
    " ac ea ed eb ec ee"
    " ef f3 f1 f2 f4"
    " ad f5 f8 f6 f7 f9"
    " fa fd fb fc fe"
    " a1 a2 a7 a3 a4 a5 a6"
)
TCVN3_TO_UNICODE: dict[str, str] = {chr(b): u for b, u in zip(_TCVN3_BYTES, _TCVN3_LETTERS, strict=True)}
UNICODE_TO_TCVN3: dict[str, str] = {u: b for b, u in TCVN3_TO_UNICODE.items()}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)

# VNI: a base letter followed by a mark character; a few letters are single characters.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_TONES = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
_CIRC_MARKS = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_BREVE_MARKS = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_SINGLE = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ó": "ĩ", "ò": "ị", "æ": "ỉ", "î": "ỵ"}
VNI_SINGLE: dict[str, str] = {**_VNI_SINGLE, **{k.upper(): v.upper() for k, v in _VNI_SINGLE.items()}}
_VOWELS = set("aeiouyAEIOUYơưƠƯ")


def _mark(ch: str, base: str) -> str | None:
    """The combining sequence a VNI mark character adds to ``base``, or None when it is a plain letter."""
    low, b = ch.lower(), base.lower()
    if low in _CIRC_MARKS and b in "aeo" and not (low == "â" and b not in "aeo"):
        return _CIRC + _CIRC_MARKS[low]
    if low in _BREVE_MARKS and b == "a":
        return _BREVE + _BREVE_MARKS[low]
    if low in _TONES and base in _VOWELS:
        return _TONES[low]
    return None


def tcvn3_to_unicode(text: str, upper: bool = False) -> str:
    """Decode TCVN3 (ABC). ``upper`` for the capital fonts (.VnTimeH, .VnArialH), whose lower codes print capitals."""
    out = text.translate(_TCVN3_TABLE)
    if upper:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def vni_to_unicode(text: str) -> str:
    """Decode VNI (VNI-Times, VNI-Helve…): marks follow their vowel, so it is read letter by letter."""
    out: list[str] = []
    base = ""  # the last base letter written, for marks that follow it
    for ch in text:
        mark = _mark(ch, base) if base else None
        if mark is not None:
            out.append(mark)
            if mark.startswith((_CIRC, _BREVE)):
                continue  # a tone may still follow on the same vowel
            base = ""
            continue
        letter = VNI_SINGLE.get(ch, ch)
        out.append(letter)
        base = letter if letter in _VOWELS else ""
    return unicodedata.normalize("NFC", "".join(out))


def font_encoding(font_name: str | None) -> str | None:
    """'tcvn3', 'tcvn3-upper', 'vni' or None from a cell's font name (.VnTime, .VnTimeH, VNI-Times…)."""
    if not font_name:
        return None
    name = font_name.strip()
    if name.startswith(".Vn") or name.startswith(".vn"):
        return "tcvn3-upper" if name.endswith("H") else "tcvn3"
    if name.upper().startswith("VNI"):
        return "vni"
    return None


def is_unicode_vietnamese(text: str) -> bool:
    """Text already in Unicode: it holds a letter or mark beyond U+00FF (Latin Extended A/B, combining marks,
    Latin Extended Additional) that TCVN3 and VNI bytes, read as characters, never produce.

    Dashes and quotes (U+2013, U+201C…) do not count: Windows maps TCVN3 bytes 0x80–0x9F to them.
    """
    return any("\u0100" <= ch <= "\u024f" or "\u0300" <= ch <= "\u036f" or "\u1e00" <= ch <= "\u1eff" for ch in text)


def decode_cell(text: str, font_name: str | None) -> str:
    """Unicode text of a cell typed in ``font_name``; other fonts pass through unchanged, and so does Unicode
    Vietnamese typed over an old template that still carries a .VnTime/VNI font ("Điện Biên" stays itself)."""
    enc = font_encoding(font_name)
    if enc is not None and is_unicode_vietnamese(text):
        return unicodedata.normalize("NFC", text)
    if enc == "tcvn3":
        return tcvn3_to_unicode(text)
    if enc == "tcvn3-upper":
        return tcvn3_to_unicode(text, upper=True)
    if enc == "vni":
        return vni_to_unicode(text)
    return text


def unicode_to_tcvn3(text: str) -> str:
    """Encode to TCVN3 (for tests and fixtures): NFC letters to their one-byte characters."""
    return "".join(UNICODE_TO_TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
