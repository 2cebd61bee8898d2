"""Sign-in through an OpenID Connect provider, end to end in Chromium: oidc-provider-mock on loopback, the
app configured in a temporary secrets.toml exactly as deploy/README.md §1 says.

A confirmed e-mail mapped with ``cli.py users email`` lands with its account's role; an unknown one gets
"no account" and no data; sign-out ends our session and the provider's identity cookie.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from .harness import (
    TEST_ACCOUNTS,
    free_port,
    needs_login,
    prepare_database,
    run_cli,
    session_cookie,
    sqlite_url,
    start_server,
    stop_server,
    wait_for_app,
)

MAPPED = "thuky@sonoivu.example.vn"
UNKNOWN = "nguoi-la@example.org"
SSO_BUTTON = "Đăng nhập một lần (tài khoản của cơ quan)"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    mock = pytest.importorskip("oidc_provider_mock")
    old = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider's own check: plain http on loopback
    users = [
        mock.User(sub="thuky", claims={"email": MAPPED, "email_verified": True, "name": "Thư ký"}),
        mock.User(sub="nguoila", claims={"email": UNKNOWN, "email_verified": True}),
        mock.User(sub="chuaxacnhan", claims={"email": MAPPED, "email_verified": False}),
    ]
    try:
        with mock.run_server_in_thread(port=0, user_claims=users) as server:
            yield f"http://localhost:{server.server_port}"
    finally:
        if old is None:
            os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["AUTHLIB_INSECURE_TRANSPORT"] = old


@pytest.fixture(scope="module")
def sso_app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("oidc")
    db_url = sqlite_url(tmp / "cchc.sqlite")
    prepare_database(db_url, demo=True)
    run_cli(["users", "email", TEST_ACCOUNTS["secretariat"][0], MAPPED], db_url=db_url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secrets_file = tmp / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{base}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "cchc-dashboard"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    url, proc = start_server(
        db_url=db_url, port=port, extra_args=("--secrets.files", str(secrets_file)), log_path=tmp / "streamlit.log"
    )
    try:
        yield url, db_url
    finally:
        stop_server(proc)


def _sign_in_at_provider(page: Any, base: str, provider: str, sub: str) -> None:
    page.goto(base + "/overview")
    wait_for_app(page)
    # A loaded machine may report the new session's connection before its first run has drawn anything.
    page.locator('[data-testid="stForm"] input[type="password"]').first.wait_for(timeout=60_000)
    assert needs_login(page)
    page.get_by_role("button", name=SSO_BUTTON).click()
    page.wait_for_url(provider + "/oauth2/authorize**", timeout=60_000)
    page.locator(f'button[name="sub"][value="{sub}"]').click()
    # Back through /oauth2callback and, when an account is found, /_cchc/session.
    page.wait_for_url(base + "/**", timeout=60_000)
    page.wait_for_function(
        "() => !location.pathname.startsWith('/_cchc/') && location.pathname !== '/oauth2callback'",
        timeout=60_000,
    )
    wait_for_app(page)


def _oidc_audit(db_url: str, action: str) -> list[str]:
    """The targets of the provider's sign-ins (``via: oidc``) audited as ``action``."""
    from store.db import make_engine
    from store.history import audit_frame

    engine = make_engine(db_url)
    try:
        log = audit_frame(engine)
    finally:
        engine.dispose()
    rows = log[(log["action"] == action) & log["detail"].astype(str).str.contains("oidc")]
    return [str(v) for v in rows["target"]]


def _sidebar(page: Any) -> str:
    return str(page.locator('[data-testid="stSidebar"]').inner_text())


def test_a_mapped_email_lands_with_its_role_and_sign_out_ends_both(
    sso_app: tuple[str, str], provider: str, page: Any
) -> None:
    base, db_url = sso_app
    _sign_in_at_provider(page, base, provider, "thuky")
    name = TEST_ACCOUNTS["secretariat"][0]
    page.get_by_text(f"{name} (thư ký)").wait_for(timeout=60_000)
    assert name in _oidc_audit(db_url, "login")
    assert not needs_login(page)
    cookie = session_cookie(page)
    assert cookie is not None and cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert "cchc_session" not in page.evaluate("document.cookie")
    assert "Tải báo cáo lên" in _sidebar(page)  # the secretariat's pages
    page.reload()
    wait_for_app(page)
    assert f"{name} (thư ký)" in _sidebar(page)  # a reload keeps the sign-in (our cookie)

    page.get_by_role("button", name="Đăng xuất").click()
    # Our cookie is cleared, then Streamlit's sign-out clears its identity and asks the provider.
    page.wait_for_url(provider + "/oauth2/end_session**", timeout=60_000)
    assert session_cookie(page) is None
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(base + "/**", timeout=60_000)
    wait_for_app(page)
    assert needs_login(page) and session_cookie(page) is None


@pytest.mark.parametrize("sub", ["nguoila", "chuaxacnhan"])
def test_an_unknown_or_unconfirmed_email_gets_no_account_and_no_data(
    sso_app: tuple[str, str], provider: str, page: Any, sub: str
) -> None:
    base, db_url = sso_app
    _sign_in_at_provider(page, base, provider, sub)
    page.get_by_text("Không có tài khoản nào gắn với địa chỉ thư điện tử đã xác nhận").wait_for(timeout=60_000)
    if sub == "nguoila":
        assert UNKNOWN in _oidc_audit(db_url, "login_failed")  # refused, and audited
    assert session_cookie(page) is None
    assert page.locator('[data-testid="stMetric"], [data-testid="stPlotlyChart"]').count() == 0
    assert page.locator('input[type="password"]').count() == 0  # nothing else: only a way out
    assert page.get_by_role("button", name="Đăng xuất khỏi tài khoản của cơ quan").count() == 1


def test_without_auth_settings_there_is_no_provider_button(app_server: str, page: Any) -> None:
    page.goto(app_server + "/overview")
    wait_for_app(page)
    assert needs_login(page)
    assert page.get_by_role("button", name=SSO_BUTTON).count() == 0
