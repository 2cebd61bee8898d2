"""Storing uploads: one transaction per upload, the original file kept, revisions superseding.

An upload's observations either all land with it or none do. Storing the same file twice stores nothing
new (the sha256 is unique in the table, so two concurrent ingests of one file cannot both land); figures
for a key that already has a current value become its next revision and the old value is kept as
superseded history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd
import sqlalchemy as sa

from domain.fmt import fmt_number
from domain.i18n import t
from domain.plain import fit
from domain.schema import KEY
from store.db import write_transaction
from store.schema import audit_log, meta, observations, uploads

CHUNK = 5_000


class CheckedReport(Protocol):
    """What a loader hands over (``loaders.CheckResult`` satisfies it)."""

    file: str
    format: str | None
    observations: pd.DataFrame
    warnings: list[Any]

    @property
    def ok(self) -> bool: ...


@dataclass
class IngestOutcome:
    status: str  # stored | duplicate
    upload_id: int | None
    n_observations: int = 0
    n_superseded: int = 0
    superseded_uploads: list[int] = field(default_factory=list)

    def message(self, lang: str = "vi") -> str:
        """What the person is told after publishing, in their language (wording in data/i18n_workflow.csv)."""
        if self.status == "duplicate":
            return t("ingest_duplicate", lang, id=self.upload_id)
        text = t("ingest_stored", lang, id=self.upload_id, n=fmt_number(self.n_observations, lang=lang))
        if self.n_superseded:
            ups = ", ".join(f"#{u}" for u in self.superseded_uploads)
            text += " " + t("ingest_superseded", lang, n=fmt_number(self.n_superseded, lang=lang), uploads=ups)
        return text

    @property
    def message_vi(self) -> str:
        return self.message("vi")

    @property
    def message_en(self) -> str:
        return self.message("en")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def find_upload_by_hash(conn: sa.Connection, digest: str) -> int | None:
    row = conn.execute(sa.select(uploads.c.id).where(uploads.c.sha256 == digest)).first()
    return int(row[0]) if row else None


def bump_data_version(conn: sa.Connection) -> str:
    """A new opaque token, written in the caller's transaction, so every cache keyed by it refreshes."""
    token = uuid.uuid4().hex
    updated = conn.execute(sa.update(meta).where(meta.c.key == "data_version").values(value=token)).rowcount
    if not updated:
        conn.execute(sa.insert(meta).values(key="data_version", value=token))
    return token


#: Report shapes whose files hold personal data: D, the dossier exports (applicants' names, ID numbers).
PERSONAL_FORMATS = frozenset({"D"})


def holds_personal_data(fmt: str) -> bool:
    return fmt in PERSONAL_FORMATS


def audit(conn: sa.Connection, actor: str, action: str, target: str = "", detail: dict[str, Any] | None = None) -> None:
    conn.execute(
        sa.insert(audit_log).values(
            at=now(),
            actor=fit(actor, 100),
            action=action,
            target=fit(target, 255),
            detail=json.dumps(detail or {}, ensure_ascii=False, default=str),
        )
    )


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _current_for(conn: sa.Connection, obs: pd.DataFrame) -> pd.DataFrame:
    """Current (not superseded) stored rows sharing a key with ``obs``."""
    cols = [observations.c.id, observations.c.upload_id, observations.c.revision, *(observations.c[k] for k in KEY)]
    frames = []
    periods = sorted(obs["period"].unique())
    indicators = sorted(obs["indicator"].unique())
    stmt = sa.select(*cols).where(
        observations.c.superseded.is_(False),
        observations.c.period.in_(periods),
        observations.c.indicator.in_(indicators),
    )
    units = sorted(obs["unit"].unique())
    for part in _chunks(units, 500):
        res = conn.execute(stmt.where(observations.c.unit.in_(part)))
        frames.append(pd.DataFrame(res.fetchall(), columns=["id", "upload_id", "revision", *KEY]))
    empty = pd.DataFrame(columns=["id", "upload_id", "revision", *KEY])
    stored = pd.concat(frames, ignore_index=True) if frames else empty
    return stored.merge(obs[KEY], on=KEY, how="inner")


def _rows(obs: pd.DataFrame, upload_id: int, revisions: pd.Series) -> list[dict[str, Any]]:
    def opt_str(v: Any) -> str | None:
        return v if isinstance(v, str) and v else None

    def finite(v: Any) -> float | None:
        # NaN is a valid float to PostgreSQL but NULL to SQLite; as NULL, NOT NULL refuses it on both.
        return None if v is None or pd.isna(v) else float(v)

    def opt_int(v: Any) -> int | None:
        return None if v is None or pd.isna(v) else int(v)

    n = len(obs)
    sheets = obs["sheet"].tolist() if "sheet" in obs else [None] * n
    rows = obs["row"].tolist() if "row" in obs else [None] * n
    cols = obs["column"].tolist() if "column" in obs else [None] * n
    return [
        {
            "upload_id": upload_id,
            "indicator": ind,
            "unit": unit,
            "period": per,
            "sector": sec or "",
            "value": finite(val),
            "revision": int(rev),
            "superseded": False,
            "sheet": fit(sh, 100) if opt_str(sh) else None,
            "row": opt_int(r),
            "col": opt_str(c),
        }
        for ind, unit, per, sec, val, rev, sh, r, c in zip(
            obs["indicator"],
            obs["unit"],
            obs["period"],
            obs["sector"],
            obs["value"],
            revisions,
            sheets,
            rows,
            cols,
            strict=True,
        )
    ]


