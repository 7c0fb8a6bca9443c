"""The matrix page, its CSV/XLSX and its forms, through the real Starlette app."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook

from archive.clock import to_iso
from archive.members import get_member_by_address
from tests.inquiries.conftest import (ITO, KIMURA, START, SUZUKI, TAKAHASHI, TANAKA, YAMADA, letter, send)
from web.app import create_app
from web.services import WebServices

SUBJECT = "【照会】避難所の備蓄状況について（回答期限：12月5日）"


async def token_for(ctx, address: str) -> dict:
    member = await get_member_by_address(ctx.db, address)
    token = f"token-{member.id}"
    async with ctx.db.write() as tx:
        await tx.execute("INSERT OR IGNORE INTO api_tokens (token_sha256, member_id, created_at) VALUES (?, ?, ?)",
                         (hashlib.sha256(token.encode()).hexdigest(), member.id, to_iso(START)))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def web(inq_gateway):
    ctx = inq_gateway.ctx
    services = WebServices(db=ctx.db, blobs=ctx.blobs, domain=ctx.settings.domain, base_url="http://kairan.test",
                           secret_key="k", clock=ctx.clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services)),
                                 base_url="http://kairan.test") as client:
        yield client


async def opened(gateway) -> str:
    mid = await send(gateway, letter(TANAKA, SUBJECT, "備蓄数をお知らせください。\n", START))
    await send(gateway, letter(TAKAHASHI, "Re: " + SUBJECT, "毛布は1,200枚です。\n", START + timedelta(hours=1),
                               parent=mid, attachment=("備蓄_青葉市.xlsx", b"PK\x03\x04", "application/octet-stream")))
    thread_id = await gateway.ctx.db.fetchval("SELECT thread_id FROM inquiries")
    return f"/s/bousai/t/{thread_id}/inquiry"


async def test_matrix_page_shows_each_org_with_status_answerer_and_file(inq_gateway, web):
    url = await opened(inq_gateway)
    page = await web.get(url, headers=await token_for(inq_gateway.ctx, ITO))
    assert page.status_code == 200
    assert "2026年12月5日(土)" in page.text and "高橋 誠" in page.text and "備蓄_青葉市.xlsx" in page.text
    assert page.text.index('data-org="aoba"') < page.text.index('data-org="midori"') < page.text.index(
        'data-org="wakaba"')


async def test_matrix_sorts_by_status(inq_gateway, web):
    url = await opened(inq_gateway)
    page = await web.get(url + "?sort=status&desc=1", headers=await token_for(inq_gateway.ctx, ITO))
    assert page.text.index('data-org="aoba"') < page.text.index('data-org="midori"')


async def test_non_member_gets_404_and_anonymous_is_sent_to_sign_in(inq_gateway, web):
    url = await opened(inq_gateway)
    assert (await web.get(url, headers=await token_for(inq_gateway.ctx, YAMADA))).status_code == 404
    anonymous = await web.get(url)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/signin?next=")
    assert (await web.get(url, headers={"Authorization": "Bearer not-a-token"})).status_code == 401
    assert (await web.get(url + ".csv", headers=await token_for(inq_gateway.ctx, YAMADA))).status_code == 404
    assert (await web.get("/s/nosuch/t/1/inquiry", headers=await token_for(inq_gateway.ctx, ITO))).status_code == 404


async def test_csv_download_is_excel_ready(inq_gateway, web):
    url = await opened(inq_gateway)
    response = await web.get(url + ".csv", headers=await token_for(inq_gateway.ctx, SUZUKI))
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert "毛布は1,200枚です。" in response.content.decode("utf-8-sig")


async def test_xlsx_download_opens_in_openpyxl(inq_gateway, web):
    url = await opened(inq_gateway)
    response = await web.get(url + ".xlsx", headers=await token_for(inq_gateway.ctx, SUZUKI))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["回答状況"][2]][:3] == ["青葉市", "aoba", "回答済"]


async def test_org_admin_marks_not_applicable_on_the_page(inq_gateway, web):
    url = await opened(inq_gateway)
    headers = await token_for(inq_gateway.ctx, KIMURA)
    response = await web.post(url + "/mark", data={"na": "1"}, headers=headers)
    assert response.status_code == 303
    page = await web.get(url, headers=headers)
    row = page.text[page.text.index('data-org="midori"'):]
    assert "該当なし" in row[:400] and "木村 花子" in row[:800]


async def test_non_admin_may_not_mark(inq_gateway, web):
    url = await opened(inq_gateway)
    response = await web.post(url + "/mark", data={"na": "1"}, headers=await token_for(inq_gateway.ctx, TAKAHASHI))
    assert response.status_code == 403


async def test_asker_edits_deadline_and_targets(inq_gateway, web):
    url = await opened(inq_gateway)
    headers = await token_for(inq_gateway.ctx, TANAKA)
    response = await web.post(url + "/edit", data={"deadline": "2026-12-10", "target": ["aoba", "wakaba"]},
                              headers=headers)
    assert response.status_code == 303
    page = await web.get(url, headers=headers)
    assert "2026年12月10日(木)" in page.text and 'data-org="midori"' not in page.text


async def test_bad_deadline_is_a_clear_message_not_a_crash(inq_gateway, web):
    url = await opened(inq_gateway)
    headers = await token_for(inq_gateway.ctx, TANAKA)
    response = await web.post(url + "/edit", data={"deadline": "来週", "target": ["aoba"]}, headers=headers,
                              follow_redirects=True)
    assert response.status_code == 200 and "入力に誤りがあります" in response.text


async def test_other_org_may_not_edit(inq_gateway, web):
    url = await opened(inq_gateway)
    response = await web.post(url + "/edit", data={"deadline": "2026-12-10"},
                              headers=await token_for(inq_gateway.ctx, SUZUKI))
    assert response.status_code == 403


async def test_plain_thread_can_be_made_an_inquiry_from_the_web(inq_gateway, web):
    await send(inq_gateway, letter(TANAKA, "訓練参加者の取りまとめ", "人数を教えてください。\n", START))
    thread_id = await inq_gateway.ctx.db.fetchval("SELECT id FROM threads")
    url = f"/s/bousai/t/{thread_id}/inquiry"
    headers = await token_for(inq_gateway.ctx, TANAKA)
    assert "照会ではありません" in (await web.get(url, headers=headers)).text
    assert (await web.post(url + "/open", data={"deadline": "2026-12-20"}, headers=headers)).status_code == 303
    page = await web.get(url, headers=headers)
    assert "2026年12月20日(日)" in page.text and 'data-org="wakaba"' in page.text
