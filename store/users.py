"""Accounts: argon2id hashes, roles and scopes, lockout after repeated failures, all audited.

A failed sign-in never says whether the name or the password was wrong; five failures in a row lock the
account for a while (``CCHC_LOCK_MINUTES``, default 15).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from domain.roles import ROLES
from store.db import write_transaction
from store.queries import version_on
from store.schema import login_failures, session_tickets, sessions, users
from store.uploads import audit, now

MAX_FAILURES = 5
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
#: A hash to verify against when the name is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    scopes: tuple[str, ...]
    disabled: bool

    def has_role(self, needed: str) -> bool:
        """Roles are ordered: an admin can do what a secretariat can, which can do what a viewer can."""
        return ROLES.index(self.role) >= ROLES.index(needed)

    def may_upload_for(self, unit_id: str) -> bool:
        return self.has_role("secretariat") and (not self.scopes or unit_id in self.scopes)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    locked_minutes: int = 0


def lock_minutes() -> int:
    return int(os.environ.get("CCHC_LOCK_MINUTES", "15"))


def _user(row: sa.Row) -> User:
    return User(int(row.id), row.name, row.role, tuple(row.scopes.split()), bool(row.disabled))


def get_user(engine: sa.Engine, name: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    return _user(row) if row else None


def list_users(engine: sa.Engine) -> list[User]:
    with engine.connect() as conn:
        return [_user(r) for r in conn.execute(sa.select(users).order_by(users.c.name))]


#: Given as a secretariat's scope, "every unit": a secretariat without a scope must be meant as one.
ALL_UNITS = "*"
MAX_NAME = 100  # users.name is String(100)


def min_password_length() -> int:
    return int(os.environ.get("CCHC_MIN_PASSWORD", "12"))


@functools.cache
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


def check_password(password: str, name: str = "") -> None:
    """Refuse a weak password (ValueError, bilingual): too short, common, the name itself, one character."""
    n = min_password_length()
    if len(password) < n:
        raise ValueError(f"Mật khẩu cần ít nhất {n} ký tự. / A password needs at least {n} characters.")
    low = password.lower()
    if low in _common_passwords() or (len(name) >= 4 and name.lower() in low) or len(set(password)) < 4:
        raise ValueError("Mật khẩu quá dễ đoán. / This password is too easy to guess.")


def _check_account(name: str, role: str, scopes: tuple[str, ...]) -> tuple[str, ...]:
    """Validate a role and scope; returns the scope to store (empty: every unit)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not name.strip() or len(name) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise ValueError(
            f"Tên tài khoản 1–{MAX_NAME} ký tự, không ký tự điều khiển. / "
            f"An account name has 1–{MAX_NAME} characters, no control characters."
        )
    if ALL_UNITS in scopes:
        if len(scopes) > 1:
            raise ValueError("'*' (mọi đơn vị / all units) không đi cùng đơn vị khác. / '*' stands alone.")
        return ()
    if role == "secretariat" and not scopes:
        raise ValueError(
            "Thư ký cần phạm vi đơn vị, hoặc '*' cho mọi đơn vị. / "
            "A secretariat needs a scope of units, or '*' for all units."
        )
    from domain.catalog import catalog

    units = catalog().units
    unknown = [s for s in scopes if s not in units or units[s].kind not in ("province", "ministry")]
    if unknown:
        raise ValueError(f"Không có đơn vị / unknown unit ids: {', '.join(unknown)}")
    return scopes


def add_user(
    engine: sa.Engine,
    name: str,
    role: str,
    password: str | None = None,
    scopes: tuple[str, ...] = (),
    by: str = "cli",
) -> str:
    """Create an account; returns the password (a random one when none is given).

    A secretariat needs ``scopes`` (unit ids of the catalogue) or ``(ALL_UNITS,)``; a given password must
    pass :func:`check_password`.
    """
    scopes = _check_account(name, role, scopes)
    if password is None:
        password = secrets.token_urlsafe(12)
    else:
        check_password(password, name)
    password_hash = _hasher.hash(password)  # argon2 before the write lock, not inside it
    with write_transaction(engine) as conn:
        conn.execute(
            sa.insert(users).values(
                name=name,
                role=role,
                scopes=" ".join(scopes),
                password_hash=password_hash,
                created_at=now(),
            )
        )
        audit(conn, by, "user_add", name, {"role": role, "scopes": list(scopes)})
    return password


