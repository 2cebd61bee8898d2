"""Command line of CCHC Dashboard: the database (migrate, demo, check, ingest, backup, restore, originals), learned
column mappings, what the dashboard shows (query, brief, profile, pdf) and accounts (users).

Exit status: 0 success / accepted, 1 refused or failed, 2 wrong usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Any, TypeAlias

from domain.catalog import catalog
from domain.periods import PeriodError, parse_period
from domain.roles import ROLES


def _period_arg(text: str) -> str:
    try:
        return parse_period(text).code
    except PeriodError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=1) + "\n")


def cmd_migrate(_args: argparse.Namespace) -> int:
    from store.db import get_engine, migrate

    migrate(get_engine())
    print("Cơ sở dữ liệu đã được cập nhật cấu trúc. / Database schema is up to date.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from store.db import get_engine, migrate
    from store.demo import clear_demo, has_data, load_demo

    engine = get_engine()
    migrate(engine)
    if args.clear:
        n = clear_demo(engine)
        print(f"Đã xóa dữ liệu minh họa ({n} quan sát). / Demo data removed ({n} observations).")
        return 0
    if args.if_empty and has_data(engine):
        print("Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu minh họa. / Database has data; demo not loaded.")
        return 0
    n = load_demo(engine)
    print(f"Đã nạp dữ liệu minh họa: {n} quan sát. / Demo data loaded: {n} observations.")
    return 0


def _map_arg(text: str) -> tuple[str, str]:
    """'G=staff_reduced', 'Biểu 1!G=ignore': a person's decision about one column of this file."""
    column, sep, target = text.partition("=")
    column, target = column.strip(), target.strip()
    if not sep or not column or not target:
        raise argparse.ArgumentTypeError(f"cần dạng COT=CHI_TIEU / expected COLUMN=INDICATOR: {text}")
    letter = column.rpartition("!")[2]
    if not letter.isalpha() or not letter.isascii():
        raise argparse.ArgumentTypeError(f"cột phải là chữ cái Excel / the column must be an Excel letter: {text}")
    target = "@ignore" if target.lower() in ("ignore", "@ignore", "bo qua") else target
    if target != "@ignore" and target not in catalog().indicators:
        raise argparse.ArgumentTypeError(f"chỉ tiêu không có trong danh mục / unknown indicator: {target}")
    sheet = column.rpartition("!")[0]
    return (f"{sheet}!{letter.upper()}" if sheet else letter.upper()), target


def cmd_check(args: argparse.Namespace) -> int:
    from loaders.headers import ColumnRules
    from loaders.isolate import check_isolated
    from store.mappings import learned_if_stored

    with contextlib.redirect_stdout(sys.stderr):  # stdout carries the result only (one JSON object)
        rules = ColumnRules(overrides=dict(args.map or []), learned=learned_if_stored(args.unit))
        result = check_isolated(Path(args.file), period=args.period, unit=args.unit, rules=rules)
    if args.json:
        _print_json(result.as_json())
    else:
        print(result.summary_vi())
    return 0 if result.ok else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    """Check, then store in one transaction: the same code path as the upload page's Publish."""
    from store.db import get_engine, migrate
    from store.users import User, get_user
    from store.workflow import prepare, publish

    path = Path(args.file)
    try:
        content = path.read_bytes()
    except OSError as exc:
        print(f"Không đọc được tệp / cannot read the file: {exc}", file=sys.stderr)
        return 2
    engine = get_engine()
    migrate(engine)
    # A named account brings its scope; otherwise the command line acts unscoped under that name.
    user = get_user(engine, args.by) or User(0, args.by, "admin", (), False)
    prepared = prepare(engine, path.name, content, user, catalog(), args.period, args.unit, dict(args.map or []))
    if prepared.errors or prepared.undecided:
        prepared.result.errors = [*prepared.errors, *prepared.undecided]
        print(prepared.result.summary_vi())
        return 1
    if prepared.duplicate_of is not None:
        print(f"Tệp này đã được tải lên trước đó (lần tải #{prepared.duplicate_of}); không lưu thêm gì.")
        print(f"This file was uploaded before (upload #{prepared.duplicate_of}); nothing new stored.")
        return 0
    outcome = publish(engine, prepared, user)
    print(outcome.message_vi)
    print(outcome.message_en)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from store.db import get_engine
    from store.queries import query_values

    if args.unit and args.group:
        print("Chỉ dùng một trong --unit hoặc --group. / Use only one of --unit or --group.", file=sys.stderr)
        return 2
    if args.indicator not in catalog().indicators:
        print(f"Chỉ tiêu không có trong danh mục / unknown indicator: {args.indicator}", file=sys.stderr)
        return 2
    rows = query_values(
        get_engine(),
        indicator=args.indicator,
        period=args.period,
        unit=args.unit,
        group=args.group or (None if args.unit else "national"),
        sector=args.sector or "",
        view=args.view,
    )
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("Không có dữ liệu. / No data.")
        return 1
    for r in rows:
        who = r.get("unit") or r.get("group")
        flags = ", ".join(k for k in ("derived", "rebased") if r.get(k))
        print(f"{r['indicator']}\t{who}\t{r['period']}\t{r['sector'] or '-'}\t{r['value']:g}\t{flags}")
    return 0


