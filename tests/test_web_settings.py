"""The settings page through the real routes: delivery per space, digest hour, language."""

from __future__ import annotations

import contextlib

import pytest

from archive.preferences import get_digest_hour, member_modes
from tests.world import csrf_of, sign_in

SATO = "sato-k@pref.yamakawa.lg.jp"


@contextlib.asynccontextmanager
async def signed_in(world, email: str = SATO):
    async with world.client() as client:
        assert (await sign_in(client, email)).status_code == 303
        yield client


async def modes_of(world, key: str = "sato") -> dict[str, str]:
    return {slug: mode for _, slug, _, mode in await member_modes(world.db, world.members[key].id)}


async def test_settings_page_lists_my_spaces_with_their_mode(world):
    async with signed_in(world) as client:
        page = await client.get("/settings")
    assert page.status_code == 200
    assert "税務担当者連絡会" in page.text and "防災・危機管理" in page.text
    assert 'name="mode:zeimu" value="digest" checked' in page.text       # the default for a new membership
    assert "1通ずつ" in page.text and "ダイジェスト" in page.text and "受け取らない" in page.text


async def test_header_links_to_settings(world):
    async with signed_in(world) as client:
        home = await client.get("/")
    assert 'href="/settings"' in home.text


async def test_saving_changes_the_mode_and_the_hour(world):
    async with signed_in(world) as client:
        token = await csrf_of(client, "/settings")
        response = await client.post("/settings", data={"csrf": token, "mode:zeimu": "each", "mode:bousai": "none",
                                                        "digest_hour": "7", "lang": "ja"})
        assert response.status_code == 303 and response.headers["location"] == "/settings?saved=1"
        page = await client.get(response.headers["location"])
    assert await modes_of(world) == {"zeimu": "each", "bousai": "none"}
    assert await get_digest_hour(world.db, world.members["sato"].id) == 7
    assert "設定を保存しました。" in page.text


async def test_empty_hour_means_the_deployment_default(world):
    async with signed_in(world) as client:
        token = await csrf_of(client, "/settings")
        await client.post("/settings", data={"csrf": token, "digest_hour": "7"})
        await client.post("/settings", data={"csrf": token, "digest_hour": ""})
        page = await client.get("/settings")
    assert await get_digest_hour(world.db, world.members["sato"].id) is None
    assert '<option value="" selected>既定（8時）</option>' in page.text


@pytest.mark.parametrize("field, value, message", [
    ("digest_hour", "25", "0〜23 時"),
    ("digest_hour", "七", "0〜23 時"),
    ("mode:zeimu", "weekly", "配信方法は"),
    ("mode:secret-space", "none", "参加していないスペース"),
    ("lang", "fr", "言語は"),
])
async def test_bad_input_is_explained_and_changes_nothing(world, field, value, message):
    async with signed_in(world) as client:
        token = await csrf_of(client, "/settings")
        data = {"csrf": token, "mode:bousai": "none", "digest_hour": "6", field: value}
        response = await client.post("/settings", data=data)
    assert response.status_code == 400 and message in response.text
    assert await modes_of(world) == {"zeimu": "digest", "bousai": "digest"}
    assert await get_digest_hour(world.db, world.members["sato"].id) is None


async def test_a_space_i_am_not_in_cannot_be_changed(world):
    async with signed_in(world, "watanabe-a@town.wakaba.lg.jp") as client:      # bousai only
        token = await csrf_of(client, "/settings")
        page = await client.get("/settings")
        response = await client.post("/settings", data={"csrf": token, "mode:zeimu": "none"})
    assert "税務担当者連絡会" not in page.text
    assert response.status_code == 400 and "税務担当者連絡会" not in response.text
    assert (await modes_of(world, "sato"))["zeimu"] == "digest"


async def test_saving_without_the_csrf_token_is_refused(world):
    async with signed_in(world) as client:
        response = await client.post("/settings", data={"mode:zeimu": "none"})
    assert response.status_code == 403
    assert (await modes_of(world))["zeimu"] == "digest"


async def test_choosing_english_switches_the_pages(world):
    async with signed_in(world) as client:
        token = await csrf_of(client, "/settings")
        await client.post("/settings", data={"csrf": token, "lang": "en"})
        page = await client.get("/settings")
    assert "Settings" in page.text and 'name="lang" value="en" checked' in page.text
