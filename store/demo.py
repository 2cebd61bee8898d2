"""The labelled demo data set: deterministic, realistic in shape, and honest about what is real.

Everything generated here is demo data (its upload is flagged ``is_demo`` and every page shows a banner).
Two parts are not invented: the 2024 staff-reduction total of the seed meeting (16,149 = 217 ministries +
15,932 localities) is reproduced exactly, and the published PAR INDEX / SIPAS scores from
``data/reference`` are stored as a separate, sourced, non-demo upload.

The generator works on a latent quarterly series for the 63 provinces and 22 ministries; periods of the
34-province era (and of the 17-member government) are sums of their predecessors, so eras agree and
re-based totals are exact. Cumulative periods (H1, 9M, year) add their quarters; stocks (procedures in
force, pending dossiers) take the value at the period's end.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import sqlalchemy as sa

from domain.catalog import DATA_DIR, Catalog, catalog
from domain.kpi import DOSSIER_COUNTS
from domain.periods import Period, parse_period
from domain.schema import validate_observations
from store.db import write_transaction
from store.schema import observations, uploads
from store.uploads import audit, bump_data_version, ingest_observations

SEED = 76  # Nghị quyết 76/NQ-CP
YEARS = (2021, 2022, 2023, 2024, 2025)
LAST = ("2026-Q1", "2026-Q2", "2026-H1")

#: Sectors carried in the demo, with (share of a province's dossiers, late-resolution rate).
SECTOR_PROFILE: dict[str, tuple[float, float]] = {
    "dat_dai": (0.22, 0.085),
    "xay_dung": (0.06, 0.095),
    "ldtbxh": (0.08, 0.05),
    "tu_phap": (0.30, 0.004),
    "dau_tu": (0.08, 0.010),
    "giao_thong": (0.07, 0.008),
    "tnmt": (0.04, 0.020),
    "nong_nghiep": (0.04, 0.012),
    "y_te": (0.04, 0.010),
    "khac": (0.07, 0.006),
}
#: A ministry's own sector, for the few dossiers ministries receive themselves.
MINISTRY_SECTOR = {
    "M-BXD": "xay_dung",
    "M-BTP": "tu_phap",
    "M-BTC": "dau_tu",
    "M-BKHDT": "dau_tu",
    "M-BGTVT": "giao_thong",
    "M-BTNMT": "tnmt",
    "M-BNNPTNT": "nong_nghiep",
    "M-BNNMT": "nong_nghiep",
    "M-BYT": "y_te",
    "M-BLDTBXH": "ldtbxh",
    "M-BNV": "noi_vu",
    "M-BCT": "cong_thuong",
    "M-BGDDT": "giao_duc",
    "M-BVHTTDL": "van_hoa",
    "M-BTTTT": "tttt",
    "M-BKHCN": "khcn",
    "M-UBDT": "dan_toc",
    "M-BDTTG": "dan_toc",
    "M-TTCP": "thanh_tra",
}
STOCK_DOSSIER = ["dossiers_pending", "dossiers_pending_overdue"]
FLOW_DOSSIER = [*(c for c in DOSSIER_COUNTS if c not in STOCK_DOSSIER), "dossiers_reusing_data"]
STOCKS = {"procedures_total", "procedures_online_full", "procedures_online_partial", *STOCK_DOSSIER}


def _quarters() -> list[Period]:
    qs = [Period(y, "Q", q) for y in YEARS for q in (1, 2, 3, 4)]
    return [*qs, Period(2026, "Q", 1), Period(2026, "Q", 2)]


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing exactly to ``total`` (largest remainder)."""
    raw = total * weights / weights.sum()
    base = np.floor(raw).astype(np.int64)
    rest = total - int(base.sum())
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _latent(cat: Catalog, rng: np.random.Generator) -> pd.DataFrame:
    """Quarterly figures per 63-era province and pre-2025 ministry (the finest grain of the demo)."""
    provinces = sorted(u.id for u in cat.provinces("63"))
    ministries = sorted(u.id for u in cat.units.values() if u.kind == "ministry" and u.valid_from is None)
    quarters = _quarters()
    rows: list[tuple[str, str, str, str, float]] = []
    size = {u: float(rng.lognormal(0.0, 0.6)) for u in provinces}
    size.update({"VN63-01": 4.5, "VN63-79": 5.0})
    skill = {u: float(rng.normal(0.0, 1.0)) for u in [*provinces, *ministries]}
    staff_year = {
        y: {"province": int(t), "ministry": int(m)}
        for y, t, m in (
            (2021, 11_870, 640),
            (2022, 13_402, 412),
            (2023, 14_288, 305),
            (2024, 15_932, 217),
            (2025, 48_650, 1_930),
            (2026, 9_120, 240),
        )
    }
    for kind, units in (("province", provinces), ("ministry", ministries)):
        weights = np.array([size.get(u, 0.4) for u in units])
        for year, totals in staff_year.items():
            per_unit = _split(totals[kind], weights * rng.uniform(0.7, 1.3, len(units)))
            n_q = 2 if year == 2026 else 4
            for u, total in zip(units, per_unit, strict=True):
                by_q = _split(int(total), rng.uniform(0.5, 1.5, n_q))
                for q, v in enumerate(by_q, start=1):
                    civil = round(v * rng.uniform(0.25, 0.45))
                    key = f"{year}-Q{q}"
                    rows += [
                        ("staff_reduced", u, key, "", float(v)),
                        ("staff_reduced_civil_servants", u, key, "", float(civil)),
                        ("staff_reduced_public_employees", u, key, "", float(v - civil)),
                    ]
    for u in [*provinces, *ministries]:
        rows += _unit_series(u, u in provinces, size.get(u, 0.3), skill[u], quarters, rng)
    return pd.DataFrame(rows, columns=["indicator", "unit", "qkey", "sector", "value"])


