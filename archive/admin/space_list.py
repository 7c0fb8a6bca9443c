"""Every space at a glance, for administrators: state, how many members, from which organizations, who runs it.

Counts only active members (a deactivated member reads nothing). No content of any space.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Database


@dataclass(frozen=True)
class SpaceLine:
    slug: str
    title: str
    state: str
    members: int
    orgs: tuple[str, ...]
    admins: tuple[str, ...]

    def document(self) -> dict:
        return {"slug": self.slug, "title": self.title, "state": self.state, "members": self.members,
                "orgs": list(self.orgs), "admins": list(self.admins)}


async def space_lines(db: Database) -> list[SpaceLine]:
    """By slug. `orgs` are organization slugs, `admins` primary addresses."""
    spaces = await db.fetchall("SELECT id, slug, title, state FROM spaces ORDER BY slug")
    rows = await db.fetchall(
        """SELECT ms.space_id, ms.role, o.slug AS org, (SELECT address FROM member_addresses a
               WHERE a.member_id = m.id ORDER BY a.is_primary DESC, a.address LIMIT 1) AS email
           FROM memberships ms JOIN members m ON m.id = ms.member_id AND m.active = 1
           JOIN orgs o ON o.id = m.org_id ORDER BY o.slug""")
    people: dict[int, list] = {}
    for row in rows:
        people.setdefault(row["space_id"], []).append(row)
    out = []
    for s in spaces:
        mine = people.get(s["id"], [])
        out.append(SpaceLine(s["slug"], s["title"], s["state"], len(mine), tuple(dict.fromkeys(r["org"] for r in mine)),
                             tuple(sorted(r["email"] for r in mine if r["role"] == "admin"))))
    return out
