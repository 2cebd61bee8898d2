"""Security under AppTest: identity is checked on every run, not once at sign-in.

Own database (demo + real accounts), so the shared ``demo_db`` is not disturbed; Streamlit's caches are
cleared when DATABASE_URL switches (``ui.data.engine`` is a process-wide ``st.cache_resource``).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.session
from store.users import User, add_user, create_session, disable_user, get_user, set_password, set_role

from .conftest import ROOT

LOGIN_LABELS = ["Tên đăng nhập", "Mật khẩu"]


@pytest.fixture(scope="module")
def sec_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from store.db import get_engine, migrate
    from store.demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('secdb') / 'cchc.sqlite'}"
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        engine = get_engine()
        migrate(engine)
        load_demo(engine)
        yield url
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.fixture
def eng(sec_db: str) -> Iterator[sa.Engine]:
    from store.db import get_engine

    e = get_engine()
    yield e
    e.dispose()


def signed_in(eng: sa.Engine, name: str, role: str, scopes: tuple[str, ...] = ()) -> tuple[User, str]:
    """An account and a live session for it, as a sign-in leaves them."""
    if get_user(eng, name) is None:
        add_user(eng, name, role, "mot-mat-khau-dai-du", scopes=scopes)
    user = get_user(eng, name)
    assert user is not None
    return user, create_session(eng, user)


def app(page: str, user: User, token: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
    at.session_state["user"] = user
    at.session_state["session_token"] = token
    return at


class Conn:
    """Stands for a browser connection (Streamlit's session client)."""


def shows_login(at: AppTest) -> bool:
    return [t.label for t in at.text_input] == LOGIN_LABELS


@pytest.mark.parametrize("change", ["role", "disable", "password", "signed_out_elsewhere"])
def test_an_open_tab_loses_rights_at_its_next_run(eng: sa.Engine, change: str) -> None:
    user, token = signed_in(eng, f"qt_{change}", "admin")
    at = app("audit", user, token)
    at.run()
    assert not at.exception and not shows_login(at) and at.dataframe
    if change == "role":
        set_role(eng, user.name, "viewer", (), by="admin")
    elif change == "disable":
        disable_user(eng, user.name, by="admin")
    elif change == "password":
        set_password(eng, user.name, "mot-mat-khau-khac-dai", by="admin")
    else:
        from store.users import end_session

        end_session(eng, token)
    at.run()
    assert not at.exception
    assert shows_login(at) and not at.dataframe, "the tab kept its rights after the change"
    assert "user" not in at.session_state


def test_a_scope_change_signs_the_secretariat_out(eng: sa.Engine) -> None:
    user, token = signed_in(eng, "tk_scope", "secretariat", ("VN34-01",))
    at = app("upload", user, token)
    at.run()
    assert not shows_login(at)
    set_role(eng, user.name, "secretariat", ("VN34-79",), by="admin")
    at.run()
    assert shows_login(at)


def test_a_resumed_session_id_without_its_cookie_gets_nothing(eng: sa.Engine,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Another client resumes the Streamlit session (a new connection) and brings no cookie: signed out,
    while the server-side session stays for its rightful browser."""
    user, token = signed_in(eng, "qt_resume", "admin")
    signing_in, attacker, owner = Conn(), Conn(), Conn()
    conns: list[object] = [signing_in]
    cookies: list[str | None] = [None]
    monkeypatch.setattr(ui.session, "_connection", lambda: conns[0])
    monkeypatch.setattr(ui.session, "_cookie_token", lambda: cookies[0])
    at = app("audit", user, token)
    at.session_state["session_conn"] = weakref.ref(signing_in)  # what a sign-in records
    at.run()
    assert not shows_login(at) and at.dataframe  # the connection that signed in needs no cookie
    conns[0] = attacker
    at.run()
    assert shows_login(at) and not at.dataframe
    from store.users import check_session

    assert check_session(eng, token) == user  # the owner's session is not ended by the intruder
    conns[0], cookies[0] = owner, token  # the owner's browser reconnects with its cookie
    at.run()
    assert not shows_login(at) and at.dataframe
