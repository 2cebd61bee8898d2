"""The proxy's Content-Security-Policy allows no inline script but the one Streamlit's own page carries."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import streamlit

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf.template"


def _script_src() -> list[str]:
    csp = re.search(r'set \$cchc_csp "([^"]+)"', TEMPLATE.read_text(encoding="utf-8"))
    assert csp is not None
    directive = next(d.strip() for d in csp.group(1).split(";") if d.strip().startswith("script-src "))
    return directive.split()[1:]


def test_no_unsafe_inline_script_only_the_hash_of_streamlits_own():
    sources = _script_src()
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script>(.*?)</script>", index, re.DOTALL)
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
    # An upgrade of Streamlit that changes its inline script fails here first, not in a user's browser.
    assert {s for s in sources if s.startswith("'sha256-")} == hashes
