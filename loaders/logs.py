"""One log format for the app, the command line and the parsing child processes (all on stderr).

A user who is shown "reference 3f9a…" can hand it to an administrator, who finds the traceback with it.
"""

from __future__ import annotations

import logging
import os
import sys

LOG_FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def setup_logging() -> None:
    """Configure the root logger once (level from CCHC_LOG_LEVEL, default INFO); later calls do nothing."""
    root = logging.getLogger()
    if getattr(root, "_cchc_configured", False):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    level = os.environ.get("CCHC_LOG_LEVEL", "INFO").upper()
    root.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a migration check on every command says nothing
    root._cchc_configured = True  # type: ignore[attr-defined]
