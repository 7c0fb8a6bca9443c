"""The directory (archive.admin.directory) as the space forms show it: organization → department →
people, representatives (課代表) marked, those already in the space left out.

Without JavaScript it is nested <details> with checkboxes; spaces.js adds a name filter and a
count of the people and organizations chosen, so the ≥ 2-organizations rule is visible before
submitting.
"""

from __future__ import annotations

from dataclasses import replace

from archive.admin.directory import OrgGroup, directory
from archive.db import Database
from archive.orgs import list_orgs


async def directory_groups(db: Database, exclude: set[int] = frozenset()) -> list[OrgGroup]:
    """Active members not in `exclude`, in the directory's order; empty groups dropped."""
    groups = []
    for org in await directory(db, await list_orgs(db)):
        departments = tuple(replace(d, people=tuple(p for p in d.people if p.id not in exclude))
                            for d in org.departments)
        departments = tuple(d for d in departments if d.people)
        if departments:
            groups.append(replace(org, departments=departments))
    return groups


def chosen_addresses(form) -> list[str]:
    """The checked people and the pasted addresses (one per line, or separated by commas, spaces, ;)."""
    picked = [str(v) for v in form.getlist("members") if str(v).strip()]
    pasted = str(form.get("addresses") or "")
    for sep in ",;、，\t\r":
        pasted = pasted.replace(sep, "\n")
    more = [part.strip().strip("<>") for line in pasted.split("\n") for part in line.split(" ") if part.strip()]
    return list(dict.fromkeys(a.lower() for a in picked + more))
