"""Shared fixtures: a real SQLite file per test, and one demo database per session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store.db import make_engine, migrate  # noqa: E402

PG_URL = os.environ.get("CCHC_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def reset_postgres(url: str) -> None:
    """An empty public schema: each test starts from nothing, as with a fresh SQLite file."""
    eng = sa.create_engine(url)
    with eng.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    eng.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a fresh SQLite file, and (where CI started one) a fresh PostgreSQL schema."""
    if request.param == "postgresql":
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'cchc.sqlite'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    """A migrated, empty database on each configured backend."""
    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database with the demo loaded once per session through the real CLI."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    url = f"sqlite:///{path}"
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run([sys.executable, "cli.py", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    return url


@pytest.fixture(scope="session")
def demo_engine(demo_db_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(demo_db_url)
    yield eng
    eng.dispose()


def run_cli(*args: str, db_url: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python cli.py ARGS`` as a user would, against ``db_url``."""
    env = dict(os.environ)
    if db_url:
        env["DATABASE_URL"] = db_url
    return subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=600,
    )
