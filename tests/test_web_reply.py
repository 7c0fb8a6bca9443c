"""Replying in the browser stores a post through archive.posts.add_post, like mail."""

from __future__ import annotations

import email
import email.policy

from archive.posts import get_post
from tests.test_web_pages import signed_in, thread_id_of
from tests.world import csrf_of


async def post_reply(world, client, files=None, body="了解しました。当市も同じ基準で運用します。"):
    tid = await thread_id_of(world)
    token = await csrf_of(client, f"/s/zeimu/t/{tid}/")
    return await client.post(f"/s/zeimu/t/{tid}/reply", data={"csrf": token, "body": body}, files=files)


async def test_reply_is_stored_with_its_own_message_id_and_in_reply_to_the_last_post(world):
    async with signed_in(world) as client:
        response = await post_reply(world, client)
    assert response.status_code == 303
    post_id = int(response.headers["location"].rsplit("#post-", 1)[1])
    post = await get_post(world.db, post_id)
    assert post.source == "web" and post.author_id == world.members["sato"].id
    assert post.message_id.endswith("@kairan.example.lg.jp>")
    assert post.in_reply_to == "<z2@town.wakaba.lg.jp>"
    assert post.reply_text == "了解しました。当市も同じ基準で運用します。"
    assert post.thread_id == await thread_id_of(world)


async def test_reply_wakes_the_workers_and_is_queued_for_index_and_notification(world):
    async with signed_in(world) as client:
        response = await post_reply(world, client)
    post_id = int(response.headers["location"].rsplit("#post-", 1)[1])
    assert world.stored == [post_id]
    assert await world.db.fetchval("SELECT COUNT(*) FROM index_queue WHERE post_id = ?", (post_id,)) == 1
    assert await world.db.fetchval("SELECT COUNT(*) FROM notify_queue WHERE post_id = ?", (post_id,)) == 1


async def test_reply_attachments_land_in_the_blob_store_and_the_raw_message(world):
    files = [("files", ("集計表.csv", "市町,件数\n青葉市,12\n".encode(), "text/csv"))]
    async with signed_in(world) as client:
        response = await post_reply(world, client, files=files)
        post = await get_post(world.db, int(response.headers["location"].rsplit("#post-", 1)[1]))
        download = await client.get(f"/s/zeimu/a/{post.attachments[0].id}/x")
        raw = await client.get(f"/s/zeimu/raw/{post.id}.eml")
    assert post.attachments[0].filename == "集計表.csv" and post.attachments[0].size == len("市町,件数\n青葉市,12\n".encode())
    assert download.content == "市町,件数\n青葉市,12\n".encode()
    message = email.message_from_bytes(raw.content, policy=email.policy.default)
    assert message["In-Reply-To"] == "<z2@town.wakaba.lg.jp>"
    assert [part.get_filename() for part in message.iter_attachments()] == ["集計表.csv"]


async def test_empty_reply_is_refused_with_a_message_and_stores_nothing(world):
    before = await world.db.fetchval("SELECT COUNT(*) FROM posts")
    async with signed_in(world) as client:
        response = await post_reply(world, client, body="   ")
    assert response.status_code == 400
    assert "本文を入力するか、ファイルを添付してください。" in response.text
    assert await world.db.fetchval("SELECT COUNT(*) FROM posts") == before


async def test_reply_without_csrf_token_is_refused(world):
    tid = await thread_id_of(world)
    async with signed_in(world) as client:
        response = await client.post(f"/s/zeimu/t/{tid}/reply", data={"body": "偽の投稿"})
    assert response.status_code == 403
    assert await world.db.fetchval("SELECT COUNT(*) FROM posts WHERE source = 'web'") == 0


async def test_reply_shows_on_the_thread_page_afterwards(world):
    async with signed_in(world) as client:
        response = await post_reply(world, client)
        page = await client.get(response.headers["location"].split("#")[0])
    assert "了解しました。当市も同じ基準で運用します。" in page.text and "Webから投稿" in page.text


async def test_reply_posted_from_another_site_is_refused_even_with_a_token(world):
    tid = await thread_id_of(world)
    async with signed_in(world) as client:
        token = await csrf_of(client, f"/s/zeimu/t/{tid}/")
        response = await client.post(f"/s/zeimu/t/{tid}/reply", data={"csrf": token, "body": "外部から"},
                                     headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert await world.db.fetchval("SELECT COUNT(*) FROM posts WHERE source = 'web'") == 0


async def test_reply_from_this_site_with_an_origin_header_is_accepted(world):
    tid = await thread_id_of(world)
    async with signed_in(world) as client:
        token = await csrf_of(client, f"/s/zeimu/t/{tid}/")
        response = await client.post(f"/s/zeimu/t/{tid}/reply", data={"csrf": token, "body": "同じサイトから"},
                                     headers={"Origin": "http://testserver"})
    assert response.status_code == 303
