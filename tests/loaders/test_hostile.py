"""Hardened intake: every odd or hostile file gets its true answer, in bounded time and memory.

In-process, each case of :mod:`tests.loaders.hostile` gives its expected reason (or is accepted with the
figures of the clean table); through the real ``cli.py check --json`` in a bounded child, each stays within
20 s of CPU and 600 MB with one JSON object on stdout and the right exit code. The formats Excel opens (.xls, .ods,
an .xlsx renamed .xls, a CSV renamed .xlsx) read like the .xlsx, hidden rows and columns are skipped and
counted, and the parsing child's limits turn into a clear refusal.
"""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

import openpyxl
import pytest

from domain.legacy_fonts import decode_cell, unicode_to_tcvn3
from loaders.isolate import check_isolated
from tests.loaders.bounded import run_check
from tests.loaders.helpers import check, obs_set
from tests.loaders.hostile import (
    CASES,
    DATA,
    OLE_MAGIC,
    Case,
    far_value_padded,
    ods_table,
    table_xlsx,
    xls_table,
)

CLEAN = obs_set(check(table_xlsx()))
SAMPLE = "sc01_ben_tre_quy_iv_2024.xlsx"
SECONDS, MEGABYTES = 20.0, 600.0


def _expected_obs(case: Case) -> set:
    if case.id == "sample-far-cell":
        return obs_set(check((DATA / SAMPLE).read_bytes(), SAMPLE))
    if case.id == "csv-named-xlsx":
        return {("dossiers_received", "VN63-83", "2024", "", 5.0)}
    return CLEAN


@pytest.mark.parametrize("case", [c for c in CASES if c.id != "big-csv"], ids=lambda c: c.id)
def test_each_case_gives_its_true_answer(case: Case) -> None:
    r = check(case.make(), case.name)
    if case.words is None:
        assert r.ok, [e.message_en for e in r.errors]
        assert obs_set(r) == _expected_obs(case)
    else:
        assert not r.ok
        assert any(case.words in e.message_vi for e in r.errors), [e.message_vi for e in r.errors]
    for e in r.errors:
        assert e.message_en and "Error:" not in e.message_en and "Traceback" not in e.message_en
    if case.id == "xlsb":
        assert not any("macro" in e.message_vi for e in r.errors)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_case_within_its_bounds_through_the_command_line(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.name
    path.write_bytes(case.make())
    run = run_check(path, timeout=180)  # a hang guard only; the bound is the CPU time below
    assert run.code == (0 if case.words is None else 1), run.stdout[-500:]
    out = json.loads(run.stdout)  # the whole of stdout is one JSON object
    assert out["ok"] is (case.words is None)
    if case.words is not None:
        assert any(case.words in e["message"] for e in out["errors"]), out["errors"]
    # The bound is on the work a file costs, so it is read as CPU time (the child and what it
    # reaped), which other jobs on the machine do not stretch; a hang is still caught by the wall-clock kill.
    assert run.code is not None, f"killed after {run.seconds:.0f} s"
    assert run.cpu_seconds <= SECONDS and run.peak_mb <= MEGABYTES, (run.cpu_seconds, run.seconds, run.peak_mb)


@pytest.mark.slow
def test_the_measured_peak_is_the_checks_own_not_the_test_processs(tmp_path: Path) -> None:
    """Linux carries a process's peak RSS across exec: a check started straight from a test process that had
    grown to 700 MB once reported 700 MB for a two-line CSV, and every bound above failed with it."""
    path = tmp_path / "nho.csv"
    path.write_text("Tỉnh,Số hồ sơ tiếp nhận\nHà Nội,5\n", encoding="utf-8")
    small = run_check(path).peak_mb
    ballast = bytearray(600 * 1024 * 1024)  # the test process grows by 600 MB, touched so it is resident
    ballast[::4096] = b"x" * len(ballast[::4096])
    grown = run_check(path).peak_mb
    del ballast
    assert grown < small + 100, (small, grown)


# ------------------------------------------------------------------------------------------- hidden
def _hidden_xlsx(row: int | None = None, col: str | None = None) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(table_xlsx()))
    ws = wb.active
    if row is not None:
        ws.row_dimensions[row].hidden = True
    if col is not None:
        ws.column_dimensions[col].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "rows", "cols", "kept"),
    [
        ("an.xlsx", lambda: _hidden_xlsx(row=4), 1, 0, {"VN63-83"}),
        ("an.xlsx", lambda: _hidden_xlsx(col="D"), 0, 1, {"VN63-83", "VN63-84"}),
        ("an.xls", lambda: xls_table(hidden_row=3), 1, 0, {"VN63-83"}),
        ("an.xls", lambda: xls_table(hidden_col=3), 0, 1, {"VN63-83", "VN63-84"}),
        ("an.ods", lambda: ods_table(hidden_row=3), 1, 0, {"VN63-83"}),
    ],
    ids=["xlsx-row", "xlsx-col", "xls-row", "xls-col", "ods-row"],
)
def test_hidden_rows_and_columns_are_skipped_and_counted(
    name: str,
    make,
    rows: int,
    cols: int,  # type: ignore[no-untyped-def]
    kept: set[str],
) -> None:
    r = check(make(), name)
    assert r.ok, [e.message_en for e in r.errors]
    assert set(r.observations["unit"]) == kept
    if cols:  # the hidden rate column gives no figure, the counts keep their rows
        assert set(r.observations["indicator"]) == {"dossiers_received"}
    assert set(r.observations["row"]) <= {3, 4}  # Excel's row numbers, unchanged by what was skipped
    warned = [w for w in r.warnings if "ẩn" in w.message_vi]
    assert len(warned) == 1 and warned[0].sheet == "Biểu 01"
    assert f"{rows} dòng ẩn và {cols} cột ẩn" in warned[0].message_vi
    assert f"{rows} hidden rows and {cols} hidden columns" in warned[0].message_en


