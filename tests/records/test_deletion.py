"""Deleting a post (誤送信): gone from pages, search, the API, exports and unsent digests; its blobs
erased unless another post uses them; the audit log keeps who, when, why and the subject, not the text."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime, timedelta

import httpx
import pytest

from archive.clock import to_iso
from archive.members import get_member_by_address
from archive.spaces import get_space, set_membership
from kairan.context import open_context
from tests.records.mailboxes import JST, SATO, SUZUKI, rfc822, thunderbird_mbox
from tests.records.support import copy_of, kairan, ok, rows, seeded_data, show
from archive.members import set_password_hash
from archive.admin.credentials import create_token
from tests.world import password_hash, sign_in
from web.app import create_app
from web.services import WebServices

SECRET = "住民の個人番号 1234-5678"
SHARED = ("名簿.csv", "氏名,住所\n".encode("utf-8") * 20)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("deletion")
    data = seeded_data(tmp_path / "data")
    ok(data, "import", "zeimu", str(thunderbird_mbox(tmp_path / "in.mbox", [
        rfc822("<wrong@aoba>", "誤送信のメール", SUZUKI, datetime(2026, 11, 30, 10, tzinfo=JST), SECRET + "\n",
               attachment=SHARED),
        rfc822("<keep@pref>", "正しいメール", SATO, datetime(2026, 11, 30, 11, tzinfo=JST), "正しい内容\n",
               attachment=SHARED),
    ])))
    return data


@pytest.fixture
def data(template, tmp_path):
    (tmp_path / "in.mbox").write_bytes((template.parent / "in.mbox").read_bytes())
    return copy_of(template, tmp_path / "data")


def post_id(data, message_id: str) -> int:
    return rows(data, "SELECT id FROM posts WHERE message_id = ?", (message_id,))[0][0]


def blob(data, sha: str):
    return data / "blobs" / sha[:2] / sha[2:4] / sha


def test_a_space_admin_deletes_and_everything_forgets_it(data, tmp_path):
    ok(data, "space", "add-member", "zeimu", "sato@pref.yamakawa.lg.jp")
    asyncio.run(make_admin(data, "sato@pref.yamakawa.lg.jp"))
    wrong = post_id(data, "<wrong@aoba>")
    [(raw_sha,)] = rows(data, "SELECT raw_sha256 FROM posts WHERE id = ?", (wrong,))
    shared_sha = hashlib.sha256(SHARED[1]).hexdigest()
    assert blob(data, raw_sha).exists() and blob(data, shared_sha).exists()
    ok(data, "post", "delete", "zeimu", str(wrong), "--reason", "誤送信（個人情報）", "--as", "sato@pref.yamakawa.lg.jp")
    assert SECRET not in str(show(data))
    assert '"total": 0' in ok(data, "search", "個人番号", "--as", "sato@pref.yamakawa.lg.jp", "--json")[-1]
    ok(data, "export", "zeimu", str(tmp_path / "out.mbox"))
    assert SECRET.encode() not in (tmp_path / "out.mbox").read_bytes()
    assert not blob(data, raw_sha).exists()
    assert blob(data, shared_sha).exists()                   # the other post still has the same file
    [(actor, target, detail)] = rows(data, "SELECT actor, target, detail FROM audit_log WHERE action = 'post.delete'")
    assert actor == "sato@pref.yamakawa.lg.jp" and target == f"post:{wrong}"
    assert "誤送信（個人情報）" in detail and "誤送信のメール" in detail and "個人番号" not in detail
    page, api = asyncio.run(web_views(data, "sato@pref.yamakawa.lg.jp"))
    assert "この投稿は削除されました" in page and "sato@pref.yamakawa.lg.jp" in page
    assert SECRET not in page and "誤送信のメール" in page          # the thread keeps its subject
    assert SECRET not in api and "正しい内容" in api


def test_the_last_blob_user_takes_the_shared_file_with_it(data):
    shared_sha = hashlib.sha256(SHARED[1]).hexdigest()
    for mid in ("<wrong@aoba>", "<keep@pref>"):
        ok(data, "post", "delete", "zeimu", str(post_id(data, mid)), "--reason", "整理")
    assert not blob(data, shared_sha).exists()
    assert rows(data, "SELECT COUNT(*) FROM blob_garbage") == [(0,)]


def test_the_author_may_delete_their_own_post_within_24_hours_only(data):
    wrong, keep = post_id(data, "<wrong@aoba>"), post_id(data, "<keep@pref>")
    refused = kairan(data, "post", "delete", "zeimu", str(keep), "--reason", "x", "--as", "suzuki@city.aoba.lg.jp")
    assert refused.returncode == 1 and "24 hours" in refused.stderr
    rows_before = rows(data, "SELECT COUNT(*) FROM posts")
    with_old_date(data, wrong)
    late = kairan(data, "post", "delete", "zeimu", str(wrong), "--reason", "x", "--as", "suzuki@city.aoba.lg.jp")
    assert late.returncode == 1 and rows(data, "SELECT COUNT(*) FROM posts") == rows_before
    rows(data, "UPDATE posts SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", (wrong,))
    ok(data, "post", "delete", "zeimu", str(wrong), "--reason", "誤送信", "--as", "suzuki@city.aoba.lg.jp")
    assert rows(data, "SELECT deleted_by_label FROM post_tombstones") == [("suzuki@city.aoba.lg.jp",)]


def test_a_deleted_post_is_in_no_digest_not_yet_sent(data):
    ok(data, "space", "add-member", "zeimu", "ito@town.wakaba.lg.jp", "--mode", "digest")
    live = asyncio.run(live_post(data, "今日の連絡: " + SECRET))
    as_of = (datetime.now(JST) + timedelta(days=1)).replace(hour=9, minute=0, second=0).isoformat()
    assert "0 digest(s)" not in ok(data, "digest", "--as-of", as_of, "--dry-run")[-1]
    ok(data, "post", "delete", "zeimu", str(live), "--reason", "誤送信")
    assert "0 digest(s) would be sent" in ok(data, "digest", "--as-of", as_of, "--dry-run")[-1]


def test_reimporting_the_mailbox_does_not_bring_a_deleted_post_back(data, tmp_path):
    ok(data, "post", "delete", "zeimu", str(post_id(data, "<wrong@aoba>")), "--reason", "誤送信")
    out = ok(data, "import", "zeimu", str(tmp_path / "in.mbox"))
    assert out[-1] == "imported 0, already there 2, failed 0" and SECRET not in str(show(data))


def with_old_date(data, post: int) -> None:
    rows(data, "UPDATE posts SET created_at = '2020-01-01T00:00:00Z' WHERE id = ?", (post,))


async def make_admin(data, address: str) -> None:
    async with open_context(data) as ctx:
        await set_membership(ctx.db, "zeimu", address, role="admin")


async def live_post(data, text: str) -> int:
    from archive.posts import NewPost, add_post
    async with open_context(data) as ctx:
        space = await get_space(ctx.db, "zeimu")
        author = await get_member_by_address(ctx.db, "suzuki@city.aoba.lg.jp")
        stored = await add_post(ctx.db, NewPost(space.id, None, "<live@aoba>", "連絡", "連絡", author.name,
                                                author.email, to_iso(ctx.clock()), author_id=author.id,
                                                reply_text=text, body_text=text, source="web"))
        return stored.post_id


async def web_views(data, address: str) -> tuple[str, str]:
    async with open_context(data) as ctx:
        member = await get_member_by_address(ctx.db, address)
        await set_password_hash(ctx.db, member.id, password_hash())
        token = await create_token(ctx.db, member.id)
        services = WebServices(db=ctx.db, blobs=ctx.blobs, domain="kairan.test.lg.jp", base_url="http://testserver",
                               secret_key="k")
        thread = (await ctx.db.fetchone("SELECT thread_id FROM post_tombstones"))[0]
        transport = httpx.ASGITransport(app=create_app(services))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await sign_in(client, address)).status_code == 303
            page = await client.get(f"/s/zeimu/t/{thread}/")
            api = await client.get("/api/spaces/zeimu", headers={"Authorization": f"Bearer {token}"})
        assert page.status_code == 200 and api.status_code == 200
        return page.text, api.text
