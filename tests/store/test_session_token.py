"""`cli.py users token`: the session cookie a signed-in browser would hold, for scripted clients; audited."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from store.history import audit_frame
from store.schema import sessions
from store.users import add_user, disable_user, mint_session, session_user
from tests.conftest import run_cli


def test_minted_token_opens_a_session_until_it_goes_idle(engine):
    add_user(engine, "monitor", "viewer", "mat-khau-dai-1")
    token = mint_session(engine, "monitor", minutes=5, idle_minutes=60, by="ops")
    user = session_user(engine, token, idle_minutes=60)
    assert user is not None and user.name == "monitor"
    # Left unused, it ends after its minutes: move its clock back past them.
    with engine.begin() as conn:
        conn.execute(sa.update(sessions).values(last_seen=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61)))
    assert session_user(engine, token, idle_minutes=60) is None
    log = audit_frame(engine)
    minted = log[log["action"] == "session_mint"]
    assert len(minted) == 1 and minted.iloc[0]["target"] == "monitor" and minted.iloc[0]["actor"] == "ops"
    assert token not in " ".join(log.astype(str).to_numpy().ravel())  # the token itself is never logged


def test_longer_than_idle_and_refusals(engine):
    add_user(engine, "a", "viewer", "mat-khau-dai-1")
    token = mint_session(engine, "a", minutes=120, idle_minutes=60)
    assert session_user(engine, token, idle_minutes=60) is not None
    disable_user(engine, "a")
    for name in ("a", "nobody"):
        with pytest.raises(KeyError):
            mint_session(engine, name, minutes=10, idle_minutes=60)
    with pytest.raises(ValueError):
        mint_session(engine, "a", minutes=0, idle_minutes=60)


def test_users_token_cli_prints_name_equals_value_and_audits(tmp_path):
    from ui.session import SESSION_COOKIE  # the cookie name the app reads

    url = f"sqlite:///{tmp_path / 't.sqlite'}"
    assert (
        run_cli(
            "users", "add", "xem", "--role", "viewer", "--password-stdin", db_url=url, stdin="mat-khau-dai-1-cho-thu\n"
        ).returncode
        == 0
    )
    out = run_cli("users", "token", "xem", "--minutes", "30", db_url=url)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 1
    name, _, value = lines[0].partition("=")
    assert name == SESSION_COOKIE and len(value) >= 32
    assert run_cli("users", "token", "khong-co", db_url=url).returncode == 1
    assert run_cli("users", "token", "xem", "--minutes", "0", db_url=url).returncode == 2
    engine = sa.create_engine(url)
    try:
        assert session_user(engine, value, idle_minutes=60) is not None
        log = audit_frame(engine)
        assert (log["action"] == "session_mint").sum() == 1
    finally:
        engine.dispose()
