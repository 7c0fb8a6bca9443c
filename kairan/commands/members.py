"""Member management from the shell: `kairan user list|set|deactivate|reactivate`, `kairan org list`.

Each acts as the system unless `--as EMAIL` names an admin; checks and audit entries are
archive.admin's (the web's pages use the same calls).
"""

from __future__ import annotations

import argparse
import json

from archive.admin import people, roles
from archive.admin.directory import departments_without_rep, sort_people
from archive.admin.directory import people as list_people
from archive.admin.organizations import summaries
from archive.members import get_member_by_address
from archive.orgs import get_org
from kairan.commands.acting import acting_member, add_as_option
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    org = group(sub, common, "org", "organizations")
    p = org.add_parser("list", parents=[common], help="organizations with their mail domains and member counts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_org_list)

    user = group(sub, common, "user", "members")
    p = user.add_parser("list", parents=[common], help="members (inactive included), departments without a representative")
    p.add_argument("--org", default=None, metavar="SLUG")
    p.add_argument("--json", action="store_true")
    add_as_option(p)
    p.set_defaults(run=run_user_list)

    p = user.add_parser("set", parents=[common], help="change a member's name, reading, department, addresses, flags")
    p.add_argument("email")
    p.add_argument("--name", default=None)
    p.add_argument("--reading", default=None, help="ふりがな")
    p.add_argument("--dept", default=None)
    p.add_argument("--add-address", action="append", default=[], dest="add_addresses", metavar="A")
    p.add_argument("--remove-address", action="append", default=[], dest="remove_addresses", metavar="A")
    p.add_argument("--primary", default=None, metavar="A", help="make this (existing) address the primary one")
    p.add_argument("--rep", action=argparse.BooleanOptionalAction, default=None, help="department representative")
    p.add_argument("--org-admin", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--admin", action=argparse.BooleanOptionalAction, default=None, help="system admin")
    add_as_option(p)
    p.set_defaults(run=run_user_set)

    for verb, active in (("deactivate", False), ("reactivate", True)):
        p = user.add_parser(verb, parents=[common], help=f"{verb} a member (sign-in, tokens, mail)")
        p.add_argument("email")
        add_as_option(p)
        p.set_defaults(run=run_set_active, active=active)


async def run_org_list(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        found = await summaries(ctx.db)
    if args.json:
        print(json.dumps({"orgs": [{"slug": s.org.slug, "name": s.org.name, "mail_domains": list(s.org.domains),
                                    "members": s.members} for s in found]}, ensure_ascii=False))
        return 0
    for s in found:
        print(f"{s.org.slug}\t{s.org.name}\t{' '.join(s.org.domains) or '-'}\t{s.members} members")
    return 0


async def run_user_list(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        org = await get_org(ctx.db, args.org) if args.org else None
        if by is not None and not roles.is_system_admin(by):
            roles.require(roles.is_org_admin(by), "only system admins and org admins may list members")
            org = org or await get_org(ctx.db, by.org_slug)
            roles.require(org.id == by.org_id, f"you may list only your own organization's members, not {org.name}'s")
        orgs = {s.org.id: s.org for s in await summaries(ctx.db)}
        found = sort_people(await list_people(ctx.db, org.id if org else None, active_only=False))
        found.sort(key=lambda p: (list(orgs).index(p.org_id), p.dept == "", p.dept))
        missing = await departments_without_rep(ctx.db, org.id if org else None)
    if args.json:
        print(json.dumps({"members": [person_document(p, orgs) for p in found],
                          "departments_without_rep": [{"org": orgs[o].slug, "dept": d} for o, d in missing]},
                         ensure_ascii=False))
        return 0
    for p in found:
        marks = "".join(m for m, on in (("課代表 ", p.is_rep), ("団体管理者 ", p.is_org_admin), ("総合管理者 ", p.is_admin),
                                        ("(無効) ", not p.active)) if on)
        print(f"{p.email}\t{p.name}\t{orgs[p.org_id].slug}\t{p.dept or '-'}\t{marks.strip()}")
    for o, d in missing:
        print(f"課代表なし: {orgs[o].slug} {d}")
    return 0


def person_document(p, orgs) -> dict:
    return {"email": p.email, "name": p.name, "reading": p.reading, "org": orgs[p.org_id].slug, "dept": p.dept,
            "addresses": list(p.addresses), "rep": p.is_rep, "org_admin": p.is_org_admin, "admin": p.is_admin,
            "active": p.active}


async def run_user_set(args) -> int:
    change = people.Change(name=args.name, reading=args.reading, dept=args.dept,
                           add_addresses=tuple(args.add_addresses), remove_addresses=tuple(args.remove_addresses),
                           primary=args.primary, rep=args.rep, org_admin=args.org_admin, admin=args.admin)
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        before = await people.facts_of(ctx.db, await get_member_by_address(ctx.db, args.email))
        member = await people.change(ctx.db, by, args.email, change)
        after = await people.facts_of(ctx.db, member)
    diff = people.difference(before, after)
    if not diff["after"]:
        print(f"member {member.email}: nothing to change")
    else:
        print(f"member {member.email} changed: " + ", ".join(
            f"{k} {json.dumps(diff['before'][k], ensure_ascii=False)} → {json.dumps(v, ensure_ascii=False)}"
            for k, v in diff["after"].items()))
    return 0


async def run_set_active(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        member, changed = await people.set_active(ctx.db, by, args.email, args.active)
    state = "reactivated" if args.active else "deactivated"
    print(f"member {member.email} {state}" if changed else f"member {member.email} is {'active' if args.active else 'deactivated'} already")
    return 0
