"""The app's root address ("/") shows the overview, as /overview does.

The router serves its default page at "/" and answers the default page's own name with "page not found",
so the overview is registered at /overview and this hidden default page draws the same overview (it
runs pages/overview.py, which signs in and checks the role itself). Drawing it here instead of
forwarding keeps a sign-in on "/" from racing a page switch.
"""

from __future__ import annotations

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).with_name("overview.py")), run_name="__main__")
