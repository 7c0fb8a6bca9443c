"""The JSON API through the real Starlette app and its routes, token-authenticated."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from archive.members import get_member_by_address, set_active
from archive.admin.credentials import create_token
from kairan.server import build_workers, web_services
from tests.search_support import JST, deliver, message
from web.app import create_app

POSTS = (
    message("鈴木 裕子 <suzuki@city.aoba.lg.jp>", "zeimu", "軽自動車税の減免", "減免申請の様式です。",
            datetime(2026, 4, 1, 10, 0, tzinfo=JST), attachments=(("様式.txt", "減免様式".encode(), "text/plain"),)),
    message("高橋 誠 <takahashi@city.aoba.lg.jp>", "bousai", "避難訓練の減免", "訓練日程の件です。",
            datetime(2026, 4, 2, 10, 0, tzinfo=JST)),
)


@pytest.fixture
async def api(seeded):
    """An HTTP client on the app as `kairan serve` wires it, with the index caught up."""
    await deliver(seeded, *POSTS)
    services = web_services(seeded)
    indexer = build_workers(seeded, services).indexer
    await indexer.drain()
    await indexer.close()
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        client.ctx = seeded
        yield client


async def token_for(client, address: str) -> dict:
    member = await get_member_by_address(client.ctx.db, address)
    return {"Authorization": f"Bearer {await create_token(client.ctx.db, member.id)}"}


async def test_no_token_answers_401_with_a_json_error(api):
    response = await api.get("/api/spaces")
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_a_wrong_token_answers_401(api):
    response = await api.get("/api/search?q=減免", headers={"Authorization": "Bearer kairan_nonsense"})
    assert response.status_code == 401


async def test_the_token_of_an_inactive_member_answers_401(api):
    headers = await token_for(api, "suzuki@city.aoba.lg.jp")
    member = await get_member_by_address(api.ctx.db, "suzuki@city.aoba.lg.jp")
    await set_active(api.ctx.db, member.id, False)
    assert (await api.get("/api/spaces", headers=headers)).status_code == 401


async def test_spaces_lists_the_callers_spaces(api):
    response = await api.get("/api/spaces", headers=await token_for(api, "suzuki@city.aoba.lg.jp"))
    assert response.json() == {"spaces": [
        {"slug": "zeimu", "title": "税務担当者連絡会", "address": "zeimu@kairan.test.lg.jp"}]}


async def test_a_space_is_the_show_json_document_with_absolute_attachment_urls(api):
    response = await api.get("/api/spaces/zeimu", headers=await token_for(api, "suzuki@city.aoba.lg.jp"))
    document = response.json()
    assert document["space"] == {"slug": "zeimu", "title": "税務担当者連絡会", "address": "zeimu@kairan.test.lg.jp"}
    [thread] = document["threads"]
    [post] = thread["posts"]
    assert post["reply_text"].startswith("減免申請の様式です。")
    [attachment] = post["attachments"]
    assert attachment["url"].startswith("http://127.0.0.1:8080/s/zeimu/a/")
    assert attachment["url"].endswith("/%E6%A7%98%E5%BC%8F.txt")


async def test_a_space_the_caller_cannot_read_answers_404_like_a_missing_one(api):
    headers = await token_for(api, "suzuki@city.aoba.lg.jp")
    hidden = await api.get("/api/spaces/bousai", headers=headers)
    missing = await api.get("/api/spaces/nosuch", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"].replace("bousai", "X") == missing.json()["error"].replace("nosuch", "X")


async def test_search_answers_the_cli_shape_for_readable_spaces_only(api):
    response = await api.get("/api/search", params={"q": "減免"},
                             headers=await token_for(api, "suzuki@city.aoba.lg.jp"))
    document = response.json()
    assert document["total"] == 1
    assert [(h["space"], h["subject"]) for h in document["hits"]] == [("zeimu", "軽自動車税の減免")]
    assert set(document["hits"][0]) == {"space", "thread_id", "post_id", "subject", "from_name", "date", "snippet"}


async def test_search_as_a_non_member_finds_nothing(api):
    response = await api.get("/api/search", params={"q": "減免"},
                             headers=await token_for(api, "outsider@town.wakaba.lg.jp"))
    assert (response.status_code, response.json()["total"], response.json()["hits"]) == (200, 0, [])


async def test_search_in_a_space_the_caller_cannot_read_answers_404(api):
    headers = await token_for(api, "suzuki@city.aoba.lg.jp")
    response = await api.get("/api/search", params={"q": "減免", "space": "bousai"}, headers=headers)
    assert response.status_code == 404


async def test_search_sorts_by_date_and_pages(api):
    headers = await token_for(api, "sato@pref.yamakawa.lg.jp")
    newest = await api.get("/api/search", params={"q": "減免", "sort": "date"}, headers=headers)
    assert [h["space"] for h in newest.json()["hits"]] == ["bousai", "zeimu"]
    page2 = await api.get("/api/search", params={"q": "減免", "page": "2"}, headers=headers)
    assert (page2.json()["total"], page2.json()["hits"], page2.json()["page"]) == (2, [], 2)


async def test_search_with_a_bad_page_or_query_still_answers(api):
    headers = await token_for(api, "sato@pref.yamakawa.lg.jp")
    response = await api.get("/api/search", params={"q": '"減免 -', "page": "x"}, headers=headers)
    assert response.status_code == 200
