"""What a page run carries from its setup to its last block: engine, data version, user, language, charts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from store.db import Engine
from store.users import User


@dataclass
class PageCharts:
    """The charts one page run has drawn, for the page's one-workbook download (:func:`ui.page.page_footer`).

    Held by the run's :class:`Ctx`, which every block receives, rather than hidden in session state. Keyed
    by the block key, so a fragment that reruns replaces its own charts instead of adding copies.
    """

    sheets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, key: str, fig: go.Figure, data: pd.DataFrame, source: str, notes: Sequence[str]) -> None:
        """Remember a drawn chart: its title and axis unit (from the figure), data, source and notes."""
        y_title = fig.layout.yaxis.title.text if fig.layout.yaxis and fig.layout.yaxis.title else ""
        x_title = fig.layout.xaxis.title.text if fig.layout.xaxis and fig.layout.xaxis.title else ""
        self.sheets[key] = {
            "title": str(fig.layout.title.text or "").replace("<br>", " "),
            "data": data,
            "source": source,
            "notes": list(notes),
            "unit": y_title or x_title or "",
        }

    def as_list(self) -> list[dict[str, object]]:
        """The charts in the order they were drawn, as :func:`charts.export.workbook_bytes` takes them."""
        return list(self.sheets.values())


@dataclass(frozen=True)
class Ctx:
    """What a page needs after setup: the engine, the data version, the user, the language and the charts
    drawn so far (one :class:`PageCharts` per run)."""

    engine: Engine
    token: str
    user: User
    lang: str
    charts: PageCharts = field(default_factory=PageCharts, compare=False)
