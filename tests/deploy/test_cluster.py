"""The documented deployment runs: replicas behind nginx on PostgreSQL, one app to the browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
HAVE = shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")
REQUIRED = os.environ.get("CCHC_REQUIRE_CLUSTER") == "1"


@pytest.mark.browser
def test_two_replicas_behind_nginx_share_uploads_and_sessions():
    if not HAVE or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        if REQUIRED:
            pytest.fail("nginx and postgresql are required here (CCHC_REQUIRE_CLUSTER=1)")
        pytest.skip("nginx or postgresql not installed")
    res = subprocess.run(
        [sys.executable, "deploy/cluster.py", "--replicas", "2"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.count("\nOK ") + res.stdout.startswith("OK ") >= 3, res.stdout
