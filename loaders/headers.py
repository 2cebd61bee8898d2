"""Find the header of a report's table and say what each column means, by its words, not its position.

Header phrases live in ``data/header_aliases.csv`` (a role such as ``@unit`` or an indicator id); catalogue
indicator names and ids are understood too. Two-row headers are read as "group | sub" ("Đã giải quyết |
Trước hạn"), with merged group cells spread over the columns they cover.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from domain.catalog import DATA_DIR
from domain.names import NameResolver
from domain.text import key, words
from loaders.readers import Sheet

HEADER_SCAN_ROWS = 30
_UNIT_SUFFIX = re.compile(r"\s*\((?:%|ty le %|nguoi|ho so|thu tuc|don vi tinh[^)]*)\)\s*$")


@dataclass
class Header:
    """The header found in a sheet: where it is and the meaning of each column."""

    first_row: int  # 0-based
    last_row: int  # 0-based; first_row + 1 for a two-row header
    roles: dict[str, int] = field(default_factory=dict)  # role → column
    indicators: dict[int, str] = field(default_factory=dict)  # column → indicator id
    labels: dict[int, str] = field(default_factory=dict)  # column → header text as written

    @property
    def data_start(self) -> int:
        return self.last_row + 1

    def shape(self) -> str | None:
        """'A', 'B', 'C', 'D' or None when the header does not describe a known report."""
        r = self.roles
        if "d_due" in r and ("d_result" in r or "d_received" in r):
            return "D"
        if "indicator" in r and "value" in r:
            return "A"
        if self.indicators and "unit" in r:
            return "B"
        if self.indicators and "sector" in r:
            return "C"
        return None


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    path = DATA_DIR / "header_aliases.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[_header_key(row["header"])] = row["target"].strip()
    return out


def _header_key(text: str) -> str:
    """Key of a header phrase; 'group | sub' keeps its bar so combos never collide with single phrases."""
    parts = [p for p in str(text).split("|")]
    return "|".join(_one_key(p) for p in parts)


def _one_key(text: str) -> str:
    w = words(text)
    w = _UNIT_SUFFIX.sub("", w)
    w = re.sub(r"\btrong do\b", " ", w)
    w = re.sub(r"\bti le\b", "ty le", w)
    return key(w)


def meaning(text: str, names: NameResolver) -> str | None:
    """'@role', an indicator id, or None for a header phrase."""
    if not text:
        return None
    k = _header_key(text)
    if not k.replace("|", ""):
        return None
    aliases = _aliases()
    if k in aliases:
        return aliases[k]
    if "|" in k:
        group, sub = k.split("|", 1)
        if sub in aliases and not aliases[sub].startswith("@"):
            return aliases[sub]
        if group in aliases and not sub:
            return aliases[group]
        return names.indicator(sub) or None
    # A unit in brackets follows the name ("Số hồ sơ giải quyết quá hạn (trễ hạn) (hồ sơ)"): drop one at a time.
    candidates = [str(text)]
    while re.search(r"\([^()]*\)\s*$", candidates[-1]):
        candidates.append(re.sub(r"\s*\([^()]*\)\s*$", "", candidates[-1]))
    for cand in candidates:
        found = names.indicator(cand)
        if found:
            return found
        ck = _one_key(cand)
        if ck and ck in aliases:
            return aliases[ck]
    return None


def _text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _spread_merged(sheet: Sheet, r: int, row: list[object]) -> list[object]:
    """A header row with each horizontally merged cell's text copied over the columns it spans."""
    out = list(row)
    for r1, c1, r2, c2 in sheet.merged:
        if r1 <= r <= r2 and c1 < len(sheet.rows[r1]):
            top = sheet.rows[r1][c1]
            for c in range(c1, c2 + 1):
                while len(out) <= c:
                    out.append(None)
                if not _text(out[c]):
                    out[c] = top
    return out


def _score(row: list[object], names: NameResolver) -> tuple[int, dict[int, str]]:
    found: dict[int, str] = {}
    for c, v in enumerate(row):
        m = meaning(_text(v), names) if _text(v) and len(_text(v)) < 200 else None
        if m:
            found[c] = m
    return len(found), found


def find_header(sheet: Sheet, names: NameResolver) -> Header | None:
    """The row (or pair of rows) that best reads as a header; None when no row names two known columns."""
    best: tuple[int, int] | None = None
    for r in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        row = _spread_merged(sheet, r, sheet.rows[r])
        if any(_is_number(v) for v in row):
            continue
        texts = {_text(v) for v in row if _text(v)}
        if len(texts) == 1 and sum(1 for v in row if _text(v)) > 1:
            continue  # one merged title cell spread over the width ("CƠ QUAN BÁO CÁO: …"), not a header
        n, _ = _score(row, names)
        if n >= 2 and (best is None or n > best[1]):
            best = (r, n)
    if best is None:
        return None
    r = best[0]
    top = _spread_merged(sheet, r, sheet.rows[r])
    sub = _sub_header(sheet, r, top)
    header = Header(first_row=r, last_row=r if sub is None else r + 1)
    width = max(len(top), len(sub or []))
    for c in range(width):
        group = _text(top[c]) if c < len(top) else ""
        low = _text(sub[c]) if sub is not None and c < len(sub) else ""
        label = f"{group} | {low}" if group and low and low != group else (group or low)
        m = meaning(label, names) if label else None
        if m is None and group and low:
            m = meaning(low, names)
        if not label:
            continue
        header.labels[c] = label
        if m is None or m == "@ignore":
            continue
        if m.startswith("@"):
            header.roles.setdefault(m[1:], c)
        else:
            header.indicators[c] = m
    return header


def _sub_header(sheet: Sheet, r: int, top: list[object]) -> list[object] | None:
    """The row under the header when it continues it: text only, and under a merged or blank-labelled cell."""
    if r + 1 >= len(sheet.rows):
        return None
    nxt = sheet.rows[r + 1]
    texts = [c for c, v in enumerate(nxt) if _text(v)]
    if not texts or any(_is_number(v) for v in nxt):
        return None
    spans_here = any(r1 == r and c2 > c1 for r1, c1, r2, c2 in sheet.merged)
    vertical = any(r1 == r and r2 >= r + 1 for r1, c1, r2, c2 in sheet.merged)
    blank_under_label = all(not _text(nxt[c]) for c in range(min(2, len(nxt))))
    if spans_here or vertical or blank_under_label:
        return nxt
    return None
