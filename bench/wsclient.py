"""A viewer that speaks Streamlit's own WebSocket protocol, as the frontend does, without a browser.

A session opens like the frontend: GET ``/_stcore/health`` and ``/_stcore/host-config``, then the WebSocket
``/_stcore/stream`` (subprotocol ``streamlit``) with the session cookie a signed-in browser holds
(``cli.py users token``). Every click is a ``BackMsg.rerun_script`` (``ClientState``): a page switch names
the page's script hash from the ``navigation`` message; a filter change sends the widget states the
frontend would (every widget of the last reply with its value, one of them changed; selectbox and radio
values are the shown option labels). The reply is read up to ``script_finished`` and checked: it must be
the requested page (navigation hash and its title), signed in, without an exception or an error box, and
with its charts (``plotly_chart`` elements) on the pages that have charts, unless the app says there is no
data for the chosen filters (such replies are counted).

The time of a click is from sending the message to the end of its script run: what the server costs, not
what a browser costs to draw it (Chromium tests check the drawing).
"""

from __future__ import annotations

import asyncio
import http.client
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.TextInput_pb2 import TextInput
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

from domain.i18n import t

#: A viewer's pages (url path → least charts on it). The other viewer pages draw tables and text only.
VIEWER_PAGES: dict[str, int] = {
    "overview": 1,
    "staff": 1,
    "dossiers": 1,
    "digital": 1,
    "provinces": 1,
    "ministries": 1,
    "completeness": 0,
    "brief": 0,
}
#: The app's own answer where a chart has no data for the chosen filters (an honest reply, not an error).
NO_DATA = frozenset(t("no_data", lang) for lang in ("vi", "en"))
#: Widgets a viewer changes (the filter bar); the language switch is left alone.
FILTER_KINDS = ("selectbox", "radio", "multiselect")
SKIP_WIDGET_KEYS = ("-lang",)
REPLY_TIMEOUT_S = 120.0
MAX_MESSAGES_PER_REPLY = 50_000
#: The frontend keeps large elements it was sent and lists their hashes in every rerun, so the server sends
#: a reference instead of an element it already has. Entries unused for this many runs are dropped.
CACHE_RUNS = 3
FINISHED_OK = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    options: list[str]
    value: str | list[str] | None
    max_selections: int = 0
    server_set: bool = False  # the run set the value (session state): it replaces the viewer's


@dataclass
class Reply:
    """One script run as the server sent it."""

    seconds: float = 0.0
    status: int | None = None
    page_hash: str = ""
    query_string: str | None = None
    elements: Counter[str] = field(default_factory=Counter)
    headings: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    nav: dict[str, tuple[str, str]] = field(default_factory=dict)  # url path → (script hash, title)
    bytes: int = 0
    refs: int = 0  # elements sent as a reference to the viewer's cache
    no_data: int = 0  # "no data for this selection" boxes

    @property
    def charts(self) -> int:
        return self.elements["plotly_chart"]


def _widget(kind: str, el: Any) -> Widget:
    options = list(el.options)
    value: str | list[str] | None = None
    if kind == "multiselect":
        raw = list(getattr(el, "raw_values", [])) if el.set_value else []
        value = raw or [options[i] for i in el.default if 0 <= i < len(options)]
        return Widget(el.id, kind, el.label, options, value, int(el.max_selections), bool(raw))
    if el.set_value and el.HasField("raw_value"):
        return Widget(el.id, kind, el.label, options, el.raw_value, server_set=True)
    if el.HasField("default") and 0 <= el.default < len(options):
        value = options[el.default]
    return Widget(el.id, kind, el.label, options, value)


