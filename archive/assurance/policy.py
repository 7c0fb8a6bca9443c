"""Sender assurance policy per organization (set by system admins, audited) and its vocabulary.

The policy says which networks are the organization's mail servers, whether its mail is
DKIM-signed, and what to do with mail that can't be shown to come from it. The gateway
reads it for every message; `kairan org set` and /admin/assurance change it.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass

from archive.admin.audit import Actor, record
from archive.clock import to_iso
from archive.db import Database
from archive.errors import Invalid, NotFound
from archive.members import find_member_by_address

LEVELS = ("none", "mark", "require")
DKIM_MODES = ("optional", "expected")
METHODS = ("relay", "dkim", "spf", "upstream", "none")
WEB = "web"                     # a post written on the web by a signed-in member
AUDIT_ACTION = "org.policy"
HELP_PATH = "/help/sender"      # the web page a refusal links to: why, and what to do


@dataclass(frozen=True)
class OrgPolicy:
    relays: tuple[str, ...] = ()
    dkim: str = "optional"
    level: str = "none"

    def as_dict(self) -> dict:
        return {"relays": list(self.relays), "dkim": self.dkim, "assurance": self.level}


@dataclass(frozen=True)
class SenderOrg:
    """The organization of a From address, with what the checks need to know of it."""
    slug: str
    name: str
    domains: tuple[str, ...]
    policy: OrgPolicy


def parse_relay(text: str) -> str:
    """A CIDR (or one address) as stored; a network with host bits set is a typo, said so."""
    text = text.strip()
    try:
        return str(ipaddress.ip_network(text, strict=True))
    except ValueError:
        try:
            fixed = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise Invalid(f"relay {text!r} is not an address or network: write e.g. 192.0.2.0/24 or 192.0.2.25")
        raise Invalid(f"relay {text!r} has host bits set: did you mean {fixed}?")


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise Invalid(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


async def _org_row(db, slug: str):
    row = await db.fetchone("SELECT id, slug, name FROM orgs WHERE slug = ?", (slug.strip().lower(),))
    if row is None:
        raise NotFound(f"no organization {slug!r}: check the slug ('kairan org add SLUG --name NAME' creates one)")
    return row


async def _policy(db, org_id: int) -> OrgPolicy:
    row = await db.fetchone("SELECT relays, dkim, level FROM org_assurance WHERE org_id = ?", (org_id,))
    if row is None:
        return OrgPolicy()
    return OrgPolicy(tuple(json.loads(row["relays"])), row["dkim"], row["level"])


async def get_policy(db: Database, slug: str) -> OrgPolicy:
    return await _policy(db, (await _org_row(db, slug))["id"])


async def list_policies(db: Database) -> list[tuple[str, str, OrgPolicy]]:
    """(slug, name, policy) of every organization, by slug."""
    rows = await db.fetchall("""SELECT o.slug, o.name, a.relays, a.dkim, a.level FROM orgs o
                                LEFT JOIN org_assurance a ON a.org_id = o.id ORDER BY o.slug""")
    return [(r["slug"], r["name"], OrgPolicy(tuple(json.loads(r["relays"])), r["dkim"], r["level"])
             if r["dkim"] else OrgPolicy()) for r in rows]


async def set_policy(db: Database, slug: str, actor: Actor, *, relays: list[str] | None = None,
                     dkim: str | None = None, level: str | None = None) -> OrgPolicy:
    """Change what is given (relays: the new list, [] for none); audited in the same transaction."""
    new_relays = None if relays is None else tuple(dict.fromkeys(parse_relay(r) for r in relays))
    if dkim is not None:
        check_choice(dkim, DKIM_MODES, "DKIM setting")
    if level is not None:
        check_choice(level, LEVELS, "assurance level")
    async with db.write() as tx:
        org = await _org_row(tx, slug)
        before = await _policy(tx, org["id"])
        after = OrgPolicy(before.relays if new_relays is None else new_relays, dkim or before.dkim,
                          level or before.level)
        await tx.execute(
            """INSERT INTO org_assurance (org_id, relays, dkim, level, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (org_id) DO UPDATE SET relays = excluded.relays, dkim = excluded.dkim,
               level = excluded.level, updated_at = excluded.updated_at""",
            (org["id"], json.dumps(list(after.relays)), after.dkim, after.level, to_iso(db.clock())))
        await record(tx, actor, AUDIT_ACTION, f"org:{org['slug']}",
                     {"before": before.as_dict(), "after": after.as_dict()})
    return after


async def sender_org(db: Database, address: str) -> SenderOrg | None:
    """The organization of the member who owns this address (None: no such member)."""
    member = await find_member_by_address(db, address) if address else None
    if member is None:
        return None
    domains = await db.fetchall("SELECT domain FROM org_domains WHERE org_id = ? ORDER BY domain", (member.org_id,))
    return SenderOrg(member.org_slug, member.org_name, tuple(d["domain"] for d in domains),
                     await _policy(db, member.org_id))


def evidence_of(text: str) -> dict:
    """A post's stored evidence (JSON object); {} for none or a damaged value."""
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def is_marked(method: str, evidence: dict) -> bool:
    """Shown as 「送信元未確認」: unverified mail from an organization whose policy marks (or requires)."""
    return method == "none" and evidence.get("policy") in ("mark", "require")
