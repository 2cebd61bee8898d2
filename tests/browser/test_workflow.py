"""The secretariat's workflow in Chromium: sign-in and lockout, roles, upload → preview → publish, refused
files sent back annotated, duplicates, revisions, rollback, the completeness board, templates, and two
secretariats publishing at the same time.

Most tests share one module server (demo data, the harness accounts, a scoped secretariat and an account
kept for the lockout test); each test touches its own units / periods so the tests stay independent of
their order. Figures are read back with ``cli.py query`` against the server's own database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .harness import (
    TEST_ACCOUNTS,
    create_user,
    external_urls,
    needs_login,
    prepare_database,
    run_cli,
    screenshot,
    sqlite_url,
    start_server,
    stop_server,
    wait_for_app,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SCOPED = ("thuky_hanoi", "thuky-ha-noi-mat-khau")  # secretariat limited to Hà Nội (VN34-01)
LOCKOUT = ("khoa_thu", "khoa-thu-mat-khau-dung")  # viewer account the lockout test locks

UPLOADER = '[data-testid="stFileUploaderDropzoneInput"]'
ALERT = '[data-testid="stAlert"]'
MAIN = '[data-testid="stMain"]'

LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
LOGIN_LOCKED = "Đăng nhập sai quá nhiều lần"
WIDE = {"width": 2200, "height": 1000}
FORBIDDEN = "Tài khoản của bạn không có quyền xem trang này."


class Server:
    def __init__(self, url: str, db_url: str) -> None:
        self.url = url
        self.db_url = db_url


@pytest.fixture(scope="module")
def wf_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("workflow")
    db_url = sqlite_url(tmp / "cchc.sqlite")
    prepare_database(db_url, demo=True, accounts=True)
    create_user(db_url, *SCOPED[:1], "secretariat", SCOPED[1], scopes=["VN34-01"])
    create_user(db_url, LOCKOUT[0], "viewer", LOCKOUT[1])
    url, proc = start_server(db_url=db_url, log_path=tmp / "streamlit.log")
    try:
        yield Server(url, db_url)
    finally:
        stop_server(proc)


# --------------------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------------------


def open_page(page: Any, url: str, role: str | tuple[str, str] | None = None) -> None:
    """Go to ``url`` (a new Streamlit session) and sign in as ``role`` (harness role or (name, password))."""
    page.goto(url)
    wait_for_app(page)
    if role is not None and needs_login(page):
        name, password = role if isinstance(role, tuple) else TEST_ACCOUNTS[role]
        submit_login(page, name, password)
        assert not needs_login(page), f"sign-in as {name} failed: {error_alerts(page)}"


def main_text(page: Any) -> str:
    return str(page.locator(MAIN).inner_text())


def alerts(page: Any) -> list[str]:
    return [str(a.inner_text()) for a in page.locator(ALERT).all()]


def error_alerts(page: Any) -> list[str]:
    return [str(a.inner_text()) for a in page.locator('[data-testid="stAlertContentError"]').all()]


def grid_rows(page: Any, index: int = 0) -> list[list[str]]:
    """The rendered rows of the ``index``-th ``st.dataframe`` (its accessible table; the grid itself is a
    canvas), header row first. Only rows scrolled into view are rendered."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.locator("table").wait_for(state="attached")
    return [[str(c) for c in r.locator("th, td").all_inner_texts()] for r in grid.locator("table tr").all()]


def grid_records(page: Any, index: int = 0) -> dict[str, dict[str, str]]:
    """Rows of a grid keyed by their first cell, each as {column header: cell text}."""
    head, *body = grid_rows(page, index)
    return {r[0]: dict(zip(head, r, strict=False)) for r in body if r}


def grid_text(page: Any, index: int = 0) -> str:
    return " | ".join(" | ".join(r) for r in grid_rows(page, index))


