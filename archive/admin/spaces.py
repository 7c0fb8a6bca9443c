"""Spaces run by their members: creating one, its members and admins, its title, closing it.

Each change is made and audited (archive.admin.audit) in one transaction. The rules:
  - a new space's members come from at least `min_orgs` organizations (kairan.toml
    [spaces] min_organizations); its creator is its first admin;
  - a space keeps at least one admin (an active member with the admin role);
  - a change that would leave members from fewer organizations is allowed, but callers
    warn first (`narrowing`).
Broken rules raise RuleBroken, whose `code` lets a page say it in its own language.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.admin.audit import Actor, record
from archive.clock import to_iso
from archive.db import Database, Tx
from archive.errors import Invalid, NotFound
from archive.members import find_member_by_address, normalize_address
from archive.models import DELIVERY_MODES, Member, Space
from archive.orgs import SLUG
from archive.spaces import RESERVED_SLUGS, find_space, get_space

MAX_TITLE = 200
MAX_DESCRIPTION = 4000


class RuleBroken(Invalid):
    """A field or a space rule failed. `code` names the rule, `field` the form field."""

    def __init__(self, code: str, message: str, field: str = "", **values):
        super().__init__(message)
        self.code, self.field, self.values = code, field, values


@dataclass(frozen=True)
class SpaceFacts:
    members: int       # active members
    orgs: int          # organizations they come from
    admins: int        # active admins


def check_slug_text(slug: str) -> str:
    """The slug normalized, or RuleBroken (format, reserved)."""
    slug = (slug or "").strip().lower()
    if not slug:
        raise RuleBroken("slug_missing", "a space needs an address (slug)", "slug")
    if not SLUG.match(slug):
        raise RuleBroken("slug_format", f"{slug!r} can't be a space address: use lowercase letters, digits "
                         "and '-' (up to 63, starting with a letter or digit)", "slug")
    if slug in RESERVED_SLUGS:
        raise RuleBroken("slug_reserved", f"{slug!r} is reserved for the mail system: choose another", "slug")
    return slug


async def check_slug(db: Database | Tx, slug: str) -> str:
    """As check_slug_text, and not taken by another space."""
    slug = check_slug_text(slug)
    if await db.fetchval("SELECT 1 FROM spaces WHERE slug = ?", (slug,)):
        raise RuleBroken("slug_taken", f"space {slug!r} exists already: choose another address", "slug")
    return slug


def check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise RuleBroken("title_missing", "a space needs a title", "title")
    if len(title) > MAX_TITLE:
        raise RuleBroken("title_long", f"the title is longer than {MAX_TITLE} characters", "title")
    return title


def check_description(description: str) -> str:
    description = (description or "").replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        raise RuleBroken("description_long", f"the description is longer than {MAX_DESCRIPTION} characters",
                         "description")
    return description


def check_mode(mode: str | None) -> str:
    if mode not in DELIVERY_MODES:
        raise RuleBroken("mode", f"delivery mode {mode!r} is not one of {', '.join(DELIVERY_MODES)}", "mode")
    return mode


async def members_for(db: Database, addresses: list[str]) -> list[Member]:
    """Active members for these addresses, each once; RuleBroken naming the first unknown one."""
    found: dict[int, Member] = {}
    for address in addresses:
        try:
            key = normalize_address(address)
        except Invalid:
            raise RuleBroken("member_address", f"{address!r} is not an e-mail address", "members", address=address)
        member = await find_member_by_address(db, key)
        if member is None or not member.active:
            raise RuleBroken("member_unknown", f"no active member with address {key}", "members", address=key)
        found.setdefault(member.id, member)
    return list(found.values())


def check_orgs(people: list[Member], min_orgs: int) -> None:
    orgs = {m.org_id for m in people}
    if len(orgs) < min_orgs:
        raise RuleBroken("too_few_orgs", f"a space's members must come from at least {min_orgs} organizations "
                         f"(these come from {len(orgs)}): add members of other organizations", "members",
                         need=min_orgs, have=len(orgs))


async def create_space_by(db: Database, actor: Actor, *, slug: str, title: str, description: str = "",
                          members: list[str] = (), admins: list[str] = (), creator: Member | None = None,
                          mode: str = "digest", min_orgs: int = 2) -> Space:
    """A new space; the creator (if a member) and `admins` are its admins, the others members."""
    slug, title, description, mode = (check_slug_text(slug), check_title(title), check_description(description),
                                      check_mode(mode))
    people = {m.id: (m, "member") for m in await members_for(db, list(members))}
    for member in await members_for(db, list(admins)) + ([creator] if creator is not None else []):
        people[member.id] = (member, "admin")
    check_orgs([m for m, _ in people.values()], min_orgs)
    now = to_iso(db.clock())
    async with db.write() as tx:
        await check_slug(tx, slug)
        cur = await tx.execute("INSERT INTO spaces (slug, title, description, created_at) VALUES (?, ?, ?, ?)",
                               (slug, title, description, now))
        await tx.executemany(
            "INSERT INTO memberships (space_id, member_id, role, mode, joined_at) VALUES (?, ?, ?, ?, ?)",
            [(cur.lastrowid, m.id, role, mode, now) for m, role in people.values()])
        await record(tx, actor, "space.create", f"space:{slug}", {
            "title": title, "mode": mode, "members": sorted(m.email for m, r in people.values() if r == "member"),
            "admins": sorted(m.email for m, r in people.values() if r == "admin")})
    return await get_space(db, slug)


async def space_facts(db: Database | Tx, space_id: int, without: set[int] = frozenset(),
                      demoted: set[int] = frozenset()) -> SpaceFacts:
    """Counts of the space's active members, as they would be without `without` and with `demoted` not admins."""
    rows = await db.fetchall(
        """SELECT m.id, m.org_id, ms.role FROM memberships ms JOIN members m ON m.id = ms.member_id
           WHERE ms.space_id = ? AND m.active = 1""", (space_id,))
    rows = [r for r in rows if r["id"] not in without]
    return SpaceFacts(len(rows), len({r["org_id"] for r in rows}),
                      sum(1 for r in rows if r["role"] == "admin" and r["id"] not in demoted))


