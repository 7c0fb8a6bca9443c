"""`kairan org set SLUG`: an organization's sender-assurance policy (audited as done by "system")."""

from __future__ import annotations

from archive.admin.audit import SYSTEM
from archive.assurance.policy import DKIM_MODES, LEVELS, OrgPolicy, set_policy
from archive.errors import Invalid
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    org = group(sub, common, "org", "organizations")
    p = org.add_parser("set", parents=[common], help="set an organization's sender-assurance policy")
    p.add_argument("slug")
    p.add_argument("--relay", action="append", default=None, dest="relays", metavar="CIDR",
                   help="a network of the organization's mail servers (again for more; replaces the list)")
    p.add_argument("--no-relays", action="store_true", help="the organization has no trusted relays")
    p.add_argument("--dkim", choices=DKIM_MODES, help="whether its mail is DKIM-signed")
    p.add_argument("--assurance", choices=LEVELS,
                   help="unverified mail: none (record only), mark (accept, mark), require (refuse)")
    p.set_defaults(run=run_org_set)


def describe(slug: str, policy: OrgPolicy) -> str:
    relays = ", ".join(policy.relays) or "none"
    return f"organization {slug}: relays {relays}; dkim {policy.dkim}; assurance {policy.level}"


async def run_org_set(args) -> int:
    if args.relays is not None and args.no_relays:
        raise Invalid("--relay and --no-relays contradict each other: give one of them")
    if args.relays is None and not args.no_relays and args.dkim is None and args.assurance is None:
        raise Invalid("nothing to set: give --relay CIDR, --no-relays, --dkim or --assurance")
    relays = [] if args.no_relays else args.relays
    async with open_context(data_dir_from(args.data)) as ctx:
        policy = await set_policy(ctx.db, args.slug, SYSTEM, relays=relays, dkim=args.dkim, level=args.assurance)
    print(describe(args.slug.strip().lower(), policy))
    return 0
