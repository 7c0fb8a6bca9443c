"""The directory as the space forms show it: organization → department → people, representatives marked.

Without JavaScript it is nested <details> with checkboxes; spaces.js adds a name filter and a
count of the people and organizations chosen, so the ≥ 2-organizations rule is visible before
submitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from archive.db import Database
from archive.members import list_members
from archive.models import Member


@dataclass(frozen=True)
class Dept:
    name: str
    people: tuple[Member, ...]


@dataclass(frozen=True)
class OrgGroup:
    slug: str
    name: str
    depts: tuple[Dept, ...]

    @property
    def size(self) -> int:
        return sum(len(d.people) for d in self.depts)


def is_representative(member: Member) -> bool:
    return member.is_rep


async def directory_groups(db: Database, exclude: set[int] = frozenset()) -> list[OrgGroup]:
    """Active members not in `exclude`, by organization, then department, then name."""
    people = [m for m in await list_members(db) if m.active and m.id not in exclude]
    groups = []
    for (slug, name), members in groupby(people, key=lambda m: (m.org_slug, m.org_name)):
        by_dept = sorted(members, key=lambda m: (m.dept or "\uffff", not is_representative(m), m.name))
        depts = tuple(Dept(dept, tuple(ms)) for dept, ms in groupby(by_dept, key=lambda m: m.dept))
        groups.append(OrgGroup(slug, name, depts))
    return groups


def chosen_addresses(form) -> list[str]:
    """The checked people and the pasted addresses (one per line, or separated by commas, spaces, ;)."""
    picked = [str(v) for v in form.getlist("members") if str(v).strip()]
    pasted = str(form.get("addresses") or "")
    for sep in ",;、，\t\r":
        pasted = pasted.replace(sep, "\n")
    more = [part.strip().strip("<>") for line in pasted.split("\n") for part in line.split(" ") if part.strip()]
    return list(dict.fromkeys(a.lower() for a in picked + more))
