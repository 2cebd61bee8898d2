"""Fuzzing: mutated samples and random workbooks must give a CheckResult, never an exception.

Our own code runs with ``check_file(strict=True)`` so a bug in it surfaces here instead of being reported as a
"cannot read" error; third-party parsers giving up on a corrupt file is the expected outcome.
The default run has CCHC_FUZZ_EXAMPLES (default 2,000) cases; ``make fuzz`` runs the long variant (10,000).
"""

from __future__ import annotations

import io
import json
import os
import random
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import ReportError
from loaders import CheckResult, check_file
from tests.loaders.helpers import csv_bytes, xlsx

DATA = Path(__file__).resolve().parent.parent / "data"
SEEDS = {p.name: p.read_bytes() for p in sorted(DATA.iterdir()) if p.suffix in (".xlsx", ".csv")}
LIGHT = {n: b for n, b in SEEDS.items() if len(b) < 20_000}  # big seeds only in cheap byte mutations
CELLS = [
    "",
    "-",
    "x",
    "—",
    "16.149",
    "85,5%",
    "1.234.567",
    "hai trăm",
    "-5",
    "12,5",
    "0",
    "999999",
    "Năm 2024",
    "Quý IV/2024",
    "Tỉnh Bến Tre",
    "TP.HCM",
    "Hà Tây",
    "Tổng cộng",
    "Cộng",
    "I",
    "II. Địa phương",
    "Ghi chú:",
    "Đất đai",
    "Hộ tịch",
    "05/12/2024",
    "31/02/2024",
    "Trực tuyến",
    "Có",
    "=1/0",
    "\x00",
    "𝔘",
    "ẞ" * 300,
]
HEADERS = [
    "STT",
    "Đơn vị",
    "Kỳ báo cáo",
    "Chỉ tiêu",
    "Giá trị",
    "Lĩnh vực",
    "Số hồ sơ tiếp nhận",
    "Hạn xử lý",
    "Ngày trả kết quả",
    "Kênh nộp",
    "Tỷ lệ đúng hạn",
    "Tiếp nhận",
    "Tổng số",
    "Trực tuyến",
    "unit",
    "value",
]


def _examples(default: int = 2000) -> int:
    return int(os.environ.get("CCHC_FUZZ_EXAMPLES", default))


def _assert_result(r: CheckResult) -> None:
    assert isinstance(r, CheckResult)
    assert all(isinstance(e, ReportError) and e.message_vi and e.message_en for e in r.errors + r.warnings)
    json.dumps(r.as_json(), ensure_ascii=False)
    assert r.summary_vi()
    if r.ok:
        assert list(r.observations.columns[:5]) == ["indicator", "unit", "period", "sector", "value"]


def _mutate_bytes(rnd: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    op = rnd.randrange(5)
    if op == 0 and b:
        return bytes(b[: rnd.randrange(len(b))])
    if op == 1:
        for _ in range(rnd.randint(1, 8)):
            if b:
                b[rnd.randrange(len(b))] = rnd.randrange(256)
        return bytes(b)
    if op == 2:
        pos = rnd.randrange(len(b) + 1)
        return bytes(b[:pos] + bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64))) + b[pos:])
    if op == 3 and len(b) > 10:
        a = rnd.randrange(len(b) - 1)
        return bytes(b[:a] + b[a : a + rnd.randint(1, 4096)] * 2 + b[a:])
    return bytes(b[::-1]) if rnd.random() < 0.1 else bytes(b)


def _mutate_member(rnd: random.Random, data: bytes) -> bytes:
    """Keep the zip valid but damage one XML part, so openpyxl/calamine see broken content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    target = rnd.choice([n for n in names if n.endswith(".xml")] or names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in names:
            body = src.read(n)
            if n == target:
                body = _mutate_bytes(rnd, body) if rnd.random() < 0.7 else _mutate_text(rnd, body)
            if rnd.random() > 0.03:
                zf.writestr(n, body)
    return out.getvalue()


def _mutate_text(rnd: random.Random, body: bytes) -> bytes:
    tokens = [b"<c ", b"<v>", b"</v>", b't="s"', b't="inlineStr"', b"<row ", b'r="', b"<f>", b"<sheet "]
    for _ in range(rnd.randint(1, 5)):
        tok = rnd.choice(tokens)
        pos = body.find(tok)
        if pos >= 0:
            body = body[:pos] + rnd.choice([b"", b"<v>-1</v>", b"\xff", b'r="XFD1048577"', tok * 2]) + body[pos:]
    return body


FAR_REFS = ["XFD1048576", "XFD1", "A1048576", "ZZZZ2", "IV65536", "AAA100000", "XFE1", "A1048577"]


def _far_corner(rnd: random.Random, data: bytes) -> bytes:
    """A valid workbook with cells far from its table (styled, valued or commented) and a huge dimension."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in src.namelist():
            body = src.read(n)
            if n == "xl/worksheets/sheet1.xml":
                ref = rnd.choice(FAR_REFS).encode()
                row = b"".join(ch for ch in (bytes([c]) for c in ref) if ch.isdigit())
                kinds = [b'<c r="%s" s="0"/>']
                if int(row) <= 100_000:  # a value a million rows down is real content: every reader walks to it
                    kinds += [b'<c r="%s"><v>7</v></c>', b'<c r="%s" t="inlineStr"><is><t>x</t></is></c>']
                cell = rnd.choice(kinds) % ref
                body = body.replace(b"</sheetData>", b'<row r="%s">%s</row></sheetData>' % (row, cell))
                body = body.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="')
            zf.writestr(n, body)
    return out.getvalue()


