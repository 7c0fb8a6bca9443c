"""The one role check: each role against each kind of target (allowed and refused)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from archive.admin import roles
from archive.errors import Forbidden
from archive.spaces import create_space, get_space
from tests.admin.support import AOBA_ADMIN, PLAIN, PREF_ADMIN, SATO, SUZUKI, SYSADMIN
from tests.admin.support import world  # noqa: F401  (the fixture)


async def test_who_may_manage_whom(world):
    db, m = world
    expected = {  # actor → the targets they may manage
        SYSADMIN: {SYSADMIN, PREF_ADMIN, SATO, AOBA_ADMIN, SUZUKI, PLAIN},
        PREF_ADMIN: {PREF_ADMIN, SATO},                 # own organization, not its system admin
        AOBA_ADMIN: {AOBA_ADMIN, SUZUKI},
        SATO: set(), SUZUKI: set(), PLAIN: set(),
    }
    for actor, targets in expected.items():
        assert {t for t in m if roles.can_manage_member(m[actor], m[t])} == targets, actor
    assert not roles.can_manage_member(None, m[SATO])


async def test_system_powers_belong_to_system_admins_only(world):
    db, m = world
    for email, member in m.items():
        assert roles.can_manage_orgs(member) == (email == SYSADMIN)
        assert roles.can_grant_system_admin(member) == (email == SYSADMIN)
        assert roles.is_system_admin(member) == (email == SYSADMIN)
    assert roles.audit_scope(m[SYSADMIN]) == (True, None)
    assert roles.audit_scope(m[AOBA_ADMIN]) == (True, m[AOBA_ADMIN].org_id)
    assert roles.audit_scope(m[SATO]) == (False, None)
    assert roles.can_manage_org_members(m[AOBA_ADMIN], m[SUZUKI].org_id)
    assert not roles.can_manage_org_members(m[AOBA_ADMIN], m[SATO].org_id)


async def test_a_deactivated_admin_holds_no_role(world):
    db, m = world
    gone = replace(m[SYSADMIN], active=False)
    assert not roles.is_system_admin(gone) and not roles.can_manage_member(gone, m[SATO])
    assert not roles.can_manage_member(replace(m[AOBA_ADMIN], active=False), m[SUZUKI])


async def test_space_admin_is_the_space_role_and_not_system_admin(world):
    db, m = world
    await create_space(db, "zeimu", "税務", [SATO, SUZUKI], admins=[SUZUKI])
    space = await get_space(db, "zeimu")
    assert await roles.is_space_admin(db, m[SUZUKI], space)
    assert not await roles.is_space_admin(db, m[SATO], space)
    assert not await roles.is_space_admin(db, m[SYSADMIN], space)
    assert not await roles.is_space_admin(db, replace(m[SUZUKI], active=False), space)
    assert not await roles.is_space_admin(db, None, space)


def test_require_raises_forbidden_with_the_reason():
    roles.require(True, "fine")
    with pytest.raises(Forbidden, match="only a system admin"):
        roles.require(False, "only a system admin may do this")
