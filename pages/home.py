"""The app's root address ("/"): opens the overview at /overview with the same filters.

The router serves its default page at "/" and then answers "/overview" with "page not found"; a hidden
default page that forwards keeps both addresses working. It shows nothing, so it needs no role check:
the overview it opens checks the role.
"""

from __future__ import annotations

import ui

ui.go_to_overview()
