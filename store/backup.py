"""Backup and restore: SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore.

The SQLite backup API copies a consistent snapshot while the app keeps running (a plain file copy of a
WAL database can miss committed pages). PostgreSQL backups use the custom format so a restore can go into
an empty database of any name.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from store.schema import metadata


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"{name} not found: install Debian's postgresql-client")
    return candidates[-1]


def _pg_args(engine: sa.Engine) -> tuple[list[str], dict[str, str]]:
    url = engine.url
    args = [
        "-h",
        url.host or "127.0.0.1",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.database or "postgres",
    ]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def _sqlite_copy(source: str, target: str) -> None:
    """SQLite's online backup API: a consistent copy even while the app writes."""
    src = sqlite3.connect(source)
    dest = sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()


def _pg_run(engine: sa.Engine, tool: str, options: list[str], tail: tuple[str, ...] = ()) -> None:
    """Run pg_dump / pg_restore with the engine's connection (password in the environment, not argv)."""
    args, env = _pg_args(engine)
    subprocess.run([_pg_tool(tool), *options, *args, *tail], check=True, env=env, capture_output=True)


def backup(engine: sa.Engine, target: Path) -> None:
    """Write a consistent copy of the whole database to ``target``."""
    if engine.dialect.name == "sqlite":
        _sqlite_copy(str(engine.url.database), str(target))
    elif engine.dialect.name == "postgresql":
        _pg_run(engine, "pg_dump", ["-Fc", "--no-owner", "-f", str(target)])
    else:
        raise RuntimeError(f"backup is not supported for {engine.dialect.name}")


def restore(engine: sa.Engine, source: Path) -> None:
    """Restore a backup into the (empty) database of ``engine``."""
    if engine.dialect.name == "sqlite":
        _sqlite_copy(str(source), str(engine.url.database))
    elif engine.dialect.name == "postgresql":
        _pg_run(engine, "pg_restore", ["--no-owner", "--exit-on-error"], (str(source),))
    else:
        raise RuntimeError(f"restore is not supported for {engine.dialect.name}")


def table_contents(engine: sa.Engine) -> dict[str, pd.DataFrame]:
    """Every table of the schema, ordered by its key: what a restore must reproduce exactly."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            order = [c for c in table.primary_key.columns]
            rows = conn.execute(sa.select(table).order_by(*order)).fetchall()
            out[table.name] = pd.DataFrame(rows, columns=[c.name for c in table.columns])
    return out
