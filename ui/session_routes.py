"""The server's own session routes: the HttpOnly session cookie is set and cleared here, never by a script.

A sign-in (the form, or the organisation's OpenID provider) creates the session row and a one-time ticket
(:func:`store.users.create_ticket`); the page then navigates to ``/_cchc/session?t=<ticket>&next=<page>``,
which swaps the ticket for ``Set-Cookie: cchc_session=…; HttpOnly; SameSite=Strict`` (``Secure`` behind
TLS) and sends the browser back. ``/_cchc/signout`` clears the cookie (the session row has already been
ended by the app). Both are plain HTTP routes of the Streamlit server (``st.App``, see ``serve.py``) and read
only the database, so any replica answers them.
"""

from __future__ import annotations

import os
from typing import Final

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from store.db import get_engine
from store.users import check_session, end_session, redeem_ticket

SESSION_COOKIE: Final = "cchc_session"
#: The browser forgets the cookie after a working day; the server ends idle sessions much sooner.
SESSION_COOKIE_MAX_AGE: Final = 12 * 3600
SESSION_PATH: Final = "/_cchc/session"
SIGNOUT_PATH: Final = "/_cchc/signout"
#: Where a sign-out of an OpenID Connect user goes next: Streamlit's own route, which clears its identity
#: cookie and ends the provider's session.
OIDC_LOGOUT_PATH: Final = "/auth/logout"

_mounted = False


def public_mode() -> bool:
    """An explicitly configured public read-only deployment: viewers need no account."""
    return os.environ.get("CCHC_PUBLIC_READONLY", "") == "1"


def mounted() -> bool:
    """True when this process serves the routes (started as ``streamlit run serve.py``)."""
    return _mounted


def secure_request(request: Request) -> bool:
    """Whether the browser reached us over TLS: the connection itself, ``CCHC_PUBLIC_URL`` starting with
    https, or (only with ``CCHC_TRUST_PROXY=1``) the proxy's ``X-Forwarded-Proto: https``."""
    if request.url.scheme == "https" or os.environ.get("CCHC_PUBLIC_URL", "").lower().startswith("https://"):
        return True
    trusted = os.environ.get("CCHC_TRUST_PROXY", "") == "1"
    return trusted and request.headers.get("x-forwarded-proto", "").lower() == "https"


def _same_origin(request: Request) -> bool:
    """A browser says where a navigation came from; only the app's own pages may use these routes, so a
    link on another site cannot sign a visitor into someone else's account or sign them out."""
    site = request.headers.get("sec-fetch-site")
    return site is None or site == "same-origin"


def safe_next(value: str | None) -> str:
    """A path on this site to return to (never another host: ``//x``, ``/\\x`` or a scheme)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or any(c < " " for c in value):
        return "/"
    return value


def _set_cookie(response: Response, request: Request, value: str, max_age: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=max_age,
        path="/",
        secure=secure_request(request),
        httponly=True,
        samesite="strict",
    )


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def session(request: Request) -> Response:
    """Swap a sign-in's ticket for the session cookie and go back to the page (303, so a reload of the
    page does not resend the used ticket). A bad, used or late ticket just goes back, signed out."""
    target = safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    ticket = request.query_params.get("t") or ""
    token = redeem_ticket(get_engine(), ticket) if ticket and _same_origin(request) else None
    if token is not None:
        _set_cookie(response, request, token, SESSION_COOKIE_MAX_AGE)
    return _no_store(response)


def signout(request: Request) -> Response:
    """Clear the session cookie (ending its session too, should the app not have done so) and go home, or
    on to Streamlit's OpenID sign-out when the user came through the provider."""
    oidc = request.query_params.get("oidc") == "1"
    response = RedirectResponse(OIDC_LOGOUT_PATH if oidc else "/", status_code=303)
    if not _same_origin(request):
        return _no_store(response)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        end_session(get_engine(), token)
    _set_cookie(response, request, "", 0)
    return _no_store(response)


def routes() -> list[Route]:
    """The routes ``serve.py`` mounts beside Streamlit's own (sync handlers: Starlette runs them in its
    thread pool, off the event loop)."""
    global _mounted
    _mounted = True
    return [
        Route(SESSION_PATH, session, methods=["GET"]),
        Route(SIGNOUT_PATH, signout, methods=["GET"]),
    ]


#: Streamlit's own paths that hold or hand out files, and the least role a session needs for them: an upload
#: body is kept in the replica's memory, and a download may be an original with personal data.
GATED: Final = (("/_stcore/upload_file/", "secretariat"), ("/media/", "viewer"))
_REFUSED: Final = "Cần đăng nhập với quyền phù hợp. / Sign in with the right role first.\n"


def _allowed(token: str | None, role: str) -> bool:
    """True when ``token`` names a live session whose account has ``role`` (or a higher one)."""
    if not token:
        return False
    user = check_session(get_engine(), token)
    return user is not None and user.has_role(role)


class SessionGate:
    """Refuses uploads to connections without a signed-in secretariat session, and downloads to connections
    without a session, before Streamlit reads a byte of the body. The proxy refuses a missing cookie too;
    this holds where the app is reached directly, and checks the session and the role, not just a cookie.
    A public read-only deployment (``CCHC_PUBLIC_READONLY=1``) lets anyone download what viewers see."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            role = next((r for prefix, r in GATED if str(scope["path"]).startswith(prefix)), None)
            if role == "viewer" and public_mode():
                role = None
            if role is not None:
                token = Request(scope).cookies.get(SESSION_COOKIE)
                if not await anyio.to_thread.run_sync(_allowed, token, role):  # the database is not async
                    await PlainTextResponse(_REFUSED, status_code=403)(scope, receive, send)
                    return
        await self.app(scope, receive, send)
