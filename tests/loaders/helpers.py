"""Tiny workbooks and CSVs built in memory, so each test states its rows next to its expectation."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.styles import Font

from loaders import CheckResult, check_file

Rows = Sequence[Sequence[Any]]


@dataclass
class SheetSpec:
    name: str
    rows: Rows
    merged: list[str] = field(default_factory=list)
    fonts: dict[str, str] = field(default_factory=dict)  # cell → font name
    formats: dict[str, str] = field(default_factory=dict)  # cell → number format
    hidden: bool = False


def xlsx(*sheets: SheetSpec | Rows) -> bytes:
    """A workbook of the given sheets (a bare row list is one sheet called 'Biểu 1')."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, spec in enumerate(sheets):
        if not isinstance(spec, SheetSpec):
            spec = SheetSpec("Biểu 1" if i == 0 else f"Biểu {i + 1}", spec)
        ws = wb.create_sheet(spec.name)
        for row in spec.rows:
            ws.append(list(row))
        for rng in spec.merged:
            ws.merge_cells(rng)
        for ref, font in spec.fonts.items():
            ws[ref].font = Font(name=font)
        for ref, fmt in spec.formats.items():
            ws[ref].number_format = fmt
        if spec.hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: Rows, sep: str = ",", encoding: str = "utf-8") -> bytes:
    def cell(v: Any) -> str:
        s = "" if v is None else str(v)
        return f'"{s}"' if (sep in s or '"' in s) else s

    text = "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"
    if encoding == "cp1258":
        return "".join(_cp1258_char(ch) for ch in text).encode("cp1258")
    return text.encode(encoding)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258_char(ch: str) -> str:
    """Windows-1258 writes tones as combining marks after a base letter that may carry â, ă, ơ…"""
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
        return base + "".join(p for p in parts if p in _TONES)


def check(data: bytes, name: str = "bao_cao.xlsx", **kw: Any) -> CheckResult:
    return check_file(None, data=data, file_name=name, **kw)  # type: ignore[arg-type]


def obs_set(result: CheckResult) -> set[tuple[str, str, str, str, float]]:
    df = result.observations
    return {(r.indicator, r.unit, r.period, r.sector, round(float(r.value), 6)) for r in df.itertuples(index=False)}


def locations(result: CheckResult) -> list[tuple[str | None, int | None, str | None]]:
    return [(e.sheet, e.row, e.column) for e in result.errors]


#: The leaf headers of form II.06a/VPCP/KSTT (sector table of dossiers) under "Đã giải quyết" and
#: "Đang giải quyết", as the form prints them.
II06A_RESOLVED = ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"]
II06A_PENDING = ["Tổng số", "Trong hạn", "Quá hạn"]
