"""Sign-in through the organisation's OpenID Connect provider: Streamlit's own ``st.login`` / ``st.user``.

Configured in ``.streamlit/secrets.toml`` as Streamlit documents (``[auth]`` with ``redirect_uri``,
``cookie_secret``, ``client_id``, ``client_secret``, ``server_metadata_url``; deploy/README.md §1). The
provider's confirmed e-mail (``email`` with ``email_verified`` true) names an account
(``cli.py users email NAME ADDRESS``); that account's role and scope apply, through a session of our own
like a password sign-in (idle sign-out, role changes, the HttpOnly cookie). An unknown e-mail gets "no
account" and nothing else.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from domain.i18n import t
from domain.plain import md_plain
from store.db import Engine
from store.users import User, login_by_email
from ui.url_state import lang

#: An identity from the provider opens a session only this soon after the provider confirmed it: an old
#: Streamlit identity cookie (30 days) does not silently sign the browser in again after an idle sign-out.
FRESH_SECONDS = 300
_REQUIRED = ("redirect_uri", "cookie_secret", "client_id", "server_metadata_url")


def configured() -> bool:
    """True when ``[auth]`` in secrets.toml names a provider (the sign-in button shows only then)."""
    from streamlit.errors import StreamlitSecretNotFoundError

    try:
        auth: Any = st.secrets.get("auth")
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return False
    return hasattr(auth, "get") and all(auth.get(key) for key in _REQUIRED)


def signed_in_with_provider() -> bool:
    return configured() and bool(st.user.get("is_logged_in"))


def _confirmed_email() -> str | None:
    """The provider's e-mail for this browser when it is confirmed and freshly so, else None."""
    if not signed_in_with_provider():
        return None
    email, verified, issued = st.user.get("email"), st.user.get("email_verified"), st.user.get("iat")
    if not isinstance(email, str) or not email.strip() or verified is not True:
        return ""  # signed in at the provider, but with no confirmed e-mail: no account
    if not isinstance(issued, int | float) or time.time() - float(issued) > FRESH_SECONDS:
        return None  # an old identity: sign in at the provider again
    return email.strip()


def mapped_user(engine: Engine) -> User | None:
    """The account the provider's confirmed e-mail names (checked once per browser tab and identity), or
    None; an unknown or unconfirmed e-mail is remembered for :func:`provider_panel`'s message."""
    email = _confirmed_email()
    if email is None:
        return None
    if st.session_state.get("oidc_no_account") == email:
        return None  # already refused (and audited) for this tab
    user = login_by_email(engine, email) if email else None
    if user is None:
        st.session_state["oidc_no_account"] = email
    return user


def provider_panel() -> bool:
    """The sign-in form's provider part: "no account" (and only a way out) for an unknown e-mail, else the
    sign-in button when a provider is configured. True when the local form must not be shown."""
    if not configured():
        return False
    lg = lang()
    refused = st.session_state.get("oidc_no_account")
    if isinstance(refused, str) and signed_in_with_provider():
        st.error(t("oidc_no_account", lg, email=md_plain(refused or "?")))
        if st.button(t("oidc_signout", lg), key="oidc_signout"):
            st.logout()
        return True
    if st.button(t("login_oidc", lg), key="oidc_login"):
        st.session_state.pop("oidc_no_account", None)
        st.login()
    return False