async def narrowing(db: Database, space: Space, member_ids: set[int], min_orgs: int) -> bool:
    """Whether removing these members leaves members from fewer than `min_orgs` organizations (a warning)."""
    before, after = await space_facts(db, space.id), await space_facts(db, space.id, without=member_ids)
    return after.orgs < min_orgs <= before.orgs


async def _role(tx: Tx, space: Space, member: Member) -> str | None:
    return await tx.fetchval("SELECT role FROM memberships WHERE space_id = ? AND member_id = ?",
                             (space.id, member.id))


async def add_members(db: Database, actor: Actor, space: Space, addresses: list[str],
                      mode: str = "digest") -> list[Member]:
    """Adds those not in the space yet (others are left as they are); returns who was added."""
    mode = check_mode(mode)
    people = await members_for(db, addresses)
    added = []
    now = to_iso(db.clock())
    async with db.write() as tx:
        for member in people:
            if await _role(tx, space, member) is not None:
                continue
            await tx.execute("INSERT INTO memberships (space_id, member_id, role, mode, joined_at) VALUES (?,?,?,?,?)",
                             (space.id, member.id, "member", mode, now))
            await record(tx, actor, "space.member.add", f"space:{space.slug}",
                         {"member": member.email, "role": "member", "mode": mode})
            added.append(member)
    return added


async def set_mode(db: Database, actor: Actor, space: Space, member: Member, mode: str) -> bool:
    """A member's delivery mode in the space; False when it was so already."""
    mode = check_mode(mode)
    async with db.write() as tx:
        before = await tx.fetchval("SELECT mode FROM memberships WHERE space_id = ? AND member_id = ?",
                                   (space.id, member.id))
        if before is None:
            raise NotFound(f"{member.email} is not a member of space {space.slug}: add them first")
        if before == mode:
            return False
        await tx.execute("UPDATE memberships SET mode = ? WHERE space_id = ? AND member_id = ?",
                         (mode, space.id, member.id))
        await record(tx, actor, "space.member.change", f"space:{space.slug}",
                     {"member": member.email, "before": {"mode": before}, "after": {"mode": mode}})
    return True


async def remove_member(db: Database, actor: Actor, space: Space, member: Member, action: str = "removed") -> None:
    """Out of the space (`action` 'left' when they leave themselves). The last admin can't go."""
    async with db.write() as tx:
        role = await _role(tx, space, member)
        if role is None:
            raise NotFound(f"{member.email} is not a member of space {space.slug}")
        facts = await space_facts(tx, space.id, without={member.id})
        if role == "admin" and facts.admins == 0 and facts.members > 0:
            raise RuleBroken("last_admin", f"{member.email} is the only admin of {space.slug}: make another "
                             "member admin first", "member")
        await tx.execute("DELETE FROM memberships WHERE space_id = ? AND member_id = ?", (space.id, member.id))
        await record(tx, actor, "space.member.remove", f"space:{space.slug}",
                     {"member": member.email, "role": role, "how": action})


async def set_admin(db: Database, actor: Actor, space: Space, member: Member, on: bool = True) -> bool:
    """Make or unmake an admin; False when nothing changed. A space keeps at least one admin."""
    async with db.write() as tx:
        role = await _role(tx, space, member)
        if role is None:
            raise NotFound(f"{member.email} is not a member of space {space.slug}: add them first")
        wanted = "admin" if on else "member"
        if role == wanted:
            return False
        if not on and (await space_facts(tx, space.id, demoted={member.id})).admins == 0:
            raise RuleBroken("last_admin", f"{member.email} is the only admin of {space.slug}: make another "
                             "member admin first", "member")
        await tx.execute("UPDATE memberships SET role = ? WHERE space_id = ? AND member_id = ?",
                         (wanted, space.id, member.id))
        await record(tx, actor, "space.member.change", f"space:{space.slug}",
                     {"member": member.email, "before": {"role": role}, "after": {"role": wanted}})
    return True


async def edit_space(db: Database, actor: Actor, space: Space, title: str, description: str) -> Space:
    title, description = check_title(title), check_description(description)
    if (title, description) == (space.title, space.description):
        return space
    async with db.write() as tx:
        await tx.execute("UPDATE spaces SET title = ?, description = ? WHERE id = ?", (title, description, space.id))
        await record(tx, actor, "space.change", f"space:{space.slug}",
                     {"before": {"title": space.title, "description": space.description},
                      "after": {"title": title, "description": description}})
    return await get_space(db, space.slug)


async def set_closed(db: Database, actor: Actor, space: Space, closed: bool) -> bool:
    """Close (read-only: readable, searchable, no new posts, mail refused at RCPT) or reopen; False if so already."""
    state = "closed" if closed else "open"
    async with db.write() as tx:
        cur = await tx.execute("UPDATE spaces SET state = ?, closed_at = ? WHERE id = ? AND state <> ?",
                               (state, to_iso(db.clock()) if closed else None, space.id, state))
        if cur.rowcount == 0:
            return False
        await record(tx, actor, "space.close" if closed else "space.reopen", f"space:{space.slug}", {})
    return True


async def space_by_slug(db: Database, slug: str) -> Space:
    space = await find_space(db, slug)
    if space is None:
        raise NotFound(f"no space {slug!r}: see 'kairan space list'")
    return space
