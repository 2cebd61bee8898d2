"""The caches every session shares (ui.data) give exactly what the store's own functions give."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from domain.catalog import catalog
from domain.periods import parse_period
from reports.brief import build_brief
from store.db import get_engine
from store.history import completeness
from store.queries import data_version, periods_with_data, view_frame


@pytest.fixture(scope="module")
def engine(demo_db: str):  # demo_db points DATABASE_URL at the demo
    eng = get_engine()
    yield eng
    eng.dispose()


@pytest.fixture(autouse=True)
def _kept_frames_forgotten():
    """The frames a test made every session share are dropped after it: this process runs the rest of the
    suite, whose measurements of child processes would otherwise start from a larger parent."""
    yield
    import ui.data

    _warm_ups_done()
    with ui.data._kept_lock:
        ui.data._kept.clear()
        ui.data._versions.clear()


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


def test_frames_cut_from_the_period_views_are_the_view_frames(engine) -> None:
    import ui.data

    token = data_version(engine)
    cases = [
        (("on_time_rate", "late_rate"), ("2024", "2023"), "as-reported", ""),
        (("staff_reduced",), ("2025-9M", "2024-9M"), "rebased", ""),
        (("online_dossier_rate", "index766"), ("2024", "2025"), "as-reported", "2025"),
    ]
    for indicators, periods, view, onto in cases:
        day = parse_period(onto).end if onto else None
        pd.testing.assert_frame_equal(
            ui.data.frame(token, indicators, periods, view, onto),
            view_frame(engine, indicators, periods, view, onto=day),
        )


def _warm_ups_done() -> None:
    """Wait for the background warm-ups earlier tests started (they would count some periods as theirs)."""
    for thread in [t for t in threading.enumerate() if t.name == "cchc-warm-up"]:
        thread.join(timeout=300)


def test_the_warm_up_computes_each_period_once_and_keeps_two_versions(engine, monkeypatch) -> None:
    import ui.data

    _warm_ups_done()
    monkeypatch.setattr(ui.data, "_versions", [])
    monkeypatch.setattr(ui.data, "_kept", {})
    token = data_version(engine)
    assert ui.data.warm_periods(token, engine) == len(periods_with_data(engine))
    kept = set(ui.data._kept[token])
    assert ("warmed", "2024") in kept and ("base", "2024") in kept and ("view", "2026-Q1", "rebased", ()) in kept
    assert ui.data.warm_periods(token, engine) == 0  # all kept: nothing computed again
    ui.data.frame(token, ("on_time_rate",), ("2024", "2023"), "as-reported", "")
    for shown in ("2025-Q1", "2025-Q2", "2026-Q2"):  # compared across eras: carried onto each era's units
        ui.data.frame(token, ("on_time_rate",), ("2024", shown), "as-reported", shown)
    ui.data.frame(token, ("on_time_rate",), ("2024", "2023"), "rebased", "")
    new = set(ui.data._kept[token]) - kept
    assert new and {k[0] for k in new} == {"carried"}  # cut from what the warm-up kept: only a day's era is new
    ui.data._keep("newer", ("base", "2024"), None)
    assert token in ui.data._kept
    ui.data._keep("newest", ("base", "2024"), None)  # a third version: the first one seen goes
    assert set(ui.data._kept) == {"newer", "newest"} and ui.data._versions == ["newer", "newest"]

    def view_then_two_newer_versions(tok: str, period: str, view: str, onto: object, eng: object = None) -> None:
        ui.data._keep(tok, ("view", period, view, ()), None)
        ui.data._keep("upload-1", ("base", period), None)
        ui.data._keep("upload-2", ("base", period), None)

    monkeypatch.setattr(ui.data, "period_view", view_then_two_newer_versions)
    assert ui.data.warm_periods("older", engine) == 1  # newer versions pushed it out: it stops


def test_days_of_one_era_share_one_kept_frame(engine, monkeypatch) -> None:
    import ui.data

    _warm_ups_done()
    monkeypatch.setattr(ui.data, "_versions", [])
    monkeypatch.setattr(ui.data, "_kept", {})
    token = data_version(engine)
    a = ui.data.period_view(token, "2024", "as-reported", parse_period("2025-Q4").end)
    b = ui.data.period_view(token, "2024", "as-reported", parse_period("2026-H1").end)
    assert a is b and a["rebased"].any()  # both carry the 63 provinces onto the 34
    assert ui.data.period_view(token, "2024", "rebased", None) is a  # which is the re-based view
    between = ui.data.period_view(token, "2024", "as-reported", parse_period("2025-Q2").end)
    assert between is not a and between["rebased"].any()  # the ministries carried, not the provinces
    plain = ui.data.period_view(token, "2026-Q1", "as-reported", None)
    assert ui.data.period_view(token, "2026-Q1", "as-reported", parse_period("2026-H1").end) is plain


def test_one_warm_up_per_data_version(engine, monkeypatch) -> None:
    import ui.data

    calls: list[str] = []
    monkeypatch.setattr(ui.data, "_warming", set())
    monkeypatch.setattr(ui.data, "warm_periods", lambda token, eng: calls.append(token) or 0)
    for token in ("v1", "v1", "v2", "v1"):
        ui.data._start_warm_up(token)
    for thread in [t for t in threading.enumerate() if t.name == "cchc-warm-up"]:
        thread.join(timeout=30)
    assert sorted(calls) == ["v1", "v2"]
