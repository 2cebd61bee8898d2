"""Every page once: its file, menu title, icon, address and the least role that may open it.

The router (dashboard.py) builds its menu from :data:`PAGES` and every page checks its own role from here
(:func:`ui.page.page_setup`), so a page's role is written in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.roles import ROLES


@dataclass(frozen=True)
class PageSpec:
    """One page of the menu; ``name`` is its file under pages/ and its address (``/staff``)."""

    name: str
    icon: str
    role: str

    @property
    def path(self) -> str:
        """The page's script, relative to the repository root."""
        return f"pages/{self.name}.py"

    @property
    def title_key(self) -> str:
        """The interface string that names the page (``nav_<name>``)."""
        return f"nav_{self.name}"


#: The committee's pages first, then the secretariat's, then the administrator's.
PAGES = (
    PageSpec("overview", "ℹ️", "viewer"),
    PageSpec("staff", "✂️", "viewer"),
    PageSpec("dossiers", "✉️", "viewer"),
    PageSpec("digital", "⚡", "viewer"),
    PageSpec("provinces", "⚖️", "viewer"),
    PageSpec("ministries", "✒️", "viewer"),
    PageSpec("profile", "✳️", "viewer"),
    PageSpec("completeness", "☑️", "viewer"),
    PageSpec("brief", "✏️", "viewer"),
    PageSpec("upload", "⬆️", "secretariat"),
    PageSpec("history", "↩️", "secretariat"),
    PageSpec("audit", "✍️", "admin"),
    PageSpec("mappings", "♻️", "admin"),
    PageSpec("users", "⚙️", "admin"),
)
BY_NAME = {p.name: p for p in PAGES}


def required_role(page_or_role: str) -> str:
    """The least role for a page named in :data:`PAGES`; a role name is taken as it is (the older call
    ``page_setup("secretariat")``, which the architecture test checks against this registry)."""
    if page_or_role in BY_NAME:
        return BY_NAME[page_or_role].role
    if page_or_role in ROLES:
        return page_or_role
    raise KeyError(f"unknown page or role: {page_or_role}")
