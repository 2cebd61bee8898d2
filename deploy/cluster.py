"""Start N Streamlit replicas behind nginx on one PostgreSQL, all on loopback, and prove they act as one app.

    .venv/bin/python deploy/cluster.py --replicas 2 [--keep]       # (make e2e-cluster)

1. a throwaway PostgreSQL cluster (scripts/pg.sh), migrated, with the demo data and two accounts;
2. N replicas sharing DATABASE_URL and one cookie secret; nginx with cookie-sticky routing in front;
3. in Chromium: a secretariat signs in through nginx, uploads a report and publishes it; a viewer whose
   session lives on ANOTHER replica (chosen by its routing cookie) had the page open before the upload,
   reloads and sees the new figures — caches are keyed by the database's data-version token, not memory;
4. no response a browser got in that flow was a 429; from one address (an office behind its NAT), eight
   browsers' worth of Streamlit's static files are all served, while a flood of other requests is refused;
5. everything is stopped (unless --keep). Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from reports.browser import ARGS, CHROMIUM  # noqa: E402

PASSWORDS = {"thuky_hn": "cluster-thuky-1", "nguoixem": "cluster-viewer-1"}


def nginx_conf(listen: str, upstreams: list[str], prefix: Path, upload_mb: str | None = None) -> str:
    """deploy/nginx.conf.template with its placeholders filled; the upload body limit is CCHC_UPLOAD_MAX_MB."""
    mb = upload_mb or os.environ.get("CCHC_UPLOAD_MAX_MB", "50")
    conf = (ROOT / "deploy" / "nginx.conf.template").read_text()
    conf = conf.replace("@LISTEN@", listen).replace("@PREFIX@", str(prefix)).replace("@UPLOAD_MAX_MB@", mb)
    return conf.replace("@UPSTREAMS@", "\n".join(f"        server {u};" for u in upstreams))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run([PY, "cli.py", *args], cwd=ROOT, env=env, input=stdin, text=True, check=True, capture_output=True)


class Cluster:
    def __init__(self, replicas: int, workdir: Path):
        self.n = replicas
        self.dir = workdir
        self.procs: list[subprocess.Popen[bytes]] = []
        ports: list[int] = []
        while len(ports) < replicas + 2:  # a port released by one probe may come back from the next
            port = free_port()
            if port not in ports:
                ports.append(port)
        self.ports, self.front, pg_port = ports[:replicas], ports[replicas], ports[replicas + 1]
        self.pg_parent = Path(tempfile.mkdtemp(prefix="cchc-cluster-pg-"))
        self.pg_parent.chmod(0o755)  # the postgres user must reach its data directory
        self.pg_env = {**os.environ, "CCHC_PG_DIR": str(self.pg_parent / "pg"), "CCHC_PG_PORT": str(pg_port)}
        self.db_url = ""

    def start(self) -> None:
        self.db_url = subprocess.run(
            ["bash", "scripts/pg.sh", "start"], cwd=ROOT, env=self.pg_env, check=True, capture_output=True, text=True
        ).stdout.strip()
        env = {**os.environ, "DATABASE_URL": self.db_url}
        cli(env, "migrate")
        cli(env, "demo")
        cli(
            env,
            "users",
            "add",
            "thuky_hn",
            "--role",
            "secretariat",
            "--scope",
            "VN34-01",
            "--password-stdin",
            stdin=PASSWORDS["thuky_hn"] + "\n",
        )
        cli(env, "users", "add", "nguoixem", "--role", "viewer", "--password-stdin", stdin=PASSWORDS["nguoixem"] + "\n")
        secret = secrets.token_hex(32)  # the same cookie secret on every replica
        for i, port in enumerate(self.ports):
            renv = {**env, "STREAMLIT_SERVER_COOKIE_SECRET": secret, "CCHC_TRUST_PROXY": "1"}
            log = (self.dir / f"replica{i}.log").open("wb")
            self.procs.append(
                subprocess.Popen(
                    [
                        PY,
                        "-m",
                        "streamlit",
                        "run",
                        "serve.py",
                        "--server.port",
                        str(port),
                        "--server.address",
                        "127.0.0.1",
                        "--server.headless",
                        "true",
                    ],
                    cwd=ROOT,
                    env=renv,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port in self.ports:
            wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        self._nginx()
        wait_http(f"http://127.0.0.1:{self.front}/_stcore/health")

    def _nginx(self) -> None:
        prefix = self.dir / "nginx"
        prefix.mkdir()
        conf = nginx_conf(f"127.0.0.1:{self.front}", [f"127.0.0.1:{p}" for p in self.ports], prefix)
        # For the check below: which replica answered (never in a production config).
        conf = conf.replace(
            "add_header Set-Cookie", "add_header X-Replica $upstream_addr always;\n            add_header Set-Cookie"
        )
        (prefix / "nginx.conf").write_text(conf)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run(
            [nginx, "-t", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], check=True, capture_output=True
        )
        self.procs.append(
            subprocess.Popen(
                [nginx, "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-g", "daemon off;"],
                start_new_session=True,
            )
        )

    def replica_for(self, cookie: str) -> str:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.front}/_stcore/health", headers={"Cookie": f"cchc_route={cookie}"}
        )
        with urllib.request.urlopen(req, timeout=5) as r:
            return str(r.headers.get("X-Replica"))

    def stop(self) -> None:
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        subprocess.run(["bash", "scripts/pg.sh", "stop"], cwd=ROOT, env=self.pg_env, capture_output=True)
        shutil.rmtree(self.pg_parent, ignore_errors=True)


def status_of(url: str) -> int:
    """The HTTP status of one GET (4xx and 5xx included)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            r.read()
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def statuses(urls: list[str], workers: int = 8) -> list[int]:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(status_of, urls))


