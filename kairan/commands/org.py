"""Organizations: `kairan org …`."""

from __future__ import annotations

from archive.admin import organizations
from archive.errors import Invalid
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
    p = org.add_parser("change", parents=[common], help="rename an organization or replace its mail domains")
    p.add_argument("slug")
    p.add_argument("--name", default=None)
    p.add_argument("--mail-domain", action="append", default=None, dest="mail_domains",
                   help="the whole list of its mail domains (repeat for each)")
    add_as_option(p)
    p.set_defaults(run=run_org_change)


async def run_org_add(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        org = await organizations.add(ctx.db, by, args.slug, args.name, args.mail_domains)
    print(f"organization {org.slug} ({org.name}) added")
    return 0


async def run_org_change(args) -> int:
    if args.name is None and args.mail_domains is None:
        raise Invalid("nothing to change: give --name NAME and/or --mail-domain DOMAIN (repeat for each)")
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        org = await organizations.change(ctx.db, by, args.slug, args.name, args.mail_domains)
    print(f"organization {org.slug} ({org.name}): mail domains {', '.join(org.domains) or 'none'}")
    return 0
