"""The brief names the target the cards show (analysis.targets.pick_target), whatever the year."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from analysis.targets import pick_target
from domain.catalog import catalog
from reports.brief import build_brief
from store.uploads import ingest_observations


@pytest.mark.parametrize(
    ("year", "value"),
    [
        (2024, 80),  # before the first target year: the 2025 target
        (2027, 90),  # between two target years: the next one (2030)
        (2031, 90),  # after the last target year: still the last one, never an earlier one
    ],
)
def test_pick_target_for_years_around_the_target_years(year: int, value: float) -> None:
    target = pick_target(catalog(), "online_service_rate", year)
    assert target is not None and target.value == value


@pytest.mark.parametrize(
    ("year", "sentence"),
    [
        ("2024", "đạt 85,0%, đạt chỉ tiêu ≥ 80%"),
        ("2027", "đạt 85,0%, chưa đạt chỉ tiêu ≥ 90%"),
        ("2031", "đạt 85,0%, chưa đạt chỉ tiêu ≥ 90%"),
    ],
)
def test_brief_uses_the_cards_target(engine: sa.Engine, year: str, sentence: str) -> None:
    unit = "VN63-01" if year == "2024" else "VN34-01"
    obs = pd.DataFrame(
        [
            ("procedures_total", unit, year, "", 100.0),
            ("procedures_online_full", unit, year, "", 70.0),
            ("procedures_online_partial", unit, year, "", 15.0),
        ],
        columns=["indicator", "unit", "period", "sector", "value"],
    )
    ingest_observations(engine, obs, file_name="dvc.xlsx", content=year.encode(), fmt="A", by="thuky")
    text = build_brief(engine, year).text
    assert f"Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến {sentence}" in text