def office_and_flood(base: str) -> list[str]:
    """One address: eight fresh browsers' static files all served; a flood of page requests refused."""
    import streamlit

    static = Path(streamlit.__file__).parent / "static"
    files = [f"{base}/{p.relative_to(static).as_posix()}" for p in sorted((static / "static").rglob("*.js"))]
    first_page = files[:150]
    got = statuses(first_page * 8)
    refused = sum(code == 429 for code in got)
    if refused or set(got) != {200}:
        raise AssertionError(f"8 browsers' static files from one address: {refused} of {len(got)} refused, {set(got)}")
    flood = statuses([f"{base}/_stcore/health"] * 400, workers=16)
    if not any(code == 429 for code in flood):
        raise AssertionError("400 requests at once from one address: none refused (429)")
    return [
        f"one address: {len(got)} static files (8 browsers' first page) all served",
        f"one address: {sum(c == 429 for c in flood)} of 400 rapid requests refused (429)",
    ]


def report_csv(path: Path) -> None:
    """A small long-table report from Hà Nội for a period the demo does not have."""
    path.write_text(
        "Đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\nThành phố Hà Nội,2026-Q3,staff_reduced,1234\n"
        "Thành phố Hà Nội,2026-Q3,procedures_cut,12\n",
        encoding="utf-8",
    )


def wait_app(page: object) -> None:
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(800)  # type: ignore[attr-defined]


