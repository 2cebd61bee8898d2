"""Load measured at the server: N signed-in viewers speaking Streamlit's WebSocket protocol (no browsers).

    .venv/bin/python bench/wsload.py [--viewers 1 10 20 40] [--seconds 60] [--replicas 2]
                                     [--setups single replicas] [--gc config|on|off|freeze] [--profile DIR]

bench/load.py drives Chromium contexts on the same cores as the servers, so it mostly measures the
browsers. This test uses bench/wsclient.py instead: each viewer is one Streamlit session over one
WebSocket, signed in with its own session cookie (``store.users.mint_session``, what ``cli.py users
token`` prints), switching pages and changing filters through widget states as the frontend sends them,
0.5–2 s between clicks; every reply is checked to be the requested page with its charts (a sign-in form,
an exception or an error box is an error). Each viewer connects from a loopback address of its own
(127.0.0.2, 127.0.0.3, …), as each committee member has their own: the proxy's limits are per address.

The production layout of deploy/cluster.py on loopback (PostgreSQL, the replicas, nginx) is started once;
"single" sends every viewer straight to replica 0 (one process alone), "replicas" goes through nginx
with each viewer's routing cookie chosen so the viewers are spread evenly. Before measuring, each replica
is warmed (one viewer opens every page once, then the replicas' background warm-up of a new data version
is waited for, at most 120 s). Per setup and number of viewers: median, p95 and max per
kind (open = a session's first page, page = a sidebar switch, filter = a widget change), interactions per
second, errors, the CPU the server processes used (in cores, of the machine's cores) and what the whole
machine was busy with meanwhile (other users of the machine show there), the client's own CPU, and the
replicas' memory.

--gc: ``config`` uses .streamlit/config.toml as committed; ``on`` / ``off`` override Streamlit's full
garbage collection after every script run (runner.postScriptGC) for the replicas; ``freeze`` keeps it on
and calls gc.freeze() in every replica after the warm-up. Every garbage collection of the replicas is
timed (bench/gchooks): the GC column is the time they spent collecting and its share of their CPU.
--profile DIR records a py-spy profile (``py-spy`` on PATH or $PY_SPY) of replica 0 during the "single"
run with 20 viewers (--profile-viewers), shown as shares of busy time (full GC after runs, page scripts,
event loop) and the top functions.
Bounded: every cell lasts --seconds (in-flight clicks finish, at most 120 s each); loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.wsclient import VIEWER_PAGES, Viewer  # noqa: E402
from deploy.cluster import Cluster  # noqa: E402

VIEWER = "nguoixem"  # the viewer account deploy/cluster.py creates
THINK_S = (0.5, 2.0)
MAX_CLICKS_PER_VIEWER = 10_000
MAX_RECONNECTS = 3
TARGETS = "targets: 40 viewers on the replicas median ≤ 1 s and p95 ≤ 3 s; one process, 20 viewers: median ≤ 0.5 s"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Cell:
    setup: str
    viewers: int
    seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    no_data: int = 0  # replies that said "no data for this selection" instead of a chart
    server_cpu_s: float = 0.0
    db_cpu_s: float = 0.0
    machine_busy: float = 0.0
    client_cpu_s: float = 0.0
    rss_mb: list[float] = field(default_factory=list)
    gc_s: float = 0.0  # seconds the server processes spent in garbage collection
    gc_full: int = 0  # full (generation 2) collections
    tracked: int = 0  # objects the collector tracks in the server processes at the end

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)

    def error(self, text: str) -> None:
        self.error_count += 1
        if len(self.errors) < 30:
            self.errors.append(text)

    @property
    def interactions(self) -> list[float]:
        return self.times.get("page", []) + self.times.get("filter", [])


# --- processes: CPU and memory from /proc -----------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds used so far by the processes ``roots`` and all their descendants."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (s := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = s
    total, wanted = 0.0, set(roots)
    for pid, (_, cpu) in stats.items():
        p, hops = pid, 0
        while p and hops < 20:
            if p in wanted:
                total += cpu
                break
            p, hops = stats.get(p, (0, 0.0))[0], hops + 1
    return total


def wait_idle(pids: list[int], limit_s: float = 120.0, below: float = 0.15) -> float:
    """Wait (at most ``limit_s``) until the processes use less than ``below`` of a core over 2 s: a replica
    warms its caches in the background after the warm-up viewer's first run. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        before = sum(s[1] for p in pids if (s := _stat(p)) is not None)
        time.sleep(2.0)
        if sum(s[1] for p in pids if (s := _stat(p)) is not None) - before < 2.0 * below:
            break
    return time.monotonic() - started


def rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def gc_totals(pids: list[int], folder: Path) -> tuple[float, int, int]:
    """(seconds in GC, full collections, objects tracked now) so far, summed over ``pids`` (bench/gchooks
    writes them on SIGUSR2)."""
    asked = time.time()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGUSR2)
    seconds, full, tracked = 0.0, 0, 0
    for pid in pids:
        path = folder / f"gc-{pid}.json"
        for _ in range(50):  # up to 5 s for the process to answer
            if path.exists() and path.stat().st_mtime >= asked - 0.01:
                break
            time.sleep(0.1)
        with contextlib.suppress(OSError, ValueError):
            totals = json.loads(path.read_text())["collections"]
            seconds += sum(float(v[1]) for v in totals.values())
            full += int(totals["2"][0])
            tracked += int(json.loads(path.read_text()).get("tracked", 0))
    return seconds, full, tracked


def postmaster_pid(cluster: Cluster) -> int | None:
    pidfile = Path(cluster.pg_env["CCHC_PG_DIR"]) / "data" / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int(pidfile.read_text().splitlines()[0])
    return None


# --- viewers ---------------------------------------------------------------------------------------------------------


def viewer_address(i: int) -> str:
    """Viewer i's own loopback address (127.0.0.2, …): the proxy limits WebSockets per address (deploy/README.md
    §4), and 40 committee members are 40 addresses, not one."""
    return f"127.0.{(i + 2) // 256}.{(i + 2) % 256}"


async def viewer_loop(
    i: int, base: str, cookies: dict[str, str], deadline: float, cell: Cell, seed: int, start_delay: float
) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(start_delay)
    pages = list(VIEWER_PAGES)
    reconnects = 0
    while time.monotonic() < deadline and reconnects <= MAX_RECONNECTS:
        v = Viewer(base, cookies, rng, source=viewer_address(i))
        try:
            await v.connect()
            started = time.monotonic()
            _, problems = await v.open(rng.choice(pages))
            cell.add("open", time.monotonic() - started)
            for p in problems:
                cell.error(f"viewer {i} open {v.page}: {p}")
            for _ in range(MAX_CLICKS_PER_VIEWER):
                await asyncio.sleep(rng.uniform(*THINK_S))  # a person reads before the next click
                if time.monotonic() >= deadline:
                    break
                widget = v.pick_filter() if rng.random() < 0.5 else None
                started = time.monotonic()
                if widget is None:
                    kind = "page"
                    reply, problems = await v.switch(rng.choice([p for p in pages if p != v.page]))
                else:
                    kind = "filter"
                    reply, problems = await v.change(widget)
                cell.add(kind, time.monotonic() - started)
                cell.no_data += reply.no_data > 0 and reply.charts == 0
                for p in problems:
                    cell.error(f"viewer {i} {kind} {v.page}: {p}")
            return
        except Exception as exc:  # a dropped connection or a reply that never ended: an error, then a reload
            cell.error(f"viewer {i}: {type(exc).__name__}: {str(exc)[:160]}")
            reconnects += 1
            await asyncio.sleep(1)
        finally:
            with contextlib.suppress(Exception):
                await v.close()


async def drive(bases: list[str], cookies: list[dict[str, str]], seconds: float, cell: Cell, seed: int) -> None:
    deadline = time.monotonic() + seconds
    stagger = min(3.0, seconds / 4)
    rng = random.Random(seed)
    await asyncio.gather(
        *(
            viewer_loop(i, bases[i % len(bases)], cookies[i], deadline, cell, seed * 1000 + i, rng.uniform(0, stagger))
            for i in range(len(cookies))
        )
    )


async def warm(base: str, cookie: dict[str, str]) -> list[str]:
    """One viewer opens every viewer page once (first runs fill the caches of this replica)."""
    v = Viewer(base, cookie, random.Random(0))
    problems: list[str] = []
    try:
        await v.connect()
        _, found = await v.open("overview")
        problems += found
        for page in VIEWER_PAGES:
            _, found = await v.switch(page)
            problems += found
    finally:
        await v.close()
    return problems


