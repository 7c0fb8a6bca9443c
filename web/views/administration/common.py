"""What the administration pages share: the guard, checked forms, the organizations in reach."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

from archive.admin import roles
from archive.admin.organizations import orgs_in_order
from archive.errors import NotFound
from archive.models import Member, Org
from web.auth import require_member
from web.sessions import csrf_ok
from web.views.common import services_of


def require_admin(request: Request) -> Member:
    """Signed in (else the sign-in page) and a system or org admin (else 403)."""
    member = require_member(request)
    roles.require(roles.is_any_admin(member), "only system admins and org admins may use the administration pages")
    return member


async def checked_form(request: Request, max_fields: int = 40):
    form = await request.form(max_files=0, max_fields=max_fields)
    if not csrf_ok(request, form, services_of(request).secret_key):
        raise HTTPException(403)
    return form


def text(form, name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return str(value)[:limit] if isinstance(value, str) else ""


async def orgs_for(request: Request, admin: Member) -> list[Org]:
    """The organizations this admin manages: all for a system admin, their own for an org admin."""
    orgs = await orgs_in_order(services_of(request).db)
    return [o for o in orgs if roles.can_manage_org_members(admin, o.id)]


async def chosen_org(request: Request, admin: Member, slug: str | None) -> Org | None:
    """The organization asked for (403 if not this admin's); none asked: an org admin's own, else None."""
    orgs = await orgs_in_order(services_of(request).db)
    if slug:
        org = next((o for o in orgs if o.slug == slug.strip().lower()), None)
        if org is None:
            raise NotFound(f"no organization {slug!r}")
        roles.require(roles.can_manage_org_members(admin, org.id), "you may manage only your own organization")
        return org
    if roles.is_system_admin(admin):
        return None
    return next(o for o in orgs if o.id == admin.org_id)
