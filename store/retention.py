"""Originals holding personal data are kept only as long as the admin says; the figures stay.

A dossier export (shape D) lists applicants by name and ID-card number. Its upload is marked
``personal_data`` at ingestion; once it is older than the retention the admin sets
(``cli.py originals retention DAYS``), :func:`purge_personal_originals` removes its bytes and records
when. Its observations, its row in the history and the audit trail are untouched; every setting and
every purge is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from store.db import write_transaction
from store.schema import meta, uploads
from store.uploads import audit, now

RETENTION_KEY = "personal_retention_days"
MAX_RETENTION_DAYS = 3650


@dataclass(frozen=True)
class PurgeResult:
    upload_ids: tuple[int, ...]
    bytes_removed: int


def retention_days(engine: sa.Engine) -> int | None:
    """Days an original holding personal data is kept, or None when the admin has set none (kept)."""
    with engine.connect() as conn:
        value = conn.execute(sa.select(meta.c.value).where(meta.c.key == RETENTION_KEY)).scalar_one_or_none()
    return int(value) if value is not None else None


def set_retention_days(engine: sa.Engine, days: int, by: str = "cli") -> None:
    """Keep originals holding personal data ``days`` days after their upload (1 to 3650); audited."""
    if not 1 <= days <= MAX_RETENTION_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_RETENTION_DAYS}")
    with write_transaction(engine) as conn:
        updated = conn.execute(sa.update(meta).where(meta.c.key == RETENTION_KEY).values(value=str(days))).rowcount
        if not updated:
            conn.execute(sa.insert(meta).values(key=RETENTION_KEY, value=str(days)))
        audit(conn, by, "retention_set", RETENTION_KEY, {"days": days})


def purge_personal_originals(engine: sa.Engine, by: str = "cli", at: dt.datetime | None = None) -> PurgeResult:
    """Remove the bytes of every original holding personal data uploaded more than the retention ago.

    Nothing happens while no retention is set. Figures, history rows and the file's name and hash stay;
    the upload records when it was purged, and one audit row lists the uploads.
    """
    days = retention_days(engine)
    if days is None:
        return PurgeResult((), 0)
    cutoff = (at or now()) - dt.timedelta(days=days)
    due = (
        uploads.c.personal_data.is_(True),
        uploads.c.purged_at.is_(None),
        uploads.c.content.is_not(None),
        uploads.c.uploaded_at < cutoff,
    )
    with write_transaction(engine) as conn:
        rows = conn.execute(
            sa.select(uploads.c.id, sa.func.coalesce(sa.func.length(uploads.c.content), 0)).where(*due)
        ).all()
        ids = tuple(int(r[0]) for r in rows)
        if not ids:
            return PurgeResult((), 0)
        conn.execute(sa.update(uploads).where(uploads.c.id.in_(ids)).values(content=None, purged_at=at or now()))
        removed = sum(int(r[1]) for r in rows)
        audit(conn, by, "originals_purged", ",".join(map(str, ids)), {"days": days, "bytes": removed})
    return PurgeResult(ids, removed)
