"""The member CSV export: the import's columns, UTF-8 with BOM, active members in directory order,
so that importing the file again changes nothing. An export is recorded (member.export): it is
the staff list leaving the system."""

from __future__ import annotations

from archive.admin.audit import record
from archive.admin.csvfile import write_rows
from archive.admin.importing import load_state, scope_of
from archive.admin.kana import person_key
from archive.admin.people import acting
from archive.db import Database
from archive.models import Member


async def export(db: Database, by: Member | None, org: str | None = None, client: str = "") -> tuple[bytes, int]:
    """(the CSV bytes, how many members); an org admin exports their own organization only."""
    state = await load_state(db)
    scope = scope_of(state, by, org, "export")
    slugs = {o.id: o.slug for o in state.orgs}
    order = {o.id: i for i, o in enumerate(state.orgs)}
    chosen = [k for k in state.members.values() if k.facts.active and (scope is None or k.org_id == scope.id)]
    chosen.sort(key=lambda k: (order[k.org_id], k.facts.dept == "", k.facts.dept,
                               person_key(k.facts.reading, k.facts.name), k.id))
    records = [{"email": k.primary, "name": k.facts.name, "reading": k.facts.reading, "org": slugs[k.org_id],
                "dept": k.facts.dept, "rep": k.facts.rep, "org_admin": k.facts.org_admin} for k in chosen]
    async with db.write() as tx:
        await record(tx, acting(by, client), "member.export", f"org:{scope.slug}" if scope else "members",
                     {"members": len(records)}, org_id=scope.id if scope else None)
    return write_rows(records), len(records)
