"""Browser-test harness: start the Streamlit app on a free port and drive it with headless Chromium.

Plain functions live here so tests can import them (``from .harness import wait_for_app, screenshot``);
pytest fixtures that wrap them are in ``conftest.py`` next to this file.

Environment variables:

* ``CCHC_REQUIRE_BROWSER=1`` – browser tests fail (instead of skip) when Chromium is missing. Set by ``.ci/run``.
* ``CCHC_CHROMIUM`` – Chromium executable, default ``/usr/bin/chromium`` (Debian package ``chromium``).
  Playwright's own browser downloads are never used (no ``playwright install``).
* ``CCHC_SCREENSHOT_DIR`` – where :func:`screenshot` writes PNGs; default is a pytest temp dir.
* ``CCHC_TEST_APP_DIR`` – app directory containing ``dashboard.py`` and ``cli.py``; default is the repo root.
  Only meant for validating the harness against a throwaway app.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import weakref
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reports.browser import ARGS, CHROMIUM

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = CHROMIUM
CHROMIUM_ARGS: tuple[str, ...] = (
    *ARGS,
    # Any host other than localhost fails DNS immediately: an accidental CDN/telemetry request is still
    # recorded by the `page` fixture (so tests can assert on it) but cannot hang the test on an offline machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)
VIEWPORT = {"width": 1400, "height": 1000}
LOCALE = "vi-VN"
TIMEZONE = "Asia/Ho_Chi_Minh"

SERVER_START_TIMEOUT_S = 60.0
CLI_TIMEOUT_S = 300.0
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
IGNORED_URL_SCHEMES = frozenset({"data", "blob", "about", "chrome-error"})

PLOTLY_SELECTOR = '.js-plotly-plot, [data-testid="stPlotlyChart"]'


# --------------------------------------------------------------------------------------------------------------------
# Environment checks
# --------------------------------------------------------------------------------------------------------------------


def browser_required() -> bool:
    """True when browser tests must run (CI): missing Chromium is then a failure, not a skip."""
    return os.environ.get("CCHC_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes", "on"}


def chromium_problem() -> str | None:
    """Why browser tests cannot run here, or None if Chromium and Playwright are available."""
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        return f"Chromium not found at {CHROMIUM_PATH} (install the Debian package: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:  # pragma: no cover - playwright is in requirements-dev.txt
        return f"playwright is not importable ({exc}); run `make dev`"
    return None


def default_app_dir() -> Path:
    return Path(os.environ.get("CCHC_TEST_APP_DIR") or REPO_ROOT).resolve()


# --------------------------------------------------------------------------------------------------------------------
# Database preparation (cli.py) and the Streamlit server
# --------------------------------------------------------------------------------------------------------------------


def sqlite_url(path: Path | str) -> str:
    """``sqlite:////abs/path/cchc.sqlite`` for an absolute path (SQLAlchemy URL)."""
    return f"sqlite:///{Path(path).resolve()}"


