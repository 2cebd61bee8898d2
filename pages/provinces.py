"""So sánh địa phương: provinces on a map, ranked, against their region's peers, and beside the published indices."""

from __future__ import annotations

from pages.layouts.compare import compare_page

compare_page("province")
