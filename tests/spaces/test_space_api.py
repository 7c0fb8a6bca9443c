"""The spaces JSON API through the real app: the ≥ 2-organizations rule, every field error,
members only (403 for a non-admin, 404 for a space you can't read), and audit entries."""

from __future__ import annotations

import httpx
import pytest

from archive.members import find_member_by_address
from archive.admin.credentials import create_token
from tests.world import build_world

SATO, SUZUKI, ITO = "sato-k@pref.yamakawa.lg.jp", "suzuki-h@city.aoba.lg.jp", "ito-s@town.wakaba.lg.jp"
OUTSIDER = "watanabe-a@town.wakaba.lg.jp"


@pytest.fixture
async def api(tmp_path):
    world = await build_world(tmp_path)
    transport = httpx.ASGITransport(app=world.app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.world = world
        yield client
    await world.db.close()


async def auth(client, address: str) -> dict:
    member = await find_member_by_address(client.world.db, address)
    return {"Authorization": f"Bearer {await create_token(client.world.db, member.id)}"}


async def create(client, as_: str = SATO, **doc):
    body = {"slug": "kenshu", "title": "研修担当者会議", "members": [SUZUKI], **doc}
    return await client.post("/api/spaces", json=body, headers=await auth(client, as_))


async def test_creating_a_space_answers_201_with_the_space_as_get_shows_it(api):
    made = await create(api, description="年間研修計画の調整")
    assert made.status_code == 201
    shown = await api.get("/api/spaces/kenshu", headers=await auth(api, SUZUKI))
    assert made.json() == shown.json()
    assert made.json()["space"] == {"slug": "kenshu", "title": "研修担当者会議", "address": "kenshu@kairan.example.lg.jp"}
    roles = await api.world.db.fetchall(
        "SELECT a.address, ms.role FROM memberships ms JOIN member_addresses a ON a.member_id = ms.member_id "
        "JOIN spaces s ON s.id = ms.space_id WHERE s.slug = 'kenshu' ORDER BY a.address")
    assert [tuple(r) for r in roles] == [(SATO, "admin"), (SUZUKI, "member")]
    entry = await api.world.db.fetchone("SELECT actor, target FROM audit_log WHERE action = 'space.create'")
    assert tuple(entry) == (SATO, "space:kenshu")


async def test_members_from_one_organization_only_is_422_with_the_rule_and_nothing_is_created(api):
    answer = await create(api, members=[])
    assert answer.status_code == 422
    assert "at least 2 organizations" in answer.json()["error"]
    assert await api.world.db.fetchval("SELECT COUNT(*) FROM spaces WHERE slug = 'kenshu'") == 0


@pytest.mark.parametrize("doc, words", [
    ({"slug": "Bad Slug!"}, "can't be a space address"),
    ({"slug": "postmaster"}, "reserved"),
    ({"slug": "zeimu"}, "exists already"),
    ({"slug": ""}, "needs an address"),
    ({"slug": 7}, "'slug' is required"),
    ({"title": "  "}, "needs a title"),
    ({"title": "題" * 201}, "longer than 200"),
    ({"description": ["x"]}, "'description' must be a string"),
    ({"members": "suzuki"}, "'members' is required"),
    ({"members": ["not-an-address"]}, "is not an e-mail address"),
    ({"members": ["nobody@city.aoba.lg.jp"]}, "no active member"),
    ({"colour": "red"}, "unknown field"),
])
async def test_every_field_error_is_422_with_a_sentence(api, doc, words):
    answer = await create(api, **doc)
    assert answer.status_code == 422, answer.text
    assert words in answer.json()["error"]


async def test_a_body_that_is_not_a_json_object_is_400(api):
    headers = {**await auth(api, SATO), "Content-Type": "application/json"}
    for body in (b"{", b"[1, 2]", b"\xff"):
        answer = await api.post("/api/spaces", content=body, headers=headers)
        assert answer.status_code == 400 and "error" in answer.json()


async def test_without_a_token_it_is_401(api):
    assert (await api.post("/api/spaces", json={"slug": "x"})).status_code == 401


async def test_a_space_admin_adds_and_removes_members_and_each_is_audited(api):
    await create(api)
    headers = await auth(api, SATO)
    added = await api.post("/api/spaces/kenshu/members", json={"email": ITO}, headers=headers)
    assert added.status_code == 201 and added.json() == {"slug": "kenshu", "email": ITO, "role": "member",
                                                        "mode": "digest"}
    assert (await api.get("/api/spaces/kenshu", headers=await auth(api, ITO))).status_code == 200
    removed = await api.delete(f"/api/spaces/kenshu/members/{ITO}", headers=headers)
    assert removed.status_code == 200
    assert (await api.get("/api/spaces/kenshu", headers=await auth(api, ITO))).status_code == 404
    actions = [r[0] for r in await api.world.db.fetchall(
        "SELECT action FROM audit_log WHERE target = 'space:kenshu' ORDER BY id")]
    assert actions == ["space.create", "space.member.add", "space.member.remove"]


async def test_a_member_who_is_not_admin_gets_403_and_nothing_changes(api):
    await create(api)
    answer = await api.post("/api/spaces/kenshu/members", json={"email": ITO}, headers=await auth(api, SUZUKI))
    assert answer.status_code == 403 and "admin" in answer.json()["error"]
    answer = await api.delete(f"/api/spaces/kenshu/members/{SATO}", headers=await auth(api, SUZUKI))
    assert answer.status_code == 403
    assert await api.world.db.fetchval(
        "SELECT COUNT(*) FROM memberships ms JOIN spaces s ON s.id = ms.space_id WHERE s.slug = 'kenshu'") == 2


async def test_a_space_you_cant_read_is_404_like_one_that_does_not_exist(api):
    await create(api)
    for slug in ("kenshu", "no-such-space"):
        answer = await api.post(f"/api/spaces/{slug}/members", json={"email": ITO}, headers=await auth(api, OUTSIDER))
        assert answer.status_code == 404
        assert answer.json() == {"error": f"no space {slug!r} that you can read"}
        answer = await api.delete(f"/api/spaces/{slug}/members/{SATO}", headers=await auth(api, OUTSIDER))
        assert answer.status_code == 404


async def test_a_member_may_leave_but_the_last_admin_may_not_while_others_remain(api):
    await create(api, members=[SUZUKI, ITO])
    assert (await api.delete(f"/api/spaces/kenshu/members/{SUZUKI}", headers=await auth(api, SUZUKI))).status_code == 200
    answer = await api.delete(f"/api/spaces/kenshu/members/{SATO}", headers=await auth(api, SATO))
    assert answer.status_code == 422 and "only admin" in answer.json()["error"]


async def test_adding_an_unknown_address_is_422(api):
    await create(api)
    answer = await api.post("/api/spaces/kenshu/members", json={"email": "nobody@x.lg.jp"}, headers=await auth(api, SATO))
    assert answer.status_code == 422 and "no active member" in answer.json()["error"]
    answer = await api.post("/api/spaces/kenshu/members", json={"mail": ITO}, headers=await auth(api, SATO))
    assert answer.status_code == 422
