"""The caches every session shares (ui.data) give exactly what the store's own functions give."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.catalog import catalog
from reports.brief import build_brief
from store.db import get_engine
from store.history import completeness
from store.queries import data_version


@pytest.fixture(scope="module")
def engine(demo_db: str):  # demo_db points DATABASE_URL at the demo
    eng = get_engine()
    yield eng
    eng.dispose()


@pytest.mark.parametrize(
    ("period", "scope", "lang"),
    [
        ("2024", "national", "vi"),
        ("2024", "national", "en"),
        ("2025-9M", "VN34-86", "vi"),
        ("2026-H1", "VN34-86", "en"),
    ],
)
def test_the_cached_brief_is_the_brief_read_from_the_store(engine, period: str, scope: str, lang: str) -> None:
    import ui.data

    cached = ui.data.brief(data_version(engine), period, scope, lang)
    fresh = build_brief(engine, period, scope, lang)
    assert cached.text == fresh.text
    assert cached.figures == fresh.figures
    assert (cached.title, cached.scope_label, cached.is_demo) == (fresh.title, fresh.scope_label, fresh.is_demo)


def test_the_cached_board_is_the_store_board(engine) -> None:
    import ui.data

    for period in ("2024", "2025-9M"):
        pd.testing.assert_frame_equal(
            ui.data.board(data_version(engine), period), completeness(engine, period, catalog())
        )