def _unit_series(
    unit: str, is_province: bool, size: float, skill: float, quarters: list[Period], rng: np.random.Generator
) -> list[tuple[str, str, str, str, float]]:
    rows: list[tuple[str, str, str, str, float]] = []
    sectors = list(SECTOR_PROFILE) if is_province else [MINISTRY_SECTOR.get(unit, "khac")]
    procedures = int(1_450 + 250 * rng.random()) if is_province else int(120 + 200 * rng.random())
    for t, p in enumerate(quarters):
        progress = t / (len(quarters) - 1)  # 0 in 2021-Q1, 1 in 2026-Q2
        key = p.code
        online_share = min(0.95, 0.25 + 0.45 * progress + 0.04 * skill + rng.normal(0, 0.03))
        digit_share = min(0.95, 0.18 + 0.52 * progress + 0.05 * skill + rng.normal(0, 0.03))
        reuse_share = min(0.9, 0.03 + 0.22 * progress + 0.03 * skill + rng.normal(0, 0.02))
        for sector in sectors:
            share, late_rate = SECTOR_PROFILE.get(sector, (1.0, 0.02))
            base = (9_000 * size * share) if is_province else 1_200 * (0.5 + rng.random())
            received = int(base * rng.uniform(0.85, 1.15) * (1 + 0.08 * progress))
            online = int(received * max(0.05, online_share) * rng.uniform(0.9, 1.1))
            online = min(online, received)
            resolved = int(received * rng.uniform(0.9, 0.98))
            late_r = max(0.0, late_rate * (1.25 - 0.6 * progress) * (1 - 0.15 * skill) * rng.uniform(0.7, 1.3))
            late = int(resolved * late_r)
            early = int((resolved - late) * rng.uniform(0.45, 0.7))
            on_time = resolved - late - early
            pending = received - resolved + int(received * 0.03)
            overdue = int(pending * late_r * rng.uniform(0.8, 2.0))
            digitized = int(received * max(0.02, digit_share) * rng.uniform(0.9, 1.05))
            results = int(resolved * max(0.02, digit_share - 0.08) * rng.uniform(0.9, 1.05))
            reuse = int(received * max(0.0, reuse_share))
            for ind, v in zip(
                [*FLOW_DOSSIER, *STOCK_DOSSIER],
                [
                    received,
                    online,
                    resolved,
                    early,
                    on_time,
                    late,
                    min(digitized, received),
                    min(results, resolved),
                    reuse,
                    pending,
                    overdue,
                ],
                strict=True,
            ):
                rows.append((ind, unit, key, sector, float(v)))
        full = int(procedures * min(0.9, 0.22 + 0.45 * progress + 0.03 * skill))
        partial = int((procedures - full) * 0.45)
        with_fees = int(2_600 * (size if is_province else 0.3) * rng.uniform(0.8, 1.2))
        paid = int(with_fees * min(0.92, 0.12 + 0.5 * progress + 0.05 * skill))
        satisfaction = float(np.clip(82 + 10 * progress + 2.5 * skill + rng.normal(0, 1.2), 55, 99.5))
        rows += [
            ("procedures_total", unit, key, "", float(procedures)),
            ("procedures_online_full", unit, key, "", float(full)),
            ("procedures_online_partial", unit, key, "", float(partial)),
            ("procedures_cut", unit, key, "", float(rng.integers(0, 12 if is_province else 25))),
            ("dossiers_with_fees", unit, key, "", float(with_fees)),
            ("dossiers_paid_online", unit, key, "", float(paid)),
            ("satisfaction_rate", unit, key, "", round(satisfaction, 1)),
        ]
    return rows