def upload(page: Any, *paths: Path) -> None:
    page.locator(UPLOADER).set_input_files([str(p) for p in paths])
    wait_for_app(page)
    # Every file's preview has been prepared: its status box says how many figures, errors and warnings.
    for p in paths:
        page.get_by_text(re.compile(rf"Đã đọc {re.escape(p.name)}: ")).first.wait_for(timeout=60_000)
    wait_for_app(page)  # and the rest of the page (tables, buttons) has been drawn


def publish(page: Any, name: str) -> int:
    """Press "Công bố <name>" and return the new upload's number from the success message."""
    page.get_by_role("button", name=f"Công bố {name}").click()
    wait_for_app(page)
    return published_id(page)


def published_id(page: Any) -> int:
    msg = page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Đã lưu lần tải #").first
    msg.wait_for(timeout=60_000)
    m = re.search(r"Đã lưu lần tải #(\d+)", str(msg.inner_text()))
    assert m, msg.inner_text()
    return int(m.group(1))


def query(db_url: str, indicator: str, period: str, unit: str, sector: str | None = None) -> float | None:
    args = ["query", "--indicator", indicator, "--period", period, "--unit", unit, "--json"]
    if sector:
        args += ["--sector", sector]
    rows = json.loads(run_cli(args, db_url=db_url).stdout)
    rows = [r for r in rows if not r.get("sector")] if sector is None else rows
    assert len(rows) <= 1, rows
    return float(rows[0]["value"]) if rows else None


def ingest(db_url: str, path: Path, by: str = "cli") -> int:
    out = run_cli(["ingest", str(path), "--by", by], db_url=db_url).stdout
    m = re.search(r"lần tải #(\d+)", out)
    assert m, out
    return int(m.group(1))


