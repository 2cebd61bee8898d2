"""The project's catalogues (indicators, units, regions, sectors, targets) as frozen dataclasses.

Catalogues are data: adding an indicator or a sector alias is a row in ``data/*.csv``, not code.
This module only reads those files; it never touches the database or the network.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: The date the 63 provinces became 34 (Nghị quyết 202/2025/QH15).
PROVINCE_MERGER = dt.date(2025, 7, 1)
#: The date the government of 22 ministries and agencies became 17.
MINISTRY_MERGER = dt.date(2025, 3, 1)


class Bilingual:
    """A catalogue entry with a Vietnamese and an English name; English falls back to Vietnamese."""

    name_vi: str
    name_en: str

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_vi


@dataclass(frozen=True)
class Indicator(Bilingual):
    id: str
    area: str
    name_vi: str
    name_en: str
    unit: str
    kind: str  # count | rate | score
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    better: str  # higher | lower | ""
    note: str
    weight: str = ""  # for scores: the count that weights a mean across units ("" = plain mean)
    decimals: int = 0  # digits after the decimal sign wherever the figure is shown (cards, tables, charts)


@dataclass(frozen=True)
class Unit:
    id: str
    kind: str  # province | ministry | national
    code: str
    name_vi: str
    short_name: str
    era: str  # "63", "34" or "" (ministries, nation)
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_id: str
    region: str
    iso_3166_2: str
    note: str

    @property
    def label(self) -> str:
        """The name a chart shows: a province by its short name ("Vĩnh Long"), a ministry by its full name
        ("Bộ Xây dựng", "Ngân hàng Nhà nước"), so a ministry never reads as the sector of the same words."""
        if self.kind == "ministry":
            return self.name_vi.removesuffix(" Việt Nam")
        return self.short_name

    def valid_on(self, day: dt.date) -> bool:
        """A unit exists on a day when the day lies within its validity dates."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


@dataclass(frozen=True)
class Region(Bilingual):
    id: str
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Sector(Bilingual):
    id: str
    name_vi: str
    aliases: tuple[str, ...]
    name_en: str = ""


@dataclass(frozen=True)
class Target:
    indicator: str
    scope: str
    op: str  # >= or <=
    value: float
    year: int | None
    instrument: str
    source_note: str

    def met(self, value: float) -> bool:
        return value >= self.value if self.op == ">=" else value <= self.value


@dataclass(frozen=True)
class Area(Bilingual):
    """One of the six reform areas of Nghị quyết 76/NQ-CP (plus the published indices)."""

    id: str
    order: int
    name_vi: str
    name_en: str


@dataclass(frozen=True)
class Catalog:
    indicators: dict[str, Indicator]
    units: dict[str, Unit]
    regions: dict[str, Region]
    sectors: dict[str, Sector]
    targets: tuple[Target, ...]
    areas: dict[str, Area] = field(default_factory=dict)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def unit(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def provinces(self, era: str) -> list[Unit]:
        return [u for u in self.units.values() if u.kind == "province" and u.era == era]

    def ministries_on(self, day: dt.date) -> list[Unit]:
        return [u for u in self.units.values() if u.kind == "ministry" and u.valid_on(day)]

    def targets_for(self, indicator_id: str) -> list[Target]:
        return [t for t in self.targets if t.indicator == indicator_id]

    def successor_today(self, unit_id: str) -> str:
        """Follow successor links to the unit that carries this one's figures today."""
        seen = set()
        current = unit_id
        while self.units[current].successor_id and current not in seen:
            seen.add(current)
            current = self.units[current].successor_id
        return current


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _parts(text: str, sep: str = "+") -> tuple[str, ...]:
    return tuple(p for p in text.split(sep) if p) if text else ()


#: How a catalogue cell is read, by the declared type of the field it fills.
_READ: dict[str, Callable[[str], object]] = {
    "str": str,
    "int": int,
    "float": float,
    "int | None": lambda t: int(t) if t else None,
    "dt.date | None": _date,
}


def _record(cls: type[Any], row: dict[str, str], id_column: str = "id", sep: str = "+") -> Any:
    """One catalogue row as the dataclass ``cls``, each field read from the column of its name by its declared
    type, so a new field is a new column and nothing else. ``id_column`` names the column holding ``id``;
    ``sep`` splits list fields (``a+b`` for a rate's counts, ``a|b`` for aliases). A column a file lacks
    leaves the field's default."""
    values: dict[str, object] = {}
    for f in fields(cls):
        column = id_column if f.name == "id" else f.name
        if column not in row:
            continue
        kind = str(f.type)
        values[f.name] = _parts(row[column], sep) if kind == "tuple[str, ...]" else _READ[kind](row[column])
    return cls(**values)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def read_catalog(data_dir: Path = DATA_DIR) -> Catalog:
    """Read every catalogue file of ``data_dir``; no caching, so tests can point at fixtures."""
    indicators: dict[str, Indicator] = {r["id"]: _record(Indicator, r) for r in _rows(data_dir / "indicators.csv")}
    units: dict[str, Unit] = {r["unit_id"]: _record(Unit, r, "unit_id") for r in _rows(data_dir / "units.csv")}
    regions: dict[str, Region] = {r["region"]: _record(Region, r, "region") for r in _rows(data_dir / "regions.csv")}
    sectors: dict[str, Sector] = {
        r["sector"]: _record(Sector, r, "sector", sep="|") for r in _rows(data_dir / "sectors.csv")
    }
    targets: tuple[Target, ...] = tuple(_record(Target, r) for r in _rows(data_dir / "targets.csv"))
    areas_path = data_dir / "areas.csv"
    areas: dict[str, Area] = (
        {r["area"]: _record(Area, r, "area") for r in _rows(areas_path)} if areas_path.exists() else {}
    )
    return Catalog(indicators, units, regions, sectors, targets, areas)


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The app's catalogue, read once per process."""
    return read_catalog(DATA_DIR)
