"""Members: `kairan user …`."""

from __future__ import annotations

import asyncio
import sys

from archive.errors import Invalid
from archive.members import add_member, get_member_by_address, set_password_hash
from archive.passwords import hash_password
from archive.admin.audit import SYSTEM
from archive.moves.succession import deactivate_with_successor
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    user = group(sub, common, "user", "members")
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
    p = user.add_parser("deactivate", parents=[common], help="deactivate a member (--successor: who takes over)")
    p.add_argument("email")
    p.add_argument("--successor", default=None, metavar="EMAIL2",
                   help="give this member every space of the leaver they lack (same mode and role)")
    p.set_defaults(run=run_user_deactivate)


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


async def run_user_deactivate(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        member = await get_member_by_address(ctx.db, args.email)
        if not member.active:
            raise Invalid(f"{member.email} is deactivated already: nothing to do")
        successor = await get_member_by_address(ctx.db, args.successor) if args.successor else None
        moved = await deactivate_with_successor(ctx.db, SYSTEM, member, successor)
    print(f"member {member.email} deactivated" + (f"; {successor.email} took over {len(moved)} space(s)"
                                                  if successor else ""))
    return 0
