"""Resolve the names reports use for units, sectors and indicators to catalogue ids.

A unit name means different things in different eras: "An Giang" in 2024 is ``VN63-89`` but in a 2025-10
report the merged province ``VN34-91``; "Bến Tre" after 1/7/2025 no longer exists and the error should say
where it went. So unit names are always resolved *in the era of a period*; sectors and indicators are not.
Matching uses :func:`domain.text.key` (no case, diacritics, spacing or punctuation).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from domain.catalog import DATA_DIR, Catalog, Unit, catalog
from domain.periods import Period
from domain.text import key, words

#: Leading words that name the kind of a unit, not the unit ("UBND TỈNH BẾN TRE" → "BẾN TRE").
_PREFIXES = ("uy ban nhan dan", "ubnd", "tinh", "thanh pho", "tp", "t p", "province", "city", "of")


@dataclass(frozen=True)
class UnitMatch:
    """The outcome of resolving one unit name: an id, or the reason there is none (both languages)."""

    unit_id: str | None
    message_vi: str = ""
    message_en: str = ""


def strip_prefixes(text: str) -> str:
    """The unit's own name without 'UBND', 'Tỉnh', 'Thành phố', 'TP.' in front, as folded words."""
    w = words(text)
    changed = True
    while changed and w:
        changed = False
        for p in _PREFIXES:
            if w == p:
                return w
            if w.startswith(p + " "):
                w = w[len(p) + 1 :]
                changed = True
    return w


def _fmt(d: dt.date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


class NameResolver:
    """Indexes built once per catalogue: name key → candidate ids."""

    def __init__(self, cat: Catalog):
        self.cat = cat
        self._units: dict[str, set[str]] = {}
        self._codes: dict[str, set[str]] = {}
        for u in cat.units.values():
            for name in (u.name_vi, u.short_name, u.id):
                self._add_unit(name, u.id)
            if u.kind == "ministry":
                self._add_unit(u.code, u.id)
                if u.code.startswith("B"):
                    self._add_unit("Bo " + u.code[1:], u.id)
            elif u.kind == "province":
                self._codes.setdefault(u.code, set()).add(u.id)
                self._add_unit(u.code, u.id)
        path = DATA_DIR / "unit_aliases.csv"
        if path.exists():
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    target = row["target"].strip()
                    ids = self._codes.get(target[1:], set()) if target.startswith("P") else {target}
                    for uid in ids:
                        if uid in cat.units:
                            self._add_unit(row["alias"], uid)
        self._sectors: dict[str, str] = {}
        for s in cat.sectors.values():
            for name in (s.id, s.name_vi, *s.aliases):
                self._sectors.setdefault(key(name), s.id)
        self._indicators: dict[str, str] = {}
        for i in cat.indicators.values():
            for name in (i.id, i.name_vi, i.name_en):
                self._indicators.setdefault(key(name), i.id)

    def _add_unit(self, name: str, unit_id: str) -> None:
        for k in {key(name), key(strip_prefixes(name))}:
            if k:
                self._units.setdefault(k, set()).add(unit_id)

    # -- units -------------------------------------------------------------------------------------
    def candidates(self, text: str) -> set[str]:
        """Every unit id the text may name, in any era."""
        found = self._units.get(key(text))
        if not found:
            found = self._units.get(key(strip_prefixes(text)))
        return set(found or ())

    def _in_period(self, u: Unit, period: Period) -> bool:
        if u.kind == "province":
            return u.era == period.province_era
        return u.valid_on(period.end)

    def unit(self, text: str, period: Period) -> UnitMatch:
        """Resolve ``text`` in the era of ``period``; when it names only units of another era, say why."""
        name = str(text).strip()
        cands = self.candidates(name)
        if not cands:
            return UnitMatch(
                None,
                f"Không xác định được đơn vị “{name}” (không có trong danh mục tỉnh, thành phố, bộ, ngành).",
                f"Unknown unit “{name}” (not in the catalogue of provinces, cities and ministries).",
            )
        valid = sorted(uid for uid in cands if self._in_period(self.cat.units[uid], period))
        if len(valid) == 1:
            return UnitMatch(valid[0])
        if len(valid) > 1:
            return UnitMatch(
                None,
                f"Tên đơn vị “{name}” không rõ ràng ({', '.join(valid)}).",
                f"Ambiguous unit name “{name}” ({', '.join(valid)}).",
            )
        return self._outside_period(name, sorted(cands), period)

    def _outside_period(self, name: str, cands: list[str], period: Period) -> UnitMatch:
        u = self.cat.units[cands[0]]
        label_vi, label_en = period.label("vi"), period.label("en")
        if u.valid_to and period.end > u.valid_to and u.successor_id:
            succ = self.cat.units[u.successor_id]
            since = u.valid_to + dt.timedelta(days=1)
            verb_vi = "sáp nhập vào" if u.kind == "province" else "hợp nhất vào"
            return UnitMatch(
                None,
                f"{u.name_vi} đã {verb_vi} {succ.name_vi} từ {_fmt(since)}; kỳ báo cáo {label_vi} phải báo cáo "
                f"theo đơn vị mới.",
                f"{u.name_vi} was merged into {succ.name_vi} on {since:%d/%m/%Y}; reports for {label_en} must use "
                f"the new unit.",
            )
        if u.valid_from and period.end < u.valid_from:
            return UnitMatch(
                None,
                f"{u.name_vi} được thành lập từ {_fmt(u.valid_from)}, chưa tồn tại trong kỳ báo cáo {label_vi}.",
                f"{u.name_vi} exists only from {u.valid_from:%d/%m/%Y}, not in the period {label_en}.",
            )
        return UnitMatch(
            None,
            f"Đơn vị “{name}” không tồn tại trong kỳ báo cáo {label_vi}.",
            f"Unit “{name}” did not exist in the period {label_en}.",
        )

    def find_unit_in_text(self, text: str, period: Period) -> UnitMatch | None:
        """A unit named inside a title line ("UBND TỈNH BẾN TRE", "Báo cáo của Bộ Tư pháp"), or None."""
        whole = self.unit(text, period)
        if whole.unit_id or self.candidates(text):
            return whole
        toks = words(text).split()
        starters = {"ubnd", "uy", "tinh", "thanh", "tp", "bo", "ngan", "van"}
        for i, tok in enumerate(toks):
            if tok not in starters:
                continue
            for j in range(min(len(toks), i + 9), i + 1, -1):
                span = " ".join(toks[i:j])
                if self.candidates(span):
                    return self.unit(span, period)
        return None

    # -- sectors and indicators ---------------------------------------------------------------------
    def sector(self, text: str) -> str | None:
        """Sector id for a name or alias; 'Lĩnh vực đất đai' and 'Đất đai' are the same sector."""
        k = key(str(text))
        if k in self._sectors:
            return self._sectors[k]
        w = words(str(text))
        if w.startswith("linh vuc "):
            return self._sectors.get(key(w[len("linh vuc ") :]))
        return None

    def indicator(self, text: str) -> str | None:
        """Indicator id for an id, Vietnamese or English name."""
        return self._indicators.get(key(str(text)))


@lru_cache(maxsize=4)
def _resolver(cat_id: int) -> NameResolver:
    return NameResolver(catalog())


def resolver(cat: Catalog | None = None) -> NameResolver:
    """The resolver for the app's catalogue (cached), or a fresh one for a test catalogue."""
    if cat is None or cat is catalog():
        return _resolver(id(catalog()))
    return NameResolver(cat)