def ingest_observations(
    engine: sa.Engine,
    obs: pd.DataFrame,
    *,
    file_name: str,
    content: bytes,
    fmt: str,
    by: str,
    n_warnings: int = 0,
    is_demo: bool = False,
    note: str = "",
) -> IngestOutcome:
    """Store one accepted upload whole, in one transaction (or nothing, if anything fails).

    Concurrent ingests are settled by the database's unique constraints, not by a check-then-insert:
    the same file stored by someone else meanwhile makes this one a duplicate; figures made current by
    another upload meanwhile make this transaction start again and supersede those.
    """
    digest = sha256(content)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return _ingest_once(engine, obs, digest, file_name, content, fmt, by, n_warnings, is_demo, note)
        except sa.exc.IntegrityError as exc:
            with engine.connect() as conn:
                existing = find_upload_by_hash(conn, digest)
            if existing is not None:
                return IngestOutcome("duplicate", existing)
            if not is_unique_violation(exc) or attempt == MAX_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


MAX_ATTEMPTS = 5


#: SQLite's extended result codes for a duplicate key (unique index or primary key).
SQLITE_DUPLICATE_KEY = frozenset({sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY})
#: PostgreSQL's SQLSTATE for a duplicate key (``unique_violation``).
PG_UNIQUE_VIOLATION = "23505"


def is_duplicate_error(exc: BaseException) -> bool:
    """Any exception that is a duplicate-key integrity error (for callers that hold no SQLAlchemy types)."""
    return isinstance(exc, sa.exc.IntegrityError) and is_unique_violation(exc)


def is_unique_violation(exc: sa.exc.IntegrityError) -> bool:
    """Whether an integrity error is a duplicate key, told by the driver's error code, never by the wording
    of its message (which differs by driver, version and server language): a NOT NULL or foreign-key
    failure is not retried."""
    orig = exc.orig
    if isinstance(orig, sqlite3.IntegrityError):
        return getattr(orig, "sqlite_errorcode", None) in SQLITE_DUPLICATE_KEY
    return getattr(orig, "sqlstate", None) == PG_UNIQUE_VIOLATION


def _ingest_once(
    engine: sa.Engine,
    obs: pd.DataFrame,
    digest: str,
    file_name: str,
    content: bytes,
    fmt: str,
    by: str,
    n_warnings: int,
    is_demo: bool,
    note: str,
) -> IngestOutcome:
    with write_transaction(engine) as conn:
        existing = find_upload_by_hash(conn, digest)
        if existing is not None:
            return IngestOutcome("duplicate", existing)
        upload_id = int(
            conn.execute(
                sa.insert(uploads)
                .values(
                    file_name=fit(file_name, 255, keep_suffix=True),
                    sha256=digest,
                    size_bytes=len(content),
                    content=content,
                    uploaded_by=fit(by, 100),
                    uploaded_at=now(),
                    status="published",
                    format=fmt,
                    periods=",".join(sorted(obs["period"].unique()))[:500],
                    units=",".join(sorted(obs["unit"].unique())),
                    n_observations=len(obs),
                    n_warnings=n_warnings,
                    is_demo=is_demo,
                    note=note,
                    personal_data=holds_personal_data(fmt),
                )
                .returning(uploads.c.id)
            ).scalar_one()
        )
        current = _current_for(conn, obs) if len(obs) else pd.DataFrame(columns=["id", "upload_id", "revision", *KEY])
        old_ids = current["id"].astype(int).tolist()
        for part in _chunks(old_ids):
            conn.execute(sa.update(observations).where(observations.c.id.in_(part)).values(superseded=True))
        revisions = (
            obs[KEY].merge(current[[*KEY, "revision"]], on=KEY, how="left")["revision"].fillna(0).astype(int) + 1
        )
        for part in _chunks(_rows(obs.reset_index(drop=True), upload_id, revisions.reset_index(drop=True))):
            conn.execute(sa.insert(observations), part)
        superseded_uploads = sorted({int(u) for u in current["upload_id"]})
        if superseded_uploads:
            refresh_statuses(conn)
        bump_data_version(conn)
        audit(
            conn,
            by,
            "upload",
            file_name,
            {
                "upload_id": upload_id,
                "sha256": digest,
                "format": fmt,
                "observations": len(obs),
                "superseded": len(old_ids),
                "superseded_uploads": superseded_uploads,
                "demo": is_demo,
            },
        )
    return IngestOutcome("stored", upload_id, len(obs), len(old_ids), superseded_uploads)


def refresh_statuses(conn: sa.Connection) -> None:
    """published ⇔ the upload has a current figure; rolled-back uploads keep their status."""
    o = observations
    live = sa.select(o.c.id).where(o.c.upload_id == uploads.c.id, o.c.superseded.is_(False)).exists()
    conn.execute(sa.update(uploads).where(uploads.c.status != "rolled_back", live).values(status="published"))
    conn.execute(sa.update(uploads).where(uploads.c.status != "rolled_back", ~live).values(status="superseded"))


def ingest_checked(engine: sa.Engine, result: CheckedReport, content: bytes, by: str) -> IngestOutcome:
    """Store what a loader accepted; refuses to store a report that was not accepted."""
    if not result.ok:
        raise ValueError("a refused report is never stored")
    return ingest_observations(
        engine,
        result.observations,
        file_name=result.file,
        content=content,
        fmt=result.format or "?",
        by=by,
        n_warnings=len(result.warnings),
    )
