"""Bulk registration by CSV: a plan first (the preview), then an all-or-nothing apply.

The plan says, per line, what would be added, changed, left alone or refused (and why); with
`deactivate_missing` it also lists the active members of the organizations in scope whom the
file lacks — nobody is deactivated otherwise. Apply re-plans inside its write transaction and
writes nothing if any line is refused; re-importing the same file changes nothing. The import is
one audit entry (member.import) with its summary and each member's changed fields.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

from archive.admin import roles
from archive.admin.audit import record
from archive.admin.csvfile import FLAGS, Row, parse_flag, read_rows
from archive.admin.kana import normalize_reading
from archive.admin.people import Facts, acting, clean_text, difference
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import ArchiveError, Invalid
from archive.members import normalize_address
from archive.models import Member, Org

COLUMN_NAMES = {"name": "氏名 (name)", "reading": "ふりがな (reading)", "dept": "所属 (dept)",
                "rep": "課代表 (rep)", "org_admin": "団体管理者 (org_admin)"}


@dataclass(frozen=True)
class Known:
    """One existing member, as the plan compares against."""
    id: int
    org_id: int
    facts: Facts
    primary: str


@dataclass
class State:
    orgs: list[Org]
    members: dict[int, Known]
    owners: dict[str, tuple[int, bool]]           # address → (member id, is primary)

    def find_org(self, text: str) -> Org | None:
        folded = unicodedata.normalize("NFKC", text).strip()
        for org in self.orgs:
            if org.slug == folded.lower() or unicodedata.normalize("NFKC", org.name) == folded:
                return org
        return None

    def org(self, org_id: int) -> Org:
        return next(o for o in self.orgs if o.id == org_id)


async def load_state(reader) -> State:
    orgs = [Org(r["id"], r["slug"], r["name"]) for r in await reader.fetchall("SELECT * FROM orgs ORDER BY id")]
    slugs = {o.id: o.slug for o in orgs}
    owners: dict[str, tuple[int, bool]] = {}
    addresses: dict[int, list[str]] = {}
    for r in await reader.fetchall("SELECT address, member_id, is_primary FROM member_addresses "
                                   "ORDER BY member_id, is_primary DESC, address"):
        owners[r["address"].lower()] = (r["member_id"], bool(r["is_primary"]))
        addresses.setdefault(r["member_id"], []).append(r["address"].lower())
    members = {}
    for r in await reader.fetchall("SELECT id, name, reading, org_id, dept, is_rep, is_org_admin, is_admin, active "
                                   "FROM members"):
        own = tuple(addresses.get(r["id"], ()))
        members[r["id"]] = Known(r["id"], r["org_id"], Facts(
            r["name"], r["reading"], slugs.get(r["org_id"], ""), r["dept"], own, bool(r["is_rep"]),
            bool(r["is_org_admin"]), bool(r["is_admin"]), bool(r["active"])), own[0] if own else "")
    return State(orgs, members, owners)


@dataclass(frozen=True)
class Line:
    line: int
    email: str
    status: str                       # add | change | same | refuse
    reason: str = ""
    before: Facts | None = None
    after: Facts | None = None
    member_id: int | None = None
    org_id: int | None = None
    code: str = ""                    # why refused, for a page to say in its language (REFUSALS)
    args: dict = field(default_factory=dict)

    @property
    def changes(self) -> dict[str, tuple]:
        """field → (before, after), for a changed line."""
        if self.before is None or self.after is None:
            return {}
        diff = difference(self.before, self.after)
        return {k: (diff["before"][k], v) for k, v in diff["after"].items()}


@dataclass
class Plan:
    lines: list[Line]
    deactivate: list[Known] = field(default_factory=list)
    scope: Org | None = None

    def having(self, status: str) -> list[Line]:
        return [line for line in self.lines if line.status == status]

    @property
    def refused(self) -> list[Line]:
        return self.having("refuse")

    def summary(self, dry_run: bool = False) -> str:
        n = [len(self.having("add")), len(self.having("change")), len(self.having("same")), len(self.deactivate)]
        if dry_run:
            return f"would add {n[0]}, change {n[1]}, unchanged {n[2]}, deactivate {n[3]}"
        return f"added {n[0]}, changed {n[1]}, unchanged {n[2]}, deactivated {n[3]}"


REFUSALS = ("bad_address", "unknown_org", "no_org", "other_org", "further_address", "member_elsewhere",
            "system_admin", "duplicate", "no_name", "bad_text", "bad_flag", "other")


class Refusal(Invalid):
    """Why one line can't be imported: a code (REFUSALS) with its values, and the English sentence."""

    def __init__(self, code: str, message: str, **args):
        super().__init__(message)
        self.code, self.args_ = code, args


