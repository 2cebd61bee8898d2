"""Every sample file gives exactly its manifest.json result through the real ``python cli.py check --json``."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
MANIFEST = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
CORE = set(MANIFEST["core_indicators"])


def _run(entry: dict) -> tuple[int, dict]:
    cmd = [sys.executable, "cli.py", "check", str(DATA / entry["file"]), *entry.get("args", []), "--json"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _key(o: dict) -> tuple:
    return (o["indicator"], o["unit"], o["period"], o.get("sector"))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


@pytest.mark.parametrize("entry", MANIFEST["files"], ids=lambda e: e["file"])
def test_sample_matches_manifest(entry: dict) -> None:
    code, out = _run(entry)
    assert out["ok"] is entry["ok"], out["errors"]
    assert code == (0 if entry["ok"] else 1)
    assert out["file"] == entry["file"]
    if entry["ok"]:
        expected = {_key(o): o["value"] for o in entry["observations"]}
        got = {_key(o): o["value"] for o in out["observations"] if o["indicator"] in CORE}
        assert set(got) == set(expected), set(got) ^ set(expected)
        bad = {k: (got[k], v) for k, v in expected.items() if not _close(got[k], v)}
        assert not bad
        if entry.get("warning_expected"):
            assert out["warnings"], "a warning was expected"
        else:
            assert not out["warnings"], out["warnings"]
    else:
        want = entry["error"]
        rows = {want.get("row"), *want.get("alt_rows", [])} - {None}

        def matches(e: dict) -> bool:
            if want.get("sheet") is not None and e["sheet"] != want["sheet"]:
                return False
            if want.get("column") is not None and e["column"] != want["column"]:
                return False
            return not rows or e["row"] in rows

        assert any(matches(e) for e in out["errors"]), out["errors"]
        assert out["observations"] == []
