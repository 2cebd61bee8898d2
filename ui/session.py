"""Sign-in and the session cookie: who is using this browser tab, and for how long without activity.

A Streamlit session ends with its tab's connection (a reload or an opened link starts a new one), so a
sign-in also gets the browser a cookie holding a random server-side session token; the server ends idle
sessions. The cookie is HttpOnly: the server sets it (ui/session_routes.py) when the page, right after the
sign-in, navigates to ``/_cchc/session`` with a one-time ticket; every run reads it from the connection's
request (``st.context.cookies``), which no script on the page can do.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import weakref
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from domain.i18n import t
from store.db import database_reachable
from store.users import User, create_session, create_ticket, end_session, login, session_and_version, session_user
from ui import oidc, session_routes
from ui.data import engine, forget_held_version, hold_version
from ui.session_routes import SESSION_COOKIE, SESSION_PATH, SIGNOUT_PATH, public_mode
from ui.url_state import lang

_LOG = logging.getLogger(__name__)


def _ignore_client_cache_clear() -> None:
    """Any client can send Streamlit's ``clear_cache`` message, which empties every cache of the process
    for every user (pages ~5× slower until they refill). Ignore it: our caches are keyed by the data version,
    so a client never needs to clear them. Private API, pinned by ``tests/app/test_streamlit_private.py``."""
    from streamlit.runtime.app_session import AppSession

    def _ignored(self: AppSession) -> None:
        del self  # every client message of this kind is dropped
        return None

    AppSession._handle_clear_cache_request = _ignored  # type: ignore[method-assign]


_ignore_client_cache_clear()


def client_address() -> str:
    """The client's address for sign-in limits: the last ``X-Forwarded-For`` entry (the one our own nginx
    appends) only when ``CCHC_TRUST_PROXY=1`` says a proxy is in front; otherwise the connection's peer.
    A client could write any earlier entry itself, so only the proxy's own is read."""
    if os.environ.get("CCHC_TRUST_PROXY", "") == "1":
        forwarded = st.context.headers.get("X-Forwarded-For") or ""
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:64]
    return st.context.ip_address or "local"


def idle_minutes() -> int:
    """Minutes without activity after which a session is signed out (``CCHC_IDLE_MINUTES``)."""
    return int(os.environ.get("CCHC_IDLE_MINUTES", "60"))


def _connection() -> Any | None:
    """The browser connection (Streamlit's session client) this run serves, or None outside a real server
    (AppTest runs a mock runtime, whose sessions have no connection and no cookies)."""
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if not runtime.exists():
        return None
    rt = runtime.get_instance()
    ctx = get_script_run_ctx()
    if type(rt) is not runtime.Runtime or ctx is None:
        return None
    return rt.get_client(ctx.session_id)


def _cookie_token() -> str | None:
    token = st.context.cookies.get(SESSION_COOKIE)
    return token if isinstance(token, str) and token else None  # no real browser (AppTest) has no cookies


def _bind_connection() -> None:
    """Remember which connection signed in or resumed this session: that one need not bring the cookie
    (a cookie set after it connected is not in its request), every other connection must."""
    conn = _connection()
    st.session_state["session_conn"] = weakref.ref(conn) if conn is not None else None


def _connection_holds_session(token: str) -> bool:
    """True when this run's connection is the one that signed in, or brings this session's cookie.

    A Streamlit session id resumed from another client (``Sec-WebSocket-Protocol: streamlit, x, <id>``)
    arrives on a new connection; without the session's cookie it gets nothing.
    """
    conn = _connection()
    if conn is None:
        return True  # AppTest: no browser, no connection to compare
    bound = st.session_state.get("session_conn")
    if isinstance(bound, weakref.ref) and bound() is conn:
        return True
    if _cookie_token() == token:
        st.session_state["session_conn"] = weakref.ref(conn)
        return True
    return False


def _forget_user() -> None:
    """Drop the user from this Streamlit session without ending the server-side session (its rightful
    browser, which holds the cookie, resumes it on reload)."""
    for key in ("user", "session_token", "session_conn", "last_seen"):
        st.session_state.pop(key, None)


def _still_valid(user: User) -> bool:
    """Every run: the connection holds the session, the session is live, and the account is unchanged."""
    token = st.session_state.get("session_token")
    if not isinstance(token, str):
        # Only a test puts a user into the session without signing in; a real connection never does.
        return _connection() is None
    if not _connection_holds_session(token):
        _forget_user()
        return False
    fresh, version = session_and_version(engine(), token)
    hold_version(version)
    if fresh != user:
        end_here()
        st.session_state["session_changed"] = True
        return False
    return True


