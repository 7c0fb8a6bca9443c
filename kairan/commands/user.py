"""Members: `kairan user …`."""

from __future__ import annotations

import asyncio
import sys

from archive.errors import Invalid
from archive.admin import people
from archive.passwords import hash_password
from kairan.commands.acting import acting_member, add_as_option
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
    p.add_argument("--reading", default="", help="ふりがな")
    p.add_argument("--rep", action="store_true", help="the department's representative (課代表)")
    p.add_argument("--org-admin", action="store_true")
    p.add_argument("--admin", action="store_true")
    add_as_option(p)
    p.set_defaults(run=run_user_add)
    p = user.add_parser("passwd", parents=[common], help="set a password, read from stdin")
    p.add_argument("email")
    add_as_option(p)
    p.set_defaults(run=run_user_passwd)


async def run_user_add(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        member = await people.add(ctx.db, by, people.NewMember(args.email, args.name, args.org, args.dept, args.reading,
                                                               args.rep, args.org_admin, args.admin))
    print(f"member {member.email} ({member.name}, {member.org_name}) added")
    return 0


async def run_user_passwd(args) -> int:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise Invalid("no password on stdin: pipe it in, e.g. echo 'NEW PASSWORD' | kairan user passwd EMAIL")
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        password_hash = await asyncio.to_thread(hash_password, password)
        member = await people.set_password(ctx.db, by, args.email, password_hash)
    print(f"password of {member.email} set")
    return 0
