"""Every column accounted for, in Chromium: the upload preview shows the column map first, asks about a column
of figures nobody could read, keeps Publish disabled until it is decided, and remembers the decision so the
next upload of the same form reads that column without asking; the admin sees the learned mapping.

Figures are read back with ``cli.py query`` against the server's own database.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.loaders.helpers import SheetSpec, xlsx

from .harness import prepare_database, screenshot, sqlite_url, wait_for_app
from .test_workflow import grid_rows, main_text, open_page, published_id, query, upload

pytestmark = pytest.mark.browser

UNKNOWN = "Kinh phí tiết kiệm (triệu đồng)"
CHOICE_LABEL = f"Cột G “{UNKNOWN}” (2 số)"
IGNORE = "Không phải số liệu (bỏ qua)"
NOT_DECIDED = "— chưa chọn —"
UNREAD = "Chưa đọc được"
NOT_DATA = "Không phải số liệu"
HOW_USER = "Người dùng chọn"
HOW_LEARNED = "Ánh xạ đã học"
BLOCKED = "Chưa công bố được: còn cột số liệu chưa được quyết định."
COLUMN_MAP_CAPTION = "Bảng cột: mỗi cột của bảng"
SELECTBOX = '[data-testid="stSelectbox"]'
BEN_TRE, BO_TU_PHAP = "VN63-83", "M-BTP"
TALL = {"width": 1400, "height": 2600}  # the whole preview in view: in the screenshots and in the grids


def staff_report(path: Path, ben_tre: tuple[int, int, int, int], extra: tuple[int, int]) -> Path:
    """The 2024 staff-reduction form of tests/loaders/test_columns.py (two-row header, column-number row)
    with an extra column G of figures under a header the reader does not know. ``ben_tre`` is
    (staff reduced, of which civil servants, of which public employees, procedures cut)."""
    total, civil, public, cut = ben_tre
    rows: list[list[object]] = [
        ["BỘ NỘI VỤ"],
        ["BÁO CÁO KẾT QUẢ TINH GIẢN BIÊN CHẾ NĂM 2024"],
        [],
        ["STT", "Tên bộ, ngành, địa phương", "Số biên chế tinh giản", None, None, "Số TTHC cắt giảm", UNKNOWN],
        [None, None, "Tổng số", "Công chức", "Viên chức", None, None],
        ["(1)", "(2)", "(3)=(4)+(5)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Bộ Tư pháp", 12, 10, 2, 3, extra[0]],
        [2, "Tỉnh Bến Tre", total, civil, public, cut, extra[1]],
        [None, "Tổng cộng", 12 + total, 10 + civil, 2 + public, 3 + cut, None],
    ]
    spec = SheetSpec("Biểu 1", rows, merged=["C4:E4", "A4:A5", "B4:B5", "F4:F5", "G4:G5"])
    path.write_bytes(xlsx(spec))
    return path


def column_map(page: Any) -> dict[str, dict[str, str]]:
    """The column map (the page's first grid) keyed by column letter, each row as {header: cell text}."""
    head, *body = grid_rows(page, 0)
    assert "Cột" in head and "Được đọc là" in head and "Cách nhận biết" in head, head
    letter = head.index("Cột")
    return {r[letter]: dict(zip(head, r, strict=False)) for r in body if len(r) > letter}


def column_choice(page: Any) -> Any:
    """The selectbox asking what column G is (a combobox input whose value is the current choice)."""
    # the accessible name is the label as written, Markdown escapes included: match its start
    return page.get_by_role("combobox", name=re.compile(r"^Cột G "))


def publish_button(page: Any, name: str) -> Any:
    return page.get_by_role("button", name=f"Công bố {name}")


def choose(page: Any, box: Any, option: str) -> None:
    """Open a selectbox, narrow its (long) list by typing, and click the option."""
    box.click()
    box.fill(option[:18])
    page.get_by_role("option", name=option, exact=True).first.click()
    wait_for_app(page)


def test_an_unread_column_is_decided_once_then_learned(server_factory: Any, tmp_path: Path, page: Any) -> None:
    db_url = sqlite_url(tmp_path / "column_map.sqlite")
    prepare_database(db_url, demo=True, accounts=True)
    url = server_factory(db_url=db_url)
    first = staff_report(tmp_path / "tinh_gian_bien_che_2024.xlsx", (30, 20, 10, 4), (7, 7))
    second = staff_report(tmp_path / "tinh_gian_bien_che_2024_bo_sung.xlsx", (16149, 16000, 149, 5), (1250, 980))

    page.set_viewport_size(TALL)

    # 1. The first upload: column G holds two numbers nobody can read; Publish waits for a decision.
    open_page(page, f"{url}/upload", "secretariat")
    upload(page, first)
    text = main_text(page)
    assert f"Đã đọc {first.name}: 8 số liệu, 0 lỗi, 1 cảnh báo." in text, text
    assert COLUMN_MAP_CAPTION in text
    cols = column_map(page)
    assert set("ABCDEFG") <= set(cols), cols
    assert cols["G"]["Tiêu đề cột"] == UNKNOWN and cols["G"]["Được đọc là"] == UNREAD, cols["G"]
    assert cols["G"]["Số ô có số"] == "2", cols["G"]
    assert cols["C"]["Tiêu đề cột"] == "Số biên chế tinh giản › Tổng số", cols["C"]
    assert cols["C"]["Được đọc là"] != UNREAD and cols["C"]["Cách nhận biết"], cols["C"]
    box = column_choice(page)
    assert box.count() == 1, main_text(page)
    assert box.input_value() == NOT_DECIDED
    assert page.locator(SELECTBOX).filter(has_text=re.compile(r"^Cột [A-F] ")).count() == 0  # only G is asked
    assert BLOCKED in text
    assert publish_button(page, first.name).is_disabled()
    screenshot(page, "column-map-unread")

    # 2. "Not data" for G: the preview is read again with that choice and Publish can go ahead.
    choose(page, box, IGNORE)
    page.get_by_text(BLOCKED).wait_for(state="detached", timeout=60_000)
    wait_for_app(page)
    cols = column_map(page)
    assert (cols["G"]["Được đọc là"], cols["G"]["Cách nhận biết"]) == (NOT_DATA, HOW_USER), cols["G"]
    assert column_choice(page).input_value() == IGNORE  # the choice stays shown, to be changed if wrong
    assert publish_button(page, first.name).is_enabled()
    assert query(db_url, "staff_reduced", "2024", BEN_TRE) != 30.0  # nothing stored before Publish
    screenshot(page, "column-map-decided")
    publish_button(page, first.name).click()
    wait_for_app(page)
    first_id = published_id(page)
    page.get_by_text("Đã ghi nhớ 1 lựa chọn cột").first.wait_for(timeout=60_000)
    assert query(db_url, "staff_reduced", "2024", BEN_TRE) == 30.0
    assert query(db_url, "staff_reduced_civil_servants", "2024", BO_TU_PHAP) == 10.0
    assert query(db_url, "procedures_cut", "2024", BEN_TRE) == 4.0

    # 3. The same form again with other numbers: G is read by the learned mapping, nothing is asked.
    open_page(page, f"{url}/upload", "secretariat")
    upload(page, second)
    text = main_text(page)
    assert f"Đã đọc {second.name}: 8 số liệu, 0 lỗi, 0 cảnh báo." in text, text
    cols = column_map(page)
    assert (cols["G"]["Được đọc là"], cols["G"]["Cách nhận biết"]) == (NOT_DATA, HOW_LEARNED), cols["G"]
    assert column_choice(page).count() == 0
    assert page.locator(SELECTBOX).filter(has_text=re.compile(r"^Cột [A-Z] ")).count() == 0
    assert BLOCKED not in text
    assert "16.149" in text or "16.149" in " ".join(" ".join(r) for r in grid_rows(page, 1)), text
    assert publish_button(page, second.name).is_enabled()
    screenshot(page, "column-map-learned")
    publish_button(page, second.name).click()
    wait_for_app(page)
    second_id = published_id(page)
    assert second_id > first_id
    assert query(db_url, "staff_reduced", "2024", BEN_TRE) == 16149.0
    assert query(db_url, "staff_reduced_public_employees", "2024", BEN_TRE) == 149.0
    assert query(db_url, "procedures_cut", "2024", BEN_TRE) == 5.0
    assert query(db_url, "staff_reduced", "2024", BO_TU_PHAP) == 12.0

    # 4. The administrator sees the learned mapping (signed out of the secretariat's session first).
    page.context.clear_cookies()
    open_page(page, f"{url}/mappings", "admin")
    text = main_text(page)
    assert "Ánh xạ cột đã học" in text, text
    rows = grid_rows(page, 0)
    head = rows[0]
    assert "Tiêu đề cột" in head and "Được đọc là" in head and "Phạm vi" in head, head
    listed = [dict(zip(head, r, strict=False)) for r in rows[1:]]
    ours = [r for r in listed if r["Tiêu đề cột"] == UNKNOWN]
    assert len(ours) == 1, listed
    assert ours[0]["Được đọc là"] == NOT_DATA, ours
    assert "e2e_thuky" in ours[0]["Người và ngày tạo"], ours
    screenshot(page, "column-map-admin-mappings")
