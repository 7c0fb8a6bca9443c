"""Adding, changing, deactivating and reactivating members: checked by `roles`, recorded by `audit`.

`by` is the member acting (the web, or the command line's `--as`); None is the command line
itself, the system administrator's own tool. Each act is one transaction with its audit entry,
whose detail holds the fields before and after (only those that changed).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from archive.admin import roles
from archive.admin.audit import SYSTEM, Actor, actor_of, record
from archive.admin.kana import normalize_reading
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import Conflict, Invalid
from archive.members import get_member, get_member_by_address, normalize_address
from archive.models import Member
from archive.moves.succession import hand_over
from archive.orgs import get_org
from archive.sessions import end_member_sessions

MAX_TEXT = 200


def acting(by: Member | None, client: str = "") -> Actor:
    return SYSTEM if by is None else actor_of(by, client)


def allowed(by: Member | None, verdict: bool) -> bool:
    """The command line (by None) may do everything; a member what their role allows."""
    return by is None or verdict


@dataclass(frozen=True)
class Facts:
    """What an admin can change about a member, as the audit log shows it."""
    name: str
    reading: str
    org: str
    dept: str
    addresses: tuple[str, ...]          # the primary first
    rep: bool
    org_admin: bool
    admin: bool
    active: bool

    def as_dict(self) -> dict:
        return {"name": self.name, "reading": self.reading, "org": self.org, "dept": self.dept,
                "addresses": list(self.addresses), "rep": self.rep, "org_admin": self.org_admin,
                "admin": self.admin, "active": self.active}


def difference(before: Facts, after: Facts) -> dict:
    """{"before": {...}, "after": {...}} of the fields that differ."""
    old, new = before.as_dict(), after.as_dict()
    keys = [k for k in old if old[k] != new[k]]
    return {"before": {k: old[k] for k in keys}, "after": {k: new[k] for k in keys}}


async def addresses_of(db, member_id: int) -> tuple[str, ...]:
    rows = await db.fetchall("SELECT address FROM member_addresses WHERE member_id = ? "
                             "ORDER BY is_primary DESC, address", (member_id,))
    return tuple(r["address"] for r in rows)


async def facts_of(db, member: Member) -> Facts:
    return Facts(member.name, member.reading, member.org_slug, member.dept, await addresses_of(db, member.id),
                 member.is_rep, member.is_org_admin, member.is_admin, member.active)


def clean_text(value: str, what: str, required: bool = False) -> str:
    """NFKC (half-width kana and full-width letters made one), spaces collapsed, bounded."""
    value = " ".join(unicodedata.normalize("NFKC", value).split()) if value else ""
    if required and not value:
        raise Invalid(f"a member needs a {what}")
    if len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        raise Invalid(f"the {what} is too long or has control characters (at most {MAX_TEXT} characters)")
    return value


@dataclass(frozen=True)
class NewMember:
    email: str
    name: str
    org: str                    # slug
    dept: str = ""
    reading: str = ""
    rep: bool = False
    org_admin: bool = False
    admin: bool = False


async def add(db: Database, by: Member | None, new: NewMember, client: str = "") -> Member:
    """member.add: an org admin into their own organization; system admins anywhere."""
    email = normalize_address(new.email)
    name = clean_text(new.name, "name: pass --name", required=True)
    org = await get_org(db, new.org)
    roles.require(allowed(by, roles.can_manage_org_members(by, org.id)),
                  f"you may add members only to your own organization, not to {org.name}")
    roles.require(not new.admin or allowed(by, roles.can_grant_system_admin(by)),
                  "only a system admin may make someone a system admin")
    facts = Facts(name, normalize_reading(clean_text(new.reading, "reading")), org.slug,
                  clean_text(new.dept, "department"), (email,), new.rep, new.org_admin, new.admin, True)
    async with db.write() as tx:
        if await tx.fetchval("SELECT 1 FROM member_addresses WHERE address = ?", (email,)):
            raise Conflict(f"{email} is a member's address already")
        cur = await tx.execute(
            "INSERT INTO members (name, reading, org_id, dept, is_rep, is_org_admin, is_admin, created_at) "
            "VALUES (?,?,?,?,?,?,?,?)", (facts.name, facts.reading, org.id, facts.dept, int(facts.rep),
                                         int(facts.org_admin), int(facts.admin), to_iso(db.clock())))
        await tx.execute("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                         (email, cur.lastrowid))
        await record(tx, acting(by, client), "member.add", email, {"after": facts.as_dict()})
    return await get_member(db, cur.lastrowid)


@dataclass(frozen=True)
class Change:
    """What to change; None (or empty) leaves a field alone."""
    name: str | None = None
    reading: str | None = None
    dept: str | None = None
    addresses: tuple[str, ...] | None = None        # the whole list, the primary first (a form's)
    add_addresses: tuple[str, ...] = ()
    remove_addresses: tuple[str, ...] = ()
    primary: str | None = None
    rep: bool | None = None
    org_admin: bool | None = None
    admin: bool | None = None


def changed_facts(before: Facts, change: Change) -> Facts:
    start = before.addresses if change.addresses is None else tuple(dict.fromkeys(
        normalize_address(a) for a in change.addresses))
    addresses = [a for a in start if a not in {normalize_address(r) for r in change.remove_addresses}]
    addresses += [a for a in (normalize_address(x) for x in change.add_addresses) if a not in addresses]
    if change.primary is not None:
        primary = normalize_address(change.primary)
        if primary not in addresses:
            raise Invalid(f"{primary} is not one of the member's addresses: add it first")
        addresses = [primary] + [a for a in addresses if a != primary]
    if not addresses:
        raise Invalid("a member keeps at least one address")
    return replace(
        before,
        name=before.name if change.name is None else clean_text(change.name, "name", required=True),
        reading=before.reading if change.reading is None else normalize_reading(clean_text(change.reading, "reading")),
        dept=before.dept if change.dept is None else clean_text(change.dept, "department"),
        addresses=tuple(addresses), rep=before.rep if change.rep is None else change.rep,
        org_admin=before.org_admin if change.org_admin is None else change.org_admin,
        admin=before.admin if change.admin is None else change.admin)


async def change(db: Database, by: Member | None, email: str, what: Change, client: str = "") -> Member:
    """member.change (names, addresses, flags); nothing is written or recorded when nothing differs."""
    target = await get_member_by_address(db, email)
    roles.require(allowed(by, roles.can_manage_member(by, target)),
                  f"you may not change {target.email}: an org admin manages only their own organization's members "
                  "(and not its system admins)")
    before = await facts_of(db, target)
    after = changed_facts(before, what)
    roles.require(after.admin == before.admin or allowed(by, roles.can_grant_system_admin(by)),
                  "only a system admin may grant or take away system admin")
    return await _write_change(db, by, target, before, after, client)


async def change_own(db: Database, member: Member, name: str, reading: str, dept: str, client: str = "") -> Member:
    """A member's own name, reading and department, where the deployment lets members keep them
    ([directory] members_edit_profile, checked by the caller). Addresses and roles are never theirs
    to change: a new address must be proven, a role granted. Audited as member.change, by themselves."""
    before = await facts_of(db, member)
    after = changed_facts(before, Change(name=name, reading=reading, dept=dept))
    return await _write_change(db, member, member, before, after, client)


async def _write_change(db: Database, by: Member | None, target: Member, before: Facts, after: Facts,
                        client: str) -> Member:
    """One transaction: the member's row, their addresses, and the audit entry (nothing when nothing differs)."""
    if after == before:
        return target
    async with db.write() as tx:
        await _write_addresses(tx, target.id, before.addresses, after.addresses)
        await tx.execute("UPDATE members SET name = ?, reading = ?, dept = ?, is_rep = ?, is_org_admin = ?, "
                         "is_admin = ? WHERE id = ?", (after.name, after.reading, after.dept, int(after.rep),
                                                       int(after.org_admin), int(after.admin), target.id))
        await record(tx, acting(by, client), "member.change", after.addresses[0], difference(before, after),
                     org_id=target.org_id)
    return await get_member(db, target.id)