def route_cookies(cluster: Cluster, n: int) -> list[str]:
    """n routing cookies that nginx sends to the replicas in turn (viewer i to replica i mod replicas)."""
    pools: dict[str, list[str]] = {}
    per_replica = -(-n // cluster.n)
    for probe in range(20 * n + 50):  # bounded: the consistent hash spreads names about evenly
        if len(pools) == cluster.n and all(len(p) >= per_replica for p in pools.values()):
            break
        cookie = f"viewer-{probe}"
        pools.setdefault(cluster.replica_for(cookie), []).append(cookie)
    order = list(pools.values())
    return [
        order[i % len(order)][i // len(order)] if i // len(order) < len(order[i % len(order)]) else f"viewer-extra-{i}"
        for i in range(n)
    ]


# --- one setup -------------------------------------------------------------------------------------------------------


def measure(
    cluster: Cluster, setup: str, viewers: int, seconds: float, tokens: list[str], routes: list[str], seed: int
) -> Cell:
    cell = Cell(setup, viewers)
    if setup == "single":
        bases = [f"http://127.0.0.1:{cluster.ports[0]}"]
        server_pids = [cluster.procs[0].pid]
        cookies = [{"cchc_session": tokens[i]} for i in range(viewers)]
    else:
        bases = [f"http://127.0.0.1:{cluster.front}"]
        server_pids = [p.pid for p in cluster.procs]  # the replicas and nginx
        cookies = [{"cchc_session": tokens[i], "cchc_route": routes[i]} for i in range(viewers)]
    pg = postmaster_pid(cluster)
    replicas = server_pids if setup == "single" else server_pids[: cluster.n]
    gc0 = gc_totals(replicas, cluster.dir / "gc")
    cpu0, db0, busy0, usage0 = (
        tree_cpu(server_pids),
        tree_cpu([pg] if pg else []),
        machine_busy(),
        resource.getrusage(resource.RUSAGE_SELF),
    )
    started = time.monotonic()
    asyncio.run(drive(bases, cookies, seconds, cell, seed))
    cell.seconds = time.monotonic() - started
    busy1, usage1 = machine_busy(), resource.getrusage(resource.RUSAGE_SELF)
    cell.server_cpu_s = tree_cpu(server_pids) - cpu0
    cell.db_cpu_s = tree_cpu([pg] if pg else []) - db0
    cell.machine_busy = (busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1])
    cell.client_cpu_s = (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    cell.rss_mb = [rss_mb(p.pid) for p in cluster.procs[: cluster.n]]
    gc1 = gc_totals(replicas, cluster.dir / "gc")
    cell.gc_s, cell.gc_full, cell.tracked = gc1[0] - gc0[0], gc1[1] - gc0[1], gc1[2]
    return cell


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def summary(cell: Cell) -> dict[str, Any]:
    kinds = {
        k: {"n": len(v), "median": statistics.median(v), "p95": pct(v, 0.95), "max": max(v)}
        for k, v in cell.times.items()
        if v
    }
    inter = cell.interactions
    return {
        "setup": cell.setup,
        "viewers": cell.viewers,
        "seconds": round(cell.seconds, 1),
        "kinds": kinds,
        "all": {
            "n": len(inter),
            "median": statistics.median(inter) if inter else float("nan"),
            "p95": pct(inter, 0.95),
            "max": max(inter, default=float("nan")),
        },
        "per_s": len(inter) / cell.seconds if cell.seconds else 0.0,
        "errors": cell.error_count,
        "error_samples": cell.errors,
        "no_data": cell.no_data,
        "server_cores": cell.server_cpu_s / cell.seconds if cell.seconds else 0.0,
        "db_cores": cell.db_cpu_s / cell.seconds if cell.seconds else 0.0,
        "client_cores": cell.client_cpu_s / cell.seconds if cell.seconds else 0.0,
        "machine_busy": cell.machine_busy,
        "rss_mb": [round(r) for r in cell.rss_mb],
        "gc_s": cell.gc_s,
        "gc_full": cell.gc_full,
        "tracked": cell.tracked,
        "server_cpu_s": cell.server_cpu_s,
    }


HEADER = (
    f"{'setup':9s} {'viewers':>7s}  {'kind':6s} {'n':>5s} {'median':>7s} {'p95':>7s} {'max':>7s}  "
    f"{'clicks/s':>8s} {'errors':>6s}  {'server CPU':>10s} {'GC (share)':>11s} {'db':>5s} {'machine':>7s} "
    f"{'client':>6s}  RSS MB  full GCs  objects"
)


def print_rows(s: dict[str, Any], cores: int) -> None:
    label = {"single": "1 process", "replicas": "replicas"}.get(s["setup"], s["setup"])
    rows = [(k, s["kinds"][k]) for k in ("open", "page", "filter") if k in s["kinds"]] + [("all", s["all"])]
    for j, (kind, r) in enumerate(rows):
        head = f"{label:9s} {s['viewers']:7d}" if j == 0 else " " * 17
        line = f"{head}  {kind:6s} {r['n']:5d} {r['median']:6.2f}s {r['p95']:6.2f}s {r['max']:6.2f}s"
        if kind == "all":
            share = 100 * s["gc_s"] / s["server_cpu_s"] if s["server_cpu_s"] else 0.0
            line += (
                f"  {s['per_s']:8.2f} {s['errors']:6d}  {s['server_cores']:4.2f}/{cores} c "
                f"{s['gc_s']:5.1f}s {share:3.0f}% {s['db_cores']:5.2f} "
                f"{100 * s['machine_busy']:6.0f}% {s['client_cores']:6.2f}  {' '.join(map(str, s['rss_mb']))}  "
                f"{s['gc_full']:5d}  {s['tracked'] / 1e6:.1f}M"
            )
        print(line, flush=True)


# --- py-spy ----------------------------------------------------------------------------------------------------------


def py_spy() -> str | None:
    return os.environ.get("PY_SPY") or shutil.which("py-spy")


def start_profile(pid: int, out: Path, seconds: float) -> subprocess.Popen[bytes] | None:
    exe = py_spy()
    if exe is None:
        print("(py-spy not found: no profile; pip install py-spy==0.4.3 outside the project venv, set PY_SPY)")
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            exe,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            "50",
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


#: Leaf frames of a thread that waits (py-spy --nonblocking cannot tell them from work): not counted.
IDLE_LEAVES = (
    "EpollSelector.select",
    "polling_path_watcher.py:90)",
    "Condition.wait",
    "Event.wait",
    "_worker (concurrent/futures/thread.py:81)",
    "time.sleep",
)
#: Where a busy sample is, by the first of these its stack holds.
SHARES = (
    (
        "full GC after the script run (runner.postScriptGC)",
        "_on_script_finished (streamlit/runtime/scriptrunner/script_runner.py:1055)",
    ),
    ("the page scripts (ui, pages, charts, store)", "exec_func_with_error_handling"),
    ("rest of the script thread (widgets, session, cleanup)", "ScriptRunner._run_script_thread"),
    ("event loop: messages, WebSocket writes", "BaseEventLoop.run_forever"),
)


def read_profile(raw: Path) -> list[tuple[list[str], int]]:
    """Busy samples of a py-spy raw (collapsed) profile: (frames, count); waiting threads left out."""
    out = []
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            frames = stack.split(";")
            if not any(key in frames[-1] for key in IDLE_LEAVES):
                out.append((frames, int(count)))
    return out


def top_entries(raw: Path, n: int = 12) -> list[tuple[str, float, float]]:
    """(function, self %, total %) of the n functions with most busy samples of their own."""
    own: dict[str, int] = {}
    total: dict[str, int] = {}
    samples = read_profile(raw)
    busy = sum(c for _, c in samples) or 1
    for frames, c in samples:
        for f in set(frames):
            total[f] = total.get(f, 0) + c
        own[frames[-1]] = own.get(frames[-1], 0) + c
    ranked = sorted(own, key=lambda f: own[f], reverse=True)[:n]
    return [(f, 100 * own[f] / busy, 100 * total[f] / busy) for f in ranked]


def shares(raw: Path) -> list[tuple[str, float]]:
    samples = read_profile(raw)
    busy = sum(c for _, c in samples) or 1
    counts = dict.fromkeys([name for name, _ in SHARES] + ["other"], 0)
    for frames, c in samples:
        stack = ";".join(frames)
        name = next((name for name, key in SHARES if key in stack), "other")
        counts[name] += c
    return [(name, 100 * c / busy) for name, c in counts.items()]


def print_profile(raw: Path) -> None:
    busy = sum(c for _, c in read_profile(raw))
    print(f"py-spy profile of replica 0 ({raw}, {busy} busy samples): where the busy time goes")
    for name, share in shares(raw):
        print(f"  {share:5.1f}%  {name}")
    print("  functions with most samples of their own (self %, total %):")
    for f, own, tot in top_entries(raw):
        print(f"  {own:5.1f}% {tot:5.1f}%  {f[:140]}")


# --- main ------------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--viewers", type=int, nargs="+", default=[1, 10, 20, 40])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--setups", nargs="+", choices=["single", "replicas"], default=["single", "replicas"])
    ap.add_argument("--gc", choices=["config", "on", "off", "freeze"], default="config")
    ap.add_argument("--profile", type=Path, help="directory for a py-spy profile of replica 0 (single setup)")
    ap.add_argument("--profile-viewers", type=int, default=20, help="the number of viewers profiled (default 20)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args(argv)
    if max(args.viewers) > 200 or args.seconds > 1800:
        ap.error("at most 200 viewers and 1800 s per cell")
    saved = {k: os.environ.get(k) for k in ("STREAMLIT_RUNNER_POST_SCRIPT_GC", "PYTHONPATH", "CCHC_GC_STATS_DIR")}
    if args.gc in ("on", "off", "freeze"):
        os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] = "false" if args.gc == "off" else "true"
    workdir = Path(tempfile.mkdtemp(prefix="cchc-wsload-"))
    (workdir / "gc").mkdir()
    hooks = str(ROOT / "bench" / "gchooks")  # GC timing in every replica, gc.freeze() on SIGUSR1
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [hooks, saved["PYTHONPATH"]]))
    os.environ["CCHC_GC_STATS_DIR"] = str(workdir / "gc")
    cluster = Cluster(args.replicas, workdir)
    results: list[dict[str, Any]] = []
    cores = os.cpu_count() or 1
    failed = False
    try:
        started = time.monotonic()
        cluster.start()
        for k, v in saved.items():  # only the replicas get the override
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        import sqlalchemy as sa

        from store.users import mint_session

        engine = sa.create_engine(cluster.db_url)
        tokens = [
            mint_session(engine, VIEWER, 120, int(os.environ.get("CCHC_IDLE_MINUTES", "60")), by="bench")
            for _ in range(max(args.viewers) + cluster.n)
        ]
        engine.dispose()
        routes = route_cookies(cluster, max(args.viewers)) if "replicas" in args.setups else []
        for i, port in enumerate(cluster.ports):
            problems = asyncio.run(warm(f"http://127.0.0.1:{port}", {"cchc_session": tokens[-1 - i]}))
            if problems:
                print(f"warm-up of replica {i}: {problems[:5]}")
                failed = True
        idle_s = wait_idle([p.pid for p in cluster.procs[: cluster.n]])
        if args.gc == "freeze":
            for p in cluster.procs[: cluster.n]:
                os.kill(p.pid, signal.SIGUSR1)
        gc_text = {
            "config": "as in .streamlit/config.toml",
            "on": "runner.postScriptGC on",
            "off": "runner.postScriptGC off",
            "freeze": "postScriptGC on, gc.freeze() after warm-up",
        }[args.gc]
        print(
            f"cluster ({cluster.n} replicas, PostgreSQL, nginx) up and warmed in {time.monotonic() - started:.0f} s "
            f"({idle_s:.0f} s of it waiting for the replicas' own warm-up); "
            f"GC: {gc_text}; {args.seconds:g} s per cell; {cores} cores",
            flush=True,
        )
        print(HEADER, flush=True)
        for setup in args.setups:
            for n in args.viewers:
                spy = None
                if args.profile and setup == "single" and n == args.profile_viewers:
                    spy = start_profile(cluster.procs[0].pid, args.profile / f"pyspy-{args.gc}.txt", args.seconds)
                cell = measure(cluster, setup, n, args.seconds, tokens, routes, args.seed + n)
                if spy is not None:
                    try:
                        spy.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        spy.kill()
                s = summary(cell)
                s["gc"] = args.gc
                results.append(s)
                print_rows(s, cores)
                failed |= bool(cell.error_count)
        print(TARGETS)
        no_data = sum(s["no_data"] for s in results)
        print(
            f"replies that said 'no data for this selection' instead of a chart (filters with no data): {no_data} "
            f"of {sum(s['all']['n'] for s in results)}"
        )
        for s in results:
            for e in s["error_samples"][:5]:
                print(f"  error ({s['setup']}, {s['viewers']} viewers): {e}")
        if args.profile and (args.profile / f"pyspy-{args.gc}.txt").exists():
            print_profile(args.profile / f"pyspy-{args.gc}.txt")
    finally:
        cluster.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