def _scopes(args: argparse.Namespace) -> tuple[str, ...]:
    """``--scope UNIT …``, or ``--all-units`` (a secretariat must be given one of the two)."""
    from store.users import ALL_UNITS

    return (ALL_UNITS,) if getattr(args, "all_units", False) else tuple(args.scope or ())


def _read_password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    import getpass

    return getpass.getpass("Mật khẩu / password: ")


def _users_add(engine: Any, args: argparse.Namespace) -> int:
    from store import users as u

    given = _read_password(args) if args.password_stdin else None
    password = u.add_user(engine, args.name, args.role, given, _scopes(args))
    if given is None:
        print(f"Đã tạo {args.name} ({args.role}); mật khẩu / password: {password}")
    else:
        print(f"Đã tạo {args.name} ({args.role}). / Created.")
    return 0


def _users_change(engine: Any, args: argparse.Namespace) -> int:
    """passwd, role, email, unlock, disable: one change to one account, said in both languages."""
    from store import users as u

    if args.action == "passwd":
        u.set_password(engine, args.name, _read_password(args))
        print("Đã đổi mật khẩu. / Password changed.")
    elif args.action == "role":
        u.set_role(engine, args.name, args.role, _scopes(args))
        print("Đã đổi vai trò. / Role changed.")
    elif args.action == "email":
        u.set_email(engine, args.name, args.email)
        print("Đã gán e-mail (đăng nhập OpenID Connect). / E-mail set (OpenID Connect sign-in).")
    elif args.action == "unlock":
        n = u.unlock(engine, args.name)
        print(f"Đã mở chặn đăng nhập ({n}). / Sign-in delays lifted ({n}).")
    else:
        u.disable_user(engine, args.name)
        print("Đã khóa tài khoản. / Account disabled.")
    return 0


def _users_list(engine: Any, _args: argparse.Namespace) -> int:
    from store import users as u

    for user in u.list_users(engine):
        state = "disabled" if user.disabled else "active"
        print(f"{user.name}\t{user.role}\t{' '.join(user.scopes) or '*'}\t{state}")
    return 0


def _users_token(engine: Any, args: argparse.Namespace) -> int:
    import os

    from store import users as u

    # The cookie name is ui.session.SESSION_COOKIE (the CLI does not import the UI; a test checks they agree).
    idle = int(os.environ.get("CCHC_IDLE_MINUTES", "60"))
    token = u.mint_session(engine, args.name, args.minutes, idle, by=args.by)
    print(f"cchc_session={token}")
    return 0


