"""So sánh địa phương: provinces on a map, ranked, against their region's peers, and beside the published indices."""

from __future__ import annotations

import ui

ui.compare_page("province")
