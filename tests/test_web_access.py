"""Members only, on every route: a table of routes × who asks.

Choice for requests without a session: every page, file and form answers with
a redirect to the sign-in page (303) before anything is looked up, so it says
nothing about whether a space exists. A deactivated member's session is
treated as no session. Someone signed in who may not read a space gets 404,
exactly as for a space that does not exist.
"""

from __future__ import annotations

import contextlib
from datetime import date

import pytest

from archive.inquiries.records import open_inquiry
from archive.members import set_active
from archive.threads import get_thread
from archive.admin.credentials import create_token
from tests.world import csrf_of, sign_in

SECRET_SUBJECT = "固定資産税の減免申請"
SECRET_TEXT = "準半壊"


def routes(w) -> list[tuple[str, str, str]]:
    """(name, method, path) of everything that shows or changes zeimu's content."""
    att = w.attachment_id
    inquiry = f"/s/zeimu/t/{w.thread_id}/inquiry"
    return [
        ("inquiry", "GET", inquiry),
        ("inquiry sorted", "GET", inquiry + "?sort=status&desc=1"),
        ("inquiry csv", "GET", inquiry + ".csv"),
        ("inquiry xlsx", "GET", inquiry + ".xlsx"),
        ("inquiry open", "POST", inquiry + "/open"),
        ("inquiry edit", "POST", inquiry + "/edit"),
        ("inquiry mark", "POST", inquiry + "/mark"),
        ("space", "GET", "/s/zeimu/"),
        ("space page 2", "GET", "/s/zeimu/?page=2"),
        ("thread", "GET", f"/s/zeimu/t/{w.thread_id}/"),
        ("attachment", "GET", f"/s/zeimu/a/{att}/x.txt"),
        ("raw", "GET", f"/s/zeimu/raw/{w.ids['reply']}.eml"),
        ("search in space", "GET", "/search?q=%E6%B8%9B%E5%85%8D&space=zeimu"),
        ("reply", "POST", f"/s/zeimu/t/{w.thread_id}/reply"),
    ]


@contextlib.asynccontextmanager
async def as_who(world, who: str):
    client = world.client()
    if who in ("member", "non-member", "deactivated"):
        email = {"member": "sato-k@pref.yamakawa.lg.jp", "non-member": "watanabe-a@town.wakaba.lg.jp",
                 "deactivated": "takahashi-m@city.aoba.lg.jp"}[who]
        assert (await sign_in(client, email)).status_code == 303
    if who == "deactivated":
        await set_active(world.db, world.members["gone"].id, False)
    try:
        yield client
    finally:
        await client.aclose()


EXPECTED = {"member": None, "non-member": 404, "deactivated": 303, "nobody": 303}
# What a member who may read the space gets where it is not 200 or a redirect within the space.
MEMBER_REFUSED = {"inquiry mark": 403}       # 該当なし is for an org admin of an asked organization


@pytest.fixture
async def zeimu(world):
    row = await world.db.fetchone("SELECT id, post_id FROM attachments ORDER BY id LIMIT 1")
    world.attachment_id = row["id"]
    world.thread_id = await world.db.fetchval("SELECT thread_id FROM posts WHERE id = ?", (world.ids["reply"],))
    await open_inquiry(world.db, await get_thread(world.db, world.thread_id), world.members["sato"], date(2026, 12, 5))
    return world


@pytest.mark.parametrize("who", ["member", "non-member", "deactivated", "nobody"])
async def test_every_space_route_answers_only_members(zeimu, who):
    async with as_who(zeimu, who) as client:
        token = await csrf_of(client, "/signin")
        for name, method, path in routes(zeimu):
            if method == "POST":
                response = await client.post(path, data={"csrf": token, "body": "返信です"})
            else:
                response = await client.get(path)
            expected = EXPECTED[who]
            if expected is None and name in MEMBER_REFUSED:
                assert response.status_code == MEMBER_REFUSED[name], name
                continue
            if expected is None:
                assert response.status_code in (200, 303), name
                if response.status_code == 303:
                    assert response.headers["location"].startswith("/s/zeimu/t/"), name
                continue
            assert response.status_code == expected, f"{who} {name}: {response.status_code}"
            assert SECRET_SUBJECT not in response.text and SECRET_TEXT not in response.text, name
            if expected == 303:
                assert response.headers["location"].startswith("/signin?next="), name


async def test_unknown_space_answers_like_a_forbidden_one(zeimu):
    async with as_who(zeimu, "non-member") as client:
        missing = await client.get("/s/no-such-space/")
        forbidden = await client.get("/s/zeimu/")
    assert missing.status_code == forbidden.status_code == 404
    assert missing.text.replace("no-such-space", "zeimu") == forbidden.text