def _users_ensure_demo(engine: Any, _args: argparse.Namespace) -> int:
    from store import users as u
    from store.queries import has_demo

    if u.list_users(engine):
        print("Đã có tài khoản; không tạo thêm. / Accounts exist; none created.")
        return 0
    if not has_demo(engine):
        print(
            "Không có dữ liệu minh họa: không tạo tài khoản trình diễn; dùng `users add`. / "
            "No demo data: no demo accounts created; use `users add`."
        )
        return 0
    print(
        "TÀI KHOẢN TRÌNH DIỄN, chỉ cho dữ liệu minh họa; xóa trước khi dùng thật (`users disable`). / "
        "DEMO ACCOUNTS, for the demo data only; disable them before real use."
    )
    print("Mật khẩu chỉ hiện một lần / passwords shown once:")
    for name, role in (("viewer", "viewer"), ("thuky", "secretariat"), ("admin", "admin")):
        scopes = (u.ALL_UNITS,) if role == "secretariat" else ()
        print(f"  {name:10s} {role:12s} {u.add_user(engine, name, role, scopes=scopes, by='demo')}")
    return 0


_USERS = {
    "add": _users_add,
    "passwd": _users_change,
    "role": _users_change,
    "email": _users_change,
    "unlock": _users_change,
    "disable": _users_change,
    "list": _users_list,
    "token": _users_token,
    "ensure-demo": _users_ensure_demo,
}


def cmd_users(args: argparse.Namespace) -> int:
    from store.db import get_engine, migrate
    from store.uploads import is_duplicate_error

    engine = get_engine()
    migrate(engine)
    try:
        return _USERS[args.action](engine, args)
    except KeyError as exc:
        print(f"Không có tài khoản / no such user: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # a duplicate name, told by the database's error code, said plainly
        if is_duplicate_error(exc):
            print(f"Tài khoản đã tồn tại / user exists: {args.name}", file=sys.stderr)
            return 1
        raise


def cmd_mappings(args: argparse.Namespace) -> int:
    """List, add, remove or confirm learned column mappings (the same store the upload page writes)."""
    import pandas as pd

    from loaders.vocabulary import header_key
    from store.db import get_engine, migrate
    from store.mappings import EVERYONE, Decision, confirm_for_everyone, learn, mappings_frame, revoke, user_scope

    engine = get_engine()
    migrate(engine)
    if args.action == "list":
        frame = mappings_frame(engine, include_revoked=args.all)
        if args.json:
            _print_json(json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False)))
            return 0
        for r in frame.to_dict("records"):
            state = f" (thu hồi / revoked {r['revoked_at']:%d/%m/%Y})" if pd.notna(r["revoked_at"]) else ""
            print(
                f"#{r['id']}\t{r['header']}\t→ {r['target']}\t[{r['scope']}]\t{r['created_by']} "
                f"{r['created_at']:%d/%m/%Y}{state}"
            )
        return 0
    if args.action == "add":
        _, target = _map_arg(f"A={args.target}")
        scope = EVERYONE if args.everyone else (args.unit or user_scope(args.by))
        (new_id,) = learn(engine, [Decision(header_key(args.header), args.header, target)], scope, args.by)
        print(f"Đã lưu ánh xạ #{new_id}. / Mapping #{new_id} stored.")
        return 0
    if args.action == "confirm":
        new = confirm_for_everyone(engine, args.id, args.by)
        done = f"Ánh xạ #{new} áp dụng cho mọi đơn vị. / Mapping #{new} now applies to everyone."
        return _mapping_outcome(bool(new), done, args.id)
    done = f"Đã thu hồi ánh xạ #{args.id}. / Mapping #{args.id} revoked."
    return _mapping_outcome(revoke(engine, args.id, args.by), done, args.id)


def _mapping_outcome(ok: bool, done: str, mapping_id: int) -> int:
    """Print what a change to a learned mapping did, or that no live mapping has that number; the exit code."""
    print(done if ok else f"Không có ánh xạ #{mapping_id}. / No live mapping #{mapping_id}.")
    return 0 if ok else 1


