"""Organizations as a system admin manages them: add, rename, mail domains, a list with counts."""

from __future__ import annotations

from dataclasses import dataclass

from archive.admin import roles
from archive.admin.audit import record
from archive.admin.people import acting, allowed, clean_text
from archive.clock import to_iso
from archive.db import Database
from archive.errors import Conflict, Invalid
from archive.models import Member, Org
from archive.orgs import check_slug, get_org

DOMAIN_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


@dataclass(frozen=True)
class OrgSummary:
    org: Org
    members: int            # active members
    inactive: int


def check_domain(domain: str) -> str:
    domain = domain.strip().lower().lstrip("@")
    if "." not in domain or not set(domain) <= DOMAIN_CHARS or len(domain) > 253:
        raise Invalid(f"{domain!r} is not a mail domain (for example city.aoba.lg.jp)")
    return domain


async def add(db: Database, by: Member | None, slug: str, name: str, domains: list[str] = (),
              client: str = "") -> Org:
    """org.add (system admins only)."""
    roles.require(allowed(by, roles.can_manage_orgs(by)), "only a system admin may add organizations")
    slug = check_slug(slug, "organization")
    name = clean_text(name, "name", required=True)
    domains = [check_domain(d) for d in domains]
    async with db.write() as tx:
        if await tx.fetchval("SELECT 1 FROM orgs WHERE slug = ?", (slug,)):
            raise Conflict(f"organization {slug!r} exists already")
        cur = await tx.execute("INSERT INTO orgs (slug, name, created_at) VALUES (?, ?, ?)",
                               (slug, name, to_iso(db.clock())))
        for domain in domains:
            if await tx.fetchval("SELECT 1 FROM org_domains WHERE domain = ?", (domain,)):
                raise Conflict(f"mail domain {domain!r} belongs to another organization already")
            await tx.execute("INSERT INTO org_domains (domain, org_id) VALUES (?, ?)", (domain, cur.lastrowid))
        await record(tx, acting(by, client), "org.add", f"org:{slug}",
                     {"after": {"name": name, "mail_domains": domains}}, org_id=cur.lastrowid)
    return await get_org(db, slug)


async def change(db: Database, by: Member | None, slug: str, name: str | None = None,
                 domains: list[str] | None = None, client: str = "") -> Org:
    """org.change: a new name and/or the whole list of mail domains (system admins only)."""
    roles.require(allowed(by, roles.can_manage_orgs(by)), "only a system admin may change organizations")
    org = await get_org(db, slug)
    new_name = org.name if name is None else clean_text(name, "name", required=True)
    new_domains = list(org.domains) if domains is None else sorted({check_domain(d) for d in domains if d.strip()})
    before = {"name": org.name, "mail_domains": list(org.domains)}
    after = {"name": new_name, "mail_domains": new_domains}
    if before == after:
        return org
    async with db.write() as tx:
        for domain in new_domains:
            owner = await tx.fetchval("SELECT org_id FROM org_domains WHERE domain = ?", (domain,))
            if owner is not None and owner != org.id:
                raise Conflict(f"mail domain {domain!r} belongs to another organization already")
        await tx.execute("UPDATE orgs SET name = ? WHERE id = ?", (new_name, org.id))
        await tx.execute("DELETE FROM org_domains WHERE org_id = ?", (org.id,))
        await tx.executemany("INSERT INTO org_domains (domain, org_id) VALUES (?, ?)",
                             [(d, org.id) for d in new_domains])
        keys = [k for k in before if before[k] != after[k]]
        await record(tx, acting(by, client), "org.change", f"org:{org.slug}",
                     {"before": {k: before[k] for k in keys}, "after": {k: after[k] for k in keys}}, org_id=org.id)
    return await get_org(db, slug)


async def summaries(db: Database) -> list[OrgSummary]:
    """Every organization in registration order, with its domains and member counts."""
    rows = await db.fetchall(
        """SELECT o.*, (SELECT group_concat(domain, ' ') FROM (SELECT domain FROM org_domains d
                          WHERE d.org_id = o.id ORDER BY domain)) AS domains,
                  (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND m.active = 1) AS members,
                  (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND m.active = 0) AS inactive
           FROM orgs o ORDER BY o.id""")
    return [OrgSummary(Org(r["id"], r["slug"], r["name"], tuple((r["domains"] or "").split())),
                       r["members"], r["inactive"]) for r in rows]


async def orgs_in_order(db: Database) -> list[Org]:
    return [s.org for s in await summaries(db)]
