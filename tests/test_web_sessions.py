"""Sessions end on the server: sign-out, deactivation and a new password; sign-in limits can't lock out."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx

from archive.admin import people
from archive.members import set_active, set_password_hash
from archive.passwords import hash_password
from tests.world import csrf_of, sign_in
from web.ratelimit import PasswordLimits

SATO = "sato-k@pref.yamakawa.lg.jp"


def client_from(app, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver", follow_redirects=False)


def two_machines(app):
    return client_from(app, "192.0.2.10"), client_from(app, "198.51.100.20")


async def copy_session(owner: httpx.AsyncClient, thief: httpx.AsyncClient) -> None:
    """The owner signs in; the thief holds a copy of the cookie (on another machine)."""
    assert (await sign_in(owner, SATO)).status_code == 303
    thief.cookies.update(owner.cookies)
    assert (await thief.get("/")).status_code == 200


async def test_a_copied_cookie_stops_working_after_sign_out(world):
    owner, thief = two_machines(world.app())
    async with owner, thief:
        await copy_session(owner, thief)
        token = await csrf_of(owner, "/")
        assert (await owner.post("/signout", data={"csrf": token})).status_code == 303
        response = await thief.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


async def test_a_new_password_ends_the_sessions_signed_in_before(world):
    owner, thief = two_machines(world.app())
    async with owner, thief:
        await copy_session(owner, thief)
        await set_password_hash(world.db, world.members["sato"].id, hash_password("another-password-2026"))
        assert (await owner.get("/")).status_code == 303
        assert (await thief.get("/")).status_code == 303


async def test_a_reactivated_member_is_not_signed_in_again_by_an_old_cookie(world):
    owner, thief = two_machines(world.app())
    async with owner, thief:
        await copy_session(owner, thief)
        await set_active(world.db, world.members["sato"].id, False)
        await set_active(world.db, world.members["sato"].id, True)
        assert (await thief.get("/")).status_code == 303


async def test_the_right_password_from_a_new_client_signs_in_after_five_failures_elsewhere(world):
    app = world.app()
    async with client_from(app, "203.0.113.66") as attacker, client_from(app, "192.0.2.10") as member:
        for _ in range(5):
            assert (await sign_in(attacker, SATO, "wrong-password")).status_code == 400
        assert (await sign_in(attacker, SATO)).status_code == 429      # that pair is blocked
        response = await sign_in(member, SATO)
        assert response.status_code == 303
        assert (await member.get("/")).status_code == 200


def test_each_failure_past_five_makes_the_next_attempt_for_that_address_wait_longer():
    limits = PasswordLimits(lambda: datetime(2026, 12, 1, tzinfo=timezone.utc))
    waits = []
    for n in range(8):
        waits.append(limits.delay(SATO))
        limits.record(SATO, f"198.51.100.{n}")
    assert waits[:5] == [0.0] * 5 and waits[5] < waits[6] < waits[7]
    limits.succeeded(SATO, "192.0.2.10")
    assert limits.delay(SATO) == 0.0


async def test_deactivation_and_a_new_password_through_the_admin_functions_end_sessions_too(world):
    owner, thief = two_machines(world.app())
    async with owner, thief:
        await copy_session(owner, thief)
        await people.set_active(world.db, None, SATO, False)
        await people.set_active(world.db, None, SATO, True)
        assert (await thief.get("/")).status_code == 303
    owner, thief = two_machines(world.app())
    async with owner, thief:
        await copy_session(owner, thief)
        await people.set_password(world.db, None, SATO, hash_password("another-password-2026"))
        assert (await thief.get("/")).status_code == 303
