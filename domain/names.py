"""Resolve the names reports use for units, sectors and indicators to catalogue ids.

A unit name means different things in different eras: "An Giang" in 2024 is ``VN63-89`` but in a 2025-10
report the merged province ``VN34-91``; "Bến Tre" after 1/7/2025 no longer exists and the error should say
where it went. So unit names are always resolved *in the era of a period*; sectors and indicators are not.
Matching uses :func:`domain.text.key` (no case, diacritics, spacing or punctuation).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from domain.catalog import DATA_DIR, Catalog, Unit, catalog
from domain.periods import Period
from domain.text import key, words

#: Leading words that name the kind of a unit, not the unit ("UBND TỈNH BẾN TRE" → "BẾN TRE").
_PREFIXES = ("uy ban nhan dan", "ubnd", "tinh", "thanh pho", "tp", "t p", "province", "city", "of")
#: Trailing words that do the same in English ("Ben Tre Province", "Can Tho City").
_SUFFIXES = ("province", "city", "municipality")
#: Marks after a name that refer to notes below a table: "Hà Nội (1)", "Bến Tre*", "Huế (*)", "Huế¹".
_FOOTNOTE = re.compile(r"(\s*(\*+|\(\s*\*+\s*\)|\(\s*\d{1,2}\s*\)|\[\s*\d{1,2}\s*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+$")


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
        for suffix in _SUFFIXES:
            if w.endswith(" " + suffix):
                w = w[: -len(suffix) - 1]
                changed = True
    return w


def without_and(text: str) -> str:
    """The name without "và": "Nông nghiệp - Môi trường" and "Nông nghiệp và Môi trường" are one ministry."""
    return " ".join(t for t in words(text).split() if t not in ("va", "and"))


def strip_footnote(text: str) -> str:
    """'Hà Nội (1)', 'Bến Tre*' → the name alone."""
    return _FOOTNOTE.sub("", str(text)).strip()


def _fmt(d: dt.date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


class NameResolver:
    """Indexes built once per catalogue: name key → candidate ids."""

    def __init__(self, cat: Catalog):
        self.cat = cat
        self._units: dict[str, set[str]] = {}
        self._codes: dict[str, set[str]] = {}
        for u in cat.units.values():
            self._index_unit(u)
        self._index_aliases()
        self._sectors: dict[str, str] = {}
        for s in cat.sectors.values():
            for name in (s.id, s.name_vi, *s.aliases):
                self._sectors.setdefault(key(name), s.id)
        self._indicators: dict[str, str] = {}
        for i in cat.indicators.values():
            for name in (i.id, i.name_vi, i.name_en):
                self._indicators.setdefault(key(name), i.id)

    def _index_unit(self, u: Unit) -> None:
        """A unit by its names, its id and its official code ("BTP" and "Bo TP" for a ministry)."""
        for name in (u.name_vi, u.short_name, u.id):
            self._add_unit(name, u.id)
        if u.kind == "ministry":
            self._add_unit(u.code, u.id)
            if u.code.startswith("B"):
                self._add_unit("Bo " + u.code[1:], u.id)
        elif u.kind == "province":
            self._codes.setdefault(u.code, set()).add(u.id)
            self._add_unit(u.code, u.id)

    def _index_aliases(self) -> None:
        """The spellings of ``data/unit_aliases.csv``; "P79" names the province with code 79 in either era."""
        path = DATA_DIR / "unit_aliases.csv"
        if not path.exists():
            return
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                target = row["target"].strip()
                ids = self._codes.get(target[1:], set()) if target.startswith("P") else {target}
                for uid in ids & set(self.cat.units):
                    self._add_unit(row["alias"], uid)

    def _add_unit(self, name: str, unit_id: str) -> None:
        for k in {key(name), key(strip_prefixes(name)), key(without_and(name)), key(without_and(strip_prefixes(name)))}:
            if k:
                self._units.setdefault(k, set()).add(unit_id)

    # -- units -------------------------------------------------------------------------------------
    def candidates(self, text: str) -> set[str]:
        """Every unit id the text may name, in any era (footnote marks and "và" do not matter)."""
        for variant in (text, strip_footnote(text)):
            for k in (key(variant), key(strip_prefixes(variant)), key(without_and(strip_prefixes(variant)))):
                found = self._units.get(k)
                if found:
                    return set(found)
        return set()

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
            return self._merged_message(u, self.cat.units[u.successor_id], label_vi, label_en)
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

    def _merged_message(self, u: Unit, succ: Unit, label_vi: str, label_en: str) -> UnitMatch:
        """Where a unit went, with both codes and what the new unit holds, so that "Tỉnh Lào Cai đã sáp nhập
        vào Tỉnh Lào Cai" still says what changed (code 10 → 15, now with Yên Bái)."""
        since = (u.valid_to or dt.date.min) + dt.timedelta(days=1)
        verb_vi = "sáp nhập vào" if u.kind == "province" else "hợp nhất vào"
        parts = sorted(p.short_name for p in self.cat.units.values() if p.successor_id == succ.id)
        holds_vi = f"; {succ.name_vi} mới gồm {', '.join(parts)}" if len(parts) > 1 else ""
        holds_en = f"; the new {succ.name_vi} is made of {', '.join(parts)}" if len(parts) > 1 else ""
        return UnitMatch(
            None,
            f"{u.name_vi} đã {verb_vi} {succ.name_vi} từ {_fmt(since)} (mã cũ {u.code} → mã mới {succ.code}"
            f"{holds_vi}); kỳ báo cáo {label_vi} phải báo cáo theo đơn vị mới, mã {succ.code}.",
            f"{u.name_vi} was merged into {succ.name_vi} on {since:%d/%m/%Y} (old code {u.code} → new code "
            f"{succ.code}{holds_en}); reports for {label_en} must use the new unit, code {succ.code}.",
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
    del cat_id  # only the cache key: a new catalogue object gets a new resolver
    return NameResolver(catalog())


def resolver(cat: Catalog | None = None) -> NameResolver:
    """The resolver for the app's catalogue (cached), or a fresh one for a test catalogue."""
    if cat is None or cat is catalog():
        return _resolver(id(catalog()))
    return NameResolver(cat)
