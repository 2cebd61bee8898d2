"""The one-time ticket a sign-in hands the browser, swapped once at /_cchc/session for the session cookie."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from store.schema import session_tickets
from store.users import add_user, create_session, create_ticket, disable_user, end_session, get_user, redeem_ticket


def _session(engine, name: str = "xem") -> str:
    add_user(engine, name, "viewer", "mat-khau-dai-1")
    user = get_user(engine, name)
    assert user is not None
    return create_session(engine, user)


def test_a_ticket_gives_its_session_token_once(engine):
    token = _session(engine)
    ticket = create_ticket(engine, token)
    assert ticket != token
    assert redeem_ticket(engine, ticket) == token
    assert redeem_ticket(engine, ticket) is None  # used
    assert redeem_ticket(engine, "not-a-ticket") is None


def test_the_database_holds_neither_ticket_nor_token(engine):
    token = _session(engine)
    ticket = create_ticket(engine, token)
    with engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(sa.select(session_tickets)) for v in row)
    assert ticket not in stored and token not in stored
    assert token.encode().hex() not in stored


def test_an_old_ticket_or_an_ended_session_gives_nothing(engine):
    token = _session(engine)
    old = create_ticket(engine, token)
    with engine.begin() as conn:
        conn.execute(sa.update(session_tickets).values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)))
    assert redeem_ticket(engine, old) is None
    ended = create_ticket(engine, token)
    end_session(engine, token)
    assert redeem_ticket(engine, ended) is None
    token2 = _session(engine, "khoa")
    disabled = create_ticket(engine, token2)
    disable_user(engine, "khoa")
    assert redeem_ticket(engine, disabled) is None