class ImportRefused(Invalid):
    """Some lines can't be imported; nothing was applied."""

    def __init__(self, plan: Plan):
        self.plan = plan
        super().__init__("; ".join(f"line {line.line}: {line.reason}" for line in plan.refused[:5])
                         + (" …" if len(plan.refused) > 5 else "") + " (nothing was imported)")


def scope_of(state: State, by: Member | None, org_slug: str | None, verb: str = "import") -> Org | None:
    """The one organization this import may touch: --org, else an org admin's own; None: any (system)."""
    scope = None
    if org_slug:
        scope = state.find_org(org_slug)
        if scope is None:
            raise Invalid(f"no organization {org_slug!r}: see 'kairan org list'")
    if by is not None and not roles.is_system_admin(by):
        roles.require(roles.is_org_admin(by), f"only system admins and org admins may {verb} members")
        roles.require(scope is None or scope.id == by.org_id,
                      f"you may {verb} members only of your own organization, not of {scope.name if scope else ''}")
        scope = state.org(by.org_id)
    return scope


def plan_row(row: Row, state: State, by: Member | None, scope: Org | None) -> Line:
    values = row.values
    try:
        email = normalize_address(values.get("email", ""))
    except Invalid:
        return Line(row.line, values.get("email", ""), "refuse", f"bad address {values.get('email', '')!r}",
                    code="bad_address", args={"value": values.get("email", "")})
    try:
        return _plan_member(row, email, state, by, scope)
    except Refusal as refusal:
        return Line(row.line, email, "refuse", str(refusal), code=refusal.code, args=refusal.args_)
    except ArchiveError as error:
        return Line(row.line, email, "refuse", str(error), code="other", args={"value": str(error)})


def _plan_member(row: Row, email: str, state: State, by: Member | None, scope: Org | None) -> Line:
    values = row.values
    org = state.find_org(values["org"]) if values.get("org") else scope
    if org is None:
        if values.get("org"):
            raise Refusal("unknown_org", f"unknown organization {values['org']!r}", value=values["org"])
        raise Refusal("no_org", "no organization: fill the 団体 (org) column or pass --org")
    if scope is not None and org.id != scope.id:
        raise Refusal("other_org", f"this import is for {scope.name} only: the row is for {org.name}",
                      scope=scope.name, org=org.name)
    owner = state.owners.get(email)
    known = state.members.get(owner[0]) if owner else None
    if known is not None and not owner[1]:
        raise Refusal("further_address", f"{email} is a further address of another member ({known.primary}): "
                      "use their primary address", primary=known.primary)
    if known is not None and known.org_id != org.id:
        raise Refusal("member_elsewhere", f"{email} is already a member of {state.org(known.org_id).name}, not "
                      f"{org.name} (a move between organizations is not made by CSV)",
                      org=state.org(known.org_id).name)
    if known is not None and known.facts.admin and by is not None and not roles.is_system_admin(by):
        raise Refusal("system_admin", f"{email} is a system admin: only a system admin may change them")
    base = known.facts if known else Facts("", "", org.slug, "", (email,), False, False, False, True)
    after = _apply_values(base, values)
    if known is None:
        return Line(row.line, email, "add", after=after, org_id=org.id)
    status = "same" if after == known.facts else "change"
    return Line(row.line, email, status, before=known.facts, after=after, member_id=known.id, org_id=org.id)


def _apply_values(base: Facts, values: dict[str, str]) -> Facts:
    changes = {}
    if "name" in values or not base.name:
        changes["name"] = _text(values, "name", required=True)
    if "reading" in values:
        changes["reading"] = normalize_reading(_text(values, "reading"))
    if "dept" in values:
        changes["dept"] = _text(values, "dept")
    for flag in FLAGS:
        if flag in values:
            try:
                changes[flag] = parse_flag(values[flag], COLUMN_NAMES[flag])
            except Invalid as problem:
                raise Refusal("bad_flag", str(problem), column=COLUMN_NAMES[flag], value=values[flag]) from None
    return replace(base, **changes)


