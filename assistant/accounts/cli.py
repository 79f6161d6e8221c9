"""``assistant users …`` and ``assistant audit …``: account administration and the audit export from the shell."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path

from assistant.accounts.audit import Action
from assistant.accounts.credentials import new_password
from assistant.accounts.errors import AccountError
from assistant.accounts.models import ROLES
from assistant.accounts.service import AccountService
from assistant.settings import Settings


def _accounts(settings: Settings) -> AccountService:
    accounts = AccountService(settings)
    accounts.open(bootstrap=False)
    return accounts


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise AccountError("Không đọc được mật khẩu từ đầu vào chuẩn (dòng đầu tiên đang trống).")
        return password
    if not sys.stdin.isatty():
        raise AccountError("Hãy dùng --password-stdin để đọc mật khẩu từ đầu vào chuẩn.")
    first = getpass.getpass("Mật khẩu mới: ")
    if getpass.getpass("Nhập lại: ") != first:
        raise AccountError("Hai lần nhập mật khẩu không khớp.")
    return first


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    generated = not args.password_stdin
    password = new_password() if generated else _read_password(args)
    user = accounts.users.add(
        args.username, roles=args.role, units=args.unit or (), display_name=args.display_name, password=password
    )
    detail = {"username": user.username, "roles": list(user.roles), "units": list(user.units)}
    accounts.audit.record(_actor(), Action.USER_ADD, detail)
    print(
        f"Đã tạo tài khoản {user.username} (vai trò: {', '.join(user.roles)}; đơn vị: {', '.join(user.units) or '-'})"
    )
    if generated:
        print(f"Mật khẩu tạm thời (chỉ hiện một lần): {password}")
    return 0


def cmd_users_list(args: argparse.Namespace, settings: Settings) -> int:
    users = _accounts(settings).users.list()
    if args.json:
        rows = [
            {"username": u.username, "display_name": u.display_name, "roles": list(u.roles), "units": list(u.units),
             "disabled": u.disabled, "created": u.created.isoformat()}
            for u in users
        ]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for u in users:
        state = "KHÓA" if u.disabled else "hoạt động"
        print(f"{u.username:24} {','.join(u.roles):22} {','.join(u.units) or '-':24} {state:10} {u.created:%Y-%m-%d}")
    return 0


def cmd_users_disable(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    user = accounts.users.set_disabled(args.username, not args.enable)
    revoked = accounts.tokens.revoke_all(user) if not args.enable else 0
    action = Action.USER_ENABLE if args.enable else Action.USER_DISABLE
    accounts.audit.record(_actor(), action, {"username": user.username, "tokens_revoked": revoked})
    print(
        f"Đã {'mở khóa' if args.enable else 'khóa'} tài khoản {user.username}"
        + (f"; thu hồi {revoked} mã" if revoked else "")
    )
    return 0


def cmd_users_password(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    user = accounts.users.set_password(args.username, _read_password(args))
    revoked = accounts.tokens.revoke_all(user)
    accounts.audit.record(_actor(), Action.USER_PASSWORD, {"username": user.username, "tokens_revoked": revoked})
    print(f"Đã đổi mật khẩu của {user.username}; thu hồi {revoked} mã truy cập đang dùng.")
    return 0


def cmd_users_token(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    user = accounts.users.require(args.username)
    if user.disabled:
        raise AccountError(f"Tài khoản '{user.username}' đang bị khóa; mở khóa trước khi cấp mã.")
    issued = accounts.tokens.issue(user, ttl_hours=args.ttl_hours or settings.token_ttl_hours)
    detail = {"username": user.username, "expires": issued.expires_at}
    accounts.audit.record(_actor(), Action.USER_TOKEN, detail)
    print(issued.token)
    print(f"(hết hạn {issued.expires_at:%Y-%m-%d %H:%M} UTC; mã chỉ hiện một lần)", file=sys.stderr)
    return 0


def cmd_users_revoke(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    user = accounts.users.require(args.username)
    revoked = accounts.tokens.revoke_all(user)
    accounts.audit.record(_actor(), Action.USER_REVOKE, {"username": user.username, "tokens_revoked": revoked})
    print(f"Đã thu hồi {revoked} mã truy cập của {user.username}.")
    return 0


def parse_when(value: str) -> dt.datetime:
    """YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time (UTC when no offset is given)."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ '{value}': dùng YYYY-MM-DD") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def cmd_audit_export(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    count = accounts.audit.export_file(Path(args.out), since=args.since, until=args.until)
    detail = {"since": args.since, "until": args.until, "events": count, "out": str(args.out)}
    accounts.audit.record(_actor(), Action.AUDIT_EXPORT, detail)
    print(f"Đã xuất {count} sự kiện nhật ký ra {args.out}")
    return 0


def cmd_audit_purge(args: argparse.Namespace, settings: Settings) -> int:
    accounts = _accounts(settings)
    days = args.days or settings.audit_retention_days
    purged = accounts.audit.purge(days)
    accounts.audit.record(_actor(), Action.AUDIT_PURGE, {"retention_days": days, "purged": purged})
    print(f"Đã xóa {purged} sự kiện nhật ký cũ hơn {days} ngày.")
    return 0


def add_account_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help="manage accounts").add_subparsers(dest="users_command", required=True)

    p = users.add_parser("add", help="create an account (prints a one-time password unless --password-stdin)")
    p.add_argument("username")
    p.add_argument("--role", action="append", required=True, choices=ROLES, help="role (repeatable)")
    p.add_argument("--unit", action="append", help="unit code from the unit tree (repeatable)")
    p.add_argument("--display-name", default="")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_users_add)

    p = users.add_parser("list", help="list accounts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_users_list)

    for name, enable, text in (("disable", False, "lock an account and revoke its tokens"), ("enable", True, "unlock")):
        p = users.add_parser(name, help=text)
        p.add_argument("username")
        p.set_defaults(func=cmd_users_disable, enable=enable)

    p = users.add_parser("password", help="set a password (revokes the account's tokens)")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true")
    p.set_defaults(func=cmd_users_password)

    p = users.add_parser("token", help="issue an API token (printed once)")
    p.add_argument("username")
    p.add_argument("--ttl-hours", type=float, default=None)
    p.set_defaults(func=cmd_users_token)

    p = users.add_parser("revoke-tokens", help="revoke every token of an account")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_revoke)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(dest="audit_command", required=True)
    p = audit.add_parser("export", help="export events as JSON Lines for the inspectorate")
    p.add_argument("--since", type=parse_when, required=True, help="YYYY-MM-DD or ISO date-time (UTC)")
    p.add_argument("--until", type=parse_when, default=None)
    p.add_argument("--out", required=True, help="output .jsonl file")
    p.set_defaults(func=cmd_audit_export)

    p = audit.add_parser("purge", help="delete events older than the retention period")
    p.add_argument("--days", type=int, default=None, help="default: ASSISTANT_AUDIT_RETENTION_DAYS")
    p.set_defaults(func=cmd_audit_purge)
