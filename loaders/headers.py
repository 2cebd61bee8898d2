"""Find the header of a report's table and say what each column means, by its words, not its position.

A header has up to three rows (group › subgroup › leaf), merged or with a group written once in its first
cell; a leaf such as "Tổng số" or "Quá hạn" takes its meaning from its groups. The column-number rows
official forms print under a header ("(1) (2) (3)=(4)+(5)", "A B 1 2 3") belong to the header. Each column
is read, in order, by: the person's choice for this file, a learned mapping, an exact phrase of
``data/header_aliases.csv`` (roles such as ``@unit`` or indicator ids, "group | sub" pairs), the catalogue's
names by content words, and finally a fuzzy score (:mod:`loaders.vocabulary`) that reads only near-equal
wordings and otherwise offers suggestions.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache

from domain.catalog import DATA_DIR
from domain.text import key, words
from loaders.readers import Sheet, col_letter
from loaders.values import looks_numeric
from loaders.vocabulary import HOW_ALIAS, HOW_LEARNED, HOW_USER, Match, Vocabulary, header_key

HEADER_SCAN_ROWS = 30
MAX_LEVELS = 3
LEVEL_SEP = " › "
_UNIT_SUFFIX = re.compile(r"\s*\((?:%|ty le %|nguoi|ho so|thu tuc|don vi tinh[^)]*)\)\s*$")
_COLNUM = re.compile(r"^\(?([a-z]|[ivx]{1,4}|\d{1,3})\)?(\s*[=+\-*/x]\s*\(?([a-z]|\d{1,3})\)?)*$")
_MEASURES = {"nguoi", "ho so", "%", "thu tuc", "tthc", "dong", "trieu dong", "quy dinh", "diem", "don vi", "ty le"}


@dataclass(frozen=True)
class ColumnRules:
    """Decisions made by people: ``overrides`` for this file (column letter, or "Sheet!D"), ``learned`` by
    header key (:func:`loaders.vocabulary.header_key`). Targets are indicator ids, roles or ``@ignore``."""

    overrides: dict[str, str] = field(default_factory=dict)
    learned: dict[str, str] = field(default_factory=dict)

    def choice(self, sheet: str | None, column: str) -> str | None:
        return self.overrides.get(f"{sheet}!{column}") or self.overrides.get(column)


@dataclass
class Column:
    """One column of the table found: its header as written and what it was read as."""

    index: int
    label: str  # all header levels joined with " › "
    target: str | None  # indicator id, "@role", "@ignore", or None = unread
    how: str | None
    score: float
    suggestions: tuple[tuple[str, float], ...] = ()

    @property
    def letter(self) -> str:
        return col_letter(self.index)

    @property
    def key(self) -> str:
        return header_key(self.label.replace(LEVEL_SEP, " "))


@dataclass
class Header:
    """The header found in a sheet: where it is and the meaning of each column."""

    first_row: int  # 0-based
    last_row: int  # 0-based, the header's lowest text row
    data_start: int = 0  # first row after the header and its column-number rows
    columns: dict[int, Column] = field(default_factory=dict)
    roles: dict[str, int] = field(default_factory=dict)  # role → column
    indicators: dict[int, str] = field(default_factory=dict)  # column → indicator id
    labels: dict[int, str] = field(default_factory=dict)  # column → header text as written

    def settle(self) -> None:
        """Derive roles, indicators and labels from the columns' readings."""
        self.roles, self.indicators, self.labels = {}, {}, {}
        for c in sorted(self.columns):
            col = self.columns[c]
            self.labels[c] = col.label
            if col.target is None or col.target == "@ignore":
                continue
            if col.target.startswith("@"):
                self.roles.setdefault(col.target[1:], c)
            else:
                self.indicators[c] = col.target

    def shape(self) -> str | None:
        """'A', 'B', 'C', 'D' or None when the header does not describe a known report."""
        r = self.roles
        if "d_due" in r and ("d_result" in r or "d_received" in r):
            return "D"
        if "indicator" in r and "value" in r:
            return "A"
        figures = bool(self.indicators) or self.has_questions
        if figures and ("unit" in r or "unit_code" in r):
            return "B"
        if figures and "sector" in r:
            return "C"
        return None

    @property
    def has_questions(self) -> bool:
        """Some column is probably an indicator but not surely: the table is still one of figures."""
        return any(c.target is None and c.suggestions for c in self.columns.values())


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    with (DATA_DIR / "header_aliases.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out[_phrase_key(row["header"])] = row["target"].strip()
    return out


@lru_cache(maxsize=16384)
def _phrase_key(text: str) -> str:
    """Exact key of an alias phrase; 'group | sub' keeps its bar so pairs never collide with one phrase."""
    return "|".join(_one_key(p) for p in str(text).split("|"))


@lru_cache(maxsize=16384)
def _one_key(text: str) -> str:
    w = _UNIT_SUFFIX.sub("", words(text))
    w = re.sub(r"\btrong do\b", " ", w)
    w = re.sub(r"\bti le\b", "ty le", w)
    return key(w)


def _exact(levels: list[str]) -> str | None:
    """An alias for the whole path, its last two levels, or a lone level; never a leaf torn from its group."""
    aliases = _aliases()
    tries = ["|".join(_one_key(x) for x in levels[i:]) for i in range(len(levels)) if len(levels) - i >= 2]
    if len(levels) == 1:
        tries.append(_one_key(levels[0]))
    for k in tries:
        if k.replace("|", "") and k in aliases:
            return aliases[k]
    return None


def read_levels(levels: list[str], voc: Vocabulary) -> Match:
    """The machine's reading of one column's header levels (no person's decision involved)."""
    found = _exact(levels)
    if found:
        return Match(found, HOW_ALIAS, 100.0)
    # the whole path, then without its upper groups: a leaf that is itself a full name ("Số hồ sơ tiếp nhận"
    # under "Kết quả trong kỳ") is that indicator, unless a sibling group reads the same (see _undo_twins)
    for i in range(len(levels)):
        sure = voc.sure(" ".join(levels[i:]))
        if sure:
            return Match(sure[0], sure[1], 100.0)
    return voc.match(" ".join(levels))


def _text(v: object) -> str:
    return v.strip() if isinstance(v, str) else ""


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def is_column_numbers(row: list[object]) -> bool:
    """A row of column numbers or measures under a header: '(1) (2) (3)=(4)+(5)', 'A B 1 2 3', 'người %'."""
    cells = [v for v in row if _is_number(v) or _text(v)]
    if len(cells) < 2:
        return False
    ints: list[int] = []
    for v in cells:
        if isinstance(v, int | float):
            if float(v) != int(v):
                return False
            ints.append(int(v))
            continue
        w = words(str(v)) if str(v).strip() != "%" else "%"
        if w in _MEASURES:
            continue
        if not _COLNUM.match(str(v).strip().lower().replace(" ", "")):
            return False
        lead = re.match(r"^\(?(\d{1,3})\)?", str(v).strip())
        if lead:
            ints.append(int(lead.group(1)))
    # column numbers count up one by one from the first: a data row of figures never does by chance
    return not ints or (ints[0] <= 3 and ints == list(range(ints[0], ints[0] + len(ints))))


def _header_like(sheet: Sheet, r: int) -> bool:
    row = sheet.rows[r]
    if any(_is_number(v) for v in row) or is_column_numbers(row):
        return False
    return any(_text(v) for v in row)


def _spread_merged(sheet: Sheet, r: int, row: list[object]) -> list[object]:
    """A header row with each merged cell's text copied over the cells it spans in this row."""
    out = list(row)
    for r1, c1, r2, c2 in sheet.merged:
        if r1 > r or r > r2:
            continue
        if r1 < len(sheet.rows) and c1 < len(sheet.rows[r1]):
            top = sheet.rows[r1][c1]
            for c in range(c1, c2 + 1):
                while len(out) <= c:
                    out.append(None)
                if not _text(out[c]):
                    out[c] = top
    return out


def _continues(sheet: Sheet, r: int, upper: list[object]) -> bool:
    """Row r continues the header above it: text only, and tied to it by a merge, blank leading cells or a
    group written once over labels."""
    if r >= len(sheet.rows) or not _header_like(sheet, r):
        return False
    nxt = sheet.rows[r]
    if any(r1 < r <= r2 or (r1 == r - 1 and c2 > c1) for r1, c1, r2, c2 in sheet.merged):
        return True
    if all(not _text(nxt[c]) for c in range(min(2, len(nxt)))):
        return True
    return any(_text(v) and (c >= len(upper) or not _text(upper[c])) for c, v in enumerate(nxt))


def _block(sheet: Sheet, r: int, depth: int) -> dict[int, list[str]]:
    """Column → header levels for the rows r .. r+depth-1, groups written once spread to their leaves."""
    rows = [_spread_merged(sheet, r + i, sheet.rows[r + i]) for i in range(depth)]
    width = max(len(x) for x in rows)
    grid = [[_text(x[c]) if c < len(x) else "" for c in range(width)] for x in rows]
    for i in range(depth - 1):  # upper levels: a blank over a labelled column belongs to the group on its left
        below = [any(grid[j][c] for j in range(i + 1, depth)) for c in range(width)]
        for c in range(1, width):
            if not grid[i][c] and below[c] and grid[i][c - 1] and below[c - 1]:
                grid[i][c] = grid[i][c - 1]
    out: dict[int, list[str]] = {}
    for c in range(width):
        levels: list[str] = []
        for i in range(depth):
            if grid[i][c] and (not levels or levels[-1] != grid[i][c]):
                levels.append(grid[i][c])
        if levels:
            out[c] = levels
    return out


def _sure_count(block: dict[int, list[str]], voc: Vocabulary) -> int:
    """How many distinct known meanings a candidate header block names (cheap: exact phrases only)."""
    found: set[str] = set()
    for levels in block.values():
        if len(" ".join(levels)) >= 200:
            continue
        m = _exact(levels)
        if m is None:
            for i in range(len(levels)):
                sure = voc.sure(" ".join(levels[i:]))
                if sure:
                    m = sure[0]
                    break
        if m and m != "@ignore":
            found.add(m)
    return len(found)


def find_header(sheet: Sheet, voc: Vocabulary, rules: ColumnRules | None = None) -> Header | None:
    """The rows that best read as a header; None when no candidate names two known columns."""
    best: tuple[int, int, int] | None = None  # count, row, depth
    for r in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        if not _header_like(sheet, r):
            continue
        row = _spread_merged(sheet, r, sheet.rows[r])
        texts = [_text(v) for v in row if _text(v)]
        if len(set(texts)) < 2:
            continue  # a title line ("BÁO CÁO NĂM 2024", or one merged cell spread over the width), not a header
        for depth in range(1, MAX_LEVELS + 1):
            if depth > 1 and not _continues(sheet, r + depth - 1, sheet.rows[r + depth - 2]):
                break
            n = _sure_count(_block(sheet, r, depth), voc)
            if n >= 2 and (best is None or n > best[0]):
                best = (n, r, depth)
    if best is None:
        return None
    _, r, depth = best
    header = Header(first_row=r, last_row=r + depth - 1)
    start = header.last_row + 1
    while start < len(sheet.rows) and start <= header.last_row + 2 and is_column_numbers(sheet.rows[start]):
        start += 1
    header.data_start = start
    for c, levels in _block(sheet, r, depth).items():
        header.columns[c] = _read_column(sheet.name, c, levels, voc, rules)
    _undo_twins(sheet, header, r, depth, voc)
    header.settle()
    return header


def _group_row(sheet: Sheet, r: int) -> bool:
    """A row of several group labels (not a one-line title) right above a header."""
    if not _header_like(sheet, r):
        return False
    texts = {_text(v) for v in _spread_merged(sheet, r, sheet.rows[r]) if _text(v)}
    return len(texts) >= 2


def _undo_twins(sheet: Sheet, header: Header, r: int, depth: int, voc: Vocabulary) -> None:
    """Two columns of one table cannot both be one indicator: when they read so (groups such as "Trong kỳ"
    and "Lũy kế" above the same leaf), neither is read. Both become questions for a person, labelled with
    the group rows above them, the shared reading offered first."""
    seen: dict[str, list[int]] = {}
    for c, col in header.columns.items():
        if col.target and not col.target.startswith("@") and col.how not in (HOW_USER, HOW_LEARNED):
            seen.setdefault(col.target, []).append(c)
    twins = {c: t for t, cols in seen.items() if len(cols) > 1 for c in cols}
    if not twins:
        return
    above = r
    while above > 0 and r - above + depth < MAX_LEVELS and _group_row(sheet, above - 1):
        above -= 1
    wider = _block(sheet, above, r - above + depth) if above < r else {}
    for c, target in twins.items():
        levels = wider.get(c) or header.columns[c].label.split(LEVEL_SEP)
        m = voc.match(" ".join(levels))
        rest = tuple((t, s) for t, s in m.suggestions if t != target)
        header.columns[c] = Column(c, LEVEL_SEP.join(levels), None, None, 0.0, ((target, 100.0), *rest))


def _read_column(sheet: str | None, c: int, levels: list[str], voc: Vocabulary, rules: ColumnRules | None) -> Column:
    label = LEVEL_SEP.join(levels)
    if rules is not None:
        chosen = rules.choice(sheet, col_letter(c))
        if chosen:
            return Column(c, label, chosen, HOW_USER, 100.0)
        learned = rules.learned.get(header_key(" ".join(levels)))
        if learned:
            return Column(c, label, learned, HOW_LEARNED, 100.0)
    if len(label) >= 200:
        return Column(c, label, None, None, 0.0)
    m = read_levels(levels, voc)
    return Column(c, label, m.target, m.how, m.score, m.suggestions)


def unlabelled(sheet: Sheet, c: int, rules: ColumnRules | None) -> Column:
    """A column with figures but no header text: unread unless a person decided it for this file."""
    chosen = rules.choice(sheet.name, col_letter(c)) if rules else None
    return Column(c, "", chosen, HOW_USER if chosen else None, 100.0 if chosen else 0.0)


def numeric_cell(v: object) -> bool:
    """A cell a person reads as a number (a number, or text such as '16.149' or '85,5%')."""
    return _is_number(v) or (isinstance(v, str) and looks_numeric(v))
