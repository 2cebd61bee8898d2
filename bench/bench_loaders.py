"""Benchmark of the loaders on shape-D dossier exports (100k and 1M rows).

Each measurement runs in a fresh subprocess so its peak RSS is its own. Compared in the same run:
``check_file`` against the bare fastexcel read of the same file (target ≤ 1.25× in time and peak RSS) and,
at 100k rows only, ``pandas.read_excel(engine="openpyxl")`` (target ≤ 0.10× in time).

    .venv/bin/python bench/bench_loaders.py [--rows 100000 1000000] [--csv]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
#: The columns of a typical dossier export (shape D); tests/loaders/test_shapes.py builds its small one from them.
HEADER = [
    "STT",
    "Mã hồ sơ",
    "Lĩnh vực",
    "Tên thủ tục",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Ngày trả kết quả",
    "Kênh nộp",
    "Số hóa hồ sơ",
    "Số hóa kết quả",
    "Đơn vị",
]
SECTORS = ["Đất đai", "Tư pháp", "Hộ tịch", "Xây dựng", "Y tế", "Giáo dục và Đào tạo", "Đăng ký kinh doanh"]
UNITS = ["Tỉnh Bến Tre", "Tỉnh Trà Vinh", "Thành phố Cần Thơ"]
CHANNELS = ["Trực tuyến", "Trực tiếp", "Bưu chính công ích"]


def generate(rows: int) -> Path:
    """A shape-D export of ``rows`` dossiers (cached under bench/out/)."""
    import xlsxwriter

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"ho_so_{rows}.xlsx"
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách hồ sơ")
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, HEADER)
    rnd = random.Random(rows)
    base = dt.datetime(2024, 9, 15)
    for i in range(1, rows + 1):
        received = base + dt.timedelta(days=rnd.randrange(90))
        due = received + dt.timedelta(days=rnd.randrange(1, 30))
        ws.write_number(i, 0, i)
        ws.write_string(i, 1, f"000.00.83.H05-{i:09d}")
        ws.write_string(i, 2, rnd.choice(SECTORS))
        ws.write_string(i, 3, "Cấp giấy chứng nhận quyền sử dụng đất lần đầu")
        ws.write_datetime(i, 4, received, fmt)
        ws.write_datetime(i, 5, due, fmt)
        if rnd.random() < 0.9:
            ws.write_datetime(i, 6, received + dt.timedelta(days=rnd.randrange(0, 35)), fmt)
        ws.write_string(i, 7, rnd.choice(CHANNELS))
        ws.write_string(i, 8, rnd.choice(["Có", "Không"]))
        ws.write_string(i, 9, rnd.choice(["Có", "Không"]))
        ws.write_string(i, 10, rnd.choice(UNITS))
    wb.close()
    tmp.rename(path)
    return path


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
mode, path, warm = sys.argv[1], sys.argv[2], sys.argv[3]
import pandas as pd, pyarrow, fastexcel  # imports are not what is measured
if mode == "check":
    from loaders import check_file
    check_file(__import__("pathlib").Path(warm), period="2024-Q4")  # first-call lazy imports, not the work
else:
    fastexcel.read_excel(warm).load_sheet(0).to_pandas()
t = time.perf_counter()
if mode == "check":
    r = check_file(__import__("pathlib").Path(path), period="2024-Q4", max_bytes=1 << 30)
    assert r.ok, r.errors[:3]
    n = len(r.observations)
elif mode == "fastexcel":
    n = len(fastexcel.read_excel(path).load_sheet(0).to_pandas())
else:
    n = len(pd.read_excel(path, engine="openpyxl"))
secs = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"mode": mode, "seconds": secs, "peak_mb": rss, "n": n}}))
"""


def measure(mode: str, path: Path) -> dict[str, float]:
    """One run in a fresh interpreter: wall time of the work and the process's peak RSS."""
    code = _CHILD.format(root=str(ROOT))
    warm = generate(100)
    cmd = [sys.executable, "-c", code, mode, str(path), str(warm)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--openpyxl-max", type=int, default=100_000, help="largest size also timed with openpyxl")
    args = ap.parse_args(argv)
    ok = True
    for rows in args.rows:
        path = generate(rows)
        fx = measure("fastexcel", path)
        ck = measure("check", path)
        t_ratio, m_ratio = ck["seconds"] / fx["seconds"], ck["peak_mb"] / fx["peak_mb"]
        print(f"{rows:>9,} rows  {path.stat().st_size / 2**20:6.1f} MB")
        print(f"  fastexcel read  {fx['seconds']:7.2f} s  {fx['peak_mb']:7.0f} MB peak")
        print(
            f"  check_file      {ck['seconds']:7.2f} s  {ck['peak_mb']:7.0f} MB peak  "
            f"→ {t_ratio:.2f}× time, {m_ratio:.2f}× RSS (target ≤ 1.25×)"
        )
        ok &= t_ratio <= 1.25 and m_ratio <= 1.25
        if rows <= args.openpyxl_max:
            px = measure("openpyxl", path)
            ratio = ck["seconds"] / px["seconds"]
            print(
                f"  pandas+openpyxl {px['seconds']:7.2f} s  {px['peak_mb']:7.0f} MB peak  "
                f"→ check is {ratio:.3f}× its time (target ≤ 0.10×)"
            )
            ok &= ratio <= 0.10
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
