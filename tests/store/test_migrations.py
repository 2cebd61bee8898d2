"""The Alembic migrations create exactly the schema the code declares, and re-running is a no-op."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store.db import make_engine, migrate
from store.schema import metadata


def test_migrations_match_the_declared_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate(engine)
    migrate(engine)  # idempotent
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    engine.dispose()


def test_default_database_is_created_on_first_use(tmp_path, monkeypatch):
    from store import db

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "DEFAULT_DB", tmp_path / "local" / "cchc.sqlite")
    url = db.database_url()
    assert url.endswith("local/cchc.sqlite")
    engine = make_engine(url)
    migrate(engine)
    assert (tmp_path / "local" / "cchc.sqlite").exists()
    engine.dispose()
