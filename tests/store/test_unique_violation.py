"""A duplicate key is recognised by the database's error code, not by the wording of its message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from store.schema import uploads
from store.uploads import is_unique_violation


def _upload(**changes: Any) -> dict[str, Any]:
    row = {
        "file_name": "bc.xlsx", "sha256": "a" * 64, "size_bytes": 1, "uploaded_by": "thuky",
        "uploaded_at": dt.datetime.now(dt.UTC), "status": "published", "format": "B",
    }  # fmt: skip
    return {**row, **changes}


@pytest.mark.parametrize(
    ("second", "duplicate"),
    [
        (_upload(), True),  # the same sha256: the unique index refuses it
        (_upload(id=1, sha256="b" * 64), True),  # the same primary key
        (_upload(sha256="c" * 64, file_name=None), False),  # NOT NULL: an integrity error, not a duplicate
    ],
)
def test_duplicate_keys_are_told_apart_by_error_code(
    engine: sa.Engine, second: dict[str, Any], duplicate: bool
) -> None:
    with engine.begin() as conn:
        conn.execute(sa.insert(uploads).values(**_upload(id=1)))
    with pytest.raises(sa.exc.IntegrityError) as caught, engine.begin() as conn:
        conn.execute(sa.insert(uploads).values(**second))
    assert is_unique_violation(caught.value) is duplicate
