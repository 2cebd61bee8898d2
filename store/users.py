"""Accounts: argon2id hashes, roles and scopes, lockout after repeated failures, all audited.

A failed sign-in never says whether the name or the password was wrong; five failures in a row lock the
account for a while (``CCHC_LOCK_MINUTES``, default 15).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from store.db import write_transaction
from store.schema import sessions, users
from store.uploads import audit, now

ROLES = ("viewer", "secretariat", "admin")
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


def add_user(
    engine: sa.Engine, name: str, role: str, password: str | None = None, scopes: tuple[str, ...] = (),
    by: str = "cli",
) -> str:
    """Create an account; returns the password (a random one when none is given)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    password = password or secrets.token_urlsafe(12)
    with write_transaction(engine) as conn:
        conn.execute(sa.insert(users).values(
            name=name, role=role, scopes=" ".join(scopes), password_hash=_hasher.hash(password), created_at=now(),
        ))
        audit(conn, by, "user_add", name, {"role": role, "scopes": list(scopes)})
    return password


def set_password(engine: sa.Engine, name: str, password: str, by: str = "cli") -> None:
    with write_transaction(engine) as conn:
        n = conn.execute(sa.update(users).where(users.c.name == name).values(
            password_hash=_hasher.hash(password), failed_logins=0, locked_until=None,
        )).rowcount
        if not n:
            raise KeyError(name)
        audit(conn, by, "user_passwd", name)


def set_role(engine: sa.Engine, name: str, role: str, scopes: tuple[str, ...], by: str = "cli") -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    with write_transaction(engine) as conn:
        stmt = sa.update(users).where(users.c.name == name).values(role=role, scopes=" ".join(scopes))
        n = conn.execute(stmt).rowcount
        if not n:
            raise KeyError(name)
        audit(conn, by, "user_role", name, {"role": role, "scopes": list(scopes)})


def disable_user(engine: sa.Engine, name: str, by: str = "cli") -> None:
    with write_transaction(engine) as conn:
        n = conn.execute(sa.update(users).where(users.c.name == name).values(disabled=True)).rowcount
        if not n:
            raise KeyError(name)
        audit(conn, by, "user_disable", name)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def login(engine: sa.Engine, name: str, password: str) -> LoginResult:
    """Check a sign-in; count failures, lock after ``MAX_FAILURES``, and audit both outcomes."""
    with write_transaction(engine) as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
        if row is None or row.disabled or not row.password_hash:
            _verify(_DUMMY_HASH, password)
            audit(conn, name or "?", "login_failed", name, {"reason": "unknown or disabled"})
            return LoginResult(None)
        locked_until = _aware(row.locked_until)
        if locked_until and locked_until > now():
            audit(conn, name, "login_failed", name, {"reason": "locked"})
            return LoginResult(None, max(1, int((locked_until - now()).total_seconds() // 60) + 1))
        if not _verify(row.password_hash, password):
            failures = int(row.failed_logins) + 1
            lock = now() + dt.timedelta(minutes=lock_minutes()) if failures >= MAX_FAILURES else None
            conn.execute(sa.update(users).where(users.c.id == row.id).values(
                failed_logins=0 if lock else failures, locked_until=lock,
            ))
            audit(conn, name, "login_failed", name, {"failures": failures, "locked": bool(lock)})
            return LoginResult(None, lock_minutes() if lock else 0)
        conn.execute(sa.update(users).where(users.c.id == row.id).values(failed_logins=0, locked_until=None))
        audit(conn, name, "login", name)
        return LoginResult(_user(row))


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
        conn.execute(sa.insert(sessions).values(token_hash=_token_hash(token), user_id=user.id, created_at=now(),
                                                last_seen=now()))
    return token


def session_user(engine: sa.Engine, token: str, idle_minutes: int) -> User | None:
    """The user of a live session (and its idle clock restarted), or None when unknown, idle or disabled."""
    digest = _token_hash(token)
    with write_transaction(engine) as conn:
        row = conn.execute(
            sa.select(sessions.c.last_seen, users).join(users, users.c.id == sessions.c.user_id)
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


def end_session(engine: sa.Engine, token: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(sa.delete(sessions).where(sessions.c.token_hash == _token_hash(token)))


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
        conn.execute(sa.insert(sessions).values(token_hash=_token_hash(token), user_id=row.id, created_at=now(),
                                                last_seen=last_seen))
        audit(conn, by, "session_mint", name, {"minutes": minutes})
    return token
