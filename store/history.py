"""History of uploads: differences between revisions, rollback (and its undo), completeness, audit.

Nothing here deletes a figure: a rollback marks an upload's figures superseded and makes the previous
revision of each figure current again; undoing it does the reverse. Both are audited and bump the data
version so every cache refreshes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

import pandas as pd
import sqlalchemy as sa

from domain.catalog import Catalog, catalog
from domain.periods import parse_period
from domain.schema import KEY
from store.db import write_transaction
from store.schema import audit_log, observations, uploads
from store.uploads import audit, bump_data_version, refresh_statuses
from store.users import User


def upload_observations(engine: sa.Engine, upload_id: int) -> pd.DataFrame:
    o = observations
    cols = [o.c.id, *(o.c[k] for k in KEY), o.c.value, o.c.revision, o.c.superseded, o.c.sheet, o.c.row, o.c.col]
    with engine.connect() as conn:
        res = conn.execute(sa.select(*cols).where(o.c.upload_id == upload_id).order_by(o.c.id))
        return pd.DataFrame(res.fetchall(), columns=[c.name for c in cols])


def upload_in_scope(units: str, user: User, cat: Catalog | None = None) -> bool:
    """May ``user`` see an upload holding figures of ``units`` (comma-separated, as stored)?

    An admin and an unscoped account see every upload; a scoped account only those whose units all lie in
    its scope, or were its units before a merger (the rule of publishing; an original file holds every unit
    it reports, personal data included).
    """
    if user.has_role("admin") or not user.scopes:
        return True
    cat = cat or catalog()
    allowed = set(user.scopes)
    held = {u for u in units.replace(" ", ",").split(",") if u}
    return bool(held) and all(u in allowed or cat.successor_today(u) in allowed for u in held)


def original_file(engine: sa.Engine, upload_id: int, user: User | None = None) -> tuple[str, bytes] | None:
    """An upload's name and original bytes; with ``user``, None unless the upload is in that user's scope.
    None too once the original was purged (personal data past its retention, store/retention.py)."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(uploads.c.file_name, uploads.c.content, uploads.c.units, uploads.c.purged_at).where(
                uploads.c.id == upload_id
            )
        ).first()
    if row is None or row.purged_at is not None or (user is not None and not upload_in_scope(row.units or "", user)):
        return None
    return row.file_name, bytes(row.content or b"")


def diff_frames(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Key-by-key comparison: old and new value and what happened (added, removed, changed, same)."""
    a = old[[*KEY, "value"]].rename(columns={"value": "old_value"})
    b = new[[*KEY, "value"]].rename(columns={"value": "new_value"})
    both = a.merge(b, on=KEY, how="outer")
    change = pd.Series("same", index=both.index, dtype="object")
    change[both["old_value"].isna()] = "added"
    change[both["new_value"].isna()] = "removed"
    changed = both["old_value"].notna() & both["new_value"].notna() & (both["old_value"] != both["new_value"])
    change[changed] = "changed"
    both["change"] = change
    both["difference"] = both["new_value"] - both["old_value"]
    return both.sort_values(KEY).reset_index(drop=True)


def diff_uploads(engine: sa.Engine, old_id: int, new_id: int) -> pd.DataFrame:
    return diff_frames(upload_observations(engine, old_id), upload_observations(engine, new_id))


def diff_against_current(engine: sa.Engine, obs: pd.DataFrame) -> pd.DataFrame:
    """What publishing ``obs`` would change: only keys that already have a current value, with its upload."""
    if obs.empty:
        return pd.DataFrame(columns=[*KEY, "old_value", "new_value", "change", "difference", "upload_id"])
    o = observations
    stmt = sa.select(*(o.c[k] for k in KEY), o.c.value, o.c.upload_id).where(
        o.c.superseded.is_(False),
        o.c.period.in_(sorted(obs["period"].unique())),
        o.c.unit.in_(sorted(obs["unit"].unique())),
        o.c.indicator.in_(sorted(obs["indicator"].unique())),
    )
    with engine.connect() as conn:
        cur = pd.DataFrame(conn.execute(stmt).fetchall(), columns=[*KEY, "value", "upload_id"])
    cur = cur.merge(obs[KEY], on=KEY, how="inner")
    out = diff_frames(cur, obs[cur.columns.intersection([*KEY, "value"])].merge(cur[KEY], on=KEY))
    return out.merge(cur[[*KEY, "upload_id"]], on=KEY, how="left")


def _status(conn: sa.Connection, upload_id: int) -> str | None:
    return conn.execute(sa.select(uploads.c.status).where(uploads.c.id == upload_id)).scalar_one_or_none()


def rollback_upload(engine: sa.Engine, upload_id: int, by: str) -> int:
    """Withdraw an upload's current figures and bring back each one's previous revision.

    Returns how many figures were withdrawn. The previous revision is the newest earlier revision of the
    same key whose upload has not itself been rolled back.
    """
    o = observations
    with write_transaction(engine) as conn:
        if _status(conn, upload_id) in (None, "rolled_back"):
            raise ValueError(f"upload {upload_id} cannot be rolled back")
        live = conn.execute(
            sa.select(o.c.id, *(o.c[k] for k in KEY), o.c.revision).where(
                o.c.upload_id == upload_id, o.c.superseded.is_(False)
            )
        ).fetchall()
        restored = 0
        for row in live:
            conn.execute(sa.update(o).where(o.c.id == row.id).values(superseded=True))
            prev = conn.execute(
                sa.select(o.c.id)
                .join(uploads, uploads.c.id == o.c.upload_id)
                .where(
                    *(o.c[k] == getattr(row, k) for k in KEY),
                    o.c.revision < row.revision,
                    uploads.c.status != "rolled_back",
                    o.c.upload_id != upload_id,
                )
                .order_by(o.c.revision.desc())
                .limit(1)
            ).first()
            if prev is not None:
                conn.execute(sa.update(o).where(o.c.id == prev.id).values(superseded=False))
                restored += 1
        conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(status="rolled_back"))
        refresh_statuses(conn)
        bump_data_version(conn)
        audit(conn, by, "rollback", str(upload_id), {"withdrawn": len(live), "restored": restored})
    return len(live)


def undo_rollback(engine: sa.Engine, upload_id: int, by: str) -> int:
    """Make a rolled-back upload's figures current again (superseding whatever is current now)."""
    o = observations
    with write_transaction(engine) as conn:
        if _status(conn, upload_id) != "rolled_back":
            raise ValueError(f"upload {upload_id} is not rolled back")
        rows = conn.execute(sa.select(o.c.id, *(o.c[k] for k in KEY)).where(o.c.upload_id == upload_id)).fetchall()
        for row in rows:
            conn.execute(
                sa.update(o)
                .where(*(o.c[k] == getattr(row, k) for k in KEY), o.c.superseded.is_(False))
                .values(superseded=True)
            )
            conn.execute(sa.update(o).where(o.c.id == row.id).values(superseded=False))
        conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(status="published"))
        refresh_statuses(conn)
        bump_data_version(conn)
        audit(conn, by, "rollback_undo", str(upload_id), {"restored": len(rows)})
    return len(rows)


