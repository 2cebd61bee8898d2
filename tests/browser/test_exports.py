"""Taking dashboards out: a page as PDF, every chart of a page in one workbook, the brief on screen and as .docx."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.browser.harness import (
    TEST_ACCOUNTS,
    open_as,
    prepare_database,
    run_cli,
    screenshot,
    screenshot_dir,
    start_server,
    stop_server,
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exports")
    db_url = f"sqlite:///{tmp / 'cchc.sqlite'}"
    prepare_database(db_url)
    url, proc = start_server(db_url=db_url, log_path=tmp / "streamlit.log")
    try:
        yield url, db_url, tmp
    finally:
        stop_server(proc)


def test_a_page_prints_to_pdf_offline(server):
    url, db_url, tmp = server
    out = tmp / "tong_quan_2024.pdf"
    run_cli(
        ["pdf", "overview?period=2024", "--out", str(out), "--user", TEST_ACCOUNTS["viewer"][0], "--base", url],
        db_url=db_url,
    )
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "16.149" in text and "Tổng quan" in text
        assert "Tên đăng nhập" not in text and "Đăng xuất" not in text  # the viewer's page, without the sidebar
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "50",
                "-f",
                "1",
                "-l",
                "1",
                str(out),
                str(screenshot_dir() / "overview_pdf_page"),
            ],
            check=True,
        )


def pdf_pages(data: bytes) -> int:
    """The page objects of a PDF as Chromium writes it (uncompressed page dictionaries)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.mark.parametrize("unit", ["VN34-86", "M-BXD"])
def test_a_unit_profile_prints_on_one_a4_page(server, unit):
    """The profile is meant to be printed: table, strongest and weakest, trend and reporting record on one
    sheet (the page's own @page rule and a lower trend make the room)."""
    url, db_url, tmp = server
    out = tmp / f"ho_so_{unit}.pdf"
    args = ["pdf", f"profile?unit={unit}&period=2026-H1", "--out", str(out), "--user", TEST_ACCOUNTS["viewer"][0]]
    run_cli([*args, "--base", url], db_url=db_url)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == 1


def test_every_chart_of_a_page_in_one_workbook(server, page):
    url, _, _ = server
    open_as(page, f"{url}/overview?period=2024")
    with page.expect_download(timeout=120_000) as dl:
        page.get_by_role("button", name="Tải toàn bộ biểu đồ của trang (.xlsx)").click()
    wb = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    assert len(wb.sheetnames) >= 3
    staff = next(wb[n] for n in wb.sheetnames if "biên chế" in str(wb[n]["A1"].value).lower())
    values = [c.value for row in staff.iter_rows() for c in row]
    assert 217 in values and 15932 in values and 16149 in values
    assert any(str(v).startswith("Bộ lọc / filters: ") and "period=2024" in str(v) for v in values)
    assert staff.freeze_panes is not None


def test_brief_page_and_docx(server, page):
    url, _, _ = server
    open_as(page, f"{url}/brief?period=2024")
    page.get_by_text("tổng số là 16.149 người").first.wait_for(timeout=60_000)
    assert page.get_by_text("lao động - thương binh và xã hội", exact=False).count() >= 1
    screenshot(page, "brief_2024")
    with page.expect_download(timeout=180_000) as dl:
        page.get_by_role("button", name="Tải báo cáo (.docx)").click()
    doc = Document(io.BytesIO(Path(dl.value.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "15.932" in text and "BÁO CÁO TÓM TẮT" in text
