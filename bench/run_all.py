"""`make bench`: every benchmark of the project, one after the other, each printing its own ratios.

    .venv/bin/python bench/run_all.py [--quick]

--quick runs the smaller sizes only (the loader bench at 100k rows; a one-minute load test).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_loaders, bench_matcher, bench_pages, load


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    runs = [
        ("loaders (shape D, check vs bare fastexcel vs pandas+openpyxl)",
         bench_loaders.main, ["--rows", "100000"] if args.quick else []),
        ("matcher (header matching's share of check on the dossier export; find_header on a 100-column header)",
         bench_matcher.main, ["--rows", "100000"] if args.quick else []),
        ("pages (server-side reruns with 2M observations; browser first chart and filter change)",
         bench_pages.main, []),
        ("load (20 viewer sessions and 2 uploads at once)", load.main, ["--minutes", "1" if args.quick else "3"]),
    ]
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
