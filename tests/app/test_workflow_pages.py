"""The secretariat's pages under AppTest: each renders for its role, refuses lower roles before showing any
data, and the completeness board counts real uploads (never the demo).

These tests run on their own database (demo + one real upload, sb01), not on the shared ``demo_db``, so
the figures the dashboard-page tests check are not disturbed. ``ui.data.engine`` is a process-wide
``st.cache_resource``: the module fixture clears Streamlit's caches when it switches DATABASE_URL, and again
when it switches back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from streamlit.testing.v1 import AppTest

from domain.catalog import catalog
from domain.periods import parse_period
from store.users import User

from .conftest import ROOT, published_demo_db

DATA = ROOT / "tests" / "data"
SB01 = "sb01_tong_hop_nam_2024.xlsx"
FORBIDDEN = "Tài khoản của bạn không có quyền xem trang này."
WORKFLOW_PAGES = {
    "upload": "secretariat",
    "history": "secretariat",
    "completeness": "viewer",
    "audit": "admin",
    "users": "admin",
}
RANK = {"viewer": 0, "secretariat": 1, "admin": 2}
USERS = {
    "viewer": User(11, "nguoi_xem", "viewer", (), False),
    "secretariat": User(12, "thu_ky", "secretariat", (), False),
    "admin": User(13, "quan_tri", "admin", (), False),
}


@pytest.fixture(scope="module")
def wf_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Demo data plus sb01 published by the secretariat through store.workflow (what Publish does)."""
    with published_demo_db(tmp_path_factory.mktemp("wfdb"), ((SB01, USERS["secretariat"]),)) as url:
        yield url


@pytest.fixture
def run_as(wf_db: str) -> Callable[..., AppTest]:
    def _run(page: str, user: User | None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=120)
        if user is not None:
            at.session_state["user"] = user
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return _run


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def shows_nothing(at: AppTest) -> bool:
    return not (
        at.dataframe
        or at.get("file_uploader")
        or at.get("download_button")
        or at.button
        or at.metric
        or at.text_input
        or at.selectbox
        or at.get("plotly_chart")
    )


@pytest.mark.parametrize("page", list(WORKFLOW_PAGES))
def test_page_renders_for_its_role(run_as: Callable[..., AppTest], page: str) -> None:
    at = run_as(page, USERS[WORKFLOW_PAGES[page]])
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value


LOWER_ROLES = [(page, role) for page, needed in WORKFLOW_PAGES.items() for role in USERS if RANK[role] < RANK[needed]]


@pytest.mark.parametrize(("page", "role"), LOWER_ROLES)
def test_lower_role_gets_forbidden_and_no_data(run_as: Callable[..., AppTest], page: str, role: str) -> None:
    at = run_as(page, USERS[role])
    assert [e.value for e in at.error] == [FORBIDDEN]
    assert shows_nothing(at)
    assert not at.get("form")


@pytest.mark.parametrize("page", list(WORKFLOW_PAGES))
def test_no_user_gets_only_the_sign_in_form(run_as: Callable[..., AppTest], page: str) -> None:
    at = run_as(page, None)
    assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]
    assert not (at.dataframe or at.get("file_uploader") or at.get("download_button") or at.metric)


def test_upload_page_offers_uploader_and_templates(run_as: Callable[..., AppTest]) -> None:
    at = run_as("upload", USERS["secretariat"])
    assert [u.label for u in at.get("file_uploader")] == ["Tệp báo cáo"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Tải biểu tổng hợp theo đơn vị (dạng B)" in labels
    assert "Tải biểu theo lĩnh vực (dạng C)" in labels


def test_scoped_secretariat_may_name_only_its_own_units(run_as: Callable[..., AppTest]) -> None:
    scoped = User(14, "thu_ky_ha_noi", "secretariat", ("VN34-01",), False)
    at = run_as("upload", scoped)
    units = at.selectbox(key="upload_unit").options
    assert "Thành phố Hà Nội" in units and "Tỉnh Bến Tre" not in units
    assert not [u for u in units if u.startswith("Tỉnh ")], units  # no other province


def test_history_rollback_button_only_for_admin(run_as: Callable[..., AppTest]) -> None:
    admin = run_as("history", USERS["admin"])
    # The rollback, and the retention of originals holding personal data (tests/app/test_retention_page.py).
    assert [b.label for b in admin.button] == ["Thu hồi lần tải này (quay về bản trước)", "Lưu thời hạn"]
    newest = admin.selectbox[0].options[0]  # "Chọn lần tải": the newest upload first
    assert newest.startswith("#") and SB01 in newest and "thu_ky" in newest, newest
    secretariat = run_as("history", USERS["secretariat"])
    assert not secretariat.button
    assert "Chỉ quản trị viên được thu hồi hoặc khôi phục." in [c.value for c in secretariat.caption]
    assert secretariat.dataframe  # the uploads table


def test_completeness_counts_real_uploads_not_the_demo(run_as: Callable[..., AppTest]) -> None:
    cat = catalog()
    p = parse_period("2024")
    expected = len(cat.provinces(p.province_era)) + len(cat.ministries_on(p.end))
    at = run_as("completeness", USERS["viewer"], period="2024")
    m = metrics(at)
    # sb01 holds 12 units' 2024 figures, published today: after the 20/12/2024 deadline, so all late.
    assert (m["đã nộp đúng hạn"], m["nộp muộn"], m["chưa nộp"]) == ("0", "12", str(expected - 12)), m
    assert any("hạn nộp 20/12/2024" in c.value for c in at.caption), [c.value for c in at.caption]
    assert dt.date.today() > dt.date(2024, 12, 20)

    # Another period: only demo data there, which is never counted.
    at = run_as("completeness", USERS["viewer"], period="2024-Q4")
    m = metrics(at)
    assert (m["đã nộp đúng hạn"], m["nộp muộn"]) == ("0", "0"), m
    assert m["Tỷ lệ đơn vị đã nộp"] == "0,0%"


def test_audit_shows_actions_in_words(run_as: Callable[..., AppTest]) -> None:
    at = run_as("audit", USERS["admin"])
    log = at.dataframe[0].value
    assert "tải lên và công bố" in set(log["Thao tác"]), set(log["Thao tác"])
    assert "Người thực hiện" in log.columns
    assert [b.proto.label for b in at.get("download_button")] == ["Tải nhật ký (.xlsx)"]


def test_users_page_lists_accounts_for_admin(run_as: Callable[..., AppTest]) -> None:
    at = run_as("users", USERS["admin"])
    assert at.dataframe
    assert "Thêm tài khoản" in [s.value for s in at.subheader]
