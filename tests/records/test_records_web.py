"""The records page for space admins (upload with progress, exports, retention), deletion from the
thread page, and the system admins' disposal page — through the real app and its routes."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import zipfile
from datetime import datetime

import httpx
import pytest

from archive.members import get_member_by_address, set_password_hash
from archive.spaces import set_membership
from kairan.context import open_context
from kairan.uploads import upload_importer
from tests.records.mailboxes import JST, SATO, SUZUKI, outlook_eml, rfc822, thunderbird_mbox
from tests.records.support import ok, rows, seeded_data
from tests.world import csrf_of, password_hash, sign_in
from web.app import create_app
from web.services import WebServices

ADMIN = "sato@pref.yamakawa.lg.jp"
MEMBER = "ito@town.wakaba.lg.jp"


@contextlib.asynccontextmanager
async def client_as(ctx, address: str, **options):
    member = await get_member_by_address(ctx.db, address)
    await set_password_hash(ctx.db, member.id, password_hash())
    services = WebServices(db=ctx.db, blobs=ctx.blobs, domain="kairan.test.lg.jp", base_url="http://testserver",
                           secret_key="k", retention_default="permanent", start_import=upload_importer(ctx),
                           import_dir=ctx.settings.data_dir / "imports", **options)
    transport = httpx.ASGITransport(app=create_app(services), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await sign_in(client, address)).status_code == 303
        yield client


@pytest.fixture
def data(tmp_path):
    data = seeded_data(tmp_path / "data")

    async def admin():
        async with open_context(data) as ctx:
            await set_membership(ctx.db, "zeimu", ADMIN, role="admin")
    asyncio.run(admin())
    return data


def eml_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("研修/1.eml", outlook_eml("<z1@pref>", "研修の案内", SATO, datetime(2022, 5, 9, 9, tzinfo=JST),
                                                 "各位\n研修のご案内です。\n"))
        archive.writestr("研修/2.eml", outlook_eml("<z2@aoba>", "RE: 研修の案内", SUZUKI,
                                                 datetime(2022, 5, 9, 15, tzinfo=JST), "参加します。\n", "<z1@pref>"))
    return out.getvalue()


async def test_a_space_admin_uploads_a_zip_and_watches_it_finish(data):
    async with open_context(data) as ctx, client_as(ctx, ADMIN) as client:
        page = await client.get("/s/zeimu/records")
        assert page.status_code == 200 and "過去のメールを取り込む" in page.text and "2,048 MB まで" in page.text
        sent = await client.post("/s/zeimu/records/import", data={"csrf": await csrf_of(client, "/s/zeimu/records")},
                                 files={"mailbox": ("研修.zip", eml_zip(), "application/zip")})
        assert sent.status_code == 303
        progress = sent.headers["location"]
        for _ in range(200):
            shown = await client.get(progress)
            if 'data-import-status="done"' in shown.text:
                break
            assert 'http-equiv="refresh"' in shown.text                # refreshes itself while it runs
            await asyncio.sleep(0.05)
        assert "取り込み 2 件、既存 0 件、失敗 0 件" in shown.text and "<progress" in shown.text
        assert rows(data, "SELECT subject, post_count FROM threads") == [("研修の案内", 2)]
        for _ in range(100):                                           # the upload goes when the task ends
            if not list((data / "imports").iterdir()):
                break
            await asyncio.sleep(0.05)
        assert list((data / "imports").iterdir()) == []


async def test_an_upload_past_the_limit_is_refused_before_it_is_stored(data):
    async with open_context(data) as ctx, client_as(ctx, ADMIN, max_import_upload_bytes=1000) as client:
        big = await client.post("/s/zeimu/records/import", data={"csrf": await csrf_of(client, "/s/zeimu/records")},
                                files={"mailbox": ("古いメール.mbox", b"From x\n" + b"a" * 5000, "application/mbox")})
        assert big.status_code == 413 and "kairan import" in big.text and "Traceback" not in big.text
    assert not (data / "imports").exists() or list((data / "imports").iterdir()) == []
    assert rows(data, "SELECT COUNT(*) FROM import_runs") == [(0,)]


async def test_only_space_admins_reach_the_records_page(data):
    async with open_context(data) as ctx, client_as(ctx, MEMBER) as client:
        assert (await client.get("/s/zeimu/records")).status_code == 403
        assert (await client.get("/s/zeimu/records/export.zip")).status_code == 403


async def test_exports_download_and_are_audited(data, tmp_path):
    ok(data, "import", "zeimu", str(thunderbird_mbox(tmp_path / "in.mbox", [
        rfc822("<e1@pref>", "書き出しの件", SATO, datetime(2022, 5, 9, 9, tzinfo=JST), "本文です。\n")])))
    async with open_context(data) as ctx, client_as(ctx, ADMIN) as client:
        archive = await client.get("/s/zeimu/records/export.zip")
        assert archive.status_code == 200 and "attachment" in archive.headers["content-disposition"]
        assert "index.html" in zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
        mbox = await client.get("/s/zeimu/records/export.mbox")
        assert mbox.status_code == 200 and mbox.content.startswith(b"From MAILER-DAEMON")
        assert (await client.get("/s/zeimu/records/export.exe")).status_code == 404
    assert [a for a, in rows(data, "SELECT actor FROM audit_log WHERE action = 'export'")] == [ADMIN, ADMIN]


async def test_retention_is_changed_on_the_page_and_audited(data):
    async with open_context(data) as ctx, client_as(ctx, ADMIN) as client:
        token = await csrf_of(client, "/s/zeimu/records")
        done = await client.post("/s/zeimu/records/retention", data={"csrf": token, "retention": "10y"})
        assert done.status_code == 303
        assert (await client.post("/s/zeimu/records/retention", data={"csrf": token, "retention": "99y"})).status_code == 400
    assert rows(data, "SELECT retention FROM spaces WHERE slug = 'zeimu'") == [("10y",)]


async def test_the_thread_page_deletes_a_post_for_its_admin(data, tmp_path):
    ok(data, "import", "zeimu", str(thunderbird_mbox(tmp_path / "in.mbox", [
        rfc822("<d1@aoba>", "誤送信", SUZUKI, datetime(2022, 5, 9, 9, tzinfo=JST), "個人情報を含む本文\n"),
        rfc822("<d2@pref>", "Re: 誤送信", SATO, datetime(2022, 5, 9, 10, tzinfo=JST), "削除します。\n", "<d1@aoba>")])))
    [(thread, first)] = rows(data, "SELECT thread_id, id FROM posts WHERE message_id = '<d1@aoba>'")
    async with open_context(data) as ctx:
        async with client_as(ctx, MEMBER) as client:
            page = await client.get(f"/s/zeimu/t/{thread}/")
            assert "この投稿を削除" not in page.text and "インポート" not in page.text     # authors are members
            token = await csrf_of(client, f"/s/zeimu/t/{thread}/")
            assert (await client.post(f"/s/zeimu/p/{first}/delete",
                                      data={"csrf": token, "reason": "x"})).status_code == 403
        async with client_as(ctx, ADMIN) as client:
            page = await client.get(f"/s/zeimu/t/{thread}/")
            assert page.text.count("この投稿を削除") == 2
            token = await csrf_of(client, f"/s/zeimu/t/{thread}/")
            done = await client.post(f"/s/zeimu/p/{first}/delete", data={"csrf": token, "reason": "誤送信"})
            assert done.status_code == 303
            page = await client.get(f"/s/zeimu/t/{thread}/")
    assert "個人情報を含む本文" not in page.text and "削除します。" in page.text
    assert page.text.index("この投稿は削除されました") < page.text.index("削除します。")   # where it stood


async def test_the_disposal_page_lists_approves_and_gives_the_register(data, tmp_path):
    ok(data, "import", "zeimu", str(thunderbird_mbox(tmp_path / "in.mbox", [
        rfc822("<r1@pref>", "古い記録", SATO, datetime(2001, 5, 9, 9, tzinfo=JST), "古い\n")])))
    ok(data, "space", "set-retention", "zeimu", "1y")
    rows(data, "UPDATE members SET is_admin = 1 WHERE id = (SELECT member_id FROM member_addresses WHERE address = ?)",
         (MEMBER,))
    async with open_context(data) as ctx, client_as(ctx, MEMBER) as client:
        page = await client.get("/admin/retention")
        assert page.status_code == 200 and "古い記録" in page.text
        as_of = re.search(r'name="as_of" value="([^"]+)"', page.text).group(1)
        token = await csrf_of(client, "/admin/retention")
        done = await client.post("/admin/retention/approve", data={"csrf": token, "as_of": as_of})
        assert done.status_code == 303 and "disposed=1" in done.headers["location"]
        register = await client.get("/admin/retention/register.csv")
    assert register.content.startswith(b"\xef\xbb\xbf") and "古い記録" in register.content.decode("utf-8-sig")
    assert rows(data, "SELECT COUNT(*) FROM threads") == [(0,)]