def set_password(engine: sa.Engine, name: str, password: str, by: str = "cli") -> None:
    check_password(password, name)
    password_hash = _hasher.hash(password)  # argon2 before the write lock, not inside it
    with write_transaction(engine) as conn:
        n = conn.execute(
            sa.update(users)
            .where(users.c.name == name)
            .values(
                password_hash=password_hash,
                failed_logins=0,
                locked_until=None,
            )
        ).rowcount
        if not n:
            raise KeyError(name)
        _end_sessions_of(conn, name)
        _lift(conn, name)  # a reset by an admin also lifts the sign-in delays
        audit(conn, by, "user_passwd", name)


def set_role(engine: sa.Engine, name: str, role: str, scopes: tuple[str, ...], by: str = "cli") -> None:
    """Change an account's role and scope (a secretariat: unit ids or ``(ALL_UNITS,)``); ends its sessions."""
    scopes = _check_account(name, role, scopes)
    with write_transaction(engine) as conn:
        stmt = sa.update(users).where(users.c.name == name).values(role=role, scopes=" ".join(scopes))
        n = conn.execute(stmt).rowcount
        if not n:
            raise KeyError(name)
        _end_sessions_of(conn, name)
        audit(conn, by, "user_role", name, {"role": role, "scopes": list(scopes)})


def disable_user(engine: sa.Engine, name: str, by: str = "cli") -> None:
    with write_transaction(engine) as conn:
        n = conn.execute(sa.update(users).where(users.c.name == name).values(disabled=True)).rowcount
        if not n:
            raise KeyError(name)
        _end_sessions_of(conn, name)
        audit(conn, by, "user_disable", name)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


#: Failures before a key is delayed: a name from one address, one address (an office shares one behind
#: its router), one name from anywhere (many addresses). Each further failure doubles the delay, from one
#: minute up to ``CCHC_LOCK_MINUTES``; a key's count starts again a day after its last failure.
THRESHOLDS = {"pair": MAX_FAILURES, "addr": 20, "name": 50}
_FORGET_AFTER = dt.timedelta(days=1)


def _keys(name: str, address: str) -> dict[str, str]:
    name, address = name[:100], (address or "?")[:64]
    return {"pair": f"pair:{name}|{address}", "addr": f"addr:{address}", "name": f"name:{name}"}


def _delay_minutes(kind: str, failures: int) -> int:
    over = failures - THRESHOLDS[kind]
    return 0 if over < 0 else min(lock_minutes(), 2 ** min(over, 16))


def _blocked_minutes(engine: sa.Engine, keys: dict[str, str]) -> int:
    """Minutes until every key of this attempt may try again (0: none is delayed)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(login_failures.c.blocked_until).where(login_failures.c.key.in_(list(keys.values())))
        ).fetchall()
    waits = [(b - now()).total_seconds() for b in (_aware(r.blocked_until) for r in rows) if b is not None]
    longest = max((w for w in waits if w > 0), default=0.0)
    return int(longest // 60) + 1 if longest > 0 else 0


def _count_failure(conn: sa.Connection, key: str) -> int:
    """Add one failure to ``key`` in one statement (no read-then-write race between replicas); the new count."""
    lf = login_failures
    at = now()
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(lf)
        .values(key=key, failures=1, last_at=at)
        .on_conflict_do_update(
            index_elements=[lf.c.key],
            set_={"failures": sa.case((lf.c.last_at < at - _FORGET_AFTER, 1), else_=lf.c.failures + 1), "last_at": at},
        )
        .returning(lf.c.failures)
    )
    return int(conn.execute(stmt).scalar_one())


def login(engine: sa.Engine, name: str, password: str, address: str = "") -> LoginResult:
    """Check a sign-in from client ``address``; delay repeated failures and audit every outcome.

    Failures are counted per name and address, per address and per name (:data:`THRESHOLDS`), for any name
    typed, so a delay says nothing about which names exist, and five wrong passwords from one address do
    not keep the account's owner out from another. The argon2 check runs outside any write transaction.
    """
    name = name[:100]
    keys = _keys(name, address)
    detail: dict[str, object] = {"address": address} if address else {}
    waiting = _blocked_minutes(engine, keys)
    if waiting:
        with write_transaction(engine) as conn:
            audit(conn, name or "?", "login_failed", name, {**detail, "reason": "delayed"})
        return LoginResult(None, waiting)
    with engine.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    usable = row is not None and not row.disabled and bool(row.password_hash)
    ok = _verify(row.password_hash if usable and row is not None else _DUMMY_HASH, password) and usable
    with write_transaction(engine) as conn:
        if ok and row is not None:
            conn.execute(sa.delete(login_failures).where(login_failures.c.key.in_([keys["pair"], keys["name"]])))
            conn.execute(sa.update(users).where(users.c.id == row.id).values(failed_logins=0, locked_until=None))
            audit(conn, name, "login", name, detail)
            return LoginResult(_user(row))
        delays = {}
        for kind, key in keys.items():
            failures = _count_failure(conn, key)
            minutes = _delay_minutes(kind, failures)
            if minutes:
                until = now() + dt.timedelta(minutes=minutes)
                conn.execute(sa.update(login_failures).where(login_failures.c.key == key).values(blocked_until=until))
                audit(
                    conn,
                    "system",
                    "login_locked",
                    name,
                    {**detail, "by": kind, "failures": failures, "minutes": minutes},
                )
                delays[kind] = minutes
        reason = "wrong password" if usable else "unknown or disabled"
        audit(conn, name or "?", "login_failed", name, {**detail, "reason": reason, "delayed": bool(delays)})
        return LoginResult(None, max(delays.values(), default=0))


def unlock(engine: sa.Engine, name: str, by: str = "cli") -> int:
    """Lift every delay on ``name`` (from any address); audited. Returns how many delays were lifted."""
    with write_transaction(engine) as conn:
        n = _lift(conn, name)
        audit(conn, by, "user_unlock", name, {"lifted": n})
    return n


def _lift(conn: sa.Connection, name: str) -> int:
    lf = login_failures
    n = conn.execute(
        sa.delete(lf).where(
            sa.or_(
                lf.c.key == f"name:{name}",
                lf.c.key.like(f"pair:{_like_escape(name)}|%", escape="\\"),
            )
        )
    ).rowcount
    conn.execute(sa.update(users).where(users.c.name == name).values(failed_logins=0, locked_until=None))
    return int(n)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def login_by_email(engine: sa.Engine, email: str) -> User | None:
    """Map an identity confirmed by the organisation's OpenID Connect provider to an enabled account."""
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(users).where(sa.func.lower(users.c.email) == email.strip().lower())).first()
        if row is None or row.disabled:
            audit(conn, email or "?", "login_failed", email, {"reason": "oidc: no enabled account", "via": "oidc"})
            return None
        audit(conn, row.name, "login", row.name, {"via": "oidc"})
        return _user(row)


