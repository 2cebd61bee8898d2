"""Two source trees of the app, one store, interleaved browser timings: is B slower than A?

    .venv/bin/python bench/ab_pages.py --a TREE_A --b TREE_B [--observations 2000000] [--rounds 5]
                                       [--pages provinces,staff]

Both trees' servers (``streamlit run serve.py`` with cwd = the tree) read the same store, built once by
:func:`bench.bench_pages.build_store`, so the trees must share the database schema. Each round times every
page on A and on B (sidebar click → first chart, view switch → redrawn chart; :func:`bench.bench_pages.
time_page`), alternating which goes first, so a machine that is busier in one minute than the next weighs
on both alike. The result is each page's median per tree and the ratio B / A; a ratio, never a seconds
threshold, is what a change is judged by (a loaded machine stretches both).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_pages import PAGES, add_bench_user, build_store, signed_in_page, time_page  # noqa: E402

Timings = dict[str, list[tuple[float, float]]]


def run_ab(db_url: str, trees: dict[str, Path], pages: list[str], rounds: int) -> dict[str, Timings]:
    """Per tree, per page: the (first chart, filter → chart) seconds of every round."""
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import CHROMIUM_ARGS, CHROMIUM_PATH, start_server, stop_server

    add_bench_user(db_url)
    servers = {name: start_server(db_url=db_url, app_dir=tree) for name, tree in trees.items()}
    out: dict[str, Timings] = {name: {p: [] for p in pages} for name in trees}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=list(CHROMIUM_ARGS), headless=True)
            tabs = {name: signed_in_page(browser, url) for name, (url, _) in servers.items()}
            order = list(trees)
            for r in range(rounds):
                for name in order if r % 2 == 0 else reversed(order):
                    for page in pages:
                        out[name][page].append(time_page(tabs[name], page))
            browser.close()
    finally:
        for _, proc in servers.values():
            stop_server(proc)
    return out


def report(out: dict[str, Timings], pages: list[str]) -> list[str]:
    """One line per page: A's and B's medians of both timings and the ratios B / A."""
    lines = [f"{'page':<12}{'first A':>9}{'first B':>9}{'B/A':>6}{'filter A':>10}{'filter B':>10}{'B/A':>6}"]
    for page in pages:
        a_first, a_filt = (statistics.median(x) for x in zip(*out["A"][page], strict=True))
        b_first, b_filt = (statistics.median(x) for x in zip(*out["B"][page], strict=True))
        lines.append(
            f"{page:<12}{a_first:>8.2f}s{b_first:>8.2f}s{b_first / a_first:>6.2f}"
            f"{a_filt:>9.2f}s{b_filt:>9.2f}s{(b_filt / a_filt if a_filt else float('nan')):>6.2f}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--a", type=Path, required=True, help="source tree A (the baseline)")
    ap.add_argument("--b", type=Path, required=True, help="source tree B (the change)")
    ap.add_argument("--observations", type=int, default=2_000_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pages", default=",".join(PAGES), help=f"comma-separated, of {', '.join(PAGES)}")
    args = ap.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    unknown = sorted(set(pages) - set(PAGES))
    if unknown:
        ap.error(f"unknown pages: {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="cchc-ab-") as tmp:
        db_url = build_store(Path(tmp) / "bench.sqlite", args.observations)
        out = run_ab(db_url, {"A": args.a.resolve(), "B": args.b.resolve()}, pages, args.rounds)
    print(f"A = {args.a}\nB = {args.b}\n{args.rounds} rounds, medians")
    print("\n".join(report(out, pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