def parse_message(raw: bytes, reply: Reply) -> ForwardMsg:
    """Fold one ForwardMsg into ``reply`` (elements, widgets, navigation, problems)."""
    msg = ForwardMsg()
    msg.ParseFromString(raw)
    reply.bytes += len(raw)
    kind = msg.WhichOneof("type")
    if kind == "delta":
        delta = msg.delta
        which = delta.WhichOneof("type")
        if which == "new_element":
            el_kind = delta.new_element.WhichOneof("type") or "?"
            reply.elements[el_kind] += 1
            el: Any = getattr(delta.new_element, el_kind, None)
            if el_kind == "heading":
                reply.headings.append(el.body)
            elif el_kind in FILTER_KINDS:
                reply.widgets[el.id] = _widget(el_kind, el)
            elif el_kind == "exception":
                reply.problems.append(f"exception {el.type}: {el.message[:120]}")
            elif el_kind == "alert" and el.format == Alert.ERROR:
                reply.problems.append(f"error box: {el.body[:120]}")
            elif el_kind == "alert" and el.body in NO_DATA:
                reply.no_data += 1
            elif el_kind == "text_input" and el.type == TextInput.PASSWORD:
                reply.problems.append("sign-in form")
        elif (
            which == "add_block"
            and delta.add_block.WhichOneof("type") == "form"
            and "login" in delta.add_block.form.form_id
        ):
            reply.problems.append("sign-in form")
    elif kind == "navigation":
        reply.page_hash = msg.navigation.page_script_hash
        reply.nav = {p.url_pathname: (p.page_script_hash, p.page_name) for p in msg.navigation.app_pages}
    elif kind == "page_info_changed":
        reply.query_string = msg.page_info_changed.query_string
    elif kind == "page_not_found":
        reply.problems.append("page not found")
    elif kind == "script_finished":
        reply.status = int(msg.script_finished)
    return msg


def _state(w: Widget) -> WidgetState | None:
    if w.value is None:
        return None
    state = WidgetState(id=w.id)
    if isinstance(w.value, list):
        state.string_array_value.data.extend(w.value)
    else:
        state.string_value = w.value
    return state


def http_get(url: str, headers: dict[str, str], timeout: float = 30, source: str | None = None) -> int:
    if source is not None:  # from a chosen local address (loopback): plain HTTP, never a proxy
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname or "", u.port, timeout=timeout, source_address=(source, 0))
        try:
            conn.request("GET", u.path or "/", headers=headers)
            r = conn.getresponse()
            r.read()
            if r.status >= 400:
                raise urllib.error.HTTPError(url, r.status, r.reason, r.headers, None)
            return int(r.status)
        finally:
            conn.close()
    req = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
    with opener.open(req, timeout=timeout) as r:
        r.read()
        return int(r.status)