def set_email(engine: sa.Engine, name: str, email: str, by: str = "cli") -> None:
    with write_transaction(engine) as conn:
        n = conn.execute(sa.update(users).where(users.c.name == name).values(email=email.strip())).rowcount
        if not n:
            raise KeyError(name)
        audit(conn, by, "user_email", name, {"email": email})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(engine: sa.Engine, user: User) -> str:
    """A new browser session for a signed-in user; the token goes into a cookie, only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        conn.execute(
            sa.insert(sessions).values(
                token_hash=_token_hash(token), user_id=user.id, created_at=now(), last_seen=now()
            )
        )
    return token


def session_user(engine: sa.Engine, token: str, idle_minutes: int) -> User | None:
    """The user of a live session (and its idle clock restarted), or None when unknown, idle or disabled."""
    digest = _token_hash(token)
    with write_transaction(engine) as conn:
        row = conn.execute(
            sa.select(sessions.c.last_seen, users)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == digest)
        ).first()
        if row is None:
            return None
        last = _aware(row.last_seen)
        if row.disabled or (last is not None and now() - last > dt.timedelta(minutes=idle_minutes)):
            conn.execute(sa.delete(sessions).where(sessions.c.token_hash == digest))
            return None
        conn.execute(sa.update(sessions).where(sessions.c.token_hash == digest).values(last_seen=now()))
        return _user(row)


#: How stale a session's ``last_seen`` may get before a run writes it again (one write a minute, not per click).
_TOUCH_SECONDS = 60


def check_session(engine: sa.Engine, token: str) -> User | None:
    """The account behind a live session as the database has it now, or None when the session has ended.

    Run on every page run (one query on two primary keys): the caller compares the answer with the user it
    holds and signs out when they differ, so a role, scope or status change takes effect at the next click.
    """
    digest = _token_hash(token)
    with engine.connect() as conn:
        row = _session_row(conn, digest)
    return _live_user(engine, digest, row)


def session_and_version(engine: sa.Engine, token: str) -> tuple[User | None, str]:
    """:func:`check_session` and the data version (:func:`store.queries.data_version`) over one connection:
    a page run needs both, and each connection taken from the pool costs a round trip of its own (the
    liveness ping) before its query."""
    digest = _token_hash(token)
    with engine.connect() as conn:
        row = _session_row(conn, digest)
        version = version_on(conn)
    return _live_user(engine, digest, row), version


def _session_row(conn: sa.Connection, digest: str) -> sa.Row | None:
    """The session of a token's digest with its account, or None when there is no such session."""
    return conn.execute(
        sa.select(sessions.c.last_seen, users)
        .join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_hash == digest)
    ).first()


