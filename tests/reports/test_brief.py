"""The meeting brief: the seed's figures, each figure equal to the store's, DOCX that reads back."""

from __future__ import annotations

import io
import shutil
import subprocess

import pandas as pd
import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.catalog import catalog
from reports.brief import Figures, build_brief, pick
from reports.docx_brief import brief_docx
from store.queries import query_values

GROUPS = {"VN": "national", "@ministries": "ministries", "@localities": "localities"}


@pytest.fixture(scope="module")
def brief_2024(demo_engine):
    return build_brief(demo_engine, "2024")


def test_seed_figures_and_late_sectors(brief_2024):
    text = brief_2024.text
    assert "tổng số là 16.149 người (trong đó, bộ, ngành là 217 người, địa phương là 15.932 người)" in text
    late = next(s.text for sec in brief_2024.sections for s in sec.sentences if "chậm muộn" in s.text)
    assert "Đất đai" in late and "xây dựng" in late and "lao động - thương binh và xã hội" in late
    assert late.index("Đất đai") < late.index("xây dựng") < late.index("lao động")
    assert "Dữ liệu minh họa".lower() in text.lower() or "minh họa" in text


def test_every_figure_equals_the_store(demo_engine, brief_2024):
    figures = brief_2024.figures
    assert len(figures) > 20
    for f in figures:
        where = {"group": GROUPS[f.unit]} if f.unit in GROUPS else {"unit": f.unit}
        rows = query_values(demo_engine, indicator=f.indicator, period=f.period, sector=f.sector, **where)
        assert len(rows) == 1, f
        assert rows[0]["value"] == pytest.approx(f.value, rel=1e-6), f  # the CLI prints 6 decimals


def test_english_brief(demo_engine):
    text = build_brief(demo_engine, "2024", lang="en").text
    assert "16,149 in all (217 in ministries and 15,932 in localities)" in text
    assert "Land" in text and "Construction" in text


def test_a_34_era_province_brief_uses_only_that_era_names(demo_engine):
    cat = catalog()
    brief = build_brief(demo_engine, "2025-9M", scope="VN34-86")
    text = brief.text
    assert "Tỉnh Vĩnh Long" in text
    names_34 = {u.short_name for u in cat.provinces("34")}
    gone = {u.short_name for u in cat.provinces("63")} - names_34
    assert not [n for n in gone if n in text]
    assert all(f.unit in ("VN34-86",) for f in brief.figures)


def test_docx_reads_back_with_vietnamese_text(brief_2024, tmp_path):
    data = brief_docx(brief_2024, with_charts=shutil.which("chromium") is not None)
    doc = Document(io.BytesIO(data))
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO TÓM TẮT KẾT QUẢ CẢI CÁCH HÀNH CHÍNH NĂM 2024" in paragraphs
    assert "16.149" in paragraphs and "15.932" in paragraphs
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "16.149" in cells and "Số biên chế tinh giản" in cells
    if shutil.which("chromium"):
        assert len(doc.inline_shapes) == 3  # staff split, late dossiers by sector, the national map
    soffice = shutil.which("soffice")
    if soffice:
        path = tmp_path / "brief.docx"
        path.write_bytes(data)
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        assert (tmp_path / "brief.pdf").stat().st_size > 10_000


def test_a_province_brief_compares_with_its_predecessors_last_year(demo_engine):
    # 6 tháng đầu năm 2026 against 2025's first half, reported by Bến Tre, Trà Vinh and Vĩnh Long (63-era).
    brief = build_brief(demo_engine, "2026-H1", scope="VN34-86")
    text = brief.text
    assert "Kỳ so sánh đã quy đổi về 34 tỉnh theo địa giới hiện nay." in text
    before = [f for f in brief.figures if f.period == "2025-H1"]
    assert before and all(f.unit == "VN34-86" for f in before)
    for f in before:
        rows = query_values(demo_engine, indicator=f.indicator, period=f.period, unit=f.unit, view="rebased")
        assert rows[0]["value"] == pytest.approx(f.value)


KEYS = st.tuples(
    st.sampled_from(["on_time_rate", "staff_reduced"]),
    st.sampled_from(["VN", "01", "@ministries"]),
    st.sampled_from(["2024", "2025"]),
    st.sampled_from(["", "dat_dai"]),
)


@given(st.lists(st.tuples(KEYS, st.one_of(st.none(), st.floats(-1e6, 1e6))), max_size=30), KEYS)
@settings(max_examples=200, deadline=None)
def test_a_brief_reads_each_figure_as_the_rows_say(rows, key) -> None:
    """The index answers what the rows do: the first row of a key, none where it is missing or empty."""
    frame = pd.DataFrame([(*k, v) for k, v in rows], columns=["indicator", "unit", "period", "sector", "value"]).astype(
        {"value": "float64"}
    )
    hit = frame[
        (frame["indicator"] == key[0])
        & (frame["unit"] == key[1])
        & (frame["period"] == key[2])
        & (frame["sector"] == key[3])
    ]
    expected = None if hit.empty or pd.isna(hit["value"].iloc[0]) else float(hit["value"].iloc[0])
    got = pick(Figures.of(frame), *key)
    assert (got.value if got else None) == expected
    assert got is None or (got.indicator, got.unit, got.period, got.sector) == key