def long_csv(path: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    """A small shape-A report: unit, period, indicator, value."""
    lines = ["unit,period,indicator,value", *(f"{u},{p},{i},{v:g}" for u, p, i, v in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def submit_login(page: Any, name: str, password: str) -> None:
    """Fill and submit the sign-in form on a page that shows no error yet, then wait until the run answered:
    the form is gone (signed in) or an error is shown. (harness.login only waits 200 ms for the rerun to
    start, which a loaded 2-core machine does not always manage.)"""
    form = page.locator('[data-testid="stForm"]').filter(has=page.locator('input[type="password"]')).first
    form.wait_for()
    assert not error_alerts(page), "submit_login needs a page without an error message"
    form.locator('[data-testid="stTextInputRootElement"] input:not([type="password"])').first.fill(name)
    form.locator('input[type="password"]').first.fill(password)
    form.locator('[data-testid="stFormSubmitButton"] button').first.click()
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stForm"] input[type="password"]')
                 || document.querySelector('[data-testid="stAlertContentError"]')""",
        timeout=60_000,
    )
    wait_for_app(page)


def download(page: Any, button_name: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"] button').filter(has_text=button_name).first.click()
    info.value.save_as(target)
    return target


# --------------------------------------------------------------------------------------------------------------------
# Accounts and roles
# --------------------------------------------------------------------------------------------------------------------


def test_login_failures_lock_the_account_without_saying_what_was_wrong(wf_server: Server, page: Any) -> None:
    name, password = LOCKOUT

    def attempt(user: str, pw: str) -> list[str]:
        open_page(page, wf_server.url)  # a new session each time: no earlier message left on the page
        submit_login(page, user, pw)
        assert needs_login(page)
        return error_alerts(page)

    # An unknown name and a wrong password get the very same message.
    unknown = attempt("khong_co_ai", "sai-mat-khau")
    assert unknown == [LOGIN_FAILED], unknown
    for n in range(1, 5):
        assert attempt(name, f"sai-{n}") == unknown, n
    locked = attempt(name, "sai-5")  # the fifth failure in a row from this address delays the next tries
    assert len(locked) == 1 and locked[0].startswith(LOGIN_LOCKED), locked
    shown = attempt(name, password)  # ... and then even the right password is refused
    screenshot(page, "workflow-login-locked")
    assert len(shown) == 1 and shown[0].startswith(LOGIN_LOCKED), shown
    for text in [*unknown, *locked, *shown]:  # never which part was wrong
        low = text.lower()
        assert "mật khẩu sai" not in low and "không tồn tại" not in low and "sai mật khẩu" not in low
    assert not page.locator('[data-testid="stSidebarNav"]').count()
    assert not page.locator('[data-testid="stMetric"]').count()


def assert_no_secretariat_content(page: Any) -> None:
    """Signed in as a viewer on /upload, /history, /audit or /users: either the page's own check says
    "forbidden", or the router never served it (the viewer lands on a committee page); either way nothing of
    the secretariat's pages is shown."""
    text = main_text(page)
    assert FORBIDDEN in text or not re.search(r"/(upload|history|audit|users)(\?|$)", page.url), page.url
    assert not page.locator(UPLOADER).count()
    for title in ("Tải báo cáo lên", "Lịch sử tải lên", "Nhật ký hệ thống", "Thêm tài khoản", "Biểu mẫu trống"):
        assert title not in text, title
    assert not page.get_by_role("button", name=re.compile("^(Công bố|Thu hồi|Khôi phục)")).count()
    headers = page.locator('[data-testid="stDataFrame"] th').all_inner_texts()
    assert "Người tải" not in headers and "Tên đăng nhập" not in headers, headers  # uploads, audit, accounts


def test_viewer_sees_no_secretariat_pages(wf_server: Server, page: Any) -> None:
    open_page(page, wf_server.url, "viewer")
    nav = str(page.locator('[data-testid="stSidebarNav"]').inner_text())
    assert "Tổng quan" in nav and "Tình hình nộp báo cáo" in nav
    for title in ("Tải báo cáo lên", "Lịch sử tải lên", "Nhật ký hệ thống", "Tài khoản"):
        assert title not in nav
    for path in ("upload", "history", "audit", "users"):
        open_page(page, f"{wf_server.url}/{path}", "viewer")
        assert_no_secretariat_content(page)
        assert "e2e_admin" not in page.content()  # no account list, no audit log
    screenshot(page, "workflow-viewer-users-direct")


def test_viewer_direct_visit_to_upload_on_a_fresh_server(
    server_factory: Any, tmp_path: Path, page: Any, requests_log: list[str]
) -> None:
    db_url = sqlite_url(tmp_path / "fresh.sqlite")
    prepare_database(db_url, demo=False, accounts=True)
    ingest(db_url, DATA / "sb01_tong_hop_nam_2024.xlsx", by="e2e_thuky")
    url = server_factory(db_url=db_url)
    page.goto(f"{url}/upload")  # the first request the server ever sees
    wait_for_app(page)
    # The first run serves pages/upload.py directly, which re-routes through dashboard.py; then the sign-in.
    page.locator('[data-testid="stForm"] input[type="password"]').wait_for(timeout=60_000)
    wait_for_app(page)
    assert not page.locator(UPLOADER).count()
    assert not page.locator('[data-testid="stDataFrame"]').count()
    name, password = TEST_ACCOUNTS["viewer"]
    submit_login(page, name, password)
    screenshot(page, "workflow-viewer-upload-fresh-server")
    assert not needs_login(page)
    assert_no_secretariat_content(page)
    for path in ("history", "upload"):
        open_page(page, f"{url}/{path}", "viewer")
        assert_no_secretariat_content(page)
    assert not external_urls(requests_log)


def test_scoped_secretariat_is_refused_another_provinces_report(wf_server: Server, page: Any) -> None:
    open_page(page, f"{wf_server.url}/upload", SCOPED)
    upload(page, DATA / "sc01_ben_tre_quy_iv_2024.xlsx")
    errors = [a for a in alerts(page) if "từ chối" in a]
    screenshot(page, "workflow-scoped-refused")
    assert errors and "Không có số liệu nào được lưu" in errors[0], alerts(page)
    text = grid_text(page, 0)
    assert f"Tài khoản {SCOPED[0]} chỉ được tải báo cáo của Thành phố Hà Nội" in text, text
    assert "Bến Tre" in text
    assert not page.get_by_role("button", name=re.compile("^Công bố")).count()
    assert query(wf_server.db_url, "dossiers_received", "2024-Q4", "VN63-83", "dat_dai") != 1066.0


# --------------------------------------------------------------------------------------------------------------------
# Upload, preview, publish; refused and duplicate files
# --------------------------------------------------------------------------------------------------------------------


def test_upload_preview_publish_then_the_figure_is_in_use(wf_server: Server, page: Any) -> None:
    name = "sb01_tong_hop_nam_2024.xlsx"
    assert query(wf_server.db_url, "dossiers_received", "2024", "VN63-01") != 62807.0  # the demo's value
    open_page(page, f"{wf_server.url}/upload", "secretariat")
    upload(page, DATA / name)
    metrics = [str(m.inner_text()) for m in page.locator('[data-testid="stMetric"]').all()]
    screenshot(page, "workflow-upload-preview")
    assert any("Dạng biểu" in m and "B" in m for m in metrics), metrics
    assert any("Kỳ báo cáo" in m and "Năm 2024" in m for m in metrics), metrics
    assert any("Số liệu" in m and "72" in m for m in metrics), metrics
    assert page.locator('[data-testid="stDataFrame"]').count() >= 1
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 1
    assert page.get_by_text(f"Đã đọc {name}: 72 số liệu, 0 lỗi, 0 cảnh báo.").count()
    assert query(wf_server.db_url, "dossiers_received", "2024", "VN63-01") != 62807.0  # nothing stored yet
    upload_id = publish(page, name)
    screenshot(page, "workflow-upload-published")
    assert query(wf_server.db_url, "dossiers_received", "2024", "VN63-01") == 62807.0

    page.set_viewport_size(WIDE)  # every column of the uploads table in view (the grid renders visible cells)
    open_page(page, f"{wf_server.url}/history", "secretariat")  # opens on the newest upload: ours
    row = grid_records(page, 0)[str(upload_id)]
    assert (row["Người tải"], row["Tệp"], row["Dạng"], row["Trạng thái"]) == (
        TEST_ACCOUNTS["secretariat"][0],
        name,
        "dạng B",
        "đang dùng",
    ), row
    assert "62807" in grid_text(page, 1).replace(".", "")  # the chosen upload's figures
    screenshot(page, "workflow-history-secretariat")
    # Not an administrator: no rollback button, and the page says so.
    assert not page.get_by_role("button", name=re.compile("Thu hồi")).count()
    assert "Chỉ quản trị viên được thu hồi hoặc khôi phục." in main_text(page)


def test_refused_upload_gives_an_annotated_workbook(wf_server: Server, page: Any, tmp_path: Path) -> None:
    open_page(page, f"{wf_server.url}/upload", "secretariat")
    upload(page, DATA / "sr01_tinh_khong_ro.xlsx", DATA / "sr02_chu_trong_o_so.csv")
    refused = [a for a in alerts(page) if "Tệp bị từ chối" in a]
    screenshot(page, "workflow-upload-refused")
    assert len(refused) == 2, alerts(page)
    assert not page.get_by_role("button", name=re.compile("^Công bố")).count()
    rows = grid_rows(page, 0)
    assert rows[0] == ["Trang tính", "Dòng", "Cột", "Nội dung"], rows
    assert rows[1][:3] == ["Biểu 01", "6", "B"] and "Tỉnh Hà Tây" in rows[1][3], rows

    path = download(page, "Tải tệp có đánh dấu lỗi", tmp_path / "annotated.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Lỗi"
    summary = wb["Lỗi"]
    assert "sr01_tinh_khong_ro.xlsx" in str(summary["A1"].value)
    rows = [tuple(c.value for c in r) for r in summary.iter_rows(min_row=5)]
    hits = [r for r in rows if r[1] == "Biểu 01" and r[2] == 6 and r[3] == "B"]
    assert hits and "Hà Tây" in str(hits[0][4]), rows
    sheet = wb["Biểu 01"]
    header = [c.value for c in sheet[1]]
    col = header.index("Lỗi cần sửa / errors to fix") + 1
    assert "Hà Tây" in str(sheet.cell(row=6, column=col).value)
    assert sheet["B6"].comment is not None and "Hà Tây" in sheet["B6"].comment.text
    assert sheet["B6"].fill.fgColor.rgb.endswith("F8CBAD")

    # The CSV comes back as a workbook too, naming line 4, column D.
    path = download_nth(page, 1, tmp_path / "annotated_csv.xlsx")
    summary = load_workbook(path)["Lỗi"]
    rows = [tuple(c.value for c in r) for r in summary.iter_rows(min_row=5)]
    assert any(r[2] == 4 and r[3] == "D" for r in rows), rows


def download_nth(page: Any, n: int, target: Path) -> Path:
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"] button').filter(has_text="đánh dấu lỗi").nth(n).click()
    info.value.save_as(target)
    return target


def test_uploading_the_same_file_again_is_a_duplicate(wf_server: Server, page: Any) -> None:
    first = ingest(wf_server.db_url, DATA / "sa01_bang_dai_2024.xlsx", by="e2e_thuky")
    open_page(page, f"{wf_server.url}/upload", "secretariat")
    upload(page, DATA / "sa01_bang_dai_2024.xlsx")
    info = [a for a in alerts(page) if "đã được tải lên" in a]
    screenshot(page, "workflow-upload-duplicate")
    assert info and f"lần tải #{first}" in info[0], alerts(page)
    assert not page.get_by_role("button", name=re.compile("^Công bố")).count()


# --------------------------------------------------------------------------------------------------------------------
# Revisions and rollback
# --------------------------------------------------------------------------------------------------------------------


def test_revision_shows_what_it_supersedes_then_replaces_the_value(
    wf_server: Server, page: Any, tmp_path: Path
) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    rows = [
        ("Thành phố Hà Nội", "2025-Q3", "procedures_total", 1234),
        ("Thành phố Hà Nội", "2025-Q3", "procedures_cut", 56),
    ]
    v1 = long_csv(tmp_path / "v1" / "ha_noi_quy_3.csv", rows)
    v2 = long_csv(tmp_path / "v2" / "ha_noi_quy_3_sua.csv", [(*rows[0][:3], 1240), rows[1]])
    open_page(page, f"{wf_server.url}/upload", "secretariat")
    upload(page, v1)
    first = publish(page, v1.name)
    assert query(wf_server.db_url, "procedures_total", "2025-Q3", "VN34-01") == 1234.0

    open_page(page, f"{wf_server.url}/upload", "secretariat")
    upload(page, v2)
    text = main_text(page)
    screenshot(page, "workflow-upload-revision")
    assert (
        f"Công bố tệp này sẽ thay thế 2 số liệu đang dùng (của lần tải #{first}); 1 số liệu thay đổi giá trị" in text
    ), alerts(page)
    changes = grid_text(page, 2).replace(".", "")  # after the column map and the figures
    assert "1234" in changes and "1240" in changes and "thay đổi" in changes, changes
    second = publish(page, v2.name)
    assert second > first
    assert query(wf_server.db_url, "procedures_total", "2025-Q3", "VN34-01") == 1240.0
    assert query(wf_server.db_url, "procedures_cut", "2025-Q3", "VN34-01") == 56.0


def test_admin_rollback_restores_the_earlier_number(wf_server: Server, page: Any, tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v2").mkdir()
    v1 = long_csv(tmp_path / "v1" / "hai_phong.csv", [("Thành phố Hải Phòng", "2025-Q3", "procedures_total", 555)])
    v2 = long_csv(tmp_path / "v2" / "hai_phong_sua.csv", [("Thành phố Hải Phòng", "2025-Q3", "procedures_total", 777)])
    first = ingest(wf_server.db_url, v1, by="e2e_thuky")
    second = ingest(wf_server.db_url, v2, by="e2e_thuky")
    assert query(wf_server.db_url, "procedures_total", "2025-Q3", "VN34-31") == 777.0

    page.set_viewport_size(WIDE)
    open_page(page, f"{wf_server.url}/history", "admin")  # opens on the newest upload: the revision
    rows = grid_records(page, 0)
    assert rows[str(second)]["Tệp"] == "hai_phong_sua.csv" and rows[str(second)]["Trạng thái"] == "đang dùng", rows
    assert rows[str(first)]["Trạng thái"] == "đã được thay thế", rows
    assert "777" in grid_text(page, 1)  # the chosen upload's figures
    screenshot(page, "workflow-history-admin")
    page.get_by_role("button", name="Thu hồi lần tải này (quay về bản trước)").click()
    page.get_by_role("button", name="Khôi phục lần tải này").wait_for(timeout=60_000)
    wait_for_app(page)
    assert f"Đã thu hồi lần tải #{second}: 1 số liệu, bản trước được dùng lại." in alerts(page), alerts(page)
    assert query(wf_server.db_url, "procedures_total", "2025-Q3", "VN34-31") == 555.0
    screenshot(page, "workflow-history-rolled-back")
    rows = grid_records(page, 0)
    assert rows[str(second)]["Trạng thái"] == "đã thu hồi" and rows[str(first)]["Trạng thái"] == "đang dùng", rows

    # Undo brings the revision back.
    page.get_by_role("button", name="Khôi phục lần tải này").click()
    page.get_by_role("button", name="Thu hồi lần tải này (quay về bản trước)").wait_for(timeout=60_000)
    wait_for_app(page)
    assert f"Đã khôi phục lần tải #{second}." in alerts(page), alerts(page)
    assert query(wf_server.db_url, "procedures_total", "2025-Q3", "VN34-31") == 777.0

    open_page(page, f"{wf_server.url}/audit", "admin")
    log = grid_text(page, 0)
    screenshot(page, "workflow-audit")
    assert "khôi phục lần tải" in log and "thu hồi lần tải" in log and "e2e_admin" in log, log
    assert "rollback" not in log  # actions in words, not codes


# --------------------------------------------------------------------------------------------------------------------
# Completeness board, templates, two sessions at once
# --------------------------------------------------------------------------------------------------------------------


def board_counts(page: Any) -> dict[str, int]:
    out = {}
    for m in page.locator('[data-testid="stMetric"]').all():
        label = str(m.locator('[data-testid="stMetricLabel"]').inner_text()).strip()
        value = str(m.locator('[data-testid="stMetricValue"]').inner_text()).strip()
        if value.isdigit():
            out[label] = int(value)
    return out


def test_completeness_board_counts_an_upload(wf_server: Server, page: Any, tmp_path: Path) -> None:
    open_page(page, f"{wf_server.url}/completeness?period=2024-Q4", "secretariat")
    assert "Quý IV/2024" in main_text(page) and "hạn nộp 20/12/2024" in main_text(page), main_text(page)
    before = board_counts(page)
    screenshot(page, "workflow-completeness-before")
    # Demo data is not counted: nobody has reported for Q4 2024 yet.
    assert before["đã nộp đúng hạn"] == 0 and before["nộp muộn"] == 0, before
    assert before["chưa nộp"] > 60, before

    open_page(page, f"{wf_server.url}/upload", "secretariat")
    upload(page, DATA / "sc01_ben_tre_quy_iv_2024.xlsx")
    publish(page, "sc01_ben_tre_quy_iv_2024.xlsx")

    open_page(page, f"{wf_server.url}/completeness?period=2024-Q4", "secretariat")
    after = board_counts(page)
    screenshot(page, "workflow-completeness-after")
    assert after["nộp muộn"] == 1 and after["đã nộp đúng hạn"] == 0, after  # uploaded long after 20/12/2024
    assert after["chưa nộp"] == before["chưa nộp"] - 1
    missing = load_workbook(download(page, "Tải danh sách đơn vị chưa nộp", tmp_path / "chua_nop.xlsx")).active
    names = [str(c.value) for row in missing.iter_rows() for c in row if c.value]
    assert "Tỉnh Bến Tre" not in names and "Tỉnh Trà Vinh" in names, names


def test_template_b_round_trip_has_no_warnings(wf_server: Server, page: Any, tmp_path: Path) -> None:
    open_page(page, f"{wf_server.url}/upload", "secretariat")
    path = download(page, "Tải biểu tổng hợp theo đơn vị (dạng B)", tmp_path / "template.xlsx")
    assert path.stat().st_size > 0
    wb = load_workbook(path)
    ws = wb["Biểu tổng hợp"]
    header = [ws.cell(row=5, column=c).value for c in range(1, ws.max_column + 1)]
    assert header[:2] == ["STT", "Đơn vị"]
    # Consistent whole numbers: staff 30 = 10 + 20; received 1000 = resolved 900 + pending 100;
    # resolved 900 = early 300 + on time 550 + late 50; online and digitized within their totals.
    values = [30, 10, 20, 200, 12, 1000, 600, 900, 300, 550, 50, 100, 5, 700, 650, 100, 120, 50, 400, 300, 95]
    assert len(values) == len(header) - 2
    filled = []
    for k, row in enumerate((ws.max_row - 1, ws.max_row), start=1):
        filled.append(ws.cell(row=row, column=2).value)
        for j, v in enumerate(values, start=3):
            ws.cell(row=row, column=j, value=v * k if j < len(header) else v)
    target = tmp_path / "bieu_b_da_dien.xlsx"
    wb.save(target)

    upload(page, target)
    text = main_text(page)
    screenshot(page, "workflow-template-round-trip")
    assert f"Đã đọc {target.name}: 42 số liệu, 0 lỗi, 0 cảnh báo." in text
    assert not [a for a in alerts(page) if "Cảnh báo" in a or "từ chối" in a], alerts(page)
    assert page.get_by_role("button", name=f"Công bố {target.name}").count() == 1
    metrics = [str(m.inner_text()) for m in page.locator('[data-testid="stMetric"]').all()]
    assert any("Đơn vị" in m and "2" in m for m in metrics), (metrics, filled)


def test_two_sessions_publish_at_the_same_time(wf_server: Server, browser: Any, tmp_path: Path) -> None:
    a = long_csv(tmp_path / "da_nang.csv", [("Thành phố Đà Nẵng", "2025-Q4", "procedures_cut", 11)])
    b = long_csv(tmp_path / "can_tho.csv", [("Thành phố Cần Thơ", "2025-Q4", "procedures_cut", 22)])
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN") for _ in range(2)]
    try:
        pages = [c.new_page() for c in contexts]
        for p, role in zip(pages, ("secretariat", "admin"), strict=True):
            p.set_default_timeout(60_000)
            open_page(p, f"{wf_server.url}/upload", role)
        for p, f in zip(pages, (a, b), strict=True):
            p.locator(UPLOADER).set_input_files(str(f))
        for p, f in zip(pages, (a, b), strict=True):
            wait_for_app(p)
            p.get_by_text(f"Đã đọc {f.name}: ").first.wait_for()
        # Press both Publish buttons before either run finishes.
        for p, f in zip(pages, (a, b), strict=True):
            p.get_by_role("button", name=f"Công bố {f.name}").click()
        ids = []
        for p in pages:
            wait_for_app(p)
            ids.append(published_id(p))
        assert len(set(ids)) == 2
        screenshot(pages[1], "workflow-concurrent-second")
    finally:
        for c in contexts:
            c.close()
    assert query(wf_server.db_url, "procedures_cut", "2025-Q4", "VN34-48") == 11.0
    assert query(wf_server.db_url, "procedures_cut", "2025-Q4", "VN34-92") == 22.0