async def test_content_of_one_space_is_not_reachable_through_another(zeimu):
    async with as_who(zeimu, "non-member") as client:       # a member of bousai only
        paths = [f"/s/bousai/t/{zeimu.thread_id}/", f"/s/bousai/a/{zeimu.attachment_id}/x.txt",
                 f"/s/bousai/raw/{zeimu.ids['reply']}.eml"]
        for path in paths:
            response = await client.get(path)
            assert response.status_code == 404, path
            assert SECRET_TEXT not in response.text


async def test_home_lists_only_the_members_spaces(zeimu):
    async with as_who(zeimu, "non-member") as client:
        page = await client.get("/")
    assert "防災・危機管理" in page.text and "税務担当者連絡会" not in page.text


@pytest.mark.parametrize("path", ["/", "/search?q=x", "/s/zeimu/"])
async def test_no_session_is_sent_to_sign_in_with_the_page_to_return_to(zeimu, path):
    async with zeimu.client() as client:
        response = await client.get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin?next=%2F")


@pytest.mark.parametrize("who", ["deactivated", "nobody"])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_settings_answer_only_signed_in_members(zeimu, who, method):
    async with as_who(zeimu, who) as client:
        token = await csrf_of(client, "/signin")
        if method == "POST":
            response = await client.post("/settings", data={"csrf": token, "mode:zeimu": "none"})
        else:
            response = await client.get("/settings")
    assert response.status_code == 303 and response.headers["location"].startswith("/signin?next=")
    modes = await zeimu.db.fetchall("SELECT mode FROM memberships WHERE mode = 'none'")
    assert modes == []


async def test_settings_show_only_my_own_spaces(zeimu):
    async with as_who(zeimu, "non-member") as client:
        page = await client.get("/settings")
    assert page.status_code == 200 and "防災・危機管理" in page.text and "税務担当者連絡会" not in page.text


@pytest.mark.parametrize("action, data", [("edit", {"deadline": "2027-01-10", "target": ["aoba"]}),
                                          ("open", {"deadline": "2027-01-10"})])
async def test_inquiry_forms_from_a_session_need_the_csrf_token(zeimu, action, data):
    async with as_who(zeimu, "member") as client:           # sato: his organization asks
        response = await client.post(f"/s/zeimu/t/{zeimu.thread_id}/inquiry/{action}", data=data)
    assert response.status_code == 403
    assert await zeimu.db.fetchval("SELECT deadline FROM inquiries") == "2026-12-05"


API_ROUTES = ["/api/spaces", "/api/spaces/zeimu", "/api/search?q=%E6%B8%9B%E5%85%8D&space=zeimu"]


async def bearer(world, key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await create_token(world.db, world.members[key].id)}"}


@pytest.mark.parametrize("path", API_ROUTES)
async def test_api_without_a_token_is_401(zeimu, path):
    async with as_who(zeimu, "member") as client:           # a browser session is not an API token
        response = await client.get(path)
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    assert SECRET_SUBJECT not in response.text


@pytest.mark.parametrize("path", API_ROUTES)
async def test_api_token_of_a_deactivated_member_is_401(zeimu, path):
    headers = await bearer(zeimu, "gone")
    await set_active(zeimu.db, zeimu.members["gone"].id, False)
    async with zeimu.client() as client:
        response = await client.get(path, headers=headers)
    assert response.status_code == 401 and SECRET_SUBJECT not in response.text


@pytest.mark.parametrize("path", API_ROUTES[1:])
async def test_api_answers_404_for_a_space_the_caller_cannot_read(zeimu, path):
    async with zeimu.client() as client:
        forbidden = await client.get(path, headers=await bearer(zeimu, "outsider"))
        missing = await client.get(path.replace("zeimu", "no-such-space"), headers=await bearer(zeimu, "outsider"))
    assert forbidden.status_code == missing.status_code == 404
    assert SECRET_SUBJECT not in forbidden.text and SECRET_TEXT not in forbidden.text


async def test_api_lists_only_the_callers_spaces(zeimu):
    async with zeimu.client() as client:
        response = await client.get("/api/spaces", headers=await bearer(zeimu, "outsider"))
    assert [s["slug"] for s in response.json()["spaces"]] == ["bousai"]


async def test_inquiry_csv_with_a_deactivated_members_token_is_refused(zeimu):
    headers = await bearer(zeimu, "gone")
    await set_active(zeimu.db, zeimu.members["gone"].id, False)
    async with zeimu.client() as client:
        response = await client.get(f"/s/zeimu/t/{zeimu.thread_id}/inquiry.csv", headers=headers)
    assert response.status_code == 401 and SECRET_TEXT not in response.text
