"""Restart the app and the database under an open session: a clear message, then recovery, nothing lost."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.browser.harness import open_as, prepare_database, start_server, stop_server, wait_for_app

ROOT = Path(__file__).resolve().parent.parent.parent
HAVE_PG = bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def postgres():
    if not HAVE_PG:
        if os.environ.get("CCHC_REQUIRE_CLUSTER") == "1":
            pytest.fail("postgresql is required here")
        pytest.skip("postgresql not installed")
    parent = Path(tempfile.mkdtemp(prefix="cchc-restart-pg-"))
    parent.chmod(0o755)
    env = {**os.environ, "CCHC_PG_DIR": str(parent / "pg"), "CCHC_PG_PORT": str(free_port())}

    def pg(action: str) -> str:
        return subprocess.run(
            ["bash", "scripts/pg.sh", action], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    url = pg("start")
    yield url, pg
    pg("stop")


def staff_metric_text(page, expected: str | None = None) -> str:
    """Every card's value once the page has drawn them all (the staff figure 16.149 is among them).

    A reload after an outage signs in from the cookie and reruns, so a read between the two runs sees
    a half-drawn page. The read is repeated (up to 60 s) until it matches ``expected``, or without one
    until two reads a second apart agree; the last read is returned either way, so a page whose figures
    never come back still fails the comparison.
    """
    texts = ""
    previous = None
    for _ in range(60):
        wait_for_app(page)
        page.get_by_text("16.149").first.wait_for(timeout=60_000)
        values = page.locator('[data-testid="stMetricValue"]')
        values.first.wait_for(timeout=60_000)
        texts = " | ".join(sorted(values.all_inner_texts()))
        if texts == (expected if expected is not None else previous):
            return texts
        previous = texts
        page.wait_for_timeout(1_000)
    return texts


@pytest.mark.browser
def test_app_and_database_restart_during_a_session(postgres, page):
    url, pg = postgres
    prepare_database(url)
    port = free_port()
    base, proc = start_server(db_url=url, port=port)
    try:
        open_as(page, f"{base}/overview?period=2024")
        before = staff_metric_text(page)
        assert "16.149" in page.content()

        pg("pause")  # the database goes away under an open session
        page.reload()
        wait_for_app(page)
        message = page.get_by_text("Tạm thời không kết nối được cơ sở dữ liệu")
        message.first.wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0

        pg("resume")
        page.reload()
        wait_for_app(page)
        assert staff_metric_text(page, before) == before  # still signed in (session row survived), same figures

        stop_server(proc)  # the app goes away: the browser shows Streamlit's reconnecting state
        base, proc = start_server(db_url=url, port=port)
        page.reload()
        wait_for_app(page)
        assert staff_metric_text(page, before) == before
        assert page.locator('input[type="password"]').count() == 0  # the session cookie still signs in
    finally:
        stop_server(proc)
