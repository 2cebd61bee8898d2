"""Accounts: argon2id hashes, lockout after five failures, no hint of which part was wrong, audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from store.history import audit_frame
from store.schema import users
from store.users import add_user, disable_user, login, login_by_email, set_email, set_password, set_role
from tests.conftest import run_cli


def test_password_is_stored_as_argon2id(engine):
    add_user(engine, "thuky", "secretariat", "mat-khau-dai-1", scopes=("VN34-86",))
    with engine.connect() as conn:
        h = conn.execute(sa.select(users.c.password_hash)).scalar_one()
    assert h.startswith("$argon2id$") and "mat-khau" not in h
    ok = login(engine, "thuky", "mat-khau-dai-1").user
    assert ok is not None and ok.scopes == ("VN34-86",) and ok.may_upload_for("VN34-86")
    assert not ok.may_upload_for("VN34-01") and not ok.has_role("admin") and ok.has_role("viewer")


def test_lockout_after_five_failures_and_same_answer_for_unknown_names(engine):
    add_user(engine, "viewer", "viewer", "dung-mat-khau")
    unknown = login(engine, "khong-co", "x")
    wrong = login(engine, "viewer", "sai")
    assert unknown == wrong  # the same refusal: never says which of the two was wrong
    for _ in range(3):
        assert login(engine, "viewer", "sai").user is None
    fifth = login(engine, "viewer", "sai")
    assert fifth.user is None and fifth.locked_minutes > 0
    locked = login(engine, "viewer", "dung-mat-khau")  # the right password does not open a locked account
    assert locked.user is None and locked.locked_minutes > 0
    set_password(engine, "viewer", "mat-khau-moi")  # an admin reset unlocks
    assert login(engine, "viewer", "mat-khau-moi").user is not None
    actions = audit_frame(engine)["action"].tolist()
    assert actions.count("login_failed") == 7 and actions.count("login") == 1


def test_role_changes_disable_and_oidc_mapping_are_audited(engine):
    add_user(engine, "a", "viewer", "p-1234567-dai-du")
    set_role(engine, "a", "secretariat", ("VN34-01",), by="admin")
    set_email(engine, "a", "A@Bo.gov.vn", by="admin")
    assert login_by_email(engine, "a@bo.gov.vn").role == "secretariat"
    assert login_by_email(engine, "other@bo.gov.vn") is None
    disable_user(engine, "a", by="admin")
    assert login(engine, "a", "p-1234567-dai-du").user is None
    assert login_by_email(engine, "a@bo.gov.vn") is None
    log = audit_frame(engine)
    assert {"user_add", "user_role", "user_email", "user_disable"} <= set(log["action"])
    with pytest.raises(KeyError):
        set_role(engine, "nobody", "viewer", ())


def test_users_cli(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.sqlite'}"
    add = run_cli(
        "users",
        "add",
        "hanoi",
        "--role",
        "secretariat",
        "--scope",
        "VN34-01",
        "--password-stdin",
        db_url=url,
        stdin="mat-khau-1-dai-du\n",
    )
    assert add.returncode == 0, add.stderr
    dup = run_cli(
        "users", "add", "hanoi", "--role", "viewer", "--password-stdin", db_url=url, stdin="mat-khau-2-dai-du\n"
    )
    assert dup.returncode == 1
    assert run_cli("users", "disable", "hanoi", db_url=url).returncode == 0
    listed = run_cli("users", "list", db_url=url).stdout
    assert "hanoi\tsecretariat\tVN34-01\tdisabled" in listed
    demo = run_cli("users", "ensure-demo", db_url=url)
    assert "không tạo thêm" in demo.stdout  # accounts exist already


def test_password_role_scope_and_disable_changes_end_the_users_sessions(engine):
    from store.users import check_session, create_session, get_user

    add_user(engine, "tk", "secretariat", "mat-khau-dai-du-1", scopes=("VN34-01",))
    add_user(engine, "khac", "viewer", "mat-khau-dai-du-2")
    other = create_session(engine, get_user(engine, "khac"))
    for change in (
        lambda: set_password(engine, "tk", "mat-khau-dai-du-3"),
        lambda: set_role(engine, "tk", "secretariat", ("VN34-79",)),
        lambda: set_role(engine, "tk", "admin", ()),
        lambda: disable_user(engine, "tk"),
    ):
        user = get_user(engine, "tk")
        token = create_session(engine, user)
        assert check_session(engine, token) == user
        change()
        assert check_session(engine, token) is None
    assert check_session(engine, other) is not None  # another account's session is untouched


def _delay(engine, key: str) -> None:
    """Let a key's delay run out (as if its minutes had passed)."""
    import datetime as dt

    from store.schema import login_failures

    with engine.begin() as conn:
        conn.execute(
            sa.update(login_failures)
            .where(login_failures.c.key == key)
            .values(blocked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(engine):
    add_user(engine, "admin", "admin", "mat-khau-quan-tri-dai")
    for _ in range(5):
        assert login(engine, "admin", "sai", "203.0.113.9").user is None
    attacker = login(engine, "admin", "mat-khau-quan-tri-dai", "203.0.113.9")
    assert attacker.user is None and attacker.locked_minutes > 0  # the right password waits there too
    assert login(engine, "admin", "mat-khau-quan-tri-dai", "10.0.0.7").user is not None  # the admin's own address
    # an unknown name is delayed just the same: the answer does not tell which names exist
    for _ in range(5):
        unknown = login(engine, "khong-ai", "sai", "203.0.113.10")
    known = [login(engine, "admin", "sai", "203.0.113.11") for _ in range(5)][-1]
    assert unknown == known and unknown.locked_minutes > 0


def test_delays_grow_and_an_admin_can_unlock_all_audited(engine):
    from store.users import unlock

    add_user(engine, "tk", "secretariat", "mat-khau-thu-ky-dai", scopes=("VN34-01",))
    waits = []
    for _ in range(3):
        while (r := login(engine, "tk", "sai", "198.51.100.1")).locked_minutes == 0:
            pass
        waits.append(r.locked_minutes)
        _delay(engine, "pair:tk|198.51.100.1")
    assert waits[0] < waits[1] < waits[2]
    login(engine, "tk", "sai", "198.51.100.1")  # delayed again
    assert login(engine, "tk", "mat-khau-thu-ky-dai", "198.51.100.1").user is None
    assert unlock(engine, "tk", by="admin") >= 1
    assert login(engine, "tk", "mat-khau-thu-ky-dai", "198.51.100.1").user is not None
    log = audit_frame(engine)
    assert (log["action"] == "login_locked").sum() >= 4 and "user_unlock" in set(log["action"])


def test_many_names_from_one_address_are_delayed_per_address(engine):
    add_user(engine, "viewer", "viewer", "mat-khau-nguoi-xem-dai")
    for i in range(20):
        login(engine, f"ten{i}", "sai", "192.0.2.5")
    assert login(engine, "viewer", "mat-khau-nguoi-xem-dai", "192.0.2.5").locked_minutes > 0
    assert login(engine, "viewer", "mat-khau-nguoi-xem-dai", "192.0.2.6").user is not None


def test_argon2_runs_outside_any_write_transaction(engine, monkeypatch):
    import contextlib

    import store.users as su

    depth = [0]
    real_tx, real_verify = su.write_transaction, su._verify

    @contextlib.contextmanager
    def counted(eng):
        depth[0] += 1
        try:
            with real_tx(eng) as conn:
                yield conn
        finally:
            depth[0] -= 1

    def verify(h, p):
        assert depth[0] == 0, "argon2 ran inside a write transaction (the SQLite write lock)"
        return real_verify(h, p)

    add_user(engine, "a", "viewer", "mat-khau-a-dai-du-12")
    monkeypatch.setattr(su, "write_transaction", counted)
    monkeypatch.setattr(su, "_verify", verify)
    assert login(engine, "a", "mat-khau-a-dai-du-12", "x").user is not None
    assert login(engine, "a", "sai", "x").user is None
    assert login(engine, "nobody", "sai", "x").user is None


def test_parallel_failures_are_all_counted(engine):
    """Twenty attempts at once: each adds exactly one to the count (one atomic UPDATE … RETURNING)."""
    from concurrent.futures import ThreadPoolExecutor

    from store.schema import login_failures

    add_user(engine, "v", "viewer", "mat-khau-v-dai-du-12")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: login(engine, "v", "sai", "198.51.100.77"), range(20)))
    with engine.connect() as conn:
        counted = conn.execute(
            sa.select(login_failures.c.failures).where(login_failures.c.key == "addr:198.51.100.77")
        ).scalar_one()
    log = audit_frame(engine)
    counted_attempts = (log["action"] == "login_failed") & ~log["detail"].str.contains('"reason": "delayed"')
    assert counted == counted_attempts.sum() > 5


