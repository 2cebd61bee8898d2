"""Originals holding personal data (dossier exports, shape D) are purged after the admin's retention; the
figures stay; the setting and every purge are audited. On SQLite and PostgreSQL (the engine fixture)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.catalog import catalog
from store.history import audit_frame, original_file, upload_observations
from store.retention import purge_personal_originals, retention_days, set_retention_days
from store.schema import uploads
from store.users import ALL_UNITS, add_user, get_user
from store.workflow import prepare, publish
from tests.conftest import run_cli

DATA = Path(__file__).resolve().parents[1] / "data"
DOSSIERS, REPORT = "sd01_ho_so_q4_2024.xlsx", "sc01_ben_tre_quy_iv_2024.xlsx"


def _publish(engine, name: str, period: str | None = None) -> int:
    if get_user(engine, "thuky") is None:
        add_user(engine, "thuky", "secretariat", "mat-khau-dai-du-12", scopes=(ALL_UNITS,))
    user = get_user(engine, "thuky")
    assert user is not None
    prepared = prepare(engine, name, (DATA / name).read_bytes(), user, catalog(), period=period)
    assert prepared.can_publish, prepared.errors
    outcome = publish(engine, prepared, user)
    assert outcome.upload_id is not None
    return outcome.upload_id


def _age(engine, upload_id: int, days: int) -> None:
    with engine.begin() as conn:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(uploaded_at=old))


def test_a_dossier_export_is_marked_and_purged_after_the_retention_figures_kept(engine):
    dossiers = _publish(engine, DOSSIERS, "2024-Q4")
    report = _publish(engine, REPORT)
    with engine.connect() as conn:
        marked = dict(conn.execute(sa.select(uploads.c.id, uploads.c.personal_data)).all())
    assert marked[dossiers] is True and marked[report] is False
    figures = upload_observations(engine, dossiers)
    assert len(figures) > 0

    assert retention_days(engine) is None
    _age(engine, dossiers, 400)
    _age(engine, report, 400)
    assert purge_personal_originals(engine).upload_ids == ()  # no retention set: nothing is purged

    set_retention_days(engine, 365, by="quantri")
    _age(engine, dossiers, 300)
    assert purge_personal_originals(engine).upload_ids == ()  # not old enough yet
    _age(engine, dossiers, 366)
    result = purge_personal_originals(engine, by="quantri")
    assert result.upload_ids == (dossiers,) and result.bytes_removed == (DATA / DOSSIERS).stat().st_size

    assert original_file(engine, dossiers) is None  # no download of a purged original
    assert original_file(engine, report) is not None  # a report without personal data is kept
    after = upload_observations(engine, dossiers)
    assert after.equals(figures)  # the figures stay
    with engine.connect() as conn:
        row = conn.execute(sa.select(uploads.c.content, uploads.c.purged_at).where(uploads.c.id == dossiers)).one()
    assert row.content is None and row.purged_at is not None
    assert purge_personal_originals(engine).upload_ids == ()  # once

    log = audit_frame(engine)
    assert {"retention_set", "originals_purged"} <= set(log["action"])
    purged = log[log["action"] == "originals_purged"].iloc[0]
    assert purged["actor"] == "quantri" and purged["target"] == str(dossiers)


def test_retention_bounds(engine):
    for bad in (0, -1, 3651):
        with pytest.raises(ValueError):
            set_retention_days(engine, bad)
    set_retention_days(engine, 30)
    set_retention_days(engine, 90)
    assert retention_days(engine) == 90


def test_the_cli_sets_the_retention_and_purges(db_url, engine):
    dossiers = _publish(engine, DOSSIERS, "2024-Q4")
    _age(engine, dossiers, 40)
    assert "retention: - " in run_cli("originals", "retention", db_url=db_url).stdout
    assert "retention: 30 " in run_cli("originals", "retention", "30", "--by", "quantri", db_url=db_url).stdout
    out = run_cli("originals", "purge", "--by", "quantri", db_url=db_url).stdout
    assert f"#{dossiers}" in out
    assert original_file(engine, dossiers) is None
