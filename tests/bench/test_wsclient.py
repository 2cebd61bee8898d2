"""The protocol-level viewer of bench/wsload.py against a started app: the real page with its charts."""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.TextInput_pb2 import TextInput

from bench.wsclient import Reply, Viewer, parse_message
from tests.browser.harness import prepare_database, run_cli, sqlite_url, start_server, stop_server

T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: the browser tests' synchronous Playwright keeps an event loop
    running in the main thread for the whole session, and asyncio.run refuses to start beside it."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _session(base: str, cookie: str, source: str | None = None) -> list[tuple[str, int, list[str]]]:
    v = Viewer(base, {"cchc_session": cookie}, random.Random(1), source=source)
    seen = []
    try:
        await v.connect()
        reply, problems = await v.open("overview")
        seen.append(("open overview", reply.charts, problems))
        reply, problems = await v.switch("staff")
        seen.append(("switch to staff", reply.charts, problems))
        widget = v.pick_filter()
        assert widget is not None, "no filter widget read from the reply"
        reply, problems = await v.change(widget)
        seen.append((f"change {widget.label}", reply.charts, problems))
    finally:
        await v.close()
    return seen


@pytest.mark.slow
def test_signed_in_viewer_gets_real_pages_and_a_signed_out_one_is_an_error(tmp_path):
    db_url = sqlite_url(tmp_path / "cchc.sqlite")
    prepare_database(db_url, demo=True, accounts=True)
    base, proc = start_server(db_url=db_url, log_path=tmp_path / "streamlit.log")
    try:
        line = run_cli(["users", "token", "e2e_viewer", "--minutes", "10"], db_url=db_url).stdout.strip()
        name, _, token = line.partition("=")
        assert name == "cchc_session"
        # From a loopback address of its own, as bench/wsload.py connects each viewer.
        seen = _run(_session(base, token)) + _run(_session(base, token, source="127.0.0.7"))
        for what, charts, problems in seen:
            assert not problems, f"{what}: {problems}"
            assert charts >= 1, f"{what}: no chart"
        # Without a live session the reply is the sign-in form: the client counts it as an error.
        v = Viewer(base, {"cchc_session": "not-a-session"}, random.Random(2))

        async def signed_out() -> list[str]:
            await v.connect()
            try:
                return (await v.open("overview"))[1]
            finally:
                await v.close()

        problems = _run(signed_out())
        assert "sign-in form" in problems, problems
    finally:
        stop_server(proc)


def test_a_sign_in_form_an_exception_or_an_error_box_are_problems():
    reply = Reply()
    for element, values in (
        ("text_input", {"type": TextInput.PASSWORD}),
        ("exception", {"message": "boom"}),
        ("alert", {"format": 1, "body": "x"}),  # Alert.ERROR
        ("plotly_chart", {"spec": "{}"}),
    ):
        msg = ForwardMsg()
        for name, value in values.items():
            setattr(getattr(msg.delta.new_element, element), name, value)
        parse_message(msg.SerializeToString(), reply)
    assert reply.problems == ["sign-in form", "exception : boom", "error box: x"] and reply.charts == 1
