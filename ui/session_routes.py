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

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from store.db import get_engine
from store.users import end_session, redeem_ticket

SESSION_COOKIE: Final = "cchc_session"
#: The browser forgets the cookie after a working day; the server ends idle sessions much sooner.
SESSION_COOKIE_MAX_AGE: Final = 12 * 3600
SESSION_PATH: Final = "/_cchc/session"
SIGNOUT_PATH: Final = "/_cchc/signout"
#: Where a sign-out of an OpenID Connect user goes next: Streamlit's own route, which clears its identity
#: cookie and ends the provider's session.
OIDC_LOGOUT_PATH: Final = "/auth/logout"

_mounted = False


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
