"""Backup and restore through the real CLI: every table comes back identical, on each database."""

from __future__ import annotations

import pandas as pd

from store.backup import table_contents
from store.db import make_engine
from tests.conftest import PG_URL, reset_postgres, run_cli


def test_backup_and_restore_into_an_empty_database(db_url, tmp_path):
    assert run_cli("demo", db_url=db_url).returncode == 0
    assert (
        run_cli(
            "users",
            "add",
            "thuky",
            "--role",
            "secretariat",
            "--all-units",
            "--password-stdin",
            db_url=db_url,
            stdin="mat-khau-1-dai-du\n",
        ).returncode
        == 0
    )
    source = make_engine(db_url)
    before = table_contents(source)
    source.dispose()
    backup_file = tmp_path / "cchc.backup"
    res = run_cli("backup", str(backup_file), db_url=db_url)
    assert res.returncode == 0, res.stderr
    assert backup_file.stat().st_size > 100_000

    if db_url == PG_URL:
        reset_postgres(PG_URL)  # the same server, emptied: restore must rebuild everything
        target_url = PG_URL
    else:
        target_url = f"sqlite:///{tmp_path / 'restored.sqlite'}"
    refused = run_cli("restore", str(tmp_path / "missing.backup"), db_url=target_url)
    assert refused.returncode == 2
    res = run_cli("restore", str(backup_file), db_url=target_url)
    assert res.returncode == 0, res.stderr
    target = make_engine(target_url)
    after = table_contents(target)
    target.dispose()
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=False, obj=name)
    again = run_cli("restore", str(backup_file), db_url=target_url)
    assert again.returncode == 1  # never merges into a database that has data
