"""So sánh bộ, ngành: ministries ranked, against the other ministries, and beside the published indices."""

from __future__ import annotations

import ui

ui.compare_page("ministry")
