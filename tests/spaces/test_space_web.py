"""The space pages through the real app (httpx ASGI): create with the rule's sentence, settings for
admins only, removal → 404, closing hides the reply form, a new thread taken in like mail."""

from __future__ import annotations

import asyncio
import re
from types import SimpleNamespace

import pytest

from archive.admin.audit import SYSTEM
from archive.admin.spaces import set_closed, space_by_slug
from bridge.ingest.worker import IngestWorker
from kairan.web_mail import submitter
from tests.world import DOMAIN, build_world, csrf_of, mail, sign_in

SATO, SUZUKI, ITO = "sato-k@pref.yamakawa.lg.jp", "suzuki-h@city.aoba.lg.jp", "ito-s@town.wakaba.lg.jp"


@pytest.fixture
async def web(tmp_path):
    world = await build_world(tmp_path)
    worker = IngestWorker(world.db, world.blobs, DOMAIN, on_stored=world.stored.extend)
    tasks = []
    ctx = SimpleNamespace(db=world.db, blobs=world.blobs, clock=world.services.clock)
    world.services.submit_mail = submitter(ctx, lambda: tasks.append(asyncio.get_running_loop().create_task(
        worker.drain())))
    yield world
    await asyncio.gather(*tasks)
    await world.db.close()


async def client_as(world, email):
    client = world.client()
    await sign_in(client, email)
    return client


async def create_form(client, **fields):
    token = await csrf_of(client, "/spaces/new")
    data = {"csrf": token, "title": "研修担当者会議", "slug": "kenshu", "description": "", "mode": "each", **fields}
    return await client.post("/spaces/new", data=data)


async def test_the_form_explains_the_rule_and_lists_the_directory_by_organization(web):
    client = await client_as(web, SATO)
    page = await client.get("/spaces/new")
    assert page.status_code == 200
    assert "2 つ以上の団体から選んでください" in page.text
    assert page.text.index("青葉市") < page.text.index("財務部 資産税課") < page.text.index("鈴木 裕子")
    assert f'value="{SATO}"' not in page.text                    # the creator is in it already


async def test_one_organization_only_gives_the_sentence_and_creates_nothing(web):
    client = await client_as(web, SATO)
    answer = await create_form(client, addresses="")
    assert answer.status_code == 422
    assert "スペースのメンバーは 2 つ以上の団体から選んでください（いまは 1 団体です）。スペースは作成されていません。" in answer.text
    assert 'value="研修担当者会議"' in answer.text                # what was typed is kept
    assert await web.db.fetchval("SELECT COUNT(*) FROM spaces WHERE slug = 'kenshu'") == 0


async def test_a_member_creates_a_space_and_becomes_its_admin(web):
    client = await client_as(web, SATO)
    answer = await create_form(client, members=SUZUKI, addresses=f"{ITO}\n")
    assert answer.status_code == 303 and answer.headers["location"] == "/s/kenshu/"
    page = await client.get("/s/kenshu/")
    assert "スペースの設定" in page.text and "新しいスレッド" in page.text
    admins = page.text.split('class="card side-card space-admins"')[1].split("</div>")[0]
    assert "佐藤 健一" in admins and "鈴木 裕子" not in admins
    modes = {r[0] for r in await web.db.fetchall(
        "SELECT mode FROM memberships ms JOIN spaces s ON s.id = ms.space_id WHERE s.slug = 'kenshu'")}
    assert modes == {"each"}


async def test_the_live_check_suggests_a_free_address_and_says_why_one_is_not(web):
    client = await client_as(web, SATO)
    suggestion = (await client.get("/spaces/check", params={"title": "税務担当者連絡会"})).json()
    assert suggestion == {"suggestion": "zeimu-tantousha-renrakukai"}
    assert (await client.get("/spaces/check", params={"slug": "zeimu"})).json() == {
        "ok": False, "message": "このアドレスは既に使われています。別のアドレスにしてください。"}
    assert (await client.get("/spaces/check", params={"slug": "Kenshu 2"})).json()["ok"] is False
    assert (await client.get("/spaces/check", params={"slug": "kenshu"})).json() == {
        "ok": True, "slug": "kenshu", "address": f"kenshu@{DOMAIN}"}


