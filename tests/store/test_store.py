"""The store: round trip, one transaction per upload, duplicates, revisions."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from store.queries import current_observations, data_version, query_values, uploads_frame
from store.schema import audit_log, observations, uploads
from store.uploads import ingest_observations


def obs(rows):
    df = pd.DataFrame(rows, columns=["indicator", "unit", "period", "sector", "value"])
    df["sheet"] = "Biểu 1"
    df["row"] = pd.array(range(5, 5 + len(df)), dtype="Int64")
    df["column"] = "C"
    return df


FIRST = obs(
    [
        ("staff_reduced", "VN63-01", "2024", "", 120.0),
        ("dossiers_received", "VN63-01", "2024", "dat_dai", 1520.0),
        ("dossiers_received", "VN63-83", "2024", "dat_dai", 300.0),
    ]
)


def dump(engine: sa.Engine) -> list[tuple]:
    """Every row of every table, for byte-for-byte comparisons of the store's content."""
    out = []
    with engine.connect() as conn:
        for table in (uploads, observations, audit_log):
            out.append(tuple(conn.execute(sa.select(table).order_by(table.c.id)).fetchall()))
    return out


def test_round_trip_keeps_values_provenance_and_original(engine):
    out = ingest_observations(engine, FIRST, file_name="bc.xlsx", content=b"original bytes", fmt="B", by="thuky")
    assert out.status == "stored" and out.n_observations == 3
    back = current_observations(engine).sort_values(["unit", "indicator"]).reset_index(drop=True)
    assert back[["indicator", "unit", "period", "sector", "value"]].values.tolist() == [
        ["dossiers_received", "VN63-01", "2024", "dat_dai", 1520.0],
        ["staff_reduced", "VN63-01", "2024", "", 120.0],
        ["dossiers_received", "VN63-83", "2024", "dat_dai", 300.0],
    ]
    with engine.connect() as conn:
        up = conn.execute(sa.select(uploads)).one()
        prov = conn.execute(sa.select(observations.c.sheet, observations.c.row, observations.c.col)).fetchall()
    assert up.content == b"original bytes" and up.uploaded_by == "thuky" and up.format == "B"
    assert len(up.sha256) == 64 and up.periods == "2024" and up.units == "VN63-01,VN63-83"
    assert sorted(prov) == [("Biểu 1", 5, "C"), ("Biểu 1", 6, "C"), ("Biểu 1", 7, "C")]


def test_same_file_twice_stores_nothing_new(engine):
    ingest_observations(engine, FIRST, file_name="bc.xlsx", content=b"x", fmt="B", by="a")
    before = dump(engine)
    token = data_version(engine)
    again = ingest_observations(engine, FIRST, file_name="renamed.xlsx", content=b"x", fmt="B", by="b")
    assert again.status == "duplicate" and again.upload_id == 1
    assert "đã được tải lên" in again.message_vi
    assert dump(engine) == before
    assert data_version(engine) == token


def test_new_report_supersedes_and_keeps_history(engine):
    ingest_observations(engine, FIRST, file_name="v1.xlsx", content=b"v1", fmt="B", by="a")
    token = data_version(engine)
    second = obs([("staff_reduced", "VN63-01", "2024", "", 125.0)])
    out = ingest_observations(engine, second, file_name="v2.xlsx", content=b"v2", fmt="B", by="a")
    assert out.n_superseded == 1 and out.superseded_uploads == [1]
    assert data_version(engine) != token
    rows = query_values(engine, indicator="staff_reduced", period="2024", unit="VN63-01")
    assert rows[0]["value"] == 125
    with engine.connect() as conn:
        hist = conn.execute(
            sa.select(observations.c.value, observations.c.revision, observations.c.superseded)
            .where(observations.c.indicator == "staff_reduced")
            .order_by(observations.c.id)
        ).fetchall()
        statuses = dict(conn.execute(sa.select(uploads.c.id, uploads.c.status)).fetchall())
    assert [tuple(h) for h in hist] == [(120.0, 1, True), (125.0, 2, False)]
    assert statuses == {1: "published", 2: "published"}  # upload 1 still has current figures
    third = obs(
        [
            ("dossiers_received", "VN63-01", "2024", "dat_dai", 1600.0),
            ("dossiers_received", "VN63-83", "2024", "dat_dai", 310.0),
        ]
    )
    ingest_observations(engine, third, file_name="v3.xlsx", content=b"v3", fmt="B", by="a")
    with engine.connect() as conn:
        assert conn.execute(sa.select(uploads.c.status).where(uploads.c.id == 1)).scalar_one() == "superseded"


def test_a_failed_upload_leaves_nothing_behind(engine):
    ingest_observations(engine, FIRST, file_name="v1.xlsx", content=b"v1", fmt="B", by="a")
    before = dump(engine)
    token = data_version(engine)
    bad = obs(
        [
            ("staff_reduced", "VN63-01", "2024", "", 130.0),  # would supersede a stored figure
            ("staff_reduced", "VN63-02", "2024", "", None),  # NOT NULL fails mid-transaction
        ]
    )
    with pytest.raises(sa.exc.IntegrityError):
        ingest_observations(engine, bad, file_name="bad.xlsx", content=b"bad", fmt="B", by="a")
    assert dump(engine) == before
    assert data_version(engine) == token
    assert len(uploads_frame(engine)) == 1


def test_one_current_value_per_key_is_enforced_by_the_database(engine):
    ingest_observations(engine, FIRST, file_name="v1.xlsx", content=b"v1", fmt="B", by="a")
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.insert(observations).values(
                upload_id=1,
                indicator="staff_reduced",
                unit="VN63-01",
                period="2024",
                sector="",
                value=1.0,
            )
        )


def test_every_upload_is_audited(engine):
    ingest_observations(engine, FIRST, file_name="v1.xlsx", content=b"v1", fmt="B", by="thuky")
    with engine.connect() as conn:
        rows = conn.execute(sa.select(audit_log.c.actor, audit_log.c.action, audit_log.c.target)).fetchall()
    assert [tuple(r) for r in rows] == [("thuky", "upload", "v1.xlsx")]
