"""Learned column mappings: a decision made at Publish is applied to the next upload of the same form, for the
sender it was made for, audited, revocable, and everyone's once an admin confirms it (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import sqlalchemy as sa

from domain.catalog import catalog
from store.mappings import EVERYONE, Decision, confirm_for_everyone, learn, learned_rules, mappings_frame, revoke
from store.schema import audit_log
from store.users import User
from store.workflow import prepare, publish
from tests.conftest import run_cli
from tests.loaders.test_columns import _staff_report

EXTRA = "Kinh phí tiết kiệm (triệu đồng)"


def _report(n: int) -> bytes:
    return _staff_report(EXTRA, n)  # each n gives other bytes: no upload is a duplicate of another


def test_publish_waits_for_a_decision_then_remembers_it_for_the_sender(engine):
    cat = catalog()
    unscoped = User(4, "tw", "secretariat", (), False)
    first = prepare(engine, "bc.xlsx", _report(7), unscoped, cat)
    assert not first.can_publish and [e.column for e in first.undecided] == ["G"]
    decided = prepare(engine, "bc.xlsx", _report(7), unscoped, cat, choices={"Biểu 1!G": "@ignore"})
    assert decided.can_publish
    publish(engine, decided, unscoped)
    again = prepare(engine, "bc2.xlsx", _report(9), unscoped, cat)
    g = next(c for c in again.result.columns if c.column == "G")
    assert (g.meaning, g.how) == ("ignore", "learned") and again.can_publish
    # another person does not inherit a private decision
    other = prepare(engine, "bc2.xlsx", _report(9), User(5, "khac", "secretariat", (), False), cat)
    assert not other.can_publish
    with engine.connect() as conn:
        actions = [r.action for r in conn.execute(sa.select(audit_log.c.action))]
    assert "mapping_add" in actions


def test_scope_precedence_revoke_and_confirm(engine):
    key = "kiem kinh phi tiet"
    (unit_id,) = learn(engine, [Decision(key, EXTRA, "regulations_cut")], "VN63-83", "bentre")
    learn(engine, [Decision(key, EXTRA, "@ignore")], EVERYONE, "admin")
    assert learned_rules(engine, [EVERYONE, "VN63-83"])[key] == "regulations_cut"  # the sender's own wins
    assert learned_rules(engine, [EVERYONE, "VN63-01"])[key] == "@ignore"
    assert revoke(engine, unit_id, "admin") and not revoke(engine, unit_id, "admin")
    assert learned_rules(engine, [EVERYONE, "VN63-83"])[key] == "@ignore"
    live = mappings_frame(engine)
    assert len(live) == 1 and len(mappings_frame(engine, include_revoked=True)) == 2
    new = confirm_for_everyone(engine, int(live["id"].iloc[0]), "admin")
    assert new is not None and len(mappings_frame(engine)) == 1


def test_cli_map_and_mappings(db_url, tmp_path):
    f = tmp_path / "bc.xlsx"
    f.write_bytes(_report(7))
    assert run_cli("migrate", db_url=db_url).returncode == 0
    refused = run_cli("ingest", str(f), "--by", "tw", db_url=db_url)
    assert refused.returncode == 1 and "--map G=" in refused.stdout
    assert run_cli("check", str(f), "--json", db_url=db_url).returncode == 0  # check shows the whole map
    stored = run_cli("ingest", str(f), "--by", "tw", "--map", "G=ignore", db_url=db_url)
    assert stored.returncode == 0, stored.stdout + stored.stderr
    listed = run_cli("mappings", "list", db_url=db_url)
    assert EXTRA in listed.stdout
    live = json.loads(run_cli("mappings", "list", "--json", db_url=db_url).stdout)
    first = live[0]["id"]
    confirmed = run_cli("mappings", "confirm", str(first), db_url=db_url)
    assert confirmed.returncode == 0 and "now applies to everyone" in confirmed.stdout, confirmed.stdout
    new = json.loads(run_cli("mappings", "list", "--json", db_url=db_url).stdout)[0]["id"]
    removed = run_cli("mappings", "remove", str(new), db_url=db_url)
    assert removed.returncode == 0 and f"Mapping #{new} revoked" in removed.stdout
    again = run_cli("mappings", "remove", str(new), db_url=db_url)
    assert again.returncode == 1 and f"No live mapping #{new}" in again.stdout
    bad = run_cli("check", str(f), "--map", "G=no_such_indicator", db_url=db_url)
    assert bad.returncode == 2
