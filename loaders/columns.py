"""Every column accounted for: the column map of a table, and a warning for each column of figures left unread.

A column is a role (unit, STT, sector, dates…), an indicator, deliberately not data ("Ghi chú"), or *unread*.
An unread column holding numbers is never silent: it is a warning naming its letter, its header as written
and how many numbers it holds, and the upload page asks a person what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.catalog import Catalog
from loaders.context import Context
from loaders.headers import Column, ColumnRules, Header, numeric_cell, unlabelled
from loaders.readers import Sheet
from loaders.vocabulary import HOW_CONTENT


@dataclass(frozen=True)
class ColumnReport:
    """One line of ``check --json``'s ``columns`` list."""

    sheet: str | None
    column: str
    header: str
    meaning: str | None  # indicator id, "@role", "ignore", or None when unread
    how: str | None
    score: float
    numbers: int
    suggestions: tuple[tuple[str, float], ...] = ()
    key: str = ""  # the header's key for learned mappings ("" when the column has no header text)

    @property
    def unread_numbers(self) -> bool:
        """A column of figures nobody has said the meaning of: publishing must wait for a decision."""
        return self.meaning is None and self.numbers > 0

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "column": self.column,
            "header": self.header,
            "meaning": self.meaning,
            "how": self.how,
            "score": self.score,
            "numbers": self.numbers,
            "suggestions": [{"indicator": i, "score": s} for i, s in self.suggestions],
        }


def count_numbers(sheet: Sheet, start: int, end: int) -> dict[int, int]:
    """Column → how many cells of rows start..end-1 a person reads as numbers."""
    counts: dict[int, int] = {}
    for row in sheet.rows[start:end]:
        for c, v in enumerate(row):
            if v is not None and numeric_cell(v):
                counts[c] = counts.get(c, 0) + 1
    return counts


def complete(sheet: Sheet, header: Header, counts: dict[int, int], rules: ColumnRules | None) -> None:
    """Columns holding figures under no header text join the header, unread unless a person decided them."""
    changed = False
    for c in sorted(counts):
        if c not in header.columns:
            header.columns[c] = unlabelled(sheet, c, rules)
            changed = True
    if changed:
        header.settle()


def infer_label_column(ctx: Context, sheet: Sheet, header: Header, end: int) -> None:
    """A table of figures whose unit or sector column has a header nobody listed ("Tên địa bàn"): the column
    whose cells name units (or sectors) is that column, read by what it holds."""
    if not header.indicators or {"unit", "unit_code", "sector"} & set(header.roles):
        return
    best: tuple[float, int, str] | None = None
    for c, col in header.columns.items():
        if col.target is not None:
            continue
        cells = [str(row[c]) for row in sheet.rows[header.data_start : end] if c < len(row) and isinstance(row[c], str)]
        if not cells:
            continue
        units = sum(bool(ctx.names.candidates(v)) for v in cells) / len(cells)
        sectors = sum(ctx.names.sector(v) is not None for v in cells) / len(cells)
        for share, role in ((units, "unit"), (sectors, "sector")):
            if share >= 0.6 and (best is None or share > best[0]):
                best = (share, c, role)
    if best is not None:
        share, c, role = best
        old = header.columns[c]
        header.columns[c] = Column(c, old.label, f"@{role}", HOW_CONTENT, round(100 * share, 1))
        header.settle()


def report(ctx: Context, sheet: Sheet, header: Header, counts: dict[int, int]) -> None:
    """Add the sheet's column map to the context and warn about every unread column of figures."""
    for c in sorted(header.columns):
        col = header.columns[c]
        rep = _report(sheet.name, col, counts.get(c, 0))
        ctx.columns.append(rep)
        if rep.unread_numbers:
            _warn_unread(ctx, sheet, header, col, rep.numbers, ctx.cat)


def _report(sheet: str | None, col: Column, numbers: int) -> ColumnReport:
    meaning = "ignore" if col.target == "@ignore" else col.target
    key = col.key if col.label else ""
    return ColumnReport(sheet, col.letter, col.label, meaning, col.how, col.score, numbers, col.suggestions, key)


def _warn_unread(ctx: Context, sheet: Sheet, header: Header, col: Column, n: int, cat: Catalog) -> None:
    header_vi = f"“{col.label}”" if col.label else "(không có tiêu đề)"
    header_en = f"“{col.label}”" if col.label else "(no header)"
    hint_vi = hint_en = ""
    if col.suggestions:
        best = cat.indicators[col.suggestions[0][0]]
        hint_vi = f" Gợi ý: {best.name_vi}?"
        hint_en = f" Suggestion: {best.name_en}?"
    ctx.warn_at(
        f"Cột {col.letter} {header_vi} có {n} số nhưng chưa được đọc: không nhận ra chỉ tiêu của cột."
        f"{hint_vi} Hãy chọn chỉ tiêu cho cột hoặc đánh dấu “không phải số liệu” trước khi lưu.",
        f"Column {col.letter} {header_en} holds {n} numbers that were not read: its indicator is not "
        f"recognised.{hint_en} Choose its indicator or mark it “not data” before publishing.",
        sheet,
        header.last_row,
        col.letter,
    )


def choice_targets(col: ColumnReport, cat: Catalog) -> list[str]:
    """What a person may say a column is: the reader's suggestions first (best first), every other
    indicator of the catalogue, then "not data"."""
    suggested = [t for t, _ in col.suggestions if t in cat.indicators]
    rest = [i for i in cat.indicators if i not in suggested]
    return [*suggested, *rest, "@ignore"]
