"""Load test: 20 viewer sessions switching pages and filters while 2 secretariats upload, for a few minutes.

    .venv/bin/python bench/load.py [--viewers 20] [--uploaders 2] [--minutes 3] [--replicas 2]

Runs against the production layout of deploy/cluster.py (N Streamlit replicas behind nginx on one
PostgreSQL, all on loopback) and drives real Chromium sessions (Playwright, one browser, one context per
user). An interaction is timed from the click to the moment the app has finished its rerun and drawn;
reported: count, median and 95th percentile per kind, errors, and whether every upload landed (the
database's upload count must equal the uploads the secretariats saw confirmed). Target: median ≤ 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.cluster import ARGS, CHROMIUM, PASSWORDS, Cluster  # noqa: E402

IDLE_JS = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    uploads_confirmed: int = 0

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)


async def settle(page: object) -> None:
    """The rerun a click started has begun (briefly) and ended."""
    with contextlib.suppress(Exception):  # fast reruns can finish before the indicator shows
        await page.wait_for_selector('[data-testid="stStatusWidget"]', timeout=400)  # type: ignore[attr-defined]
    await page.wait_for_function(IDLE_JS, timeout=120_000)  # type: ignore[attr-defined]


async def sign_in(page: object, base: str, name: str) -> None:
    await page.goto(f"{base}/overview")  # type: ignore[attr-defined]
    await page.get_by_label("Tên đăng nhập").fill(name, timeout=120_000)  # type: ignore[attr-defined]
    await page.get_by_label("Mật khẩu").fill(PASSWORDS[name])  # type: ignore[attr-defined]
    await page.get_by_role("button", name="Đăng nhập", exact=True).click()  # type: ignore[attr-defined]
    # Signed in once the server has set the (HttpOnly) session cookie and the page has come back.
    for _ in range(1200):
        if any(c["name"] == "cchc_session" for c in await page.context.cookies()):  # type: ignore[attr-defined]
            break
        await page.wait_for_timeout(100)  # type: ignore[attr-defined]
    await page.wait_for_function("() => !location.pathname.startsWith('/_cchc/')", timeout=120_000)  # type: ignore[attr-defined]
    await settle(page)


async def viewer(browser: object, base: str, deadline: float, stats: Stats, seed: int) -> None:
    rng = random.Random(seed)
    ctx = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = await ctx.new_page()
    try:
        await sign_in(page, base, "nguoixem")
        while time.monotonic() < deadline:
            if rng.random() < 0.5:
                links = page.locator('[data-testid="stSidebarNav"] a')
                count = await links.count()
                if count == 0:
                    await asyncio.sleep(0.5)
                    continue
                started = time.monotonic()
                await links.nth(rng.randrange(count)).click(timeout=60_000)
                await settle(page)
                stats.add("page", time.monotonic() - started)
            else:
                box = page.locator('[data-testid="stSelectbox"]').first
                if await box.count() == 0:
                    continue
                started = time.monotonic()
                await box.click(timeout=60_000)
                options = page.locator('[role="option"]')
                n = await options.count()
                if n == 0:
                    await page.keyboard.press("Escape")
                    continue
                await options.nth(rng.randrange(min(n, 6))).click(timeout=60_000)
                await settle(page)
                stats.add("filter", time.monotonic() - started)
            if await page.locator('[data-testid="stException"]').count():
                stats.errors.append(f"viewer {seed}: an error is shown on {page.url}")
            await asyncio.sleep(rng.uniform(0.5, 2.0))  # a person reads before the next click
    except Exception as exc:
        stats.errors.append(f"viewer {seed}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def uploader(browser: object, base: str, deadline: float, stats: Stats, seed: int, workdir: Path) -> None:
    rng = random.Random(1000 + seed)
    ctx = await browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = await ctx.new_page()
    n = 0
    try:
        await sign_in(page, base, "thuky_hn")
        while time.monotonic() < deadline:
            n += 1
            name = f"tai_len_{seed}_{n}.csv"
            path = workdir / name
            quarter = rng.choice(["2026-Q1", "2026-Q2", "2026-Q3"])
            path.write_text(
                f"Đơn vị,Kỳ báo cáo,Chỉ tiêu,Giá trị\nThành phố Hà Nội,{quarter},staff_reduced,"
                f"{rng.randint(1, 99999)}\nThành phố Hà Nội,{quarter},procedures_cut,{seed * 1000 + n}\n",
                encoding="utf-8",
            )
            await page.goto(f"{base}/upload")
            await settle(page)
            started = time.monotonic()
            await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
            await page.get_by_role("button", name=f"Công bố {name}").click(timeout=120_000)
            await page.get_by_text("Đã lưu lần tải").first.wait_for(timeout=120_000)
            stats.add("upload", time.monotonic() - started)
            stats.uploads_confirmed += 1
            await asyncio.sleep(rng.uniform(2, 5))
    except Exception as exc:
        stats.errors.append(f"uploader {seed}: {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await ctx.close()


async def drive(base: str, viewers: int, uploaders: int, minutes: float, workdir: Path) -> Stats:
    from playwright.async_api import async_playwright

    stats = Stats()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        deadline = time.monotonic() + 60 * minutes
        tasks = [viewer(browser, base, deadline, stats, i) for i in range(viewers)]
        tasks += [uploader(browser, base, deadline, stats, i, workdir) for i in range(uploaders)]
        await asyncio.gather(*tasks)
        await browser.close()
    return stats


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--viewers", type=int, default=20)
    ap.add_argument("--uploaders", type=int, default=2)
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--replicas", type=int, default=2)
    args = ap.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    cluster = Cluster(args.replicas, workdir)
    try:
        cluster.start()
        base = f"http://127.0.0.1:{cluster.front}"
        print(
            f"{args.viewers} viewers + {args.uploaders} uploaders for {args.minutes:g} min against {base} "
            f"({args.replicas} replicas, PostgreSQL)",
            flush=True,
        )
        stats = asyncio.run(drive(base, args.viewers, args.uploaders, args.minutes, workdir))
        engine = sa.create_engine(cluster.db_url)
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM uploads WHERE uploaded_by = 'thuky_hn'")).scalar_one()
        engine.dispose()
    finally:
        cluster.stop()
    for kind, values in sorted(stats.times.items()):
        print(
            f"{kind:7s} n={len(values):4d}  median={statistics.median(values):6.2f} s  p95={pct(values, 0.95):6.2f} s"
            f"  max={max(values):6.2f} s"
        )
    everything = [v for kind, vs in stats.times.items() if kind != "upload" for v in vs]
    median = statistics.median(everything) if everything else float("nan")
    print(f"viewer interactions: median {median:.2f} s (target ≤ 1 s: {'met' if median <= 1 else 'NOT met'})")
    print(
        f"uploads confirmed in the browser: {stats.uploads_confirmed}; stored: {stored} "
        f"({'all landed' if stored == stats.uploads_confirmed else 'MISMATCH'})"
    )
    print(f"errors: {len(stats.errors)}")
    for err in stats.errors[:20]:
        print("  ", err)
    return 0 if not stats.errors and stored == stats.uploads_confirmed else 1


if __name__ == "__main__":
    sys.exit(main())
