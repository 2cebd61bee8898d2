"""AppTest fixtures: one demo database per test session, and a signed-in viewer for every page run."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from store.users import User

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A temp SQLite with the demo loaded; DATABASE_URL points at it for the in-process app."""
    from store.db import get_engine, migrate
    from store.demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('appdb') / 'cchc.sqlite'}"
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    engine = get_engine()
    migrate(engine)
    load_demo(engine)
    engine.dispose()
    yield url
    if old is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = old


@contextlib.contextmanager
def app_db(directory: Path, *, demo: bool = True) -> Iterator[sa.Engine]:
    """A temp SQLite, migrated (and with the demo when ``demo``); DATABASE_URL points at it while open.

    Streamlit's caches are process-wide (``ui.data.engine`` is a ``st.cache_resource``), so they are cleared
    when the URL switches and again when it switches back.
    """
    from store.db import get_engine, migrate
    from store.demo import load_demo

    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'cchc.sqlite'}"
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        engine = get_engine()
        migrate(engine)
        if demo:
            load_demo(engine)
        yield engine
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
        st.cache_resource.clear()
        st.cache_data.clear()


def publish_sample(engine: sa.Engine, name: str, user: User, period: str | None = None) -> int:
    """Publish the sample file ``name`` as ``user`` through store.workflow, as Publish does; its upload id."""
    from domain.catalog import catalog
    from store.workflow import prepare, publish

    prepared = prepare(engine, name, (ROOT / "tests" / "data" / name).read_bytes(), user, catalog(), period=period)
    assert prepared.can_publish, prepared.errors
    upload_id = publish(engine, prepared, user).upload_id
    assert upload_id is not None
    return int(upload_id)


@contextlib.contextmanager
def published_demo_db(directory: Path, publishes: Sequence[tuple[str, User]]) -> Iterator[str]:
    """:func:`app_db` with the demo plus ``publishes`` (sample file name, publisher); yields its URL."""
    with app_db(directory) as engine:
        for name, user in publishes:
            publish_sample(engine, name, user)
        yield str(engine.url)


@pytest.fixture
def run_page(demo_db: str) -> Callable[..., AppTest]:
    """``run_page("pages/staff.py", period="2024")``: the page run as a signed-in viewer."""

    def _run(path: str, timeout: float = 120, **params: str | list[str]) -> AppTest:
        at = AppTest.from_file(str(ROOT / path), default_timeout=timeout)
        at.session_state["user"] = User(1, "tester", "viewer", (), False)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        return at

    return _run
