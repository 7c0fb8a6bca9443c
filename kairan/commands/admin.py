"""Organizations, users and spaces: `kairan org|user|space ...`."""

from __future__ import annotations

import asyncio
import sys

from archive.errors import Invalid
from archive.members import get_member_by_address, set_password_hash
from archive.models import DELIVERY_MODES
from archive.orgs import add_org
from archive.members import add_member
from archive.passwords import hash_password
from archive.spaces import create_space, set_membership
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    org = sub.add_parser("org", parents=[common], help="organizations").add_subparsers(dest="action", metavar="ACTION")
    org.required = True
    p = org.add_parser("add", parents=[common], help="add an organization")
    p.add_argument("slug")
    p.add_argument("--name", required=True)
    p.add_argument("--mail-domain", action="append", default=[], dest="mail_domains")
    p.set_defaults(run=run_org_add)

    user = sub.add_parser("user", parents=[common], help="members").add_subparsers(dest="action", metavar="ACTION")
    user.required = True
    p = user.add_parser("add", parents=[common], help="add a member")
    p.add_argument("email")
    p.add_argument("--name", required=True)
    p.add_argument("--org", required=True)
    p.add_argument("--dept", default="")
    p.add_argument("--org-admin", action="store_true")
    p.add_argument("--admin", action="store_true")
    p.set_defaults(run=run_user_add)
    p = user.add_parser("passwd", parents=[common], help="set a password, read from stdin")
    p.add_argument("email")
    p.set_defaults(run=run_user_passwd)

    space = sub.add_parser("space", parents=[common], help="spaces").add_subparsers(dest="action", metavar="ACTION")
    space.required = True
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


async def run_org_add(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        org = await add_org(ctx.db, args.slug, args.name, args.mail_domains)
    print(f"organization {org.slug} ({org.name}) added")
    return 0


async def run_user_add(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        member = await add_member(ctx.db, args.email, args.name, args.org, args.dept, args.org_admin, args.admin)
    print(f"member {member.email} ({member.name}, {member.org_name}) added")
    return 0


async def run_user_passwd(args) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise Invalid("no password on stdin: pipe it in, e.g. echo 'NEW PASSWORD' | kairan user passwd EMAIL")
    async with open_context(data_dir_from(args.data)) as ctx:
        member = await get_member_by_address(ctx.db, args.email)
        password_hash = await asyncio.to_thread(hash_password, password)
        await set_password_hash(ctx.db, member.id, password_hash)
    print(f"password of {member.email} set")
    return 0


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
