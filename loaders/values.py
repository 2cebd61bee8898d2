"""Cell values as Vietnamese reports write them: "16.149", "1.234.567", "85,5%", "-", Excel percent cells.

Every parse returns either a number, "not reported" (None) or raises :class:`BadValue`; the caller turns
``BadValue`` into a located :class:`~domain.errors.ReportError`. The thousands/decimal ambiguity
("16.149" vs "98.6") is settled by what the column holds: counts are whole, so one group of exactly three
digits after a separator is a thousands group; rates and scores keep it as a decimal point.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from domain.text import nfc

#: Cells that mean "not reported": no observation, never zero.
NOT_REPORTED = frozenset({"", "-", "--", "—", "–", "x", "X", "...", "…", "n/a", "N/A", "k", "K"})

_THOUSANDS_DOT = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^\d{1,3}(,\d{3})+$")
_THOUSANDS_SPACE = re.compile(r"^\d{1,3}( \d{3})+$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
#: The text date forms a report may use, the one list every reader accepts (small sheets and big exports
#: alike): day first with "/", "." or "-" ("05/12/2024", "05.12.2024", "5-12-2024"), or ISO
#: ("2024-12-05"), each optionally followed by a time of day, which is dropped.
DATE_FORMS: tuple[tuple[re.Pattern[str], tuple[int, int, int]], ...] = (
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"), (3, 2, 1)),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?$"), (1, 2, 3)),
)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class BadValue(ValueError):
    """A cell that should hold a number (or a date) and holds something else."""


def is_not_reported(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and nfc(value) in NOT_REPORTED


def parse_number(value: object, *, percent_format: bool = False, whole: bool = False) -> float | None:
    """The number a cell states, in the units the report means (percent cells ×100); None = not reported.

    ``whole`` says the column holds counts, which decides "16,149"/"16.149" as thousands.
    """
    if is_not_reported(value):
        return None
    if isinstance(value, bool | dt.date | dt.time):
        raise BadValue(str(value))
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise BadValue(str(value))
        return round(number * 100.0, 9) if percent_format else number
    text = nfc(str(value))
    pct = text.endswith("%")
    if pct:
        text = text[:-1].strip()
    negative = text.startswith("-") and len(text) > 1
    if negative:
        text = text[1:].strip()
    parsed = _parse_text_number(text, whole=whole)
    if parsed is None:
        raise BadValue(str(value))
    return -parsed if negative else parsed


def _parse_text_number(text: str, *, whole: bool) -> float | None:
    if not text:
        return None
    if _THOUSANDS_SPACE.match(text):
        return float(text.replace(" ", ""))
    if "." in text and "," in text:
        decimal_comma = text.rfind(",") > text.rfind(".")  # 1.234.567,5 rather than 1,234,567.5
        return _float(text.replace(".", "").replace(",", ".") if decimal_comma else text.replace(",", ""))
    if _THOUSANDS_DOT.match(text) and (whole or text.count(".") > 1):
        return float(text.replace(".", ""))
    if _THOUSANDS_COMMA.match(text) and (whole or text.count(",") > 1):
        return float(text.replace(",", ""))
    if _PLAIN.match(text):
        return float(text.replace(",", "."))
    return None


def _float(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date, an Excel serial number or text in :data:`DATE_FORMS`; None when blank."""
    if is_not_reported(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return (EXCEL_EPOCH + dt.timedelta(days=float(value))).date()
        raise BadValue(str(value))
    return parse_date_text(str(value))


def parse_date_text(value: str) -> dt.date:
    """A date written as text in one of :data:`DATE_FORMS`; anything else (31/02/2024 too) is a BadValue."""
    text = nfc(value)
    if text.isdigit() and 20000 <= int(text) < 80000:  # an Excel serial day number exported as text
        return (EXCEL_EPOCH + dt.timedelta(days=int(text))).date()
    for form, (year, month, day) in DATE_FORMS:
        m = form.match(text)
        if m:
            try:
                return dt.date(int(m.group(year)), int(m.group(month)), int(m.group(day)))
            except ValueError as exc:
                raise BadValue(text) from exc
    raise BadValue(text)


def looks_numeric(text: str) -> bool:
    """Text a person reads as a number ('16.149', '85,5%', '-3'); 'not reported' marks are not numbers."""
    if is_not_reported(text) or not any(ch.isdigit() for ch in text):
        return False
    try:
        return parse_number(text) is not None
    except BadValue:
        return False
