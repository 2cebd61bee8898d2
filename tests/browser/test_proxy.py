"""The proxy template in front of the app: security headers on every response, metrics not public, uploads
and downloads only with a session cookie and within CCHC_UPLOAD_MAX_MB, per-address request limits, and the
app still works in Chromium under its Content-Security-Policy."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from deploy.cluster import free_port, nginx_conf

from .harness import login_as, wait_for_app

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def proxy(app_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(NGINX).exists():
        pytest.skip("nginx not installed")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    (prefix / "nginx.conf").write_text(nginx_conf(f"127.0.0.1:{port}", [urlparse(app_server).netloc], prefix, "1"))
    subprocess.run([NGINX, "-t", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], check=True, capture_output=True)
    proc = subprocess.Popen(
        [NGINX, "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-g", "daemon off;"], start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def call(url: str, method: str = "GET", body: bytes | None = None, cookie: str = "") -> tuple[int, Any]:
    req = urllib.request.Request(url, data=body, method=method, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, res.headers
    except urllib.error.HTTPError as err:
        return err.code, err.headers


def test_security_headers_metrics_uploads_and_downloads(proxy: str) -> None:
    status, headers = call(proxy + "/")
    assert status == 200
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY" and "nginx/" not in (headers["Server"] or "")
    assert call(proxy + "/_stcore/metrics")[0] == 404
    upload = proxy + "/_stcore/upload_file/some-session/some-file"
    assert call(upload, "PUT", b"x" * 100)[0] == 403  # no session cookie: no upload reaches the replica
    assert call(proxy + "/media/0123abcd.xlsx")[0] == 403  # nor any download
    assert call(upload, "PUT", b"x" * (2 << 20), cookie="cchc_session=t")[0] == 413  # over CCHC_UPLOAD_MAX_MB (1)
    codes = [call(upload, "PUT", b"x", cookie="cchc_session=t")[0] for _ in range(15)]
    assert 429 in codes  # per-address upload limit


def test_the_app_works_under_its_csp(proxy: str, page: Any) -> None:
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(proxy + "/")
    wait_for_app(page)
    login_as(page, "viewer")
    page.goto(proxy + "/staff")
    wait_for_app(page)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(state="visible", timeout=60_000)
    assert not violations, violations