async def _write_addresses(tx: Tx, member_id: int, old: tuple[str, ...], new: tuple[str, ...]) -> None:
    for address in new:
        if address not in old:
            owner = await tx.fetchval("SELECT member_id FROM member_addresses WHERE address = ?", (address,))
            if owner is not None:
                raise Conflict(f"{address} is another member's address already")
    for address in old:
        if address not in new:
            await tx.execute("DELETE FROM member_addresses WHERE address = ?", (address,))
    for position, address in enumerate(new):
        await tx.execute("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, ?) "
                         "ON CONFLICT (address) DO UPDATE SET is_primary = excluded.is_primary",
                         (address, member_id, int(position == 0)))


async def set_active(db: Database, by: Member | None, email: str, active: bool, client: str = "",
                     successor: str | None = None) -> tuple[Member, bool]:
    """member.deactivate / member.reactivate; returns (the member, whether anything changed).

    A deactivated member can't sign in, their sessions and API tokens stop at their next
    request, mail from their addresses is refused at RCPT, and their posts keep the name,
    organization and department they were stored with. A `successor` (deactivating only) takes
    over their spaces in the same transaction (archive.moves.succession)."""
    target = await get_member_by_address(db, email)
    heir = await successor_for(db, target, successor) if successor and not active else None
    verb = "reactivate" if active else "deactivate"
    roles.require(allowed(by, roles.can_manage_member(by, target)),
                  f"you may not {verb} {target.email}: they are not a member of your organization")
    if by is not None and by.id == target.id and not active:
        raise Invalid("you can't deactivate yourself: ask another admin")
    if target.active == active:
        return target, False
    async with db.write() as tx:
        moved = await hand_over(tx, acting(by, client), target.id, heir.id, to_iso(db.clock()),
                                f"successor of {target.email}") if heir else []
        await tx.execute("UPDATE members SET active = ?, deactivated_at = ? WHERE id = ?",
                         (int(active), None if active else to_iso(db.clock()), target.id))
        if not active:
            await end_member_sessions(tx, target.id)             # ended on the server, not only refused
        await record(tx, acting(by, client), f"member.{verb}", target.email,
                     {"before": {"active": not active}, "after": {"active": active},
                      **({"successor": heir.email, "spaces": moved} if heir else {})}, org_id=target.org_id)
    return await get_member(db, target.id), True


async def successor_for(db: Database, leaver: Member, email: str) -> Member:
    """The member who takes over a leaver's spaces: another, active member."""
    heir = await get_member_by_address(db, email)
    if heir.id == leaver.id or not heir.active:
        raise Invalid(f"the successor {heir.email} must be another, active member")
    return heir


async def set_password(db: Database, by: Member | None, email: str, password_hash: str, client: str = "",
                       keep_sid: str = "") -> Member:
    """A new password (member.change, detail {"password": "set"}; the hash is never recorded). It signs
    out every session of the member but `keep_sid` (the one that changed it, if it says so)."""
    target = await get_member_by_address(db, email)
    roles.require(allowed(by, by is not None and by.id == target.id or roles.can_manage_member(by, target)),
                  f"you may not set the password of {target.email}")
    async with db.write() as tx:
        await tx.execute("UPDATE members SET password_hash = ? WHERE id = ?", (password_hash, target.id))
        await end_member_sessions(tx, target.id, keep_sid)
        await record(tx, acting(by, client), "member.change", target.email,
                     {"before": {}, "after": {"password": "set"}}, org_id=target.org_id)
    return target
