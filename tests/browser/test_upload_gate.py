"""Streamlit's upload and media paths, reached without the proxy: only a live session of the right role gets in.

An upload body is kept in the replica's memory and a download may be an original holding personal data, so
the app refuses both before Streamlit reads the request (``ui.session_routes.SessionGate``), whatever the
proxy in front does. No browser is needed: these are plain HTTP requests with or without the cookie.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import TEST_ACCOUNTS, prepare_database, run_cli, sqlite_url, start_server, stop_server

REFUSED = "Sign in with the right role first."


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    db_url = sqlite_url(Path(tmp_path_factory.mktemp("gate")) / "cchc.sqlite")
    prepare_database(db_url, demo=False, accounts=True)
    cookies = {}
    for role, (name, _) in TEST_ACCOUNTS.items():
        line = run_cli(["users", "token", name, "--minutes", "10"], db_url=db_url).stdout.strip()
        cookies[role] = line
    cookies["ended"] = "cchc_session=not-a-live-session"
    url, proc = start_server(db_url=db_url)
    try:
        yield url, cookies
    finally:
        stop_server(proc)


def _answer(url: str, method: str, cookie: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=b"x" * 1024 if method == "PUT" else None, method=method)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("path", "method", "who", "let_through"),
    [
        ("/_stcore/upload_file/some-session/some-file", "PUT", None, False),
        ("/_stcore/upload_file/some-session/some-file", "PUT", "ended", False),
        ("/_stcore/upload_file/some-session/some-file", "PUT", "viewer", False),
        ("/_stcore/upload_file/some-session/some-file", "PUT", "secretariat", True),
        ("/_stcore/upload_file/some-session/some-file", "PUT", "admin", True),
        ("/media/0123456789abcdef.xlsx", "GET", None, False),
        ("/media/0123456789abcdef.xlsx", "GET", "ended", False),
        ("/media/0123456789abcdef.xlsx", "GET", "viewer", True),
    ],
)
def test_files_only_for_a_live_session_of_the_right_role(gate, path, method, who, let_through):
    url, cookies = gate
    status, body = _answer(url + path, method, cookies.get(who) if who else None)
    if let_through:  # past the gate Streamlit answers for itself (no such session or file, no XSRF token)
        assert REFUSED not in body, (status, body)
    else:
        assert status == 403 and REFUSED in body, (status, body)


def test_pages_and_health_are_not_gated(gate):
    url, _ = gate
    assert _answer(url + "/_stcore/health", "GET", None)[0] == 200