def _child_env(db_url: str | None, env_overrides: Mapping[str, str] | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("STREAMLIT_SERVER_PORT", None)
    if db_url is not None:
        env["DATABASE_URL"] = db_url
    if env_overrides:
        env.update(env_overrides)
    return env


def run_cli(
    args: Sequence[str],
    *,
    db_url: str | None = None,
    env_overrides: Mapping[str, str] | None = None,
    app_dir: Path | str | None = None,
    timeout: float = CLI_TIMEOUT_S,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python cli.py <args>`` in the app directory; raise with its output if it fails."""
    cwd = Path(app_dir) if app_dir is not None else default_app_dir()
    cmd = [sys.executable, "cli.py", *args]
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=_child_env(db_url, env_overrides),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed with exit code {proc.returncode} (cwd={cwd})\n"
            f"--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
        )
    return proc


#: Accounts created by :func:`prepare_database` (``accounts=True``): role -> (name, password). Test-only values.
TEST_ACCOUNTS: dict[str, tuple[str, str]] = {
    "viewer": ("e2e_viewer", "e2e-viewer-password"),
    "secretariat": ("e2e_thuky", "e2e-thuky-password"),
    "admin": ("e2e_admin", "e2e-admin-password"),
}


def create_user(
    db_url: str,
    name: str,
    role: str,
    password: str,
    *,
    scopes: Sequence[str] = (),
    env_overrides: Mapping[str, str] | None = None,
    app_dir: Path | str | None = None,
) -> None:
    """``cli.py users add NAME --role ROLE [--scope ...] --password-stdin``."""
    args = ["users", "add", name, "--role", role, "--password-stdin"]
    if scopes:
        args += ["--scope", *scopes]
    elif role == "secretariat":
        args.append("--all-units")  # a secretariat must be given a scope or every unit
    run_cli(args, db_url=db_url, env_overrides=env_overrides, app_dir=app_dir, stdin=password + "\n")


def prepare_database(
    db_url: str,
    *,
    demo: bool = True,
    accounts: bool = True,
    env_overrides: Mapping[str, str] | None = None,
    app_dir: Path | str | None = None,
) -> None:
    """``cli.py migrate``, then optionally ``cli.py demo`` and the :data:`TEST_ACCOUNTS`, against ``db_url``."""
    run_cli(["migrate"], db_url=db_url, env_overrides=env_overrides, app_dir=app_dir)
    if demo:
        run_cli(["demo"], db_url=db_url, env_overrides=env_overrides, app_dir=app_dir)
    if accounts:
        for role, (name, password) in TEST_ACCOUNTS.items():
            create_user(db_url, name, role, password, env_overrides=env_overrides, app_dir=app_dir)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # like uvicorn: TIME_WAIT is not "in use"
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


_server_logs: weakref.WeakKeyDictionary[subprocess.Popen[bytes], Path] = weakref.WeakKeyDictionary()
_temp_logs: weakref.WeakKeyDictionary[subprocess.Popen[bytes], Path] = weakref.WeakKeyDictionary()
_live_servers: set[subprocess.Popen[bytes]] = set()


def server_log(proc: subprocess.Popen[bytes], tail: int = 8000) -> str:
    """Last ``tail`` characters of a server's combined stdout/stderr."""
    path = _server_logs.get(proc)
    if path is None or not path.exists():
        return ""
    return path.read_text(encoding="utf-8", errors="replace")[-tail:]


def _health_ok(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
            return bool(resp.status == 200 and resp.read().strip() == b"ok")
    except (urllib.error.URLError, OSError):
        return False


def start_server(
    env_overrides: Mapping[str, str] | None = None,
    db_url: str | None = None,
    *,
    app_dir: Path | str | None = None,
    port: int | None = None,
    timeout: float = SERVER_START_TIMEOUT_S,
    extra_args: Sequence[str] = (),
    log_path: Path | str | None = None,
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``streamlit run serve.py`` on 127.0.0.1 and wait until ``/_stcore/health`` answers ``ok``.

    ``db_url`` becomes ``DATABASE_URL`` (the database must already be migrated, see :func:`prepare_database`);
    ``env_overrides`` are applied last. Returns ``(base_url, process)``; stop it with :func:`stop_server`.
    The process runs with cwd = ``app_dir`` (default: repo root), so ``.streamlit/config.toml`` applies.
    Server output goes to ``log_path`` (kept) or to a temp file removed by :func:`stop_server`; read it with
    :func:`server_log`.
    """
    cwd = Path(app_dir) if app_dir is not None else default_app_dir()
    attempts = 1 if port is not None else 3
    last_error = ""
    if port is not None and not _port_is_free(port):
        raise RuntimeError(f"port {port} on 127.0.0.1 is already in use")
    for _ in range(attempts):
        chosen = port if port is not None else free_port()
        if log_path is not None:
            log_name = str(log_path)
            log_fd = os.open(log_name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        else:
            log_fd, log_name = tempfile.mkstemp(prefix=f"streamlit-{chosen}-", suffix=".log")
        cmd = [
            sys.executable, "-m", "streamlit", "run", "serve.py",
            "--server.port", str(chosen),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--server.fileWatcherType", "none",
            *extra_args,
        ]  # fmt: skip
        with os.fdopen(log_fd, "wb") as log_file:
            proc = subprocess.Popen(
                cmd,
                cwd=cwd,
                env=_child_env(db_url, env_overrides),
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group, so stop_server can take down any children
            )
        _server_logs[proc] = Path(log_name)
        if log_path is None:
            _temp_logs[proc] = Path(log_name)
        _live_servers.add(proc)
        base_url = f"http://127.0.0.1:{chosen}"
        deadline = time.monotonic() + timeout
        healthy_since: float | None = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            if _health_ok(base_url):
                # Make sure *our* process answered, not some other server already on that port: Streamlit logs
                # "URL: http://127.0.0.1:<port>" once bound. (Fallback in case that log line ever changes.)
                healthy_since = healthy_since or time.monotonic()
                if f"127.0.0.1:{chosen}" in server_log(proc) or time.monotonic() - healthy_since > 5:
                    return base_url, proc
            time.sleep(0.25)
        log = server_log(proc)
        stop_server(proc)
        if proc.returncode is not None and re.search(r"already in use", log, re.IGNORECASE):
            last_error = log
            continue  # lost a race for the port; try another one
        status = f"exited with code {proc.returncode}" if proc.returncode is not None else "timed out"
        raise RuntimeError(f"Streamlit server {status} before {base_url}/_stcore/health was ok\n{log}")
    raise RuntimeError(f"Streamlit server could not bind a port\n{last_error}")


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate a server started by :func:`start_server` (SIGTERM, then SIGKILL); remove its temp log."""
    _live_servers.discard(proc)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)  # the group was created by start_server for this process
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
    temp_log = _temp_logs.pop(proc, None)
    if temp_log is not None:
        temp_log.unlink(missing_ok=True)


@contextlib.contextmanager
def running_server(
    env_overrides: Mapping[str, str] | None = None,
    db_url: str | None = None,
    *,
    app_dir: Path | str | None = None,
    timeout: float = SERVER_START_TIMEOUT_S,
) -> Iterator[str]:
    """``with running_server(db_url=...) as url:`` – start_server/stop_server as a context manager."""
    url, proc = start_server(env_overrides, db_url, app_dir=app_dir, timeout=timeout)
    try:
        yield url
    finally:
        stop_server(proc)


@atexit.register
def _stop_leftover_servers() -> None:
    for proc in list(_live_servers):
        stop_server(proc, timeout=5)


# --------------------------------------------------------------------------------------------------------------------
# Page helpers
# --------------------------------------------------------------------------------------------------------------------


def is_local_url(url: str) -> bool:
    """True for URLs served by the local app (127.0.0.1/localhost) and for data:/blob:/about: URLs."""
    parts = urlsplit(url)
    if parts.scheme in IGNORED_URL_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def external_urls(urls: Sequence[str]) -> list[str]:
    """The URLs that would leave the machine (everything not accepted by :func:`is_local_url`)."""
    return [url for url in urls if not is_local_url(url)]


_APP = '[data-testid="stApp"]'


def wait_for_app(page: Page, timeout: float = 60_000, settle_ms: float = 300) -> None:
    """Wait until Streamlit is connected and the script run has finished, then let the UI settle.

    Call it after ``page.goto(url)`` and after every interaction that triggers a rerun (timeouts in ms).
    Uses the ``data-test-*`` attributes that Streamlit puts on ``stApp`` for its own end-to-end tests.
    """
    page.wait_for_timeout(200)  # give a just-triggered rerun time to flip the state to "running"
    page.wait_for_selector(f'{_APP}[data-test-connection-state="CONNECTED"]', state="attached", timeout=timeout)
    page.wait_for_selector(
        f'{_APP}[data-test-script-state="notRunning"], {_APP}[data-test-script-state="compilationError"]',
        state="attached",
        timeout=timeout,
    )
    page.locator('[data-testid="stStatusWidgetRunningIcon"]').first.wait_for(state="detached", timeout=timeout)
    if settle_ms:
        page.wait_for_timeout(settle_ms)


def wait_for_plotly(page: Page, timeout: float = 60_000) -> Locator:
    """Wait for the first Plotly chart to be drawn (its SVG is visible); return its locator."""
    chart = page.locator(PLOTLY_SELECTOR).first
    chart.wait_for(state="visible", timeout=timeout)
    page.locator(".js-plotly-plot .main-svg").first.wait_for(state="visible", timeout=timeout)
    return chart


_LOGIN_PASSWORD = '[data-testid="stForm"] input[type="password"]'


def needs_login(page: Page) -> bool:
    """True if the page currently shows the sign-in form (call after :func:`wait_for_app`)."""
    return page.locator(_LOGIN_PASSWORD).count() > 0


def session_cookie(page: Page) -> dict[str, object] | None:
    """The ``cchc_session`` cookie in the browser context's jar (HttpOnly: ``document.cookie`` never shows it)."""
    for cookie in page.context.cookies():
        if cookie.get("name") == "cchc_session":
            return dict(cookie)
    return None


def login(page: Page, name: str, password: str, *, timeout: float = 60_000) -> None:
    """Fill in and submit the sign-in form (``st.form`` with a text and a password input); fail if it stays.

    A sign-in then sends the tab through ``/_cchc/session``, where the server sets the HttpOnly session
    cookie, and back: this waits until the page has come back (a new document) signed in.
    """
    form = page.locator('[data-testid="stForm"]').filter(has=page.locator('input[type="password"]')).first
    form.wait_for(state="visible", timeout=timeout)
    page.evaluate("() => { window.__cchcBeforeSignIn = true; }")
    form.locator('[data-testid="stTextInputRootElement"] input:not([type="password"])').first.fill(name)
    form.locator('input[type="password"]').first.fill(password)
    form.locator('[data-testid="stFormSubmitButton"] button').first.click()
    # The form goes away on success, or an error shows on failure; wait for either, not for a fixed time.
    page.wait_for_function(
        """() => !document.querySelector('input[type="password"]')
                 || document.querySelector('[data-testid="stAlertContentError"]')""",
        timeout=timeout,
    )
    if needs_login(page) and page.locator('[data-testid="stAlertContentError"]').count():
        raise AssertionError(f"sign-in as {name!r} failed: the form shows an error")
    # The page that signed in is replaced by the one the cookie route sends back to.
    page.wait_for_function(
        "() => window.__cchcBeforeSignIn === undefined && !location.pathname.startsWith('/_cchc/')",
        timeout=timeout,
    )
    wait_for_app(page, timeout=timeout)
    if needs_login(page):
        raise AssertionError(f"sign-in as {name!r} failed: the login form is still shown")
    if session_cookie(page) is None:
        raise AssertionError(f"sign-in as {name!r}: the server set no session cookie")


def login_as(page: Page, role: str = "viewer", *, timeout: float = 60_000) -> None:
    """Sign in with the :data:`TEST_ACCOUNTS` account for ``role``."""
    name, password = TEST_ACCOUNTS[role]
    login(page, name, password, timeout=timeout)


def open_as(page: Page, url: str, role: str = "viewer", *, timeout: float = 60_000) -> None:
    """Open ``url`` signed in as ``role``: the first visit shows the sign-in form, the second the view."""
    page.goto(url)
    wait_for_app(page, timeout=timeout)
    login_as(page, role, timeout=timeout)
    page.goto(url)
    wait_for_app(page, timeout=timeout)


def ensure_logged_in(page: Page, role: str = "viewer", *, timeout: float = 60_000) -> bool:
    """Wait for the app; sign in as ``role`` if the sign-in form is shown. Returns True if it signed in."""
    wait_for_app(page, timeout=timeout)
    if not needs_login(page):
        return False
    login_as(page, role, timeout=timeout)
    return True


_screenshot_dir: Path | None = None


def set_screenshot_dir(path: Path | str) -> Path:
    global _screenshot_dir
    _screenshot_dir = Path(path)
    _screenshot_dir.mkdir(parents=True, exist_ok=True)
    return _screenshot_dir


def screenshot_dir() -> Path:
    """``$CCHC_SCREENSHOT_DIR``, else the dir configured by conftest (pytest temp dir), else a system temp dir."""
    env_dir = os.environ.get("CCHC_SCREENSHOT_DIR")
    if env_dir:
        return set_screenshot_dir(env_dir)
    if _screenshot_dir is None:
        return set_screenshot_dir(Path(tempfile.gettempdir()) / "cchc-screenshots")
    return _screenshot_dir


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page as ``<screenshot dir>/<name>.png`` and return its path."""
    safe = re.sub(r"[^\w.-]+", "_", name).strip("._") or "screenshot"
    if not safe.endswith(".png"):
        safe += ".png"
    path = screenshot_dir() / safe
    page.screenshot(path=str(path), full_page=full_page)
    return path