def audit_frame(engine: sa.Engine, limit: int | None = None) -> pd.DataFrame:
    a = audit_log
    stmt = sa.select(a.c.id, a.c.at, a.c.actor, a.c.action, a.c.target, a.c.detail).order_by(a.c.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).fetchall(), columns=["id", "at", "actor", "action", "target", "detail"])


def deadline_day() -> int:
    """Reports are due on this day of the period's last month (văn bản 581/BNV-CCHC: the 20th)."""
    return int(os.environ.get("CCHC_REPORT_DEADLINE_DAY", "20"))


def deadline_for(period: str) -> dt.date:
    p = parse_period(period)
    return dt.date(p.year, p.last_month, deadline_day())


def timeliness(first_at: dt.datetime, period: str) -> str:
    """'late' when a unit's first upload for ``period`` came after its deadline, else 'submitted': the one
    rule of on time and late, used by the completeness board and the unit profile alike."""
    return "late" if first_at.date() > deadline_for(period) else "submitted"


#: Columns of :func:`unit_uploads`.
UPLOAD_COLUMNS = ["unit", "period", "upload_id", "file_name", "uploaded_at", "is_demo", "status"]


def unit_uploads(engine: sa.Engine, units: Sequence[str], periods: Sequence[str]) -> pd.DataFrame:
    """Every upload that held a figure of ``units`` for ``periods`` — still current or since revised or
    rolled back — one row per unit, period and upload, oldest first; demo uploads flagged ``is_demo``, the
    published indices left out (nobody submits them). Columns: :data:`UPLOAD_COLUMNS`."""
    if not units or not periods:
        return pd.DataFrame(columns=UPLOAD_COLUMNS)
    o, u = observations, uploads
    stmt = (
        sa.select(o.c.unit, o.c.period, u.c.id, u.c.file_name, u.c.uploaded_at, u.c.is_demo, u.c.status)
        .distinct()
        .join(u, u.c.id == o.c.upload_id)
        .where(o.c.unit.in_(list(units)), o.c.period.in_(list(periods)), u.c.format != "published")
        .order_by(u.c.uploaded_at, u.c.id)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).fetchall(), columns=UPLOAD_COLUMNS)


def completeness(engine: sa.Engine, period: str, cat: Catalog) -> pd.DataFrame:
    """Every unit expected to report for ``period`` (its era's provinces and ministries) and its status.

    A unit has submitted when a published, non-demo upload holds a current figure of it for the period;
    it is late when its first such upload came after the deadline. Columns: unit, name, kind, status
    (submitted | late | missing), first_at, by, upload_id, deadline.
    """
    p = parse_period(period)
    expected = [*cat.provinces(p.province_era), *cat.ministries_on(p.end)]
    o, u = observations, uploads
    stmt = (
        sa.select(o.c.unit, sa.func.min(u.c.uploaded_at).label("first_at"), sa.func.min(u.c.id).label("upload_id"))
        .join(u, u.c.id == o.c.upload_id)
        .where(o.c.period == period, o.c.superseded.is_(False), u.c.is_demo.is_(False), u.c.format != "published")
        .group_by(o.c.unit)
    )
    with engine.connect() as conn:
        got = pd.DataFrame(conn.execute(stmt).fetchall(), columns=["unit", "first_at", "upload_id"])
        who: dict[Any, str] = dict(conn.execute(sa.select(u.c.id, u.c.uploaded_by)).fetchall())
    deadline = deadline_for(period)
    rows: list[tuple[Any, ...]] = []
    submitted = got.set_index("unit").to_dict("index") if not got.empty else {}
    for unit in expected:
        rec = submitted.get(unit.id)
        if rec is None:
            rows.append((unit.id, unit.name_vi, unit.kind, "missing", None, None, None, deadline))
            continue
        first = pd.Timestamp(rec["first_at"]).to_pydatetime()
        status = timeliness(first, period)
        uid = int(rec["upload_id"])
        rows.append((unit.id, unit.name_vi, unit.kind, status, first, who.get(uid), uid, deadline))
    return pd.DataFrame(rows, columns=["unit", "name", "kind", "status", "first_at", "by", "upload_id", "deadline"])
