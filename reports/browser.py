"""The system Chromium every headless render uses (page PDFs, chart images, the cluster and browser tests).

One path and one set of flags: offline (no background networking, updates or sync), no GPU, and no sandbox
because CI runs as root. ``CCHC_CHROMIUM`` points elsewhere where Chromium lives in another place.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
