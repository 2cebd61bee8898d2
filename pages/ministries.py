"""So sánh bộ, ngành: ministries ranked, against the other ministries, and beside the published indices."""

from __future__ import annotations

from pages.layouts.compare import compare_page

compare_page("ministry")
