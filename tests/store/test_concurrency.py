"""Concurrent ingests, settled by the database: different reports both land; the same file lands once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from store.db import make_engine, migrate
from store.schema import observations, uploads
from tests.conftest import ROOT


def report(path: Path, value: int, units: list[str]) -> None:
    rows = [f"{u},2024,staff_reduced,{value + i}" for i, u in enumerate(units)]
    path.write_text("unit,period,indicator,value\n" + "\n".join(rows) + "\n", encoding="utf-8")


def ingest_together(db_url: str, files: list[Path]) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "DATABASE_URL": db_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "cli.py", "ingest", str(f)],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in files
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def test_different_reports_at_once_both_land(db_url, tmp_path):
    migrate(make_engine(db_url))
    units = ["VN63-01", "VN63-02", "VN63-04", "VN63-06"]
    files = []
    for i in range(4):  # four reports naming the same figures: all land, the last committed wins
        files.append(tmp_path / f"r{i}.csv")
        report(files[-1], 100 * (i + 1), units)
    results = ingest_together(db_url, files)
    assert all(r.returncode == 0 for r in results), [r.stdout + r.stderr for r in results]
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(uploads)).scalar_one() == 4
        current = conn.execute(
            sa.select(observations.c.unit, observations.c.upload_id).where(observations.c.superseded.is_(False))
        ).fetchall()
        total = conn.execute(sa.select(sa.func.count()).select_from(observations)).scalar_one()
    assert len(current) == len(units) and len({u for _, u in current}) == 1  # one whole report is current
    assert total == 4 * len(units)  # every revision is kept
    engine.dispose()


def test_the_same_file_at_once_is_stored_once(db_url, tmp_path):
    migrate(make_engine(db_url))
    files = []
    for i in range(3):  # byte-identical copies under different names
        files.append(tmp_path / f"copy{i}.csv")
        report(files[-1], 7, ["VN63-01", "VN63-83"])
    results = ingest_together(db_url, files)
    assert all(r.returncode == 0 for r in results), [r.stdout + r.stderr for r in results]
    assert sum("Đã lưu lần tải" in r.stdout for r in results) == 1
    assert sum("đã được tải lên trước đó" in r.stdout for r in results) == 2
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(uploads)).scalar_one() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(observations)).scalar_one() == 2
    engine.dispose()