async def test_settings_are_for_space_admins_only(web):
    client = await client_as(web, SATO)
    await create_form(client, members=SUZUKI)
    assert (await client.get("/s/kenshu/settings")).status_code == 200
    other = await client_as(web, SUZUKI)
    assert (await other.get("/s/kenshu/settings")).status_code == 403
    token = await csrf_of(other, "/s/kenshu/")
    assert (await other.post("/s/kenshu/settings/close", data={"csrf": token})).status_code == 403
    stranger = await client_as(web, ITO)
    assert (await stranger.get("/s/kenshu/settings")).status_code == 404


async def test_a_removed_member_gets_404_and_a_narrowing_removal_asks_first(web):
    client = await client_as(web, SATO)
    await create_form(client, members=[SUZUKI, ITO])
    token = await csrf_of(client, "/s/kenshu/settings")
    answer = await client.post("/s/kenshu/settings/remove", data={"csrf": token, "email": ITO})
    assert answer.status_code == 303
    removed = await client_as(web, ITO)
    assert (await removed.get("/s/kenshu/")).status_code == 404
    asks = await client.post("/s/kenshu/settings/remove", data={"csrf": token, "email": SUZUKI})
    assert asks.status_code == 409 and "それでも外す" in asks.text
    assert await web.db.fetchval("SELECT COUNT(*) FROM memberships ms JOIN spaces s ON s.id = ms.space_id "
                                 "WHERE s.slug = 'kenshu'") == 2
    done = await client.post("/s/kenshu/settings/remove", data={"csrf": token, "email": SUZUKI, "confirmed": "1"})
    assert done.status_code == 303


async def test_closing_keeps_pages_readable_without_a_reply_form_and_refuses_posts(web):
    post_id, = await web.deliver(mail(SUZUKI, "減免の目安", "県の目安はありますか。"))
    thread_id = await web.db.fetchval("SELECT thread_id FROM posts WHERE id = ?", (post_id,))
    client = await client_as(web, SATO)
    token = await csrf_of(client, "/s/zeimu/")
    await set_closed(web.db, SYSTEM, await space_by_slug(web.db, "zeimu"), True)
    thread = await client.get(f"/s/zeimu/t/{thread_id}/")
    assert thread.status_code == 200 and "県の目安はありますか。" in thread.text
    assert "返信を投稿" not in thread.text and "閉鎖されています" in thread.text
    reply = await client.post(f"/s/zeimu/t/{thread_id}/reply", data={"csrf": token, "body": "返信"})
    assert reply.status_code == 409
    home = await client.get("/")
    assert "閉鎖したスペース" in home.text
    page = await client.get("/s/zeimu/")
    assert "閉鎖されています" in page.text and 'href="/s/zeimu/new"' not in page.text
    answer = await client.post("/s/zeimu/new", data={"csrf": token, "subject": "件名", "body": "本文"})
    assert answer.status_code == 409


async def test_a_new_thread_from_the_web_is_stored_indexed_notified_and_opens_an_inquiry(web):
    client = await client_as(web, SATO)
    token = await csrf_of(client, "/s/zeimu/new")
    answer = await client.post("/s/zeimu/new", data={"csrf": token, "subject": "【照会】減免件数について",
                                                     "body": "各市町の件数を12月25日までにお知らせください。"},
                               files={"files": ("様式.csv", "市町,件数\n".encode(), "text/csv")})
    assert answer.status_code == 303
    post_id = int(re.search(r"#post-(\d+)$", answer.headers["location"]).group(1))
    post = await web.db.fetchone("SELECT * FROM posts WHERE id = ?", (post_id,))
    assert post["from_address"] == SATO and post["author_dept"] == "総務部 税務課"
    assert await web.db.fetchval("SELECT COUNT(*) FROM index_queue WHERE post_id = ?", (post_id,)) == 1
    assert await web.db.fetchval("SELECT COUNT(*) FROM notify_queue WHERE post_id = ?", (post_id,)) == 1
    assert await web.db.fetchval("SELECT COUNT(*) FROM attachments WHERE post_id = ?", (post_id,)) == 1
    inquiry = await web.db.fetchone("SELECT deadline FROM inquiries WHERE thread_id = ?", (post["thread_id"],))
    assert inquiry is not None and inquiry["deadline"].endswith("-12-25")
    page = await client.get(answer.headers["location"].split("#")[0])
    assert "【照会】減免件数について" in page.text


