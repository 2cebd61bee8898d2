"""Read-and-check in a child process with a memory and a time limit, so no upload can take the server down.

A parser that allocates without bound is killed by the kernel or aborts (calamine does, on a far cell); in
the Streamlit server that would disconnect every user. Here :func:`check_isolated` runs
:func:`loaders.check.check_file` in a process forked from a small fork server (its modules preloaded, so a
check starts in milliseconds), with ``RLIMIT_AS`` and a deadline. Over a limit the user gets a refusal that
says what to do; the server and every other session carry on. Anything a library prints while parsing goes
to stderr, so ``cli.py check --json`` prints one JSON object.

Limits: ``CCHC_PARSE_MAX_MB`` (address space the child may add, default 4096 MB) and ``CCHC_PARSE_SECONDS``
(default 300 s); both fit a million-row dossier export with room to spare.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import multiprocessing
import multiprocessing.connection
import os
import resource
import sys
import threading
from collections.abc import Callable
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.context import BaseContext, ForkServerProcess, set_spawning_popen
from pathlib import Path
from typing import Any, ParamSpec

from loaders.check import CheckResult, check_file, incident_id, too_complex
from loaders.logs import setup_logging

P = ParamSpec("P")

DEFAULT_MAX_MB = 4096
DEFAULT_SECONDS = 300.0
log = logging.getLogger(__name__)
_ctx_lock = threading.Lock()
_ctx: BaseContext | None = None


def parse_limits() -> tuple[int, float]:
    """(memory MB, seconds) from CCHC_PARSE_MAX_MB and CCHC_PARSE_SECONDS; bad or non-positive values → defaults."""
    try:
        mb = int(float(os.environ.get("CCHC_PARSE_MAX_MB", DEFAULT_MAX_MB)))
    except ValueError:
        mb = DEFAULT_MAX_MB
    try:
        seconds = float(os.environ.get("CCHC_PARSE_SECONDS", DEFAULT_SECONDS))
    except ValueError:
        seconds = DEFAULT_SECONDS
    return (mb if mb > 0 else DEFAULT_MAX_MB), (seconds if seconds > 0 else DEFAULT_SECONDS)


def _context() -> BaseContext:
    """Fork when this process has one thread (the command line); else one fork server per process, since forking
    a threaded server (Streamlit) is unsafe and spawning a fresh interpreter per upload is slow."""
    global _ctx
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    with _ctx_lock:
        if _ctx is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["loaders.check", "loaders.isolate", "pandas", "openpyxl", "xlrd"])
            _ctx = ctx
        return _ctx


class _Popen(popen_forkserver.Popen):
    """The fork server's launcher, minus one step: the child must not re-import the parent's ``__main__``.

    In the Streamlit server ``__main__`` is the page script being run; multiprocessing would execute it again
    in every parsing child (in bare mode). Only the target function's own module is needed.
    """

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))  # type: ignore[attr-defined]
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _ForkServerProcess(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        return _Popen(process_obj)


def _vm_mb() -> int:
    """This process's current address-space size, so the limit is what the work may add on top."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _die_with_parent() -> None:
    """A parse must not outlive whoever asked for it: a killed ``ingest`` (or fork server) takes its child along
    (Linux ``PR_SET_PDEATHSIG``), instead of leaving it parsing on the server's cores."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() == 1:  # the parent died before the request was made
        os._exit(1)


def _child(
    conn: multiprocessing.connection.Connection,
    memory_mb: int,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """In the child: lower priority, limit memory, send stdout to stderr, run, send back ('ok', value) or
    ('error', ref)."""
    _die_with_parent()
    setup_logging()
    with contextlib.suppress(OSError):
        os.nice(10)  # the server's other sessions come first for the CPU
    cap = (_vm_mb() + memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException:
        ref = incident_id()
        log.exception("isolated %s failed [ref %s]", getattr(fn, "__name__", fn), ref)
        conn.send(("error", ref))
    finally:
        conn.close()


def run_limited(
    fn: Callable[..., Any], *args: Any, memory_mb: int | None = None, seconds: float | None = None, **kwargs: Any
) -> tuple[str, Any]:
    """``fn(*args, **kwargs)`` in a limited child: ('ok', value), or ('limit' | 'memory', None), ('error', ref).

    ``fn`` must be importable by name (a module-level function) and its result picklable.
    """
    default_mb, default_s = parse_limits()
    mb = memory_mb or default_mb
    limit_s = seconds or default_s
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    process = _ForkServerProcess if ctx.get_start_method() == "forkserver" else ctx.Process  # type: ignore[attr-defined]
    proc = process(target=_child, args=(send, mb, fn, args, kwargs), daemon=True)
    proc.start()
    send.close()
    outcome: tuple[str, Any] = ("limit", None)
    try:
        if recv.poll(limit_s):
            try:
                outcome = recv.recv()
            except (EOFError, OSError):  # the child died: the kernel or an abort over the memory limit
                outcome = ("limit", None)
    finally:
        recv.close()
        proc.join(timeout=2)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if outcome[0] == "limit":
        log.warning(
            "isolated %s stopped over its limits (%d MB, %g s; exit %s)",
            getattr(fn, "__name__", fn),
            mb,
            limit_s,
            proc.exitcode,
        )
    return outcome


def _isolated(fn: Callable[P, CheckResult]) -> Callable[P, CheckResult]:
    """``fn`` (:func:`check_file`) run in a limited child, with its own signature, so the two never drift."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> CheckResult:
        path = args[0] if args else kwargs.get("path")
        name = str(kwargs.get("file_name") or (Path(str(path)).name if path is not None else "upload"))
        return _outcome(name, run_limited(functools.partial(fn, *args, **kwargs)))

    return run


#: :func:`check_file` in a limited child: the same arguments, never raises (the child's failure, or its
#: going over the limits, is an answer for the user).
check_isolated = _isolated(check_file)


def _outcome(name: str, result: tuple[str, Any]) -> CheckResult:
    """The child's answer as a CheckResult: its own, an apology with a reference id, or "too complex"."""
    status, value = result
    if status == "ok":
        assert isinstance(value, CheckResult)
        return value
    if status == "error":
        from loaders.safety import whole_file_error

        return CheckResult(
            file=name,
            format=None,
            errors=[
                whole_file_error(
                    name,
                    f"Xin lỗi, hệ thống gặp lỗi khi đọc tệp này (mã tham chiếu {value}); tệp chưa được lưu. Hãy báo mã "
                    "này cho quản trị viên.",
                    f"Sorry, the system failed while reading this file (reference {value}); nothing was stored. Please "
                    "give this reference to the administrator.",
                )
            ],
        )
    return too_complex(name, *parse_limits())
