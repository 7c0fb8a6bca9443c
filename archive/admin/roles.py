"""The one role check, beside `archive.access.can_read` (which alone says who may read a space).

    system admin (総合管理者)   organizations, every member, system pages, the audit log;
                                reads no space they are not a member of
    org admin (団体管理者)      the members of their own organization
    space admin (スペース管理者) that space's membership and settings

Only active members hold a role. Every check answers a bool; `require` turns a refusal into
`Forbidden` (403 on the web, exit 1 on the command line).
"""

from __future__ import annotations

from archive.db import Database
from archive.errors import Forbidden
from archive.models import Member, Org, Space


def is_system_admin(member: Member | None) -> bool:
    return member is not None and member.active and member.is_admin


def is_org_admin(member: Member | None) -> bool:
    return member is not None and member.active and member.is_org_admin


def is_any_admin(member: Member | None) -> bool:
    """May open the administration pages at all (what they then show depends on the role)."""
    return is_system_admin(member) or is_org_admin(member)


def can_manage_org_members(actor: Member | None, org_id: int) -> bool:
    """Add members to, import into, export or list the members of this organization."""
    return is_system_admin(actor) or (is_org_admin(actor) and actor.org_id == org_id)


def can_manage_member(actor: Member | None, target: Member) -> bool:
    """System admin: everyone. Org admin: their own organization's members, except system admins."""
    if is_system_admin(actor):
        return True
    return is_org_admin(actor) and actor.org_id == target.org_id and not target.is_admin


def can_grant_org_admin(actor: Member | None, org_id: int) -> bool:
    return can_manage_org_members(actor, org_id)


def can_grant_system_admin(actor: Member | None) -> bool:
    return is_system_admin(actor)


def can_manage_orgs(actor: Member | None) -> bool:
    """Add organizations, rename them, change their mail domains."""
    return is_system_admin(actor)


def audit_scope(actor: Member | None) -> tuple[bool, int | None]:
    """(may read the audit log, only this organization's entries — None: all of them)."""
    if is_system_admin(actor):
        return True, None
    if is_org_admin(actor):
        return True, actor.org_id
    return False, None


def can_see_org(actor: Member | None, org: Org) -> bool:
    return can_manage_org_members(actor, org.id)


async def is_space_admin(db: Database, member: Member | None, space: Space) -> bool:
    """An active member whose membership of the space has the role 'admin' (its creator is the first)."""
    if member is None or not member.active:
        return False
    role = await db.fetchval("SELECT role FROM memberships WHERE space_id = ? AND member_id = ?",
                             (space.id, member.id))
    return role == "admin"


def require(allowed: bool, what: str) -> None:
    """Raise Forbidden(what) unless allowed; `what` is a sentence saying what was refused."""
    if not allowed:
        raise Forbidden(what)