class Viewer:
    """One browser tab's worth of Streamlit session, over one WebSocket."""

    def __init__(self, base: str, cookies: dict[str, str], rng: random.Random, source: str | None = None):
        """``source``: the local address to connect from (a loopback address of its own per viewer, as each
        committee member has an address of their own; the proxy's limits are per address)."""
        self.base = base.rstrip("/")
        self.source = source
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.rng = rng
        self.ws: ClientConnection | None = None
        self.last = Reply()
        self.page = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self.pages: dict[str, tuple[str, str]] = {}
        self.cache: dict[str, tuple[bytes, int]] = {}  # message hash → (message, run it was last used in)
        self.runs = 0

    async def connect(self) -> None:
        headers = {"Cookie": self.cookie}
        for path in ("/_stcore/health", "/_stcore/host-config"):
            await asyncio.to_thread(http_get, self.base + path, headers, 30, self.source)
        ws_url = "ws" + self.base.removeprefix("http") + "/_stcore/stream"
        self.ws = await connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers=headers,  # type: ignore[list-item]
            origin=self.base,
            proxy=None,
            max_size=None,
            open_timeout=60,  # type: ignore[arg-type]
            ping_interval=None,
            **({"local_addr": (self.source, 0)} if self.source else {}),
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _message(self, page_hash: str, page_name: str) -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = page_hash
        cs.page_name = page_name
        cs.widget_states.SetInParent()
        cs.cached_message_hashes.extend(self.cache)
        for w in self.widgets.values():
            state = _state(w)
            if state is not None:
                cs.widget_states.widgets.append(state)
        info = cs.context_info
        info.timezone, info.timezone_offset, info.locale = "Asia/Ho_Chi_Minh", -420, "vi-VN"
        info.url = f"{self.base}/{page_name}" + (f"?{self.query_string}" if self.query_string else "")
        return msg.SerializeToString()

    async def _run(self, page_hash: str, page_name: str) -> Reply:
        """Send one rerun and read its reply up to the end of the run (a run that reruns itself is followed)."""
        assert self.ws is not None
        started = time.monotonic()
        await self.ws.send(self._message(page_hash, page_name))
        reply = Reply()
        async with asyncio.timeout(REPLY_TIMEOUT_S):
            for _ in range(MAX_MESSAGES_PER_REPLY):
                raw = await self.ws.recv()
                if isinstance(raw, str):
                    continue
                self._receive(raw, reply)
                if reply.status is None:
                    continue
                if reply.status == FINISHED_EARLY:  # st.rerun(): the next run follows on its own
                    reply = Reply(
                        nav=reply.nav, page_hash=reply.page_hash, bytes=reply.bytes, query_string=reply.query_string
                    )
                    continue
                break
            else:
                reply.problems.append(f"no end of run after {MAX_MESSAGES_PER_REPLY} messages")
        reply.seconds = time.monotonic() - started
        self.runs += 1
        self.cache = {h: v for h, v in self.cache.items() if self.runs - v[1] <= CACHE_RUNS}
        if reply.status != FINISHED_OK and not reply.problems:
            reply.problems.append(f"script finished with status {reply.status}")
        self.last = reply
        self.pages = reply.nav or self.pages
        if reply.query_string is not None:
            self.query_string = reply.query_string
        # Widgets of this run keep their values; those the run did not draw are gone (as in the frontend).
        kept = {}
        for wid, w in reply.widgets.items():
            mine = self.widgets.get(wid)
            kept[wid] = (
                w
                if w.server_set or mine is None
                else Widget(wid, w.kind, w.label, w.options, mine.value, w.max_selections)
            )
        self.widgets = kept
        return reply

    def _receive(self, raw: bytes, reply: Reply) -> None:
        msg = parse_message(raw, reply)
        if msg.WhichOneof("type") == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                reply.problems.append(f"reference to an element never sent ({msg.ref_hash[:12]})")
                return
            reply.refs += 1
            parse_message(cached[0], reply)
            reply.bytes -= len(cached[0])  # only the reference crossed the wire
            self.cache[msg.ref_hash] = (cached[0], self.runs)
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (raw, self.runs)

    def check(self, reply: Reply, page: str) -> list[str]:
        """What is wrong with ``reply`` as the page ``page``: empty when it is the real page with its charts."""
        problems = list(reply.problems)
        wanted = self.pages.get(page)
        if wanted is None:
            problems.append(f"{page} is not in the navigation (not signed in?)")
            return problems
        if reply.page_hash != wanted[0]:
            shown = next((p for p, (h, _) in self.pages.items() if h == reply.page_hash), reply.page_hash)
            problems.append(f"asked for {page}, got {shown}")
        if wanted[1] not in reply.headings:
            problems.append(f"{page}: no title {wanted[1]!r}")
        if reply.charts < VIEWER_PAGES.get(page, 0) and not reply.no_data:
            problems.append(f"{page}: {reply.charts} charts")
        return problems

    async def open(self, page: str) -> tuple[Reply, list[str]]:
        """The first load of a page address (as typing /page): the page is named, not hashed."""
        self.page = page
        reply = await self._run("", page)
        return reply, self.check(reply, page)

    async def switch(self, page: str) -> tuple[Reply, list[str]]:
        """A click on a sidebar link: the page's script hash; the address loses its query string."""
        self.page = page
        self.query_string = ""
        page_hash = self.pages[page][0]
        reply = await self._run(page_hash, page)
        return reply, self.check(reply, page)

    def pick_filter(self) -> Widget | None:
        choices = [
            w
            for w in self.widgets.values()
            if not w.id.endswith(SKIP_WIDGET_KEYS) and len(w.options) > (0 if w.kind == "multiselect" else 1)
        ]
        return self.rng.choice(choices) if choices else None

    async def change(self, w: Widget) -> tuple[Reply, list[str]]:
        """Choose another value of one filter widget (a selectbox option, a radio button, units to compare)."""
        if w.kind == "multiselect":
            cap = w.max_selections or len(w.options)
            n = self.rng.randint(0, min(3, cap, len(w.options)))
            new: str | list[str] | None = self.rng.sample(w.options, n)
        else:
            new = self.rng.choice([o for o in w.options if o != w.value] or w.options)
        self.widgets[w.id] = Widget(w.id, w.kind, w.label, w.options, new, w.max_selections)
        page_hash = self.pages[self.page][0] if self.page in self.pages else ""
        reply = await self._run(page_hash, self.page)
        return reply, self.check(reply, self.page)
