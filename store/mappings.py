"""Learned column mappings: a person's decision about a header, remembered for the next upload of the same form.

When a secretariat says what an unread column means (or that it is not data), the decision is stored under
the header's key (:func:`loaders.vocabulary.header_key`) with a scope: the sending unit (``VN34-86``), the
person's own uploads (``user:NAME``) when no unit is known, or everyone (``*``) once an admin confirms it.
A ministry's new template therefore needs no release: it is data in the database, audited and revocable.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from store.schema import column_mappings
from store.uploads import audit, now

EVERYONE = "*"


@dataclass(frozen=True)
class Decision:
    """One column decided by a person for one file: its header key, header as written and meaning."""

    key: str
    header: str
    target: str  # indicator id or "@ignore"


def user_scope(name: str) -> str:
    return f"user:{name}"


def scopes_for(user_name: str, sender: str | None) -> list[str]:
    """The scopes whose mappings apply to an upload: everyone's, the sender's and the person's own."""
    out = [EVERYONE, user_scope(user_name)]
    if sender:
        out.append(sender)
    return out


def learned_rules(engine: sa.Engine, scopes: list[str]) -> dict[str, str]:
    """Header key → target of every live mapping in the scopes; a unit's or person's beats everyone's."""
    q = sa.select(
        column_mappings.c.header_key, column_mappings.c.target, column_mappings.c.scope, column_mappings.c.id
    ).where(column_mappings.c.revoked_at.is_(None), column_mappings.c.scope.in_(scopes))
    with engine.connect() as conn:
        rows = [(str(r.header_key), str(r.target), str(r.scope), int(r.id)) for r in conn.execute(q)]
    # everyone's first, then the specific ones, oldest first: the last written for a key wins
    rows.sort(key=lambda r: (r[2] != EVERYONE, r[3]))
    return {key: target for key, target, _scope, _id in rows}


def learned_if_stored(unit: str | None) -> dict[str, str]:
    """Everyone's (and the chosen unit's) mappings when a database holding them exists; ``check`` stores
    nothing and creates no database, so a missing one means nothing learned."""
    from pathlib import Path

    from store.db import database_url, get_engine

    url = database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return {}
    try:
        return learned_rules(get_engine(), [EVERYONE, *([unit] if unit else [])])
    except sa.exc.SQLAlchemyError:
        return {}  # an older schema without the table: nothing learned yet


def learn(engine: sa.Engine, decisions: list[Decision], scope: str, by: str) -> list[int]:
    """Store decisions (replacing a live one for the same key and scope), audited, in one transaction."""
    ids: list[int] = []
    if not decisions:
        return ids
    with engine.begin() as conn:
        for d in decisions:
            _revoke_where(conn, by, column_mappings.c.header_key == d.key, column_mappings.c.scope == scope)
            new_id = conn.execute(
                sa.insert(column_mappings)
                .values(
                    header_key=d.key[:255],
                    header=d.header[:500],
                    target=d.target,
                    scope=scope,
                    created_by=by,
                    created_at=now(),
                )
                .returning(column_mappings.c.id)
            ).scalar_one()
            ids.append(int(new_id))
            audit(conn, by, "mapping_add", str(new_id), {"header": d.header, "target": d.target, "scope": scope})
    return ids


def revoke(engine: sa.Engine, mapping_id: int, by: str) -> bool:
    """End a mapping: the next upload with that header asks again. False when there was none live."""
    with engine.begin() as conn:
        n = _revoke_where(conn, by, column_mappings.c.id == mapping_id)
    return n > 0


def confirm_for_everyone(engine: sa.Engine, mapping_id: int, by: str) -> int | None:
    """An admin makes a unit's or person's mapping apply to everyone; returns the new mapping's id."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(column_mappings).where(column_mappings.c.id == mapping_id, column_mappings.c.revoked_at.is_(None))
        ).first()
    if row is None:
        return None
    ids = learn(engine, [Decision(row.header_key, row.header, row.target)], EVERYONE, by)
    return ids[0]


def _revoke_where(conn: sa.Connection, by: str, *where: sa.ColumnElement[bool]) -> int:
    live = conn.execute(
        sa.select(column_mappings.c.id, column_mappings.c.header).where(column_mappings.c.revoked_at.is_(None), *where)
    ).all()
    for r in live:
        conn.execute(
            sa.update(column_mappings).where(column_mappings.c.id == r.id).values(revoked_by=by, revoked_at=now())
        )
        audit(conn, by, "mapping_revoke", str(r.id), {"header": r.header})
    return len(live)


def mappings_frame(engine: sa.Engine, include_revoked: bool = False) -> pd.DataFrame:
    """Every mapping for the admin page and ``cli.py mappings list``, newest first."""
    q = sa.select(column_mappings).order_by(column_mappings.c.id.desc())
    if not include_revoked:
        q = q.where(column_mappings.c.revoked_at.is_(None))
    with engine.connect() as conn:
        rows = conn.execute(q).mappings().all()
    cols = [c.name for c in column_mappings.columns]
    return pd.DataFrame([dict(r) for r in rows], columns=cols)
