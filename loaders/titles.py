"""Periods as titles say them: "NĂM 2024", "Quý IV/2024", "6 tháng đầu năm 2025", "Từ ngày … đến ngày …".

Matching is done on folded lower-case text so "QUÝ IV/2024" and "quy iv/2024" are the same phrase. A date
line ("Bến Tre, ngày 20 tháng 12 năm 2024") is removed first: it dates the document, not the data.
"""

from __future__ import annotations

import datetime as dt
import re

from domain.periods import Period, PeriodError, parse_period
from domain.text import fold, nfc

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_Q = r"(i|ii|iii|iv|[1-4])"
_SIGN_DATE = re.compile(r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}")
_RANGE = re.compile(
    r"(?:tu\s+)?(?:ngay\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*(?:den|toi|-|–)\s*(?:ngay\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(\d{4})-(q[1-4]|h[12]|9m|0[1-9]|1[0-2])\b"), "code"),
    (re.compile(r"6\s+thang\s+dau\s+(?:nam\s+)?(\d{4})"), "H1"),
    (re.compile(r"6\s+thang\s+cuoi\s+(?:nam\s+)?(\d{4})"), "H2"),
    (re.compile(r"(?:sau|06)\s+thang\s+dau\s+(?:nam\s+)?(\d{4})"), "H1"),
    (re.compile(r"9\s+thang\s+(?:dau\s+)?(?:nam\s+)?(\d{4})"), "9M"),
    (re.compile(r"\b(?:6\s*t|h1|first\s+half(?:\s+of)?|six\s+months(?:\s+of)?)\s*[/-]?\s*(\d{4})\b"), "H1"),
    (re.compile(r"\b(?:9\s*t|nine\s+months(?:\s+of)?|9\s+months(?:\s+of)?)\s*[/-]?\s*(\d{4})\b"), "9M"),
    (re.compile(r"quy\s+" + _Q + r"\s*(?:/|-|nam|\s)\s*(\d{4})"), "Q"),
    (re.compile(r"\b(?:q|quarter\s+)([1-4])\s*(?:[/-]|of)?\s*(\d{4})"), "Q"),
    (re.compile(r"thang\s+(\d{1,2})\s*(?:/|-|nam)\s*(\d{4})"), "M"),
    (re.compile(r"\bt(\d{1,2})\s*[/-]\s*(\d{4})\b"), "M"),
    (re.compile(r"\bnam\s*[:-]?\s*(\d{4})\b"), "Y"),
    (re.compile(r"\bky\s+bao\s+cao\s*[:-]?\s*(\d{4})\b"), "Y"),
    (re.compile(r"\b(?:year|fy)\s*[:-]?\s*(\d{4})\b"), "Y"),
]
#: Whole-cell forms only (a period cell of a long table), too ambiguous inside a title: "10/2025", "IV/2024".
_CELL_MONTH = re.compile(r"(\d{1,2})\s*[/-]\s*(\d{4})")
_CELL_QUARTER = re.compile(r"(i|ii|iii|iv)\s*[/-]\s*(\d{4})")


def _folded(text: str) -> str:
    return _SIGN_DATE.sub(" ", fold(nfc(text)).lower())


def period_from_range(start: dt.date, end: dt.date) -> Period | None:
    """The period whose cut-off window (or calendar window) is exactly ``start``–``end``."""
    for year in {end.year, end.year + 1}:
        for p in _all_periods(year):
            if (p.cutoff_start, p.cutoff_end) == (start, end) or (p.start, p.end) == (start, end):
                return p
    return None


def _all_periods(year: int) -> list[Period]:
    codes = [f"{year}", f"{year}-9M", f"{year}-H1", f"{year}-H2"]
    codes += [f"{year}-Q{q}" for q in range(1, 5)] + [f"{year}-{m:02d}" for m in range(1, 13)]
    return [parse_period(c) for c in codes]


def find_range(text: str) -> tuple[dt.date, dt.date] | None:
    m = _RANGE.search(_folded(text))
    if not m:
        return None
    try:
        a = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        b = dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        return None
    return a, b


def period_from_text(text: str) -> Period | None:
    """The period a title line or a period cell names, or None when it names none."""
    t = _folded(text)
    rng = find_range(text)
    if rng:
        return period_from_range(*rng)
    stripped = t.strip()
    if re.fullmatch(r"\d{4}", stripped):
        return _safe(stripped)
    m = _CELL_MONTH.fullmatch(stripped)
    if m and 1 <= int(m.group(1)) <= 12:
        return _safe(f"{m.group(2)}-{int(m.group(1)):02d}")
    m = _CELL_QUARTER.fullmatch(stripped)
    if m:
        return _safe(f"{m.group(2)}-Q{_ROMAN[m.group(1)]}")
    for pattern, kind in _PATTERNS:
        m = pattern.search(t)
        if not m:
            continue
        if kind == "code":
            return _safe(f"{m.group(1)}-{m.group(2).upper()}")
        if kind in ("H1", "H2", "9M"):
            return _safe(f"{m.group(1)}-{kind}")
        if kind == "Q":
            q = m.group(1)
            return _safe(f"{m.group(2)}-Q{_ROMAN.get(q, q)}")
        if kind == "M":
            return _safe(f"{m.group(2)}-{int(m.group(1)):02d}")
        return _safe(m.group(1))
    return None


def _safe(code: str) -> Period | None:
    try:
        p = parse_period(code)
    except PeriodError:
        return None
    return p if 2000 <= p.year <= 2100 else None