def test_weak_passwords_and_unscoped_secretariats_are_refused(engine):
    from store.users import ALL_UNITS, check_password

    for weak in ("", "ngan", "12345678901", "Password1234", "aaaaaaaaaaaaaaaa", "thuky-thuky-thuky"):
        with pytest.raises(ValueError):
            check_password(weak, "thuky")
    with pytest.raises(ValueError):
        add_user(engine, "v", "viewer", "Password1234")
    with pytest.raises(ValueError, match="scope"):
        add_user(engine, "tk", "secretariat", "mat-khau-thu-ky-dai")  # no scope: not "every unit" by accident
    with pytest.raises(ValueError, match="unknown unit"):
        add_user(engine, "tk", "secretariat", "mat-khau-thu-ky-dai", scopes=("VN34-99",))
    with pytest.raises(ValueError):
        add_user(engine, "x" * 101, "viewer", "mat-khau-thu-ky-dai")
    add_user(engine, "tk", "secretariat", "mat-khau-thu-ky-dai", scopes=(ALL_UNITS,))
    with pytest.raises(ValueError, match="scope"):
        set_role(engine, "tk", "secretariat", ())
    with pytest.raises(ValueError):
        set_password(engine, "tk", "")
    assert login(engine, "tk", "mat-khau-thu-ky-dai").user.scopes == ()