def _text(values: dict[str, str], key: str, required: bool = False) -> str:
    try:
        return clean_text(values.get(key, ""), COLUMN_NAMES[key], required=required)
    except Invalid as problem:
        code = "no_name" if required and not values.get(key, "").strip() else "bad_text"
        raise Refusal(code, str(problem), column=COLUMN_NAMES[key]) from None


def plan_rows(rows: list[Row], state: State, by: Member | None, scope: Org | None,
              deactivate_missing: bool) -> Plan:
    lines, first_seen = [], {}
    for row in rows:
        line = plan_row(row, state, by, scope)
        if line.status != "refuse" and line.email in first_seen:
            line = Line(row.line, line.email, "refuse", f"{line.email} is on line {first_seen[line.email]} already",
                        code="duplicate", args={"line": first_seen[line.email]})
        first_seen.setdefault(line.email, row.line)
        lines.append(line)
    plan = Plan(lines, scope=scope)
    if deactivate_missing:
        orgs = {scope.id} if scope else {line.org_id for line in lines if line.org_id is not None}
        present = {line.member_id for line in lines if line.member_id is not None}
        plan.deactivate = [k for k in state.members.values()
                           if k.org_id in orgs and k.facts.active and k.id not in present
                           and (by is None or (k.id != by.id and (roles.is_system_admin(by) or not k.facts.admin)))]
    return plan


async def preview(db: Database, by: Member | None, data: bytes, org: str | None = None,
                  deactivate_missing: bool = False) -> Plan:
    """What importing the file would do (nothing is written)."""
    rows = read_rows(data)
    state = await load_state(db)
    return plan_rows(rows, state, by, scope_of(state, by, org), deactivate_missing)


async def apply(db: Database, by: Member | None, data: bytes, org: str | None = None,
                deactivate_missing: bool = False, client: str = "", filename: str = "") -> Plan:
    """Import the file, all or nothing: ImportRefused (nothing written) if any line is refused."""
    rows = read_rows(data)
    async with db.write() as tx:
        state = await load_state(tx)
        plan = plan_rows(rows, state, by, scope_of(state, by, org), deactivate_missing)
        if plan.refused:
            raise ImportRefused(plan)
        await _write(tx, plan, to_iso(db.clock()))
        await record(tx, acting(by, client), "member.import",
                     f"org:{plan.scope.slug}" if plan.scope else "members", _summary(plan, filename),
                     org_id=plan.scope.id if plan.scope else None)
    return plan


async def _write(tx: Tx, plan: Plan, now: str) -> None:
    added = plan.having("add")
    next_id = (await tx.fetchval("SELECT MAX(id) FROM members") or 0) + 1
    ids = range(next_id, next_id + len(added))
    await tx.executemany(
        "INSERT INTO members (id, name, reading, org_id, dept, is_rep, is_org_admin, created_at) VALUES (?,?,?,?,?,?,?,?)",
        [(i, a.after.name, a.after.reading, a.org_id, a.after.dept, int(a.after.rep), int(a.after.org_admin), now)
         for i, a in zip(ids, added)])
    await tx.executemany("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                         [(a.email, i) for i, a in zip(ids, added)])
    await tx.executemany(
        "UPDATE members SET name = ?, reading = ?, dept = ?, is_rep = ?, is_org_admin = ? WHERE id = ?",
        [(c.after.name, c.after.reading, c.after.dept, int(c.after.rep), int(c.after.org_admin), c.member_id)
         for c in plan.having("change")])
    await tx.executemany("UPDATE members SET active = 0, deactivated_at = ? WHERE id = ?",
                         [(now, k.id) for k in plan.deactivate])


def _summary(plan: Plan, filename: str) -> dict:
    return {"file": filename, "summary": plan.summary(),
            "added": [line.email for line in plan.having("add")],
            "changed": [{"email": c.email, **difference(c.before, c.after)} for c in plan.having("change")],
            "unchanged": len(plan.having("same")),
            "deactivated": [k.primary for k in plan.deactivate]}
