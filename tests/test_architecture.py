"""Imports point down only: dashboard → pages → ui/charts/store → loaders → domain.

Parsed from the source with ``ast`` so the arrows stay honest as the code grows. Streamlit is imported only
by dashboard.py, pages/ and ui/, pandas not by pages/; each page's role is the registry's (ui/registry.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"domain", "loaders", "store", "charts", "pages", "ui", "cli", "dashboard", "serve", "analysis", "reports"}

#: What each layer may import of ours (itself included).
ALLOWED = {
    "domain": {"domain"},
    "loaders": {"domain", "loaders"},
    "store": {"domain", "loaders", "store"},
    "charts": {"domain", "charts", "analysis"},
    "analysis": {"domain", "analysis"},
    "reports": {"domain", "charts", "store", "analysis", "reports"},
    "ui": {"domain", "charts", "store", "loaders", "analysis", "reports", "ui"},
    "pages": {"domain", "charts", "store", "loaders", "ui", "analysis", "reports", "pages"},
    "cli": {"domain", "store", "loaders", "charts", "analysis", "reports"},
    "dashboard": {"ui", "domain", "pages"},
    # The server's entry point: Streamlit's app (dashboard.py) plus the session routes of ui/.
    "serve": {"ui"},
}
STREAMLIT_OK = {"ui", "pages", "dashboard", "serve"}
SQL_OK = {"store"}
#: Pages hold widgets and calls only: frame maths lives in analysis/ (tested on small frames), layouts in charts/.
NO_PANDAS = {"pages", "dashboard"}


def layer_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def sources() -> list[Path]:
    files = []
    for p in ROOT.rglob("*.py"):
        rel = p.relative_to(ROOT)
        if rel.parts[0] in {".venv", "tests", "bench", "deploy"} or "migrations" in rel.parts:
            continue
        if layer_of(p) in ALLOWED:
            files.append(p)
    return sorted(files)


def imported_top_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_there_is_code_to_check():
    layers = {layer_of(p) for p in sources()}
    assert {"domain", "store", "charts", "pages", "ui", "cli", "dashboard", "serve"} <= layers


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path):
    layer = layer_of(path)
    names = imported_top_names(path)
    ours = names & OURS
    assert ours <= ALLOWED[layer], f"{path.relative_to(ROOT)} imports {sorted(ours - ALLOWED[layer])}"
    if layer not in STREAMLIT_OK:
        assert "streamlit" not in names, f"{path.relative_to(ROOT)} imports streamlit"
    if layer in NO_PANDAS:
        assert "pandas" not in names, f"{path.relative_to(ROOT)} imports pandas (frame maths goes in analysis/)"
    if layer not in SQL_OK:
        assert "sqlalchemy" not in names and "sqlite3" not in names, f"{path.relative_to(ROOT)} uses SQL"


def test_streamlit_is_only_in_the_ui_layers():
    users = {layer_of(p) for p in sources() if "streamlit" in imported_top_names(p)}
    assert users <= STREAMLIT_OK, users
    assert (ROOT / "ui" / "__init__.py").exists() and not (ROOT / "ui.py").exists()


@pytest.mark.parametrize("path", sorted((ROOT / "ui").glob("*.py")), ids=lambda p: p.name)
def test_ui_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, f"ui/{path.name} is over 300 lines"


def _setup_argument(path: Path) -> str | None:
    """The string a page passes to ui.page_setup / ui.open_page / ui.open_filtered_page (None: no call)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"page_setup", "open_page", "open_filtered_page"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            return str(node.args[0].value)
    return None


@pytest.mark.parametrize("name", [p.stem for p in sorted((ROOT / "pages").glob("*.py"))])
def test_every_page_checks_the_registry_role(name):
    from ui.registry import BY_NAME, required_role

    if name == "home":  # draws pages/overview.py
        return
    if name in ("provinces", "ministries"):  # the shared layout names the page by its kind
        assert _setup_argument(ROOT / "pages" / "layouts" / "compare.py") is None
        return
    assert name in BY_NAME, f"pages/{name}.py is not in ui/registry.py"
    arg = _setup_argument(ROOT / "pages" / f"{name}.py")
    assert arg is not None, f"pages/{name}.py does not open with ui.page_setup / ui.open_page"
    assert required_role(arg) == BY_NAME[name].role, f"pages/{name}.py checks {arg!r}"