def signed_in_page(browser: Any, base: str, route: str, name: str, path: str, refused: list[str]) -> Any:
    """A new browser context pinned to one replica by its routing cookie, signed in as ``name`` at ``path``;
    every response refused with 429 is added to ``refused``."""
    context = browser.new_context(locale="vi-VN")
    context.on("response", lambda r: refused.append(r.url) if r.status == 429 else None)
    context.add_cookies([{"name": "cchc_route", "value": route, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/{path.split('?')[0]}")
    wait_app(page)
    sign_in(page, name)
    page.goto(f"{base}/{path}")
    wait_app(page)
    return page


def late_count(page: object) -> int:
    """The completeness board's 'submitted late' metric (the upload comes after the 20/9/2026 deadline)."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="nộp muộn")  # type: ignore[attr-defined]
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text(timeout=90_000).strip())


def sign_in(page: object, name: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Mật khẩu").fill(PASSWORDS[name])  # type: ignore[attr-defined]
    page.get_by_role("button", name="Đăng nhập", exact=True).click()  # type: ignore[attr-defined]
    # Signed in once the server has set the (HttpOnly) session cookie: later navigations rely on it.
    for _ in range(600):
        if any(c["name"] == "cchc_session" for c in page.context.cookies()):  # type: ignore[attr-defined]
            break
        page.wait_for_timeout(100)  # type: ignore[attr-defined]
    page.wait_for_function("() => !location.pathname.startsWith('/_cchc/')", timeout=60_000)  # type: ignore[attr-defined]
    wait_app(page)


def browser_flow(cluster: Cluster, workdir: Path) -> list[str]:
    from playwright.sync_api import sync_playwright

    results = []
    base = f"http://127.0.0.1:{cluster.front}"
    cookie_a = "replica-a"
    replica_a = cluster.replica_for(cookie_a)
    cookie_b = next(c for c in (f"replica-b-{i}" for i in range(200)) if cluster.replica_for(c) != replica_a)
    replica_b = cluster.replica_for(cookie_b)
    results.append(f"secretariat routed to {replica_a}, viewer routed to {replica_b}")
    report = workdir / "bao_cao_ha_noi.csv"
    report_csv(report)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(ARGS))
        refused: list[str] = []
        viewer = signed_in_page(browser, base, cookie_b, "nguoixem", "completeness?period=2026-Q3", refused)
        before = late_count(viewer)

        sec = signed_in_page(browser, base, cookie_a, "thuky_hn", "upload", refused)
        sec.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(report))
        sec.get_by_role("button", name="Công bố bao_cao_ha_noi.csv").click(timeout=60_000)
        sec.get_by_text("Đã lưu lần tải").wait_for(timeout=60_000)
        results.append("upload published through nginx on " + replica_a)

        viewer.reload()
        wait_app(viewer)
        after = late_count(viewer)
        shot = workdir / "viewer_after_upload.png"
        viewer.screenshot(path=str(shot), full_page=True)
        errors = viewer.locator('[data-testid="stException"]').count()
        if errors:
            raise AssertionError(f"the viewer's page shows {errors} error(s)")
        if (before, after) != (0, 1):
            raise AssertionError(f"viewer's board for 2026-Q3: late submissions {before} → {after}, expected 0 → 1")
        results.append(f"viewer on {replica_b} sees Hà Nội's late report for 2026-Q3 (0 → 1); {shot}")
        browser.close()
    if refused:
        raise AssertionError(f"{len(refused)} response(s) of the browser flow refused with 429, e.g. {refused[:3]}")
    results.append("no response of the browser flow was refused (429)")
    return results + office_and_flood(base)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="leave the cluster running (Ctrl-C stops it)")
    args = ap.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="cchc-cluster-"))
    cluster = Cluster(args.replicas, workdir)
    started = time.monotonic()
    try:
        cluster.start()
        print(
            f"cluster up in {time.monotonic() - started:.1f} s: nginx http://127.0.0.1:{cluster.front} → "
            f"{', '.join(str(p) for p in cluster.ports)}; {cluster.db_url}"
        )
        for line in browser_flow(cluster, workdir):
            print("OK", line)
        if args.keep:
            print("running; Ctrl-C to stop")
            signal.pause()
        return 0
    except Exception as exc:
        print(f"FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        for log in [*sorted(workdir.glob("replica*.log")), workdir / "nginx" / "error.log"]:
            if log.exists():
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        print(f"stopped after {time.monotonic() - started:.1f} s; logs and screenshots in {workdir}")


if __name__ == "__main__":
    sys.exit(main())
