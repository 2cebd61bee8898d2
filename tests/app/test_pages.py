"""Every dashboard page under AppTest on the demo: renders, reacts to a filter, re-bases totals exactly."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from domain.catalog import catalog

from .conftest import ROOT

PAGES = ["overview", "staff", "dossiers", "digital", "provinces", "ministries"]


def _decode(obj: Any) -> Any:
    """Plotly ships numeric arrays as base64 typed arrays ({"dtype", "bdata"}); turn them back into lists."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            return np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"])).tolist()
        return {k: _decode(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v) for v in obj]
    return obj


def figures(at: AppTest) -> list[dict[str, Any]]:
    return [_decode(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def figure(at: AppTest, title_part: str) -> dict[str, Any]:
    hits = [f for f in figures(at) if title_part in f["layout"]["title"]["text"].replace("<br>", " ")]
    assert hits, [f["layout"]["title"]["text"] for f in figures(at)]
    return hits[0]


def widget(at: AppTest, key: str) -> Any:
    for kind in ("selectbox", "radio", "multiselect", "select_slider"):
        for w in at.get(kind):
            if getattr(w, "key", None) == key:
                return w
    raise AssertionError(f"no widget {key}")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_the_demo(run_page: Callable[..., AppTest], page: str) -> None:
    at = run_page(f"pages/{page}.py")
    assert not at.exception, [e.value for e in at.exception]
    assert figures(at), "no chart"
    # The subtitle says which period, units and era; it opens on the latest period with data.
    assert any("6 tháng đầu năm 2026" in c.value and ("34 tỉnh" in c.value or "17 bộ" in c.value) for c in at.caption)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_english_has_english_titles(run_page: Callable[..., AppTest], page: str) -> None:
    at = run_page(f"pages/{page}.py", lang="en")
    assert not at.exception
    at.session_state["lang"] = "en"
    at.run()
    assert "First half of 2026" in " ".join(c.value for c in at.caption)


def test_page_without_user_shows_only_the_login_form(demo_db: str) -> None:
    for page in PAGES:
        at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
        at.run()
        assert not at.get("plotly_chart") and not at.metric
        assert [t.label for t in at.text_input] == ["Tên đăng nhập", "Mật khẩu"]


def test_overview_2024_staff_split_and_period_change(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/overview.py", period="2024")
    assert [m.value for m in at.metric][-3:] == ["16.149", "217", "15.932"]
    split = figure(at, "Số biên chế tinh giản, Năm 2024")
    assert split["data"][0]["x"] == [217.0, 15932.0]
    widget(at, "period").set_value("2023").run()
    split = figure(at, "Số biên chế tinh giản, Năm 2023")
    assert split["data"][0]["x"] != [217.0, 15932.0]
    assert at.query_params["period"] in ("2023", ["2023"])


def test_staff_era_switch_rebases_the_2024_total_exactly(run_page: Callable[..., AppTest]) -> None:
    cat = catalog()
    at = run_page("pages/staff.py", period="2024", ukind="province")
    bars = figure(at, "theo đơn vị")["data"][0]
    reported = dict(zip(bars["y"], bars["x"], strict=True))
    assert len(reported) == 63 and sum(reported.values()) == 15932
    widget(at, "view").set_value("rebased").run()
    bars = figure(at, "theo đơn vị")["data"][0]
    rebased = dict(zip(bars["y"], bars["x"], strict=True))
    assert len(rebased) == 34 and sum(rebased.values()) == 15932
    # Tuyên Quang today = Hà Giang + Tuyên Quang as reported (merged 1/7/2025).
    name = {u.id: u.short_name for u in cat.units.values()}
    assert rebased[name["VN34-08"]] == reported[name["VN63-02"]] + reported[name["VN63-08"]]
    assert any("quy đổi" in c.value for c in at.caption)
    assert at.query_params["view"] in ("rebased", ["rebased"])


def test_dossiers_unit_kind_changes_the_pareto(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/dossiers.py", period="2024")
    everyone = figure(at, "Pareto")["data"][0]
    assert everyone["x"][:3] == ["Đất đai", "Xây dựng", "Lao động - Thương binh và Xã hội"]
    widget(at, "ukind").set_value("ministry").run()
    ministries = figure(at, "Pareto")["data"][0]
    assert sum(ministries["y"]) < sum(everyone["y"])


def test_digital_indicator_choice_changes_the_by_unit_chart(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/digital.py", period="2024")
    first = figure(at, "Tỷ lệ số hóa hồ sơ theo đơn vị")
    widget(at, "ind").set_value("online_payment_rate").run()
    second = figure(at, "Tỷ lệ hồ sơ thanh toán trực tuyến theo đơn vị")
    assert first["data"][0]["x"] != second["data"][0]["x"]
    assert any("Nghị quyết 76/NQ-CP" in c.value for c in at.caption)  # the legal source is named


def test_provinces_map_follows_the_era(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/provinces.py", period="2024")
    geo = [t for t in figure(at, "Năm 2024")["data"] if t["type"] == "choropleth"]
    assert sum(len(t["locations"]) for t in geo) == 63
    widget(at, "view").set_value("rebased").run()
    geo = [t for t in figure(at, "Năm 2024")["data"] if t["type"] == "choropleth"]
    assert sum(len(t["locations"]) for t in geo) == 34
    widget(at, "ind").set_value("late_rate").run()
    assert figure(at, "Tỷ lệ hồ sơ giải quyết quá hạn, Năm 2024")


def test_ministries_radar_for_chosen_units(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/ministries.py", period="2025")
    assert not any(f["data"][0]["type"] == "scatterpolar" for f in figures(at))
    widget(at, "units").set_value(["M-BTP", "M-BTC", "M-BYT"]).run()
    polar = [f for f in figures(at) if f["data"][0]["type"] == "scatterpolar"]
    assert polar and len(polar[0]["data"]) == 3
