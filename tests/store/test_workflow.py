"""The upload workflow shared by the upload page and ``cli.py ingest``: scope, duplicates, revisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.catalog import catalog
from store.queries import uploads_frame
from store.users import User
from store.workflow import prepare, publish, uploadable_units
from tests.conftest import run_cli

DATA = Path(__file__).resolve().parent.parent / "data"
ADMIN = User(1, "admin", "admin", (), False)
BEN_TRE_34 = User(2, "vinhlong", "secretariat", ("VN34-86",), False)  # today's Vĩnh Long took in Bến Tre
HA_NOI = User(3, "hanoi", "secretariat", ("VN34-01",), False)


def load(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_scoped_secretariat_may_publish_its_own_and_predecessor_units(engine):
    cat = catalog()
    ok = prepare(engine, "sc01_ben_tre_quy_iv_2024.xlsx", load("sc01_ben_tre_quy_iv_2024.xlsx"), BEN_TRE_34, cat)
    assert ok.can_publish, [e.message_en for e in ok.errors]
    refused = prepare(engine, "sc01_ben_tre_quy_iv_2024.xlsx", load("sc01_ben_tre_quy_iv_2024.xlsx"), HA_NOI, cat)
    assert not refused.can_publish
    assert len(refused.scope_errors) == 1
    msg = refused.scope_errors[0].message_vi
    assert "hanoi" in msg and "Thành phố Hà Nội" in msg and "Tỉnh Bến Tre" in msg
    with pytest.raises(ValueError):
        publish(engine, refused, HA_NOI)
    assert uploads_frame(engine).empty


def test_duplicate_and_revision_preview(engine):
    cat = catalog()
    first = prepare(engine, "sb02.xlsx", load("sb02_tong_hop_quy_iv_2024.xlsx"), ADMIN, cat)
    out = publish(engine, first, ADMIN)
    assert out.status == "stored"
    again = prepare(engine, "copy.xlsx", load("sb02_tong_hop_quy_iv_2024.xlsx"), ADMIN, cat)
    assert again.duplicate_of == out.upload_id and not again.can_publish


def test_uploadable_units_follow_scope():
    cat = catalog()
    assert set(uploadable_units(BEN_TRE_34, cat)) == {"VN34-86", "VN63-83", "VN63-84", "VN63-86"}
    assert len(uploadable_units(ADMIN, cat)) == 63 + 34 + 24


def test_cli_ingest_twice_and_refusal_store_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'i.sqlite'}"
    first = run_cli("ingest", str(DATA / "sb01_tong_hop_nam_2024.xlsx"), "--by", "thuky", db_url=url)
    assert first.returncode == 0 and "Đã lưu lần tải #1" in first.stdout
    second = run_cli("ingest", str(DATA / "sb01_tong_hop_nam_2024.xlsx"), db_url=url)
    assert second.returncode == 0 and "đã được tải lên trước đó" in second.stdout
    refused = run_cli("ingest", str(DATA / "sr01_tinh_khong_ro.xlsx"), db_url=url)
    assert refused.returncode == 1 and "dòng 6, cột B" in refused.stdout
    from store.db import make_engine

    eng = make_engine(url)
    assert len(uploads_frame(eng)) == 1
    eng.dispose()
