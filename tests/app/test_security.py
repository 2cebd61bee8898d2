"""Security under AppTest: identity is checked on every run, not once at sign-in.

Own database (demo + real accounts), so the shared ``demo_db`` is not disturbed; Streamlit's caches are
cleared when DATABASE_URL switches (``ui.data.engine`` is a process-wide ``st.cache_resource``).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

import ui.session
from store.users import ALL_UNITS, User, add_user, create_session, disable_user, get_user, set_password, set_role

from .conftest import ROOT, published_demo_db

LOGIN_LABELS = ["Tên đăng nhập", "Mật khẩu"]
DATA = ROOT / "tests" / "data"
SC01 = "sc01_ben_tre_quy_iv_2024.xlsx"
SB01 = "sb01_tong_hop_nam_2024.xlsx"
BEN_TRE = User(2, "vinhlong", "secretariat", ("VN34-86",), False)  # today's Vĩnh Long took in Bến Tre
NATIONAL = User(3, "thu_ky_tw", "secretariat", (), False)


@pytest.fixture(scope="module")
def sec_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Demo data plus one province's report and one national summary."""
    with published_demo_db(tmp_path_factory.mktemp("secdb"), ((SC01, BEN_TRE), (SB01, NATIONAL))) as url:
        yield url


@pytest.fixture
def eng(sec_db: str) -> Iterator[sa.Engine]:
    from store.db import get_engine

    e = get_engine()
    yield e
    e.dispose()


def signed_in(eng: sa.Engine, name: str, role: str, scopes: tuple[str, ...] = ()) -> tuple[User, str]:
    """An account and a live session for it, as a sign-in leaves them."""
    if get_user(eng, name) is None:
        every = role == "secretariat" and not scopes  # said explicitly: every unit
        add_user(eng, name, role, "mot-mat-khau-dai-du", scopes=(ALL_UNITS,) if every else scopes)
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


def test_a_resumed_session_id_without_its_cookie_gets_nothing(eng: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
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


def history_files(at: AppTest) -> list[str]:
    return [str(o) for sb in at.selectbox if sb.label == "Chọn lần tải" for o in sb.options]


@pytest.mark.parametrize(("scopes", "sees"), [(("VN34-86",), {SC01}), (("VN34-01",), set()), ((), {SC01, SB01})])
def test_history_lists_and_serves_only_the_users_units(eng: sa.Engine, scopes: tuple[str, ...], sees: set[str]) -> None:
    user, token = signed_in(eng, "tk_" + ("_".join(scopes) or "all").replace("-", ""), "secretariat", scopes)
    at = app("history", user, token)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(history_files(at))
    assert {f for f in (SC01, SB01) if f in shown} == sees
    buttons = at.get("download_button")
    assert bool(buttons) == bool(sees)
    for b in buttons:  # the original is read at the click, for a live session: no link held all session
        assert b.proto.deferred_file_id and not b.proto.url


def test_original_file_refuses_an_upload_outside_the_scope(eng: sa.Engine) -> None:
    from store.history import original_file
    from store.queries import uploads_frame

    ids = {r.file_name: int(r.id) for r in uploads_frame(eng).itertuples()}
    hanoi = User(9, "hanoi", "secretariat", ("VN34-01",), False)
    assert original_file(eng, ids[SC01], hanoi) is None
    assert original_file(eng, ids[SB01], BEN_TRE) is None  # a national file holds other provinces too
    found = original_file(eng, ids[SC01], BEN_TRE)
    assert found is not None and found[1] == (DATA / SC01).read_bytes()


def _caption_script() -> None:
    import pandas as pd

    from store.users import User
    from ui.blocks import table_block
    from ui.context import Ctx

    hostile = "Nguồn: [bấm](http://evil.example/) ![x](http://evil.example/p.png) (#3)"
    table_block(
        Ctx(None, "v", User(1, "u", "viewer", (), False), "vi"),  # type: ignore[arg-type]
        pd.DataFrame({"a": [1]}),
        "k",
        source=hostile,
    )


def test_a_file_name_in_a_source_line_is_plain_text() -> None:
    at = AppTest.from_function(_caption_script, default_timeout=60)
    at.run()
    assert not at.exception
    shown = at.caption[0].value
    assert "[bấm](" not in shown and "![x](" not in shown  # no link, no image from another host
    assert shown.startswith("Nguồn\\: \\[bấm\\]\\(http\\:")


def test_sign_in_through_the_form_then_a_disable_signs_out(eng: sa.Engine) -> None:
    add_user(eng, "xem_form", "viewer", "mat-khau-nguoi-xem-form")
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=120)
    at.run()
    at.text_input[0].input("xem_form")
    at.text_input[1].input("mat-khau-nguoi-xem-form")
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not shows_login(at) and at.session_state["user"].name == "xem_form"
    disable_user(eng, "xem_form", by="admin")
    at.run()
    assert shows_login(at)


def test_the_client_address_comes_from_the_proxy_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    ctx_type = type(st.context)
    monkeypatch.setattr(ctx_type, "headers", property(lambda self: {"X-Forwarded-For": "6.6.6.6, 198.51.100.4"}))
    monkeypatch.setattr(ctx_type, "ip_address", property(lambda self: "10.0.0.2"))
    monkeypatch.delenv("CCHC_TRUST_PROXY", raising=False)
    assert ui.session.client_address() == "10.0.0.2"  # no proxy configured: a client-written header is ignored
    monkeypatch.setenv("CCHC_TRUST_PROXY", "1")
    assert ui.session.client_address() == "198.51.100.4"  # the entry our nginx wrote, not the client's own
