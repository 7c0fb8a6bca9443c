"""職員名簿: organizations → departments → people, for every signed-in member to find and pick.

Active members only. Organizations in the order they were registered (the prefecture first, as
it is set up), departments by name, people by reading (kana.person_key). Departments without a
representative are what the rule of representatives asks about (課代表ユーザー: at least one per
department, so that any business can start at once).
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.admin.kana import haystack, matches, person_key, query_words
from archive.db import Database

NO_DEPT = ""


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    reading: str
    email: str
    addresses: tuple[str, ...]
    org_id: int
    dept: str
    is_rep: bool
    is_org_admin: bool
    is_admin: bool
    active: bool


@dataclass(frozen=True)
class Department:
    name: str
    people: tuple[Person, ...]

    @property
    def has_rep(self) -> bool:
        return any(p.is_rep and p.active for p in self.people)


@dataclass(frozen=True)
class OrgGroup:
    id: int
    slug: str
    name: str
    departments: tuple[Department, ...]

    @property
    def count(self) -> int:
        return sum(len(d.people) for d in self.departments)

    @property
    def without_rep(self) -> list[str]:
        return [d.name for d in self.departments if d.name != NO_DEPT and not d.has_rep]


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_WORD = """(REPLACE(m.name, ' ', '') LIKE ? ESCAPE '\\' OR REPLACE(m.reading, ' ', '') LIKE ? ESCAPE '\\'
            OR REPLACE(m.dept, ' ', '') LIKE ? ESCAPE '\\'
            OR m.id IN (SELECT member_id FROM member_addresses WHERE address LIKE ? ESCAPE '\\'))"""


async def people(db: Database, org_id: int | None = None, active_only: bool = True,
                 words: list[str] = ()) -> list[Person]:
    """Members (of one organization, or all) with their addresses, the primary first: two plain queries.
    `words` (folded query words) narrow them in SQL first; `search` then decides exactly."""
    clauses, params = [], []
    if org_id is not None:
        clauses.append("m.org_id = ?")
        params.append(org_id)
    if active_only:
        clauses.append("m.active = 1")
    for word in words:
        clauses.append(_WORD)
        params += [_like(word)] * 4
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    addresses: dict[int, list[str]] = {}
    for r in await db.fetchall(f"""SELECT a.member_id, a.address FROM member_addresses a
                                   JOIN members m ON m.id = a.member_id {where}
                                   ORDER BY a.member_id, a.is_primary DESC, a.address""", tuple(params)):
        addresses.setdefault(r["member_id"], []).append(r["address"])
    found = []
    for r in await db.fetchall(f"""SELECT m.id, m.name, m.reading, m.org_id, m.dept, m.is_rep, m.is_org_admin,
                                          m.is_admin, m.active FROM members m {where}""", tuple(params)):
        own = tuple(addresses.get(r["id"], ()))
        found.append(Person(r["id"], r["name"], r["reading"], own[0] if own else "", own, r["org_id"], r["dept"],
                            bool(r["is_rep"]), bool(r["is_org_admin"]), bool(r["is_admin"]), bool(r["active"])))
    return found


def sort_people(found: list[Person]) -> list[Person]:
    return sorted(found, key=lambda p: (person_key(p.reading, p.name), p.id))


def group(orgs: list, found: list[Person]) -> list[OrgGroup]:
    """Orgs (in the given order) with their departments by name; a department '' (none) comes last."""
    by_org: dict[int, dict[str, list[Person]]] = {}
    for person in sort_people(found):
        by_org.setdefault(person.org_id, {}).setdefault(person.dept, []).append(person)
    groups = []
    for org in orgs:
        depts = by_org.get(org.id, {})
        names = sorted(depts, key=lambda d: (d == NO_DEPT, d))
        groups.append(OrgGroup(org.id, org.slug, org.name, tuple(Department(n, tuple(depts[n])) for n in names)))
    return groups


def search(found: list[Person], query: str) -> list[Person]:
    """People whose name, reading, department or any address has every word of the query."""
    words = query_words(query)
    if not words:
        return found
    return [p for p in found if matches(words, haystack(p.name, p.reading, p.dept, *p.addresses))]


async def directory(db: Database, orgs: list, query: str = "", org_id: int | None = None,
                    active_only: bool = True) -> list[OrgGroup]:
    """The directory for `orgs` (all of them, or the one asked for), filtered by the query."""
    found = search(await people(db, org_id, active_only, query_words(query)), query)
    shown = [o for o in orgs if org_id is None or o.id == org_id]
    return group(shown, found)


async def departments_without_rep(db: Database, org_id: int | None = None) -> list[tuple[int, str]]:
    """(org id, department) for each named department of active members with no active representative."""
    where = "AND org_id = ?" if org_id is not None else ""
    rows = await db.fetchall(
        f"""SELECT org_id, dept FROM members WHERE active = 1 AND dept != '' {where}
            GROUP BY org_id, dept HAVING MAX(is_rep) = 0 ORDER BY org_id, dept""",
        (org_id,) if org_id is not None else ())
    return [(r["org_id"], r["dept"]) for r in rows]
