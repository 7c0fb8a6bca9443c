"""Organizations (団体): the prefecture and each municipality."""

from __future__ import annotations

import re

from archive.clock import to_iso
from archive.db import Database
from archive.errors import Conflict, Invalid, NotFound
from archive.models import Org

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def check_slug(slug: str, what: str) -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise Invalid(f"{what} slug {slug!r} is not valid: use lowercase letters, digits and '-' "
                      "(up to 63, starting with a letter or digit)")
    return slug


async def add_org(db: Database, slug: str, name: str, domains: list[str] = ()) -> Org:
    slug = check_slug(slug, "organization")
    if not name.strip():
        raise Invalid("an organization needs a name: pass --name")
    async with db.write() as conn:
        if await conn.execute_fetchall("SELECT 1 FROM orgs WHERE slug = ?", (slug,)):
            raise Conflict(f"organization {slug!r} exists already")
        cur = await conn.execute("INSERT INTO orgs (slug, name, created_at) VALUES (?, ?, ?)",
                                 (slug, name.strip(), to_iso(db.clock())))
        org_id = cur.lastrowid
        for domain in domains:
            domain = domain.strip().lower()
            taken = await conn.execute_fetchall("SELECT org_id FROM org_domains WHERE domain = ?", (domain,))
            if taken:
                raise Conflict(f"mail domain {domain!r} belongs to another organization already")
            await conn.execute("INSERT INTO org_domains (domain, org_id) VALUES (?, ?)", (domain, org_id))
    return await get_org(db, slug)


async def get_org(db: Database, slug: str) -> Org:
    row = await db.fetchone("SELECT * FROM orgs WHERE slug = ?", (slug.strip().lower(),))
    if row is None:
        raise NotFound(f"no organization {slug!r}: create it with 'kairan org add {slug} --name NAME'")
    domains = await db.fetchall("SELECT domain FROM org_domains WHERE org_id = ? ORDER BY domain", (row["id"],))
    return Org(row["id"], row["slug"], row["name"], tuple(d["domain"] for d in domains))


async def list_orgs(db: Database) -> list[Org]:
    rows = await db.fetchall("SELECT * FROM orgs ORDER BY slug")
    return [Org(r["id"], r["slug"], r["name"]) for r in rows]