def _report_periods() -> list[Period]:
    out: list[Period] = []
    for y in YEARS:
        out += [Period(y, "Q", q) for q in (1, 2, 3, 4)]
        out += [Period(y, "H", 1), Period(y, "9M"), Period(y, "Y")]
    out += [parse_period(c) for c in LAST]
    return out


def _member_quarters(p: Period) -> list[str]:
    if p.kind == "Q":
        return [p.code]
    return [f"{p.year}-Q{q}" for q in range(1, p.last_month // 3 + 1)]


def _in_era(frame: pd.DataFrame, p: Period, cat: Catalog) -> pd.DataFrame:
    """Move latent units onto the units in force on the period's last day (sum counts, weigh scores)."""
    mapping = {}
    for u in frame["unit"].unique():
        target = u
        while not cat.units[target].valid_on(p.end) and cat.units[target].successor_id:
            target = cat.units[target].successor_id
        mapping[u] = target
    frame = frame.assign(unit=frame["unit"].map(mapping))
    sat = frame[frame["indicator"] == "satisfaction_rate"]
    other = frame[frame["indicator"] != "satisfaction_rate"]
    out = other.groupby(["indicator", "unit", "sector"], sort=False)["value"].sum().reset_index()
    if not sat.empty:
        w = sat["weight"].fillna(1.0)
        s = sat.assign(wv=sat["value"] * w, w=w).groupby(["indicator", "unit", "sector"])[["wv", "w"]].sum()
        s = s.reset_index()
        s["value"] = (s["wv"] / s["w"]).round(1)
        out = pd.concat([out, s[["indicator", "unit", "sector", "value"]]], ignore_index=True)
    return out


def demo_observations(cat: Catalog | None = None) -> pd.DataFrame:
    """The whole demo as an observation frame (deterministic: same numbers on every machine)."""
    cat = cat or catalog()
    rng = np.random.default_rng(SEED)
    latent = _latent(cat, rng)
    # Satisfaction is weighted by dossiers resolved when quarters or units are combined.
    resolved = latent[latent["indicator"] == "dossiers_resolved"].groupby(["unit", "qkey"])["value"].sum()
    latent["weight"] = np.nan
    is_sat = latent["indicator"] == "satisfaction_rate"
    latent.loc[is_sat, "weight"] = [
        resolved.get((u, q), 1.0) for u, q in zip(latent.loc[is_sat, "unit"], latent.loc[is_sat, "qkey"], strict=True)
    ]
    frames = []
    for p in _report_periods():
        qs = _member_quarters(p)
        part = latent[latent["qkey"].isin(qs)]
        last_q = qs[-1]
        part = part[~part["indicator"].isin(STOCKS) | (part["qkey"] == last_q)]
        agg = _in_era(part.drop(columns="qkey"), p, cat)
        agg["period"] = p.code
        frames.append(agg)
    obs = pd.concat(frames, ignore_index=True)
    obs = pd.concat([obs, _index766(cat, rng)], ignore_index=True)
    obs["value"] = obs["value"].astype(float)
    obs["sheet"] = None
    obs["row"] = pd.array([None] * len(obs), dtype="Int64")
    obs["column"] = None
    return obs[["indicator", "unit", "period", "sector", "value", "sheet", "row", "column"]]


def _index766(cat: Catalog, rng: np.random.Generator) -> pd.DataFrame:
    """Demo scores of the 766 index (five groups, 18/20/22/22/18 points), yearly, per unit of the era."""
    groups = [
        ("index766_publicity", 18),
        ("index766_progress", 20),
        ("index766_digitization", 22),
        ("index766_online", 22),
        ("index766_satisfaction", 18),
    ]
    rows = []
    for year in (2023, 2024, 2025):
        p = Period(year, "Y")
        units = [u.id for u in cat.provinces(p.province_era)] + [u.id for u in cat.ministries_on(p.end)]
        for u in units:
            level = rng.uniform(0.55, 0.92) + 0.03 * (year - 2023)
            parts = [round(min(mx, mx * level * rng.uniform(0.9, 1.08)), 2) for _, mx in groups]
            rows += [(g, u, p.code, "", v) for (g, _), v in zip(groups, parts, strict=True)]
            rows.append(("index766", u, p.code, "", round(sum(parts), 2)))
    return pd.DataFrame(rows, columns=["indicator", "unit", "period", "sector", "value"])


def _published_unit(name: str, period: Period, cat: Catalog) -> str | None:
    """Match a name as the reference tables write it ('Hải Phòng', 'Bộ Tư pháp') to a unit of its year."""
    for u in cat.units.values():
        if u.kind == "national" or not u.valid_on(period.end):
            continue
        if name in (u.short_name, u.name_vi):
            return u.id
    return None


def published_observations(cat: Catalog | None = None) -> tuple[pd.DataFrame, str]:
    """Published PAR INDEX and SIPAS scores from ``data/reference`` (real figures, partial) and their sources."""
    cat = cat or catalog()
    rows = []
    sources: set[str] = set()
    ref = DATA_DIR / "reference"
    for fname, indicator in (("par_index_results_partial.csv", "par_index"), ("sipas_results_partial.csv", "sipas")):
        with (ref / fname).open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if not r["score_pct"]:
                    continue
                period = parse_period(r["year"])
                name = r["unit_name"].replace("(trước sắp xếp)", "").strip()
                unit = _published_unit(name, period, cat)
                if unit is None:
                    continue
                rows.append((indicator, unit, period.code, "", float(r["score_pct"])))
                sources.add(r["source"])
    with (ref / "national_index_summary.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["index"] == "PAR_INDEX" and r["metric"] == "province_average" and r["unit"] == "%":
                rows.append(("par_index", "VN", r["year"], "", float(r["value"])))
                sources.add(r["source"])
    df = pd.DataFrame(rows, columns=["indicator", "unit", "period", "sector", "value"]).drop_duplicates(
        subset=["indicator", "unit", "period", "sector"], keep="first"
    )
    df["sheet"] = None
    df["row"] = pd.array([None] * len(df), dtype="Int64")
    df["column"] = None
    return df, "\n".join(sorted(sources))


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df[["indicator", "unit", "period", "sector", "value"]].to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def has_data(engine: sa.Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(sa.select(observations.c.id).limit(1)).first() is not None


def load_demo(engine: sa.Engine) -> int:
    """Store the demo (and the published indices) as uploads; loading twice stores nothing new."""
    cat = catalog()
    demo = demo_observations(cat)
    errors = validate_observations(demo, cat, "demo")
    if errors:
        raise ValueError(f"demo data fails the observation schema: {errors[:3]}")
    content = _csv_bytes(demo)
    out = ingest_observations(
        engine,
        demo,
        file_name="du_lieu_minh_hoa.csv",
        content=content,
        fmt="demo",
        by="demo",
        is_demo=True,
        note="Dữ liệu minh họa, sinh tự động (không phải số liệu thật) / generated demo data, not real figures",
    )
    published, sources = published_observations(cat)
    ingest_observations(
        engine,
        published,
        file_name="chi_so_cong_bo.csv",
        content=_csv_bytes(published),
        fmt="published",
        by="demo",
        note="Số liệu công bố (một phần) / published figures (partial). Nguồn / sources:\n" + sources,
    )
    return out.n_observations


def clear_demo(engine: sa.Engine) -> int:
    """Remove demo uploads and their figures; real uploads (and the published indices) stay."""
    with write_transaction(engine) as conn:
        ids = [r[0] for r in conn.execute(sa.select(uploads.c.id).where(uploads.c.is_demo.is_(True)))]
        if not ids:
            return 0
        n = conn.execute(sa.delete(observations).where(observations.c.upload_id.in_(ids))).rowcount
        conn.execute(sa.delete(uploads).where(uploads.c.id.in_(ids)))
        bump_data_version(conn)
        audit(conn, "cli", "demo_clear", "", {"uploads": ids, "observations": n})
    return int(n)