def current_user() -> User | None:
    """The signed-in user, or None (also after the idle timeout, which signs the user out).

    A Streamlit session ends with its browser tab's connection (a reload or an opened link starts a new
    one), so a sign-in also sets a session cookie; a new connection that brings a live one is signed in.
    Every run checks the session and the account again (:func:`_still_valid`).
    """
    if public_mode() and "user" not in st.session_state:
        return User(0, "public", "viewer", (), False)
    user = st.session_state.get("user")
    if isinstance(user, User) and user.id != 0 and not _still_valid(user):
        user = None
    if user is None:
        token = _cookie_token() if not st.session_state.get("signed_out") else None
        if token and not database_reachable(engine()):
            return None  # page_setup says the database is down; the session resumes when it is back
        user = session_user(engine(), token, idle_minutes()) if token else None
        if user is not None:
            st.session_state["user"] = user
            st.session_state["session_token"] = token
            _bind_connection()
        elif st.session_state.get("signed_out") or (user := oidc.mapped_user(engine())) is None:
            return None
        else:
            start_session(user)  # the provider's confirmed e-mail names this account
    last = st.session_state.get("last_seen")
    now = dt.datetime.now(dt.UTC)
    if last and now - last > dt.timedelta(minutes=idle_minutes()):
        end_here()
        st.session_state["expired"] = True
        return None
    st.session_state["last_seen"] = now
    return user if isinstance(user, User) else None


#: The router's answer of this run (a 1-tuple: None is an answer too), taken by the page it opens.
_RUN_USER = "_run_user"


def router_user() -> User | None:
    """The signed-in user, checked by the router (``dashboard.py``) as every run starts; the page it opens
    in the same run takes this answer (:func:`run_user`) instead of asking the database a second time."""
    forget_held_version()  # only this run's session check may hand its data version to the page
    user = current_user()
    st.session_state[_RUN_USER] = (user,)
    return user


def run_user() -> User | None:
    """The signed-in user for a page: the router's check of this run, or a check now when the page runs
    without the router (a test opening a page script by itself)."""
    held = st.session_state.pop(_RUN_USER, None)
    return held[0] if isinstance(held, tuple) and len(held) == 1 else current_user()


def _navigate(url: str) -> None:
    """Send the browser's tab to ``url`` (a top-level navigation, no script of ours): the message
    ``st.login`` uses to reach its provider. Private API, pinned by ``tests/app/test_streamlit_private.py``."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return
    msg = ForwardMsg()
    msg.auth_redirect.url = url
    ctx.enqueue(msg)


def _here() -> str:
    """This page's path and query (the filters live there), to come back to after the cookie route."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return path + (f"?{query}" if query else "")


def sync_session_cookie() -> None:
    """Send the browser through the cookie route a sign-in or sign-out asked for (on the run after it, so
    the signed-in page is drawn first)."""
    pending = st.session_state.pop("cookie_pending", None)
    if isinstance(pending, str):
        _navigate(pending)


def _ask_for_cookie(token: str) -> None:
    """After a sign-in: the server sets the HttpOnly cookie when the browser brings the one-time ticket."""
    if not session_routes.mounted():
        _LOG.warning("no session cookie: start the server with `streamlit run serve.py` (deploy/README.md)")
        return
    ticket = create_ticket(engine(), token)
    st.session_state["cookie_pending"] = f"{SESSION_PATH}?t={ticket}&next={quote(_here(), safe='/')}"


def start_session(user: User) -> None:
    """Sign ``user`` in on this tab with a new session (a new token at every sign-in) and get its cookie."""
    token = create_session(engine(), user)
    st.session_state["user"] = user
    st.session_state["session_token"] = token
    _bind_connection()
    st.session_state["last_seen"] = dt.datetime.now(dt.UTC)
    st.session_state.pop("signed_out", None)
    _ask_for_cookie(token)


def login_form() -> None:
    """Sign-in form; it never says which of name or password was wrong."""
    lg = lang()
    st.subheader(t("login_title", lg))
    if st.session_state.pop("expired", False):
        st.info(t("session_expired", lg))
    if st.session_state.pop("session_changed", False):
        st.info(t("session_changed", lg))
    if oidc.provider_panel():
        return
    with st.form("login"):
        name = st.text_input(t("login_user", lg))
        password = st.text_input(t("login_password", lg), type="password")
        submitted = st.form_submit_button(t("login_button", lg))
    if submitted:
        result = login(engine(), name.strip(), password, client_address())
        if result.user is None:
            if result.locked_minutes:
                st.error(t("login_locked", lg, minutes=result.locked_minutes))
            else:
                st.error(t("login_failed", lg))
            return
        start_session(result.user)
        st.rerun()


def end_here() -> None:
    """End the server-side session and sign this tab out, so the cookie no longer opens anything."""
    token = st.session_state.pop("session_token", None)
    if token:
        end_session(engine(), token)
    st.session_state.pop("user", None)
    st.session_state["signed_out"] = True


def logout() -> None:
    """The sign-out button: end the session, then have the server clear the cookie."""
    provider = oidc.signed_in_with_provider()
    end_here()
    if session_routes.mounted():  # then on to Streamlit's own sign-out for a provider's user
        st.session_state["cookie_pending"] = SIGNOUT_PATH + ("?oidc=1" if provider else "")
    elif provider:
        st.logout()
