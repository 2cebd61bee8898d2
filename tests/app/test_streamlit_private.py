"""The one private Streamlit attribute the pages rely on (ui.page._route_through_entry_script).

Streamlit has no public switch from its pages-folder mode (every ``pages/*.py`` served directly on a fresh
server) to ``st.navigation`` mode; the mode is the class attribute ``PagesManager.uses_pages_directory``.
These tests fail when an upgrade renames or stops reading it, so the workaround is revisited then.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest


@pytest.fixture
def pages_folder_mode() -> Iterator[None]:
    """A server still in pages-folder mode (as on a fresh start), restored afterwards."""
    before = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = True
    yield
    PagesManager.uses_pages_directory = before


def test_the_mode_is_a_class_attribute_the_script_runner_reads() -> None:
    assert "uses_pages_directory" in vars(PagesManager)
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner)


def test_a_page_run_in_pages_folder_mode_switches_the_server_to_navigation(
    pages_folder_mode: None, run_page: Callable[..., AppTest]
) -> None:
    at = run_page("pages/staff.py", period="2024")
    assert PagesManager.uses_pages_directory is False
    assert not at.exception, [e.value for e in at.exception]


def test_a_clients_clear_cache_message_clears_nothing() -> None:
    """ui.session replaces AppSession._handle_clear_cache_request, the handler of the BackMsg any client may
    send; this fails when an upgrade renames it, so the protection is revisited then."""
    import streamlit as st
    from streamlit.runtime import app_session

    import ui.session  # noqa: F401  (installs the replacement)

    assert '"clear_cache"' in inspect.getsource(app_session) and "_handle_clear_cache_request()" in inspect.getsource(
        app_session.AppSession
    )
    calls: list[int] = []

    @st.cache_data
    def cached(x: int) -> int:
        calls.append(x)
        return x

    cached(1)
    app_session.AppSession._handle_clear_cache_request(object())  # type: ignore[arg-type]
    cached(1)
    assert calls == [1]


def test_the_navigation_message_the_session_cookie_relies_on() -> None:
    """ui.session._navigate sends the tab to the cookie route with the ForwardMsg ``st.login`` uses; its
    browser side sets ``window.location.href`` (outside an embedding host). This fails when an upgrade
    renames either, so the sign-in is revisited then (tests/browser/test_session_cookie.py shows it)."""
    from pathlib import Path

    import streamlit as st
    from streamlit import user_info
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.auth_redirect.url = "/_cchc/session?t=x"
    assert msg.WhichOneof("type") == "auth_redirect"
    assert "fwd_msg.auth_redirect.url" in inspect.getsource(user_info.login)
    bundles = (Path(st.__file__).parent / "static" / "static" / "js").glob("index.*.js")
    assert any("window.location.href=e.url" in b.read_text(encoding="utf-8", errors="replace") for b in bundles)
