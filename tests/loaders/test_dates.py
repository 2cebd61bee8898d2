"""One list of text date forms: what a small sheet accepts, a million-row export accepts too."""

from __future__ import annotations

import datetime as dt

import pytest

import loaders.check as check_mod
from loaders.values import BadValue, parse_date
from tests.loaders.helpers import check, csv_bytes, obs_set, xlsx

TEXT_DATES = [
    ("05/12/2024", dt.date(2024, 12, 5)),
    ("05.12.2024", dt.date(2024, 12, 5)),
    ("5-12-2024", dt.date(2024, 12, 5)),
    ("2024-12-05", dt.date(2024, 12, 5)),
    ("2024-12-05 08:30:00", dt.date(2024, 12, 5)),
    ("05/12/2024 08:30", dt.date(2024, 12, 5)),
]


@pytest.mark.parametrize(("text", "day"), TEXT_DATES)
def test_text_date_forms(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31/02/2024", "không rõ", "12/2024"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(BadValue):
        parse_date(text)


def _export(due: str, result: str) -> list[list[object]]:
    """One dossier of Bến Tre: received 01/12/2024, due and resolved on the given text dates."""
    return [
        ["STT", "Mã hồ sơ", "Lĩnh vực", "Ngày tiếp nhận", "Hạn xử lý", "Ngày trả kết quả", "Kênh nộp", "Đơn vị"],
        [1, "H05-000001", "Đất đai", "01/12/2024", due, result, "Trực tiếp", "Tỉnh Bến Tre"],
    ]


@pytest.mark.parametrize("big", [False, True], ids=["small", "fast-path"])
@pytest.mark.parametrize("container", ["xlsx", "csv"])
@pytest.mark.parametrize(("text", "day"), TEXT_DATES)
def test_every_reader_accepts_the_same_text_dates(
    text: str, day: dt.date, container: str, big: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if big:  # the reader used for million-row exports, on the same rows
        monkeypatch.setattr(check_mod, "SMALL_SHEET_BYTES", 0)
        monkeypatch.setattr(check_mod, "BIG_CSV_BYTES", 0)
    rows = _export(due=text, result="04/12/2024")
    content = xlsx(rows) if container == "xlsx" else csv_bytes(rows)
    r = check(content, f"d.{container}", period="2024-Q4")
    assert r.ok, r.errors
    assert ("dossiers_resolved_early", "VN63-83", "2024-Q4", "dat_dai", 1.0) in obs_set(r)


@pytest.mark.parametrize("big", [False, True], ids=["small", "fast-path"])
def test_every_reader_refuses_the_same_non_dates(big: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if big:
        monkeypatch.setattr(check_mod, "SMALL_SHEET_BYTES", 0)
        monkeypatch.setattr(check_mod, "BIG_CSV_BYTES", 0)
    r = check(csv_bytes(_export(due="không rõ", result="04/12/2024")), "d.csv", period="2024-Q4")
    assert not r.ok
    assert [(e.row, e.column) for e in r.errors] == [(2, "E")]