def _random_table(rnd: random.Random) -> list[list[object]]:
    width = rnd.randint(1, 8)
    rows: list[list[object]] = []
    for _ in range(rnd.randint(0, 3)):
        rows.append([rnd.choice(CELLS)])
    rows.append([rnd.choice(HEADERS) for _ in range(width)])
    for _ in range(rnd.randint(0, 12)):
        rows.append([rnd.choice([*CELLS, rnd.randint(-10, 10**6), rnd.random() * 200, None]) for _ in range(width)])
    return rows


def _case(rnd: random.Random) -> tuple[bytes, str, dict]:
    kind = rnd.random()
    kw: dict = {}
    if rnd.random() < 0.3:
        kw["period"] = rnd.choice(["2024", "2024-Q4", "2025-10", "2025-H1"])
    if rnd.random() < 0.1:
        kw["unit"] = rnd.choice(["Bến Tre", "Hà Tây", "BTP"])
    if kind < 0.35:
        name, data = rnd.choice(list(SEEDS.items()))
        return _mutate_bytes(rnd, data), name, kw
    for below, change in ((0.7, _mutate_member), (0.75, _far_corner)):  # a workbook changed inside its zip
        if kind < below:
            name, data = rnd.choice([(n, d) for n, d in LIGHT.items() if n.endswith(".xlsx")])
            try:
                return change(rnd, data), name, kw
            except zipfile.BadZipFile:
                return data, name, kw
    if kind < 0.8:
        name, data = rnd.choice([(n, d) for n, d in LIGHT.items() if n.endswith(".csv")])
        return _mutate_bytes(rnd, data), name, kw
    table = _random_table(rnd)
    if rnd.random() < 0.5:
        clean = [[v.replace("\x00", "") if isinstance(v, str) else v for v in row] for row in table]
        return xlsx(clean), "random.xlsx", kw
    sep = rnd.choice([",", ";", "\t"])
    enc = rnd.choice(["utf-8", "utf-16", "utf-8-sig"])
    return csv_bytes(table, sep=sep, encoding=enc), "random.csv", kw


def _run(n: int, seed: int) -> dict[str, int]:
    rnd = random.Random(seed)
    stats = {"ok": 0, "refused": 0}
    for _ in range(n):
        data, name, kw = _case(rnd)
        r = check_file(None, data=data, file_name=name, strict=True, **kw)  # type: ignore[arg-type]
        _assert_result(r)
        stats["ok" if r.ok else "refused"] += 1
    return stats


def test_fuzz_short() -> None:
    n = min(_examples(), 2000) - 200  # + 200 hypothesis examples below
    started = time.perf_counter()
    stats = _run(n, seed=20241215)
    assert sum(stats.values()) == n
    assert stats["refused"] > 0
    assert time.perf_counter() - started < 110


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                st.none(),
                st.text(max_size=12),
                st.integers(-(10**9), 10**9),
                st.floats(allow_nan=True),
                st.sampled_from(CELLS + HEADERS),
            ),
            min_size=1,
            max_size=6,
        ),
        min_size=1,
        max_size=10,
    ),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_hypothesis_csv_cells(cells: list[list[object]], sep: str) -> None:
    rows = [HEADERS[: len(cells[0])], *cells]
    _assert_result(check_file(None, data=csv_bytes(rows, sep=sep), file_name="h.csv", strict=True))  # type: ignore[arg-type]


@pytest.mark.fuzz
def test_fuzz_long() -> None:
    n = max(_examples(10_000), 10_000)
    stats = _run(n, seed=7)
    assert sum(stats.values()) == n


@pytest.mark.parametrize("seed", sorted(n for n in LIGHT if n.endswith(".xlsx") and zipfile.is_zipfile(DATA / n)))
@pytest.mark.parametrize("ref", ["XFD1048576", "ZZZZ2", "A1048577", "AAA100000"])
def test_a_far_empty_cell_changes_nothing(seed: str, ref: str) -> None:
    """A styled empty cell far from the table (and a huge declared dimension): the same answer, quickly."""
    data = LIGHT[seed]
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in src.namelist():
            body = src.read(n)
            if n.startswith("xl/worksheets/sheet"):
                row = "".join(ch for ch in ref if ch.isdigit()).encode()
                body = body.replace(
                    b"</sheetData>", b'<row r="%s"><c r="%s" s="0"/></row></sheetData>' % (row, ref.encode())
                )
            zf.writestr(n, body)
    started = time.perf_counter()
    before, after = check_file(None, data=data, file_name=seed), check_file(None, data=out.getvalue(), file_name=seed)
    assert time.perf_counter() - started < 20
    assert after.ok == before.ok
    assert after.as_json() == before.as_json()
