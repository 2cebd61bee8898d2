"""The admin sets the retention of originals holding personal data and purges them from the history page;
a secretariat sees no such controls; a purged original offers no download and says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from store.users import User

from .conftest import ROOT, app_db, publish_sample

SD01 = "sd01_ho_so_q4_2024.xlsx"
SECRETARIAT = User(21, "thu_ky_hs", "secretariat", (), False)
ADMIN = User(22, "quan_tri_hs", "admin", (), False)


@pytest.fixture(scope="module")
def dossier_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    from store.schema import uploads

    with app_db(tmp_path_factory.mktemp("retention"), demo=False) as engine:
        upload_id = publish_sample(engine, SD01, SECRETARIAT, period="2024-Q4")
        with engine.begin() as conn:  # uploaded 40 days ago
            aged = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
            conn.execute(sa.update(uploads).where(uploads.c.id == upload_id).values(uploaded_at=aged))
        yield str(engine.url), upload_id


def history(user: User, upload_id: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "history.py"), default_timeout=120)
    at.session_state["user"] = user
    at.query_params["upload"] = str(upload_id)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_only_the_admin_sets_the_retention_and_purges(dossier_db: tuple[str, int]) -> None:
    _, upload_id = dossier_db
    secretariat = history(SECRETARIAT, upload_id)
    assert not secretariat.number_input and "Tải tệp gốc" in downloads(secretariat)  # no retention controls

    admin = history(ADMIN, upload_id)
    assert [n.label for n in admin.number_input] == ["Số ngày lưu sau khi tải lên"]
    assert not [b for b in admin.button if b.key == "retention_purge"]  # no purge before a retention is set
    admin.number_input[0].set_value(30)
    next(b for b in admin.button if b.key == "retention_save").click()
    admin.run()
    assert [s.value for s in admin.success] == ["Đã đặt thời hạn lưu: 30 ngày."]
    next(b for b in admin.button if b.key == "retention_purge").click()
    admin.run()
    assert [s.value for s in admin.success] == ["Đã xóa 1 bản gốc quá 30 ngày; số liệu giữ nguyên."]

    after = history(SECRETARIAT, upload_id)
    assert "Tải tệp gốc" not in downloads(after)
    assert any("đã được xóa sau thời hạn lưu" in c.value for c in after.caption)
    assert after.dataframe  # the figures and the history stay
