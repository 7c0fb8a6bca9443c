"""Spaces: `kairan space …`. Every change is audited (as the command line: actor 'system')."""

from __future__ import annotations

import json

from archive.admin.audit import SYSTEM
from archive.admin.space_list import space_lines
from archive.admin.spaces import (add_members, create_space_by, narrowing, remove_member, set_admin, set_closed,
                                  set_mode, space_by_slug)
from archive.members import get_member_by_address
from archive.models import DELIVERY_MODES
from archive.spaces import get_membership
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    space = group(sub, common, "space", "spaces")
    p = space.add_parser("create", parents=[common], help="create a space")
    p.add_argument("slug")
    p.add_argument("--title", required=True)
    p.add_argument("--member", action="append", default=[], dest="members")
    p.add_argument("--admin", action="append", default=[], dest="admins")
    p.set_defaults(run=run_space_create)
    p = space.add_parser("add-member", parents=[common], help="add a member (again: change the mode)")
    p.add_argument("slug")
    p.add_argument("email")
    p.add_argument("--mode", choices=DELIVERY_MODES, default=None)
    p.set_defaults(run=run_space_add_member)
    p = space.add_parser("list", parents=[common], help="every space: state, members, organizations, admins")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_space_list)
    p = space.add_parser("remove-member", parents=[common], help="take a member out of a space")
    p.add_argument("slug")
    p.add_argument("email")
    p.set_defaults(run=run_space_remove_member)
    p = space.add_parser("set-admin", parents=[common], help="make a member space admin (--off: unmake)")
    p.add_argument("slug")
    p.add_argument("email")
    p.add_argument("--off", action="store_true")
    p.set_defaults(run=run_space_set_admin)
    p = space.add_parser("close", parents=[common], help="close a space: readable, but no new posts or mail")
    p.add_argument("slug")
    p.set_defaults(run=run_space_close, closed=True)
    p = space.add_parser("reopen", parents=[common], help="reopen a closed space")
    p.add_argument("slug")
    p.set_defaults(run=run_space_close, closed=False)


async def run_space_create(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await create_space_by(ctx.db, SYSTEM, slug=args.slug, title=args.title, members=args.members,
                                      admins=args.admins, min_orgs=ctx.settings.min_space_orgs)
        print(f"space {space.slug} created: mail to {space.address(ctx.settings.domain)}")
    return 0


async def run_space_add_member(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await space_by_slug(ctx.db, args.slug)
        member = await get_member_by_address(ctx.db, args.email)
        if await get_membership(ctx.db, space.id, member.id) is None:
            await add_members(ctx.db, SYSTEM, space, [args.email], mode=args.mode or "digest")
        elif args.mode:
            await set_mode(ctx.db, SYSTEM, space, member, args.mode)
        membership = await get_membership(ctx.db, space.id, member.id)
    print(f"{args.email} in {args.slug}: mode {membership.mode}")
    return 0


async def run_space_list(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        lines = await space_lines(ctx.db)
    if args.json:
        print(json.dumps({"spaces": [line.document() for line in lines]}, ensure_ascii=False))
        return 0
    for line in lines:
        print(f"{line.slug}\t{line.state}\t{line.members} members\t{','.join(line.orgs)}\t"
              f"{','.join(line.admins) or '-'}\t{line.title}")
    return 0


async def run_space_remove_member(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await space_by_slug(ctx.db, args.slug)
        member = await get_member_by_address(ctx.db, args.email)
        narrows = await narrowing(ctx.db, space, {member.id}, ctx.settings.min_space_orgs)
        await remove_member(ctx.db, SYSTEM, space, member)
    if narrows:
        print(f"warning: space {space.slug} now has members from fewer than {ctx.settings.min_space_orgs} "
              "organizations")
    print(f"{member.email} removed from {space.slug}")
    return 0


async def run_space_set_admin(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await space_by_slug(ctx.db, args.slug)
        member = await get_member_by_address(ctx.db, args.email)
        changed = await set_admin(ctx.db, SYSTEM, space, member, on=not args.off)
    what = "no longer an admin" if args.off else "an admin"
    print(f"{member.email} is {what} of {space.slug}" + ("" if changed else " (unchanged)"))
    return 0


async def run_space_close(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await space_by_slug(ctx.db, args.slug)
        changed = await set_closed(ctx.db, SYSTEM, space, args.closed)
    state = "closed" if args.closed else "open"
    print(f"space {space.slug} is {state}" + ("" if changed else " (unchanged)"))
    return 0