async def test_a_member_leaves_a_space(web):
    client = await client_as(web, ITO)
    token = await csrf_of(client, "/s/zeimu/")
    answer = await client.post("/s/zeimu/leave", data={"csrf": token})
    assert answer.status_code == 303
    assert (await client.get("/s/zeimu/")).status_code == 404
    assert await web.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'space.member.remove'") == 1


async def test_an_admin_deactivates_a_member_with_a_successor_in_the_web(web):
    async with web.db.write() as tx:
        await tx.execute("UPDATE members SET is_admin = 1 WHERE id = ?", (web.members["sato"].id,))
    client = await client_as(web, SATO)
    gone = web.members["gone"]
    token = await csrf_of(client, f"/admin/members/{gone.id}")
    answer = await client.post(f"/admin/members/{gone.id}/deactivate",
                               data={"csrf": token, "successor": "watanabe-a@town.wakaba.lg.jp"})
    assert answer.status_code == 303
    heir = await client_as(web, "watanabe-a@town.wakaba.lg.jp")
    assert (await heir.get("/s/zeimu/")).status_code == 200
    detail = await web.db.fetchval("SELECT detail FROM audit_log WHERE action = 'member.deactivate'")
    assert '"successor":"watanabe-a@town.wakaba.lg.jp"' in detail and '"space":"zeimu"' in detail
    wrong = await client.post(f"/admin/members/{web.members['ito'].id}/deactivate",
                              data={"csrf": token, "successor": "nobody@x.lg.jp"})
    assert wrong.status_code == 400
    assert (await web.db.fetchone("SELECT active FROM members WHERE id = ?", (web.members["ito"].id,)))[0] == 1


async def test_an_admin_previews_schedules_lists_and_cancels_moves_in_the_web(web):
    async with web.db.write() as tx:
        await tx.execute("UPDATE members SET is_admin = 1 WHERE id = ?", (web.members["sato"].id,))
    client = await client_as(web, SATO)
    token = await csrf_of(client, "/admin/moves")
    bad = "メールアドレス,発令日,新所属\r\nnobody@x.lg.jp,2027-04-01,新課\r\nito-s@town.wakaba.lg.jp,来月,新課\r\n"
    answer = await client.post("/admin/moves", data={"csrf": token},
                               files={"file": ("異動.csv", bad.encode("cp932"), "text/csv")})
    assert answer.status_code == 422
    assert "line 2: no member with address" in answer.text and "line 3: 発令日" in answer.text
    assert "件を予約する" not in answer.text
    good = "メールアドレス,発令日,新所属\r\nito-s@town.wakaba.lg.jp,令和9年4月1日,新課\r\n"
    answer = await client.post("/admin/moves", data={"csrf": token},
                               files={"file": ("異動.csv", good.encode("cp932"), "text/csv")})
    assert answer.status_code == 200 and "1 件を予約する" in answer.text
    apply_path = re.search(r'action="(/admin/moves/apply/[^"]+)"', answer.text).group(1)
    done = await client.post(apply_path, data={"csrf": token})
    assert done.status_code == 303
    listed = await client.get("/admin/moves")
    assert "2027-04-01" in listed.text and "ito-s@town.wakaba.lg.jp" in listed.text and "予約" in listed.text
    move_id = await web.db.fetchval("SELECT id FROM moves")
    assert (await client.post(f"/admin/moves/{move_id}/cancel", data={"csrf": token})).status_code == 303
    assert await web.db.fetchval("SELECT state FROM moves") == "cancelled"
    plain = await client_as(web, SUZUKI)
    assert (await plain.get("/admin/moves")).status_code == 403