def cmd_brief(args: argparse.Namespace) -> int:
    """The meeting brief as text on stdout, and as .docx with --out."""
    from reports.brief import BRIEF_INDICATORS, build_brief
    from store.db import get_engine, migrate
    from store.queries import expand_needed, upload_ids_for, upload_sources

    cat = catalog()
    if args.scope != "national" and args.scope not in cat.units:
        print(f"Không có đơn vị / unknown unit: {args.scope}", file=sys.stderr)
        return 2
    engine = get_engine()
    migrate(engine)
    brief = build_brief(engine, args.period, args.scope, args.lang, cat)
    print(brief.text)
    if args.out:
        from reports.docx_brief import brief_docx

        period = parse_period(args.period)
        ids = upload_ids_for(engine, expand_needed(BRIEF_INDICATORS, cat), [period.code, period.last_year().code])
        Path(args.out).write_bytes(brief_docx(brief, upload_sources(engine, ids), cat=cat))
        print(f"Đã ghi / written: {args.out}")
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    """The phiếu đơn vị (unit fact sheet) of a unit for a period, as .docx; a summary line on stdout."""
    from analysis.profile import gone_to
    from store.db import get_engine, migrate

    cat = catalog()
    if args.unit not in cat.units:
        print(f"Không có đơn vị / unknown unit: {args.unit}", file=sys.stderr)
        return 2
    successor = gone_to(cat, args.unit, args.period)
    if successor is not None:
        print(
            f"{cat.units[args.unit].name_vi} không còn vào kỳ này; số liệu nay thuộc {cat.units[successor].name_vi} "
            f"({successor}). / The unit no longer exists then; use {successor}.",
            file=sys.stderr,
        )
        return 1
    from reports.docx_profile import unit_sheet_docx
    from reports.unit_sheet import build_unit_sheet

    engine = get_engine()
    migrate(engine)
    sheet = build_unit_sheet(engine, args.unit, args.period, args.lang, args.view, cat)
    Path(args.out).write_bytes(unit_sheet_docx(sheet))
    print(f"{sheet.title} — {sheet.name}, {sheet.period_label}: {len(sheet.table)} chỉ số / indicators")
    print(f"Đã ghi / written: {args.out}")
    return 0