def test_cli_refuses_empty_and_short_passwords_and_makes_demo_accounts_only_with_demo_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.sqlite'}"
    assert run_cli("users", "add", "qt", "--role", "admin", "--password-stdin", db_url=url, stdin="a\n").returncode == 2
    assert (
        run_cli(
            "users", "add", "tk", "--role", "secretariat", "--password-stdin", db_url=url, stdin="mat-khau-dai-du-12\n"
        ).returncode
        == 2
    )  # neither --scope nor --all-units
    assert run_cli("users", "add", "qt", "--role", "admin", db_url=url).returncode == 0
    empty = run_cli("users", "passwd", "qt", "--password-stdin", db_url=url, stdin="\n")
    assert empty.returncode == 2 and "12" in empty.stderr
    assert run_cli("users", "unlock", "qt", db_url=url).returncode == 0
    fresh = f"sqlite:///{tmp_path / 'q.sqlite'}"
    assert "No demo data" in run_cli("users", "ensure-demo", db_url=fresh).stdout
    assert run_cli("demo", db_url=fresh).returncode == 0
    demo = run_cli("users", "ensure-demo", db_url=fresh)
    assert "DEMO ACCOUNTS" in demo.stdout and "thuky" in demo.stdout


def test_a_page_runs_session_check_and_data_version_share_one_connection(engine):
    """What every page run asks (is the session live, which data version): the same answers as asking
    each alone, on one connection from the pool (each costs a liveness ping on PostgreSQL)."""
    from store.db import write_transaction
    from store.queries import data_version
    from store.uploads import bump_data_version
    from store.users import check_session, create_session, get_user, session_and_version

    add_user(engine, "xem", "viewer", "mat-khau-dai-du-9")
    token = create_session(engine, get_user(engine, "xem"))

    def bump_data_version_now() -> None:
        with write_transaction(engine) as conn:
            bump_data_version(conn)

    checkouts: list[int] = []
    sa.event.listen(engine, "checkout", lambda *_: checkouts.append(1))
    for change in (lambda: None, bump_data_version_now, lambda: disable_user(engine, "xem")):
        change()
        checkouts.clear()
        both = session_and_version(engine, token)
        assert len(checkouts) == 1
        assert both == (check_session(engine, token), data_version(engine))

    assert session_and_version(engine, "no-such-token") == (None, data_version(engine))

    add_user(engine, "xem2", "viewer", "mat-khau-dai-du-9")
    user2 = get_user(engine, "xem2")
    token2 = create_session(engine, user2)
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    assert check_session(engine, token2) == user2
    assert statements and not any("FROM meta" in sql for sql in statements)  # the session alone
    statements.clear()
    session_and_version(engine, token2)
    assert any("FROM meta" in sql for sql in statements)
