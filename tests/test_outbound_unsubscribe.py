"""One-click unsubscribe through the real Starlette app: no sign-in, a signed token, GET confirms, POST stops."""

from __future__ import annotations

import re

import httpx
import pytest

from archive.spaces import get_membership
from archive.unsubscribe import make_token
from web.app import create_app
from web.services import WebServices
from tests.outbound_support import SECRET, make_world, set_mode


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path)
    yield w
    await w.db.close()


@pytest.fixture
async def client(world):
    services = WebServices(db=world.db, blobs=world.blobs, domain="kairan.test.lg.jp",
                           base_url="https://kairan.test.lg.jp", secret_key=SECRET, clock=world.clock)
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="https://kairan.test.lg.jp") as c:
        yield c


async def mode_of(world, space: str, person: str) -> str:
    return (await get_membership(world.db, world.spaces[space].id, world.people[person].id)).mode


async def test_get_shows_a_confirm_page_and_changes_nothing(world, client):
    await set_mode(world, "zeimu", "suzuki", "each")
    token = make_token(SECRET, world.people["suzuki"].id, world.spaces["zeimu"].id)
    response = await client.get(f"/unsubscribe/{token}")
    assert response.status_code == 200
    assert "「税務担当者連絡会」のメールの配信を停止しますか" in response.text
    assert await mode_of(world, "zeimu", "suzuki") == "each"


async def test_post_from_the_confirm_page_sets_the_space_to_none(world, client):
    await set_mode(world, "zeimu", "suzuki", "each")
    token = make_token(SECRET, world.people["suzuki"].id, world.spaces["zeimu"].id)
    confirm = await client.get(f"/unsubscribe/{token}")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', confirm.text).group(1)
    response = await client.post(f"/unsubscribe/{token}", data={"csrf": csrf})
    assert response.status_code == 200 and "配信を停止しました" in response.text
    assert await mode_of(world, "zeimu", "suzuki") == "none"
    assert await mode_of(world, "bousai", "suzuki") == "digest"


async def test_the_rfc8058_one_click_post_unsubscribes(world, client):
    token = make_token(SECRET, world.people["ito"].id, world.spaces["zeimu"].id)
    response = await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert await mode_of(world, "zeimu", "ito") == "none"


async def test_the_digest_token_stops_every_digest_space_and_leaves_each_alone(world, client):
    await set_mode(world, "bousai", "sato", "each")
    token = make_token(SECRET, world.people["sato"].id, None)
    await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert await mode_of(world, "zeimu", "sato") == "none"
    assert await mode_of(world, "bousai", "sato") == "each"


async def test_a_forged_or_cut_token_gets_a_clear_400_page(world, client):
    token = make_token("another-key", world.people["ito"].id, world.spaces["zeimu"].id)
    for bad in (token, token[:-4], "nonsense"):
        response = await client.post(f"/unsubscribe/{bad}")
        assert response.status_code == 400 and "このリンクは無効です" in response.text
    assert await mode_of(world, "zeimu", "ito") == "digest"


async def test_a_form_post_without_the_csrf_token_changes_nothing(world, client):
    await set_mode(world, "zeimu", "suzuki", "each")
    token = make_token(SECRET, world.people["suzuki"].id, world.spaces["zeimu"].id)
    response = await client.post(f"/unsubscribe/{token}", data={"csrf": "forged"})
    assert response.status_code == 403
    assert await mode_of(world, "zeimu", "suzuki") == "each"


async def test_unsubscribe_pages_use_no_inline_styles_the_csp_would_block(world, client):
    token = make_token(SECRET, world.people["suzuki"].id, world.spaces["zeimu"].id)
    pages = [await client.get(f"/unsubscribe/{token}"), await client.get("/unsubscribe/nonsense"),
             await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})]
    for page in pages:
        assert "style=" not in page.text and "<style" not in page.text
        assert 'href="/static/kairan.css"' in page.text
