"""The audit log from the shell: `kairan audit [--since ISO-8601] [--action ACTION] [--json]`, `kairan audit verify`."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from archive.admin import roles
from archive.admin.audit import ACTIONS, Filters, list_entries, verify
from archive.clock import to_iso
from archive.errors import Invalid
from kairan.commands.acting import acting_member, add_as_option
from kairan.config import data_dir_from
from kairan.context import open_context

PAGE = 5000


def register(sub, common) -> None:
    p = sub.add_parser("audit", parents=[common], help="the audit log (oldest first); 'audit verify' checks its chain")
    p.add_argument("--since", default=None, metavar="ISO-8601", help="from this moment (no offset: the configured zone)")
    p.add_argument("--action", default=None, choices=ACTIONS, metavar="ACTION")
    p.add_argument("--json", action="store_true", help="one JSON object per line: {at, actor, action, target, detail}")
    add_as_option(p)
    p.set_defaults(run=run_audit)
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION")
    v = actions.add_parser("verify", parents=[common], help="exit 0, or exit 1 naming the first entry that doesn't fit")
    v.set_defaults(run=run_verify)


def parse_since(text: str | None, timezone: str) -> str | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"--since {text!r} is not an ISO-8601 time (for example 2026-11-27T00:00:00+09:00)") from None
    return to_iso(moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone)))


async def run_audit(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        may, org_id = (True, None) if by is None else roles.audit_scope(by)
        roles.require(may, "only system admins and org admins may read the audit log")
        filters = Filters(since=parse_since(args.since, ctx.settings.timezone), action=args.action, org_id=org_id)
        zone = ZoneInfo(ctx.settings.timezone)
        offset = 0
        while entries := await list_entries(ctx.db, filters, limit=PAGE, offset=offset, newest_first=False):
            for e in entries:
                print(line_of(e, zone, args.json))
            offset += len(entries)
    return 0


def line_of(entry, zone, as_json: bool) -> str:
    if as_json:
        return json.dumps({"at": entry.at, "actor": entry.actor, "action": entry.action, "target": entry.target,
                           "detail": entry.detail}, ensure_ascii=False)
    local = datetime.fromisoformat(entry.at.replace("Z", "+00:00")).astimezone(zone)
    who = entry.actor + (f" ({entry.client})" if entry.client else "")
    return f"{local:%Y-%m-%d %H:%M:%S}\t{who}\t{entry.action}\t{entry.target}\t{json.dumps(entry.detail, ensure_ascii=False)}"


async def run_verify(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        problem = await verify(ctx.db)
        count = await ctx.db.fetchval("SELECT COUNT(*) FROM audit_log")
    if problem is not None:
        print(f"kairan: audit entry #{problem.entry_id} doesn't fit: {problem.reason}", file=sys.stderr)
        return 1
    print(f"audit log intact: {count} entries")
    return 0
