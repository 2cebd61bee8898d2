"""Rollback and its undo, revision differences, and the completeness board."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from domain.catalog import catalog
from store.history import (
    audit_frame,
    completeness,
    diff_against_current,
    diff_uploads,
    rollback_upload,
    undo_rollback,
)
from store.queries import query_values
from store.schema import uploads
from store.uploads import ingest_observations


def obs(rows):
    return pd.DataFrame(rows, columns=["indicator", "unit", "period", "sector", "value"])


def staff(engine, unit="VN63-01"):
    rows = query_values(engine, indicator="staff_reduced", period="2024", unit=unit)
    return rows[0]["value"] if rows else None


def put(engine, rows, name):
    return ingest_observations(engine, obs(rows), file_name=name, content=name.encode(), fmt="B", by="thuky")


def test_rollback_restores_the_earlier_revision_and_can_be_undone(engine):
    put(engine, [("staff_reduced", "VN63-01", "2024", "", 100.0), ("staff_reduced", "VN63-02", "2024", "", 5.0)], "v1")
    put(engine, [("staff_reduced", "VN63-01", "2024", "", 120.0)], "v2")
    put(engine, [("staff_reduced", "VN63-01", "2024", "", 150.0)], "v3")
    assert staff(engine) == 150
    rollback_upload(engine, 3, by="admin")
    assert staff(engine) == 120
    rollback_upload(engine, 2, by="admin")
    assert staff(engine) == 100  # skips nothing: v1 is the newest revision not rolled back
    undo_rollback(engine, 3, by="admin")
    assert staff(engine) == 150
    assert staff(engine, "VN63-02") == 5
    with engine.connect() as conn:
        statuses = dict(conn.execute(sa.select(uploads.c.id, uploads.c.status)).fetchall())
    assert statuses == {1: "published", 2: "rolled_back", 3: "published"}
    actions = audit_frame(engine)["action"].tolist()
    assert actions[:3] == ["rollback_undo", "rollback", "rollback"]


def test_rolling_back_the_only_revision_leaves_the_figure_missing_not_zero(engine):
    put(engine, [("staff_reduced", "VN63-01", "2024", "", 100.0)], "v1")
    rollback_upload(engine, 1, by="admin")
    assert staff(engine) is None


def test_differences_between_revisions(engine):
    put(engine, [("staff_reduced", "VN63-01", "2024", "", 100.0), ("staff_reduced", "VN63-02", "2024", "", 5.0)], "v1")
    new = [("staff_reduced", "VN63-01", "2024", "", 120.0), ("staff_reduced", "VN63-04", "2024", "", 7.0)]
    preview = diff_against_current(engine, obs(new))
    assert preview[["unit", "old_value", "new_value", "change", "upload_id"]].values.tolist() == [
        ["VN63-01", 100.0, 120.0, "changed", 1],
    ]
    put(engine, new, "v2")
    d = diff_uploads(engine, 1, 2).set_index("unit")
    assert d.loc["VN63-01", "change"] == "changed" and d.loc["VN63-01", "difference"] == 20
    assert d.loc["VN63-02", "change"] == "removed" and d.loc["VN63-04", "change"] == "added"


def test_completeness_board(engine, monkeypatch):
    cat = catalog()
    put(engine, [("staff_reduced", "VN63-01", "2024-Q4", "", 1.0)], "hn")
    board = completeness(engine, "2024-Q4", cat)
    assert len(board) == 63 + 22
    assert board["status"].value_counts().to_dict() == {"missing": 84, "late": 1}  # uploaded after 20/12/2024
    row = board.set_index("unit").loc["VN63-01"]
    assert row["by"] == "thuky" and row["deadline"] == dt.date(2024, 12, 20)
    future = completeness(engine, "2026-Q4", cat)
    assert len(future) == 34 + 17 and (future["status"] == "missing").all()


def _sent(engine, rows, name, day, demo=False):
    """Ingest ``rows`` as upload ``name`` and date it ``day`` (uploads are stamped with the time of ingest)."""
    out = ingest_observations(
        engine, obs(rows), file_name=name, content=name.encode(), fmt="demo" if demo else "B", by="thuky", is_demo=demo
    )
    with engine.begin() as conn:
        conn.execute(sa.update(uploads).where(uploads.c.id == out.upload_id).values(uploaded_at=day))


def _at(y, m, d):
    return dt.datetime(y, m, d, 9, 0, tzinfo=dt.UTC)


def _q4(unit, value, sector=""):
    return ("dossiers_received", unit, "2024-Q4", sector, value)


#: unit → (status, uploads, revisions) on the unit profile's record for 2024-Q4 (deadline 20/12/2024).
RECORD_CASES = {
    "VN63-01": ("submitted", 1, 0),  # sent 10/12
    "VN63-02": ("late", 1, 0),  # sent 25/12
    "VN63-04": ("submitted", 2, 1),  # sent 10/12, one figure revised 05/01: the first upload still holds one
    "VN63-06": ("demo", 1, 0),  # only the demo holds its figures: neither on time nor late
    "VN63-08": ("missing", 0, 0),
    "VN34-86": ("late", 3, 0),  # before the merger: Bến Tre and Vĩnh Long on time, Trà Vinh late — the latest
}


def test_the_profile_record_uses_the_boards_rule_and_counts_revisions(engine):
    from analysis.profile import record_units, reporting_record
    from store.history import timeliness, unit_uploads

    cat = catalog()
    _sent(engine, [_q4("VN63-01", 5.0)], "hn", _at(2024, 12, 10))
    _sent(engine, [_q4("VN63-02", 5.0)], "hg", _at(2024, 12, 25))
    _sent(engine, [_q4("VN63-04", 5.0), _q4("VN63-04", 2.0, "dat_dai")], "cb1", _at(2024, 12, 10))
    _sent(engine, [_q4("VN63-04", 3.0, "dat_dai")], "cb2", _at(2025, 1, 5))
    _sent(engine, [_q4("VN63-06", 5.0), _q4("VN63-01", 9.0, "dat_dai")], "demo", _at(2025, 6, 1), demo=True)
    _sent(engine, [_q4("VN63-83", 5.0)], "bt", _at(2024, 12, 20))
    _sent(engine, [_q4("VN63-84", 5.0)], "tv", _at(2024, 12, 21))
    _sent(engine, [_q4("VN63-86", 5.0)], "vl", _at(2024, 12, 12))
    board = completeness(engine, "2024-Q4", cat)
    for unit, (status, n_uploads, n_revisions) in RECORD_CASES.items():
        units = record_units(cat, unit, "2024-Q4")
        got = reporting_record({"2024-Q4": board}, unit_uploads(engine, units, ["2024-Q4"]), cat, unit)
        row = got.iloc[0]
        assert (row["status"], row["uploads"], row["revisions"]) == (status, n_uploads, n_revisions), unit
        assert row["deadline"] == dt.date(2024, 12, 20)
        real = board[board["unit"].isin(units)]
        if status in ("submitted", "late") and len(units) == 1:  # the board says the same, by the same rule
            assert real["status"].iloc[0] == status == timeliness(row["first_at"], "2024-Q4")
    assert board.set_index("unit").loc["VN63-06", "status"] == "missing"  # the board never counts the demo
    assert timeliness(_at(2024, 12, 20), "2024-Q4") == "submitted"
    assert timeliness(_at(2024, 12, 21), "2024-Q4") == "late"
