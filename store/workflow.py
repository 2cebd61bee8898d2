"""The secretariat's upload workflow without the UI: check, scope, preview, publish.

The upload page and ``cli.py ingest`` both go through :func:`prepare` and :func:`publish`, so what a
secretariat previews in the browser is exactly what the command line would store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from domain.catalog import Catalog
from domain.errors import ReportError
from loaders import CheckResult
from loaders.headers import ColumnRules
from loaders.isolate import check_isolated
from store.history import diff_against_current
from store.mappings import EVERYONE, Decision, learn, learned_rules, scopes_for, user_scope
from store.uploads import IngestOutcome, find_upload_by_hash, ingest_checked, sha256
from store.users import User


@dataclass
class Prepared:
    """A checked upload waiting for the secretariat's decision."""

    result: CheckResult
    content: bytes
    digest: str
    duplicate_of: int | None = None
    scope_errors: list[ReportError] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=pd.DataFrame)
    choices: dict[str, str] = field(default_factory=dict)  # "Sheet!D" → target: this file's decisions
    sender: str | None = None  # the unit a learned decision is kept for (None: the person's own)

    @property
    def errors(self) -> list[ReportError]:
        return [*self.result.errors, *self.scope_errors]

    @property
    def undecided(self) -> list[ReportError]:
        """A refusal line per column of figures nobody has read: publishing waits for a decision."""
        return [
            ReportError(
                f"Cột {c.column} “{c.header or '—'}” có {c.numbers} số chưa được đọc; hãy chọn chỉ tiêu hoặc "
                f"“không phải số liệu” (--map {c.column}=CHỈ_TIÊU hoặc --map {c.column}=ignore).",
                f"Column {c.column} “{c.header or '—'}” holds {c.numbers} unread numbers; choose its indicator "
                f"or “not data” (--map {c.column}=INDICATOR or --map {c.column}=ignore).",
                self.result.file,
                c.sheet,
                None,
                c.column,
            )
            for c in self.result.undecided
        ]

    @property
    def can_publish(self) -> bool:
        return (
            not self.errors and not self.undecided and self.duplicate_of is None and not self.result.observations.empty
        )

    def decisions(self) -> list[Decision]:
        """The columns a person decided for this file that have a header to remember them by."""
        return [
            Decision(c.key, c.header, "@ignore" if c.meaning == "ignore" else str(c.meaning))
            for c in self.result.columns
            if c.how == "user" and c.key and c.meaning
        ]


def scope_errors(result: CheckResult, user: User, cat: Catalog) -> list[ReportError]:
    """A scoped secretariat may publish only its own units (or the units they were before a merger)."""
    if not user.scopes or result.observations.empty:
        return []
    allowed = set(user.scopes)
    errors = []
    for unit in sorted(result.observations["unit"].unique()):
        if unit in allowed or cat.successor_today(unit) in allowed:
            continue
        name = cat.units[unit].name_vi if unit in cat.units else unit
        scope_names = ", ".join(cat.units[s].name_vi if s in cat.units else s for s in sorted(allowed))
        errors.append(
            ReportError(
                message_vi=f"Tài khoản {user.name} chỉ được tải báo cáo của {scope_names}; tệp có số liệu của {name}.",
                message_en=f"Account {user.name} may upload only for {scope_names}; the file has figures of {name}.",
                file=result.file,
            )
        )
    return errors


def prepare(
    engine: sa.Engine,
    file_name: str,
    content: bytes,
    user: User,
    cat: Catalog,
    period: str | None = None,
    unit: str | None = None,
    choices: dict[str, str] | None = None,
) -> Prepared:
    """Check a file (in a limited child process) with this person's decisions and the learned mappings that
    apply to them, and say whether it is already in and what publishing it would supersede."""
    sender = sending_unit(user, unit)
    rules = ColumnRules(overrides=dict(choices or {}), learned=learned_rules(engine, scopes_for(user.name, sender)))
    result = check_isolated(Path(file_name), period=period, unit=unit, data=content, file_name=file_name, rules=rules)
    digest = sha256(content)
    with engine.connect() as conn:
        duplicate = find_upload_by_hash(conn, digest)
    prepared = Prepared(
        result, content, digest, duplicate, scope_errors(result, user, cat), choices=dict(choices or {}), sender=sender
    )
    if result.ok and duplicate is None:
        prepared.changes = diff_against_current(engine, result.observations)
    return prepared


def publish(engine: sa.Engine, prepared: Prepared, user: User) -> IngestOutcome:
    """Store a prepared upload in one transaction; refuses anything the preview refused."""
    if prepared.errors or prepared.undecided:
        raise ValueError("a refused or undecided report is never stored")
    outcome = ingest_checked(engine, prepared.result, prepared.content, by=user.name)
    remember(engine, prepared, user)
    return outcome


def sending_unit(user: User, unit: str | None) -> str | None:
    """The unit a report comes from, as far as is known before reading it: the one chosen, or the
    account's only unit."""
    if unit:
        return unit
    return user.scopes[0] if len(user.scopes) == 1 else None


def remember(engine: sa.Engine, prepared: Prepared, user: User) -> list[int]:
    """Keep this file's decisions as learned mappings: everyone's when an admin decided, else the sender's
    (or the person's own when no unit is known)."""
    scope = EVERYONE if user.role == "admin" else (prepared.sender or user_scope(user.name))
    return learn(engine, prepared.decisions(), scope, user.name)


def uploadable_units(user: User, cat: Catalog) -> list[str]:
    """Units a user may name as a report's unit: a scoped secretariat's own units and their predecessors."""
    units = [u for u in cat.units.values() if u.kind in ("province", "ministry")]
    if not user.scopes:
        return [u.id for u in units]
    allowed = set(user.scopes)
    return [u.id for u in units if u.id in allowed or cat.successor_today(u.id) in allowed]