# -------------------------------------------------------------------------------------- legacy fonts
@pytest.mark.parametrize(
    ("text", "font", "expected"),
    [
        ("Điện Biên", ".VnTime", "Điện Biên"),  # Unicode typed over an old template: left as it is
        ("Tỉnh Bến Tre", "VNI-Times", "Tỉnh Bến Tre"),
        ("Hà Nội", ".VnTimeH", "Hà Nội"),
        (unicode_to_tcvn3("Bến Tre"), ".VnTime", "Bến Tre"),  # real TCVN3 is still decoded
        (unicode_to_tcvn3("Bến Tre") + " – 2024", ".VnTime", "Bến Tre – 2024"),  # a dash is no Unicode sign
        ("Beán Tre", "VNI-Times", "Bến Tre"),
        ("Điện Biên", "Times New Roman", "Điện Biên"),
    ],
)
def test_unicode_in_a_legacy_font_is_not_converted_again(text: str, font: str, expected: str) -> None:
    assert decode_cell(text, font) == expected


# ------------------------------------------------------------------------------------------ isolation
@pytest.mark.parametrize(
    ("env", "value", "make"),
    [("CCHC_PARSE_MAX_MB", "16", lambda: far_value_padded(20)), ("CCHC_PARSE_SECONDS", "0.001", table_xlsx)],
    ids=["memory", "time"],
)
def test_over_a_limit_the_upload_is_refused_clearly(  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, make
) -> None:
    monkeypatch.setenv(env, value)
    r = check_isolated(None, data=make(), file_name="bao_cao.xlsx")
    assert not r.ok and r.observations.empty
    assert "Tệp quá lớn hoặc quá phức tạp để đọc trong giới hạn" in r.errors[0].message_vi
    assert "hãy lưu lại chỉ trang tính số liệu" in r.errors[0].message_vi
    assert "too large or too complex" in r.errors[0].message_en


def test_isolated_check_forwards_its_arguments_and_gives_the_same_result() -> None:
    data = table_xlsx()
    r = check_isolated(None, "2024", data=data, file_name="bao_cao.xlsx", max_bytes=1 << 20, strict=True)
    assert r.ok and obs_set(r) == CLEAN
    assert not check_isolated(None, "2024-Q4", data=data, file_name="bao_cao.xlsx").ok


def test_an_unreadable_file_gives_a_reference_the_log_holds(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    r = check(OLE_MAGIC + b"\x00" * 2048, "hong.xls")
    assert not r.ok
    m = re.search(r"mã tham chiếu ([0-9a-f]{10})", r.errors[0].message_vi)
    assert m, r.errors[0].message_vi
    assert m.group(1) in r.errors[0].message_en
    assert any(m.group(1) in rec.getMessage() for rec in caplog.records)
