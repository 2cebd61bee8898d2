"""Reporting periods: codes, dates, the CCHC cut-off calendar and the two eras.

Codes: ``2024`` (year), ``2024-Q3`` (quarter), ``2024-H1`` (first half, cumulative), ``2024-9M`` (first
nine months, cumulative), ``2024-10`` (month). CCHC reports count from the 15th of the month before the
calendar period to the 14th of its last month (the year runs 15/12 to 14/12), so a period has both a
calendar window and a cut-off window; eras follow the calendar window's last day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from domain.catalog import MINISTRY_MERGER, PROVINCE_MERGER

KINDS = ("Y", "H", "9M", "Q", "M")
_RE = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|9M|0[1-9]|1[0-2]))?$")

_KIND_VI = {"Y": "Năm", "H": "6 tháng", "9M": "9 tháng", "Q": "Quý", "M": "Tháng"}
_KIND_EN = {"Y": "Year", "H": "Half-year", "9M": "Nine months", "Q": "Quarter", "M": "Month"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A period code that does not follow the spec."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str  # Y | H | 9M | Q | M
    number: int = 0  # quarter 1-4, half 1-2, month 1-12; 0 for Y and 9M

    @property
    def code(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind == "9M":
            return f"{self.year}-9M"
        if self.kind == "M":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}-{self.kind}{self.number}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_month(self) -> int:
        if self.kind == "Q":
            return 3 * self.number - 2
        if self.kind == "M":
            return self.number
        if self.kind == "H" and self.number == 2:
            return 7
        return 1

    @property
    def last_month(self) -> int:
        if self.kind == "Y":
            return 12
        if self.kind == "9M":
            return 9
        if self.kind == "H":
            return 6 * self.number
        if self.kind == "Q":
            return 3 * self.number
        return self.number

    @property
    def start(self) -> dt.date:
        """First calendar day."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """Last calendar day."""
        nxt = dt.date(self.year + (self.last_month == 12), self.last_month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def cutoff_start(self) -> dt.date:
        """First day of the data window on the CCHC cut-off calendar (the 15th of the month before)."""
        month = self.first_month - 1
        return dt.date(self.year - 1, 12, 15) if month == 0 else dt.date(self.year, month, 15)

    @property
    def cutoff_end(self) -> dt.date:
        """Last day of the data window on the cut-off calendar (the 14th of the last month)."""
        return dt.date(self.year, self.last_month, 14)

    @property
    def cumulative(self) -> bool:
        """Year-to-date periods (H1, 9M, year) include the earlier quarters; H2 is in-period."""
        return self.kind in ("Y", "9M") or (self.kind == "H" and self.number == 1)

    @property
    def province_era(self) -> str:
        """'63' or '34': the map in force on the period's last day."""
        return "63" if self.end < PROVINCE_MERGER else "34"

    @property
    def ministry_era(self) -> str:
        """'22' (the government before 1/3/2025) or '17' (after), by the period's last day."""
        return "22" if self.end < MINISTRY_MERGER else "17"

    def last_year(self) -> Period:
        return Period(self.year - 1, self.kind, self.number)

    def label(self, lang: str = "vi") -> str:
        """Human label as reports write it: 'Quý IV/2024', '6 tháng đầu năm 2025'."""
        if lang == "en":
            if self.kind == "Y":
                return f"Year {self.year}"
            if self.kind == "9M":
                return f"First nine months of {self.year}"
            if self.kind == "H":
                return f"{'First' if self.number == 1 else 'Second'} half of {self.year}"
            if self.kind == "Q":
                return f"Q{self.number} {self.year}"
            return f"{dt.date(self.year, self.number, 1):%B} {self.year}"
        if self.kind == "Y":
            return f"Năm {self.year}"
        if self.kind == "9M":
            return f"9 tháng năm {self.year}"
        if self.kind == "H":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        if self.kind == "Q":
            return f"Quý {_ROMAN[self.number]}/{self.year}"
        return f"Tháng {self.number}/{self.year}"


def short_label(period: Period, lang: str = "vi") -> str:
    """A period on a crowded axis: '2021', '6T/2021' (6TC: the second half), '9T/2021', 'Q3/2025',
    'T5/2025'; in English 'H1/2021', '9M/2021', 'Q3/2025', '05/2025'."""
    y = period.year
    if period.kind == "Y":
        return str(y)
    if period.kind == "Q":
        return f"Q{period.number}/{y}"
    if lang == "en":
        if period.kind == "H":
            return f"H{period.number}/{y}"
        if period.kind == "9M":
            return f"9M/{y}"
        return f"{period.number:02d}/{y}"
    if period.kind == "H":
        return f"6T/{y}" if period.number == 1 else f"6TC/{y}"
    if period.kind == "9M":
        return f"9T/{y}"
    return f"T{period.number}/{y}"


def parse_period(code: str | int) -> Period:
    """Parse a period code of the spec; anything else is a :class:`PeriodError`."""
    text = str(code).strip()
    m = _RE.match(text)
    if not m:
        raise PeriodError(f"not a period code: {text!r} (expected 2024, 2024-Q3, 2024-H1, 2024-9M or 2024-10)")
    year, rest = int(m.group(1)), m.group(2)
    if rest is None:
        return Period(year, "Y")
    if rest == "9M":
        return Period(year, "9M")
    if rest[0] in "QH":
        return Period(year, rest[0], int(rest[1]))
    return Period(year, "M", int(rest))


def years_upto(codes: Iterable[str], year: int) -> tuple[str, ...]:
    """The yearly periods among ``codes`` up to ``year`` (the series a year's cards and targets are read on)."""
    return tuple(c for c in codes if parse_period(c).kind == "Y" and parse_period(c).year <= year)


def is_period_code(code: str) -> bool:
    return bool(_RE.match(code.strip()))


def kind_label(kind: str, lang: str = "vi") -> str:
    return (_KIND_EN if lang == "en" else _KIND_VI)[kind]


def period_sort_key(code: str) -> tuple[int, int, int]:
    """Order periods by their last day, then by length (shorter first) so lists read naturally."""
    p = parse_period(code)
    return (p.end.toordinal(), -p.start.toordinal(), KINDS.index(p.kind))


def recent_periods(today: dt.date | None = None, years: int = 2) -> list[str]:
    """Period codes a secretariat is likely to report now: those of this and the last ``years`` years
    that have begun by ``today`` (months, quarters, halves, nine months, years), newest first."""
    today = today or dt.date.today()
    codes = []
    for year in range(today.year - years, today.year + 1):
        candidates = [Period(year, "Y"), Period(year, "9M"), Period(year, "H", 1), Period(year, "H", 2)]
        candidates += [Period(year, "Q", q) for q in (1, 2, 3, 4)] + [Period(year, "M", m) for m in range(1, 13)]
        codes += [p for p in candidates if p.start <= today]
    return [p.code for p in sorted(codes, key=lambda p: (p.end, p.start), reverse=True)]
