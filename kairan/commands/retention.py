"""Retention: `kairan space set-retention|hold` and `kairan retention due|dispose`."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from archive.admin.audit import SYSTEM, actor_of
from archive.admin.roles import is_system_admin, require
from archive.errors import Invalid
from archive.members import get_member_by_address
from archive.retention.classes import CLASSES, RetentionPolicy
from archive.retention.disposal import dispose
from archive.retention.due import due_threads, set_hold, set_retention
from archive.spaces import get_space
from kairan.commands.groups import group
from kairan.config import Settings, data_dir_from
from kairan.context import open_context
from kairan.indexing import catch_up, open_search


def register(sub, common) -> None:
    space = group(sub, common, "space", "spaces")
    p = space.add_parser("set-retention", parents=[common], help="set a space's retention class (保存期間)")
    p.add_argument("slug")
    p.add_argument("retention", choices=CLASSES, metavar="|".join(CLASSES))
    p.set_defaults(run=run_set_retention)
    p = space.add_parser("hold", parents=[common], help="put a space under legal hold (never disposed)")
    p.add_argument("slug")
    p.add_argument("--off", action="store_true", help="lift the hold")
    p.set_defaults(run=run_hold)
    retention = group(sub, common, "retention", "retention periods and disposal")
    p = retention.add_parser("due", parents=[common], help="threads past their retention period (廃棄予定)")
    p.add_argument("--as-of", default=None, metavar="ISO-8601")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_due)
    p = retention.add_parser("dispose", parents=[common], help="dispose of the due threads (needs --approve)")
    p.add_argument("--as-of", default=None, metavar="ISO-8601")
    p.add_argument("--approve", action="store_true", help="a system admin's approval of the due list")
    p.add_argument("--as", dest="as_email", default=None, metavar="EMAIL", help="the approving system admin")
    p.set_defaults(run=run_dispose)


def policy_of(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(settings.retention_default, settings.retention_count_from, settings.timezone)


def as_of_moment(value: str | None, clock) -> datetime:
    if value is None:
        return clock()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"--as-of {value!r} is not ISO-8601 (for example 2031-04-01 or 2031-04-01T09:00+09:00)")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


async def run_set_retention(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        value = await set_retention(ctx.db, space, args.retention, SYSTEM)
    print(f"space {space.slug}: retention {value}")
    return 0


async def run_hold(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        await set_hold(ctx.db, space, not args.off, SYSTEM)
    print(f"space {space.slug}: legal hold {'off' if args.off else 'on'}")
    return 0


async def run_due(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        due = await due_threads(ctx.db, as_of_moment(args.as_of, ctx.clock), policy_of(ctx.settings))
    if args.json:
        print(json.dumps({"due": [d.document() for d in due]}, ensure_ascii=False))
        return 0
    for d in due:
        print(f"{d.expires.isoformat()}  {d.space_slug}  #{d.thread_id}  {d.subject}  (last post {d.last_post})")
    print(f"{len(due)} thread(s) due")
    return 0


async def run_dispose(args) -> int:
    if not args.approve:
        raise Invalid("nothing is disposed without approval: check 'kairan retention due', then add --approve")
    async with open_context(data_dir_from(args.data)) as ctx:
        member = await get_member_by_address(ctx.db, args.as_email) if args.as_email else None
        if member is not None:
            require(is_system_admin(member), "only a system admin may approve a disposal")
        count = await dispose(ctx.db, ctx.blobs, policy_of(ctx.settings), as_of_moment(args.as_of, ctx.clock),
                              actor_of(member) if member else SYSTEM)
        await catch_up(ctx, open_search(ctx))
    print(f"disposed {count} thread(s)")
    return 0
