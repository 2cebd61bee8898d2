"""`make bench`: every benchmark of the project, one after the other, each printing its own ratios.

    .venv/bin/python bench/run_all.py [--quick] [--only loaders matcher pages load server]
    make bench BENCH_ARGS="--only server"        # the server-side load table alone

--quick runs the smaller sizes only (the loader bench at 100k rows; a one-minute browser load test; 20 s per
cell of the server-side load table).

The server-side load table (bench/wsload.py): 1, 10, 20, 40 signed-in viewers speaking Streamlit's
WebSocket protocol, on one process and on the replicas of deploy/cluster.py, with a py-spy profile of one
process under 20 viewers in bench/out/ when py-spy is on PATH (or $PY_SPY).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_loaders, bench_matcher, bench_pages, load, wsload

OUT = Path(__file__).resolve().parent / "out"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument(
        "--only", nargs="+", choices=["loaders", "matcher", "pages", "load", "server"], help="run only these benchmarks"
    )
    args = ap.parse_args(argv)
    runs = [
        (
            "loaders (shape D, check vs bare fastexcel vs pandas+openpyxl)",
            bench_loaders.main,
            ["--rows", "100000"] if args.quick else [],
        ),
        (
            "matcher (header matching's share of check on the dossier export; find_header on a 100-column header)",
            bench_matcher.main,
            ["--rows", "100000"] if args.quick else [],
        ),
        (
            "pages (server-side reruns with 2M observations; browser first chart and filter change)",
            bench_pages.main,
            [],
        ),
        (
            "load (20 viewer sessions and 2 uploads at once, in Chromium)",
            load.main,
            ["--minutes", "1" if args.quick else "3"],
        ),
        (
            "load at the server (1/10/20/40 viewers over Streamlit's protocol; one process, then the replicas)",
            wsload.main,
            ["--seconds", "20" if args.quick else "60", "--profile", str(OUT), "--json", str(OUT / "wsload.json")],
        ),
    ]
    names = ["loaders", "matcher", "pages", "load", "server"]
    runs = [run for name, run in zip(names, runs, strict=True) if not args.only or name in args.only]
    failed = 0
    for title, fn, fn_args in runs:
        print(f"\n=== {title}", flush=True)
        started = time.monotonic()
        code = fn(fn_args)
        print(f"=== done in {time.monotonic() - started:.0f} s (exit {code})", flush=True)
        failed += code != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