def _live_user(engine: sa.Engine, digest: str, row: sa.Row | None) -> User | None:
    """The account of a session row unless it is disabled; its ``last_seen`` written at most once a
    minute (:data:`_TOUCH_SECONDS`), so a run of clicks costs reads only."""
    if row is None or row.disabled:
        return None
    last = _aware(row.last_seen)
    if last is None or (now() - last).total_seconds() > _TOUCH_SECONDS:
        with write_transaction(engine) as conn:
            conn.execute(sa.update(sessions).where(sessions.c.token_hash == digest).values(last_seen=now()))
    return _user(row)


def _end_sessions_of(conn: sa.Connection, name: str) -> None:
    """End every session of an account whose password, role, scope or status just changed."""
    conn.execute(
        sa.delete(sessions).where(
            sessions.c.user_id == sa.select(users.c.id).where(users.c.name == name).scalar_subquery()
        )
    )


def end_session(engine: sa.Engine, token: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(sa.delete(sessions).where(sessions.c.token_hash == _token_hash(token)))


#: How long a sign-in's ticket can be swapped for the session cookie: the browser does it at once.
TICKET_SECONDS = 60


def _keystream(ticket: str, size: int) -> bytes:
    return hashlib.shake_256(b"cchc-session-ticket:" + ticket.encode()).digest(size)


def create_ticket(engine: sa.Engine, token: str) -> str:
    """A one-time ticket the browser swaps for the cookie of the live session ``token`` (see
    :func:`redeem_ticket`). The row holds the ticket's hash and the token sealed with a key only the ticket
    gives; tickets older than :data:`TICKET_SECONDS` are dropped here too."""
    ticket = secrets.token_urlsafe(32)
    raw = token.encode()
    sealed = bytes(a ^ b for a, b in zip(raw, _keystream(ticket, len(raw)), strict=True)).hex()
    with write_transaction(engine) as conn:
        stale = now() - dt.timedelta(seconds=TICKET_SECONDS)
        conn.execute(sa.delete(session_tickets).where(session_tickets.c.created_at < stale))
        conn.execute(
            sa.insert(session_tickets).values(ticket_hash=_token_hash(ticket), sealed=sealed, created_at=now())
        )
    return ticket


def redeem_ticket(engine: sa.Engine, ticket: str) -> str | None:
    """The session token a ticket was made for, once: the ticket is deleted by the first attempt, and None
    comes back when it is unknown, used, older than :data:`TICKET_SECONDS`, or its session has ended."""
    digest = _token_hash(ticket)
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(session_tickets).where(session_tickets.c.ticket_hash == digest)).first()
        if row is None:
            return None
        if not conn.execute(sa.delete(session_tickets).where(session_tickets.c.ticket_hash == digest)).rowcount:
            return None  # a parallel attempt took it first
        created = _aware(row.created_at)
        if created is None or (now() - created).total_seconds() > TICKET_SECONDS:
            return None
        sealed = bytes.fromhex(row.sealed)
        token = bytes(a ^ b for a, b in zip(sealed, _keystream(ticket, len(sealed)), strict=True)).decode(
            "ascii", "replace"
        )
        live = conn.execute(
            sa.select(users.c.disabled)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(sessions.c.token_hash == _token_hash(token))
        ).first()
    return token if live is not None and not live.disabled else None


def mint_session(engine: sa.Engine, name: str, minutes: int, idle_minutes: int, by: str = "cli") -> str:
    """A session for a scripted client (a load test, monitoring): the token a signed-in browser would hold.

    The same kind of row as :func:`create_session`; its idle clock is set so that, left unused, it ends
    ``minutes`` from now (the app ends sessions idle for ``idle_minutes``); every use restarts the clock, as
    for a browser. Unknown or disabled accounts raise ``KeyError``. Minting is audited (never the token).
    """
    if not 1 <= minutes <= 12 * 60:
        raise ValueError("minutes must be between 1 and 720")
    token = secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(users.c.id, users.c.disabled).where(users.c.name == name)).first()
        if row is None or row.disabled:
            raise KeyError(name)
        last_seen = now() + dt.timedelta(minutes=minutes - idle_minutes)
        conn.execute(
            sa.insert(sessions).values(
                token_hash=_token_hash(token), user_id=row.id, created_at=now(), last_seen=last_seen
            )
        )
        audit(conn, by, "session_mint", name, {"minutes": minutes})
    return token
