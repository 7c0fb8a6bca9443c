"""Organizations: `kairan org …`."""

from __future__ import annotations

from archive.admin import organizations
from kairan.commands.acting import acting_member, add_as_option
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    org = group(sub, common, "org", "organizations")
    p = org.add_parser("add", parents=[common], help="add an organization")
    p.add_argument("slug")
    p.add_argument("--name", required=True)
    p.add_argument("--mail-domain", action="append", default=[], dest="mail_domains")
    add_as_option(p)
    p.set_defaults(run=run_org_add)


async def run_org_add(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        org = await organizations.add(ctx.db, by, args.slug, args.name, args.mail_domains)
    print(f"organization {org.slug} ({org.name}) added")
    return 0
