"""Run ``cli.py check --json`` on a file in a child process with a time and address-space limit.

Used to measure each hostile case (wall time and the peak resident memory of the whole process tree as PSS, the
parsing child included, sampled from /proc every 20 ms; at least the largest process's own peak RSS) so that
a file that would eat the machine is killed instead; ``python -m tests.loaders.bounded [ROOT]`` prints the
table for every case in :mod:`tests.loaders.hostile`, against the checkout at ROOT (default: this one).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _pss_mb(pid: int) -> float:
    """Proportional resident memory: pages a forked child shares with its parent are counted once overall."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree_rss_mb(root_pid: int) -> float:
    """Memory (PSS) of ``root_pid`` and all its descendants (the fork server and its children included)."""
    parent: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as fh:
                parent[int(d)] = int(fh.read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += _pss_mb(pid)
        todo.extend(p for p, pp in parent.items() if pp == pid)
    return total


@dataclass
class Run:
    code: int | None  # None: killed at the time limit
    stdout: str
    seconds: float  # wall time
    peak_mb: float
    cpu_seconds: float = 0.0  # user + system of the child and every descendant it reaped


#: Runs the command it is given as its own child and reports that child's exit status and resource use (one
#: JSON line on stderr). Linux carries a process's peak RSS across ``exec`` (``ru_maxrss``), so a check
#: started straight from a test process that has grown to 700 MB would report 700 MB whatever the file; a
#: child of this small launcher starts from the launcher's few megabytes.
_LAUNCHER = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(json.dumps({"status": status, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}))
"""


def run_check(path: Path, root: Path = ROOT, timeout: float = 60, address_space_mb: int = 6144) -> Run:
    """One bounded ``cli.py check --json``; peak memory covers the check and anything it waited for, and
    only them (see :data:`_LAUNCHER`)."""

    def limit() -> None:
        cap = address_space_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, "cli.py", "check", str(path), "--json"],
            cwd=root,
            stdout=out,
            stderr=err,
            preexec_fn=limit,
            start_new_session=True,  # the launcher and the check are killed together at the time limit
        )
        peak = 0.0
        killed = False
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            if time.perf_counter() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                killed = True
                break
            time.sleep(0.02)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    report = json.loads(lines[-1]) if lines and not killed and lines[-1].startswith('{"status"') else None
    if report is None:
        return Run(None, text, time.perf_counter() - started, peak)
    code = os.waitstatus_to_exitcode(report["status"])
    return Run(code, text, time.perf_counter() - started, max(peak, report["maxrss_kb"] / 1024), report["cpu"])


def main(argv: list[str]) -> None:
    from tests.loaders.hostile import CASES

    root = Path(argv[0]) if argv else ROOT
    only = set(argv[1:])
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            if only and case.id not in only:
                continue
            path = Path(tmp) / case.id / case.name
            path.parent.mkdir()
            path.write_bytes(case.make())
            run = run_check(path, root)
            head = run.stdout.strip().replace("\n", " ")[:90]
            print(
                f"{case.id:22s} {path.stat().st_size / 1024:9.0f} KB  exit={run.code}  {run.seconds:6.1f} s  "
                f"{run.cpu_seconds:6.1f} s CPU  {run.peak_mb:7.0f} MB  {head}",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