def cmd_originals(args: argparse.Namespace) -> int:
    """Originals holding personal data (dossier exports): the retention the admin sets, and the purge."""
    from store.db import get_engine
    from store.retention import purge_personal_originals, retention_days, set_retention_days

    engine = get_engine()
    if args.action == "retention":
        if args.days is not None:
            try:
                set_retention_days(engine, args.days, by=args.by)
            except ValueError as exc:
                print(f"Lỗi / error: {exc}", file=sys.stderr)
                return 2
        days = retention_days(engine)
        print(f"Lưu giữ / retention: {days if days is not None else '-'} ngày / days")
        return 0
    result = purge_personal_originals(engine, by=args.by)
    ids = ", ".join(f"#{i}" for i in result.upload_ids) or "-"
    print(
        f"Đã xoá bản gốc / purged originals: {ids} ({result.bytes_removed:,} bytes); số liệu giữ nguyên / figures kept"
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from store.backup import backup
    from store.db import get_engine

    backup(get_engine(), Path(args.file))
    print(f"Đã sao lưu vào / backed up to: {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore into an empty database only: a restore never silently merges with live data."""
    from store.backup import restore
    from store.db import get_engine
    from store.demo import has_data

    engine = get_engine()
    if not Path(args.file).exists():
        print(f"Không có tệp / no such file: {args.file}", file=sys.stderr)
        return 2
    try:
        if has_data(engine):
            print(
                "Cơ sở dữ liệu đích đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống. / "
                "The target database is not empty; restore into an empty database.",
                file=sys.stderr,
            )
            return 1
    except Exception:  # no tables yet: an empty database, as wanted
        pass
    restore(engine, Path(args.file))
    print(f"Đã khôi phục từ / restored from: {args.file}")
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    """Print a dashboard page to PDF as a named account sees it (the app must be running at --base)."""
    from reports.pdf import print_page
    from store.db import get_engine
    from store.users import create_session, end_session, get_user

    engine = get_engine()
    user = get_user(engine, args.user)
    if user is None or user.disabled:
        print(f"Không có tài khoản / no such account: {args.user}", file=sys.stderr)
        return 2
    token = create_session(engine, user)
    try:
        pdf = print_page(args.base.rstrip("/") + "/" + args.path.lstrip("/"), token)
    finally:
        end_session(engine, token)
    Path(args.out).write_bytes(pdf)
    print(f"Đã ghi / written: {args.out} ({len(pdf):,} bytes)")
    return 0


def _report_parser(sub: Commands, name: str, help_text: str) -> argparse.ArgumentParser:
    """The arguments ``check`` and ``ingest`` share: the file, what it does not say, people's column choices."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    p.add_argument("file")
    p.add_argument("--period", type=_period_arg)
    p.add_argument("--unit")
    p.add_argument(
        "--map",
        action="append",
        type=_map_arg,
        metavar="COLUMN=INDICATOR",
        help="read column COLUMN (letter, or SHEET!LETTER) as INDICATOR, or 'ignore'; repeatable",
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cli.py", description="CCHC Dashboard")
    sub = p.add_subparsers(dest="command", required=True)
    _data_commands(sub)
    _mappings_command(sub)
    _output_commands(sub)
    _users_command(sub)
    return p


#: The sub-command table of the parser (argparse keeps its class private; typeshed names it generic).
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _data_commands(sub: Commands) -> None:
    """migrate, demo, check, ingest, backup, restore, originals: what puts figures in the database and keeps them."""
    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(func=cmd_migrate)

    d = sub.add_parser("demo", help="load the labelled demo data set")
    d.add_argument("--clear", action="store_true", help="remove the demo data, keep real uploads")
    d.add_argument("--if-empty", action="store_true", help="load only into an empty database")
    d.set_defaults(func=cmd_demo)

    c = _report_parser(sub, "check", "read one report without storing it")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_check)

    i = _report_parser(sub, "ingest", "check one report and store it in one transaction (decisions remembered)")
    i.add_argument("--by", default="cli")
    i.set_defaults(func=cmd_ingest)

    bk = sub.add_parser("backup", help="write a consistent copy of the database (SQLite file or pg_dump)")
    bk.add_argument("file")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="restore a backup into an empty database")
    rs.add_argument("file")
    rs.set_defaults(func=cmd_restore)

    og = sub.add_parser("originals", help="originals holding personal data: retention (days) and purge")
    os_ = og.add_subparsers(dest="action", required=True)
    orr = os_.add_parser("retention", help="show, or with DAYS set, how long such originals are kept; audited")
    orr.add_argument("days", type=int, nargs="?")
    orr.add_argument("--by", default="cli")
    opu = os_.add_parser("purge", help="remove the bytes of such originals older than the retention; audited")
    opu.add_argument("--by", default="cli")
    og.set_defaults(func=cmd_originals)


def _mappings_command(sub: Commands) -> None:
    """mappings list|add|remove|confirm: the learned column mappings the upload page writes too."""
    mp = sub.add_parser("mappings", help="learned column mappings: list, add, remove, confirm")
    ms = mp.add_subparsers(dest="action", required=True)
    ml = ms.add_parser("list")
    ml.add_argument("--all", action="store_true", help="revoked ones too")
    ml.add_argument("--json", action="store_true")
    ma = ms.add_parser("add", help="read HEADER as TARGET (an indicator id or 'ignore')")
    ma.add_argument("header")
    ma.add_argument("target")
    ma.add_argument("--unit", help="only for reports of this unit")
    ma.add_argument("--everyone", action="store_true", help="for every sender")
    ma.add_argument("--by", default="cli")
    for name in ("remove", "confirm"):
        mr = ms.add_parser(name)
        mr.add_argument("id", type=int)
        mr.add_argument("--by", default="cli")
    mp.set_defaults(func=cmd_mappings)


def _output_commands(sub: Commands) -> None:
    """query, brief, pdf: what the dashboard shows, as values, a meeting brief or a printed page."""
    q = sub.add_parser("query", help="print the value(s) the dashboard would show")
    q.add_argument("--indicator", required=True)
    q.add_argument("--period", required=True, type=_period_arg)
    q.add_argument("--unit")
    q.add_argument("--group", choices=["national", "ministries", "localities"])
    q.add_argument("--sector")
    q.add_argument("--view", choices=["as-reported", "rebased"], default="as-reported")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_query)

    b = sub.add_parser("brief", help="the meeting brief for a period and scope (text, and .docx with --out)")
    b.add_argument("--period", required=True, type=_period_arg)
    b.add_argument("--scope", default="national", help="national or a unit id (e.g. VN34-86)")
    b.add_argument("--lang", choices=["vi", "en"], default="vi")
    b.add_argument("--out", help="write the brief as .docx to this file")
    b.set_defaults(func=cmd_brief)

    pr = sub.add_parser("profile", help="the unit fact sheet (phiếu đơn vị) of a unit for a period, as .docx")
    pr.add_argument("--unit", required=True, help="a unit id (e.g. VN34-86, M-BXD)")
    pr.add_argument("--period", required=True, type=_period_arg)
    pr.add_argument("--lang", choices=["vi", "en"], default="vi")
    pr.add_argument("--view", choices=["as-reported", "rebased"], default="as-reported")
    pr.add_argument("--out", required=True, help="write the sheet as .docx to this file")
    pr.set_defaults(func=cmd_profile)

    pdf = sub.add_parser("pdf", help="print a dashboard page to PDF (Chromium, offline)")
    pdf.add_argument("path", help="page and filters, e.g. 'overview?period=2024'")
    pdf.add_argument("--out", required=True)
    pdf.add_argument("--user", required=True, help="the account whose view is printed")
    pdf.add_argument("--base", default="http://127.0.0.1:8501")
    pdf.set_defaults(func=cmd_pdf)


def _role_args(parser: argparse.ArgumentParser) -> None:
    """--role, and for a secretariat the units it may upload for (--scope or --all-units)."""
    parser.add_argument("--role", required=True, choices=ROLES)
    parser.add_argument("--scope", nargs="*", help="unit ids a secretariat may upload for")
    parser.add_argument("--all-units", action="store_true", help="a secretariat for every unit (instead of --scope)")


def _users_command(sub: Commands) -> None:
    """users add|passwd|role|email|disable|unlock|list|token|ensure-demo."""
    users = sub.add_parser("users", help="accounts: add, passwd, role, email, disable, list, token, ensure-demo")
    us = users.add_subparsers(dest="action", required=True)
    ua = us.add_parser("add")
    ua.add_argument("name")
    _role_args(ua)
    ua.add_argument("--password-stdin", action="store_true")
    up = us.add_parser("passwd")
    up.add_argument("name")
    up.add_argument("--password-stdin", action="store_true")
    ur = us.add_parser("role")
    ur.add_argument("name")
    _role_args(ur)
    ue = us.add_parser("email", help="the e-mail an OpenID Connect provider confirms for this account")
    ue.add_argument("name")
    ue.add_argument("email")
    ud = us.add_parser("disable")
    ud.add_argument("name")
    uu = us.add_parser("unlock", help="lift the sign-in delays on an account (from every address)")
    uu.add_argument("name")
    us.add_parser("list")
    ut = us.add_parser(
        "token",
        help="print the session cookie (name=value) a signed-in browser would hold, "
        "for scripted clients such as the load test or monitoring; audited",
    )
    ut.add_argument("name")
    ut.add_argument(
        "--minutes",
        type=int,
        default=60,
        help="left unused, the session ends after this long "
        "(1-720; each use restarts the idle clock, as for a browser)",
    )
    ut.add_argument("--by", default="cli")
    us.add_parser("ensure-demo", help="create viewer, secretariat and admin accounts when there are none")
    users.set_defaults(func=cmd_users)


def main(argv: list[str] | None = None) -> int:
    from loaders.logs import setup_logging

    setup_logging()
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
