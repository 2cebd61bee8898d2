"""SIGKILL an ingest at random points: the store holds all of an upload or none of it, and goes on working.

Each round ingests a different revision of a ~48,000-figure report (so a completed round supersedes the
previous one) and kills the process after a random delay; the invariants are then checked on the database.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from domain.catalog import catalog
from domain.kpi import DOSSIER_COUNTS
from store.db import make_engine, migrate
from store.schema import observations, uploads
from tests.conftest import ROOT, run_cli

ROUNDS = int(os.environ.get("CCHC_CRASH_ROUNDS", "20"))
COUNTS = DOSSIER_COUNTS


def write_report(path: Path, revision: int) -> int:
    cat = catalog()
    rng = random.Random(revision)
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit", "period", "indicator", "sector", "value"])
        for period in ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"):
            for unit in sorted(u.id for u in cat.provinces("63")):
                for sector in cat.sectors:
                    for indicator in COUNTS:
                        w.writerow([unit, period, indicator, sector, rng.randint(0, 999)])
                        n += 1
    return n


def check_invariants(engine: sa.Engine, size: int) -> int:
    """Every stored upload is whole; every key has one current value, all from the newest stored upload."""
    with engine.connect() as conn:
        ups = conn.execute(sa.select(uploads.c.id, uploads.c.n_observations).order_by(uploads.c.id)).fetchall()
        for up in ups:
            stored = conn.execute(sa.select(sa.func.count()).where(observations.c.upload_id == up.id)).scalar_one()
            assert stored == up.n_observations == size, (up.id, stored, up.n_observations)
        current = conn.execute(
            sa.select(observations.c.upload_id, sa.func.count())
            .where(observations.c.superseded.is_(False))
            .group_by(observations.c.upload_id)
        ).fetchall()
    if ups:
        assert [tuple(r) for r in current] == [(ups[-1].id, size)]
    else:
        assert current == []
    return len(ups)


def test_sigkill_during_ingest_never_leaves_half_an_upload(db_url, tmp_path):
    engine = make_engine(db_url)
    migrate(engine)
    env = {**os.environ, "DATABASE_URL": db_url}
    size = write_report(tmp_path / "probe.csv", 0)
    started = time.monotonic()
    assert run_cli("ingest", str(tmp_path / "probe.csv"), db_url=db_url).returncode == 0
    full = time.monotonic() - started
    rng = random.Random(76)
    killed = completed = 0
    for revision in range(1, ROUNDS + 1):
        report = tmp_path / f"r{revision}.csv"
        write_report(report, revision)
        proc = subprocess.Popen(
            [sys.executable, "cli.py", "ingest", str(report)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Most kills fall in the second half of a run, where the loader has finished and the writes happen.
        time.sleep(rng.uniform(0.3, 1.0) * full * 1.1)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        else:
            completed += 1
        proc.wait(timeout=60)
        check_invariants(engine, size)
    assert killed >= ROUNDS // 2
    final = write_report(tmp_path / "final.csv", 999)
    res = run_cli("ingest", str(tmp_path / "final.csv"), db_url=db_url)
    assert res.returncode == 0, res.stdout + res.stderr
    check_invariants(engine, final)
    engine.dispose()
