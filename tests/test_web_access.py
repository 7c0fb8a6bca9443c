"""Members only, on every route: a table of routes × who asks.

Choice for requests without a session: every page, file and form answers with
a redirect to the sign-in page (303) before anything is looked up, so it says
nothing about whether a space exists. A deactivated member's session is
treated as no session. Someone signed in who may not read a space gets 404,
exactly as for a space that does not exist.
"""

from __future__ import annotations

import contextlib

import pytest

from archive.members import set_active
from tests.world import csrf_of, sign_in

SECRET_SUBJECT = "固定資産税の減免申請"
SECRET_TEXT = "準半壊"


def routes(w) -> list[tuple[str, str, str]]:
    """(name, method, path) of everything that shows or changes zeimu's content."""
    att = w.attachment_id
    return [
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


@pytest.fixture
async def zeimu(world):
    row = await world.db.fetchone("SELECT id, post_id FROM attachments ORDER BY id LIMIT 1")
    world.attachment_id = row["id"]
    world.thread_id = await world.db.fetchval("SELECT thread_id FROM posts WHERE id = ?", (world.ids["reply"],))
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
