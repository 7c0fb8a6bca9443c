"""Spaces: `kairan space …`."""

from __future__ import annotations

from archive.models import DELIVERY_MODES
from archive.spaces import create_space, set_membership
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


async def run_space_create(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await create_space(ctx.db, args.slug, args.title, args.members, args.admins,
                                   min_orgs=ctx.settings.min_space_orgs)
        print(f"space {space.slug} created: mail to {space.address(ctx.settings.domain)}")
    return 0


async def run_space_add_member(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        membership = await set_membership(ctx.db, args.slug, args.email, mode=args.mode)
    print(f"{args.email} in {args.slug}: mode {membership.mode}")
    return 0
