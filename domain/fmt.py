"""Numbers and dates as Vietnamese readers write them: 16.149; 85,5%; 26/11/2026.

English uses 16,149 and 85.5%. Missing values print as an en dash, never as zero.
"""

from __future__ import annotations

import datetime as dt
import math

from domain.catalog import Indicator

MISSING = "–"


def _group(int_text: str, sep: str) -> str:
    out: list[str] = []
    while len(int_text) > 3:
        out.insert(0, int_text[-3:])
        int_text = int_text[:-3]
    out.insert(0, int_text)
    return sep.join(out)


def fmt_number(value: float | int | None, decimals: int = 0, lang: str = "vi") -> str:
    """'16.149' (vi) or '16,149' (en); ``decimals`` digits after the decimal comma/point."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    thousands, point = (".", ",") if lang != "en" else (",", ".")
    text = f"{abs(float(value)):.{decimals}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if float(value) < 0 and float(text) != 0 else ""
    return sign + _group(whole, thousands) + (point + frac if frac else "")


def fmt_percent(value: float | None, decimals: int = 1, lang: str = "vi") -> str:
    """'85,5%' (vi) or '85.5%' (en)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    return fmt_number(value, decimals, lang) + "%"


def fmt_value(value: float | None, ind: Indicator, lang: str = "vi") -> str:
    """A figure of an indicator, with the indicator's decimals (``decimals`` in data/indicators.csv) and a
    percent sign for percentages: '85,5%', '16.149', '0,62'."""
    text = fmt_number(value, ind.decimals, lang)
    return text + "%" if ind.unit == "%" and text != MISSING else text


def fmt_delta(value: float | None, ind: Indicator, lang: str = "vi") -> str:
    """Signed change: '+1.234', '−2,3 điểm %' style ('pp' in English) for percentages."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    shown = round(value, ind.decimals)  # the sign of what is printed: −0,02 is "±0,0", never "−0,0"
    sign = "+" if shown > 0 else ("−" if shown < 0 else "±")
    if ind.unit == "%":
        return f"{sign}{fmt_number(abs(value), ind.decimals, lang)} {'điểm %' if lang != 'en' else 'pp'}"
    return f"{sign}{fmt_value(abs(value), ind, lang)}"


def fmt_date(day: dt.date | dt.datetime | None, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages (the committee's convention); with time when given a datetime."""
    del lang  # one form for both languages; the parameter keeps every formatter's signature alike
    if day is None or day != day:  # NaT (pandas' missing time) is not equal to itself
        return MISSING
    if isinstance(day, dt.datetime):
        return day.strftime("%d/%m/%Y %H:%M")
    return day.strftime("%d/%m/%Y")


def d3_locale(lang: str = "vi") -> dict[str, str]:
    """Plotly's separators setting: decimal then thousands."""
    return {"separators": ",." if lang != "en" else ".,"}
