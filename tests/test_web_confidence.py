"""Low-confidence extractions on the web: the thread page shows them whole, system admins get a list.

Mail enters through the real ingest (tests.world), so `confidence` is what the
extractor really decided and stored on the post.
"""

from __future__ import annotations


from archive.posts import get_post
from tests.world import mail, make_admin, sign_in, signed_in

SATO = "sato-k@pref.yamakawa.lg.jp"     # member of zeimu and bousai
ITO = "ito-s@town.wakaba.lg.jp"         # member of zeimu only
UNSURE = "承知しました。資料を確認します。\n\n詳細は追ってご連絡します。\n\n山河県 総務部 税務課\n"


async def two_unsure_posts(world) -> tuple[int, int]:
    zeimu, = await world.deliver(mail(SATO, "課税資料の確認", UNSURE, message_id="<u1@pref.yamakawa.lg.jp>"))
    bousai, = await world.deliver(mail(SATO, "備蓄倉庫の一覧", "備蓄は足りています。\n\n一覧は追って送ります。\n\n"
                                       "山河県 危機管理課\n", message_id="<u2@pref.yamakawa.lg.jp>"), to="bousai")
    return zeimu, bousai


async def test_low_confidence_is_stored_with_its_reasons(world):
    zeimu, _ = await two_unsure_posts(world)
    post = await get_post(world.db, zeimu)
    assert post.confidence == "low" and post.confidence_reasons == ("signature-like-kept",)
    sure, = await world.deliver(mail(ITO, "Re: 課税資料の確認", "確認しました。\n\n> 承知しました。\n"))
    assert (await get_post(world.db, sure)).confidence == "high"


async def test_thread_page_shows_a_low_confidence_post_whole_with_a_note(world):
    zeimu, _ = await two_unsure_posts(world)
    post = await get_post(world.db, zeimu)
    async with signed_in(world, ITO) as client:
        page = await client.get(f"/s/zeimu/t/{post.thread_id}/")
    assert page.status_code == 200
    assert "自動判定に自信がない" in page.text and "署名らしい部分を本文として残しました" in page.text
    assert "山河県 総務部 税務課" in page.text


async def test_guessed_quote_is_marked_not_hidden(world):
    post_id, = await world.deliver(mail(ITO, "Re: 課税資料の確認", "了解です。\n\n山河県 総務部 税務課\n\n> 古い本文です。\n"))
    post = await get_post(world.db, post_id)
    assert post.confidence == "low" and "古い本文です。" in post.quoted_text
    async with signed_in(world, SATO) as client:
        page = await client.get(f"/s/zeimu/t/{post.thread_id}/")
    body = page.text.split(f'id="post-{post_id}"', 1)[1].split("</article>", 1)[0]
    assert "引用と推定した部分" in body and "古い本文です。" in body and "<details" not in body


async def test_system_admin_lists_recent_low_confidence_posts_reading_only_their_spaces(world):
    zeimu, bousai = await two_unsure_posts(world)
    await make_admin(world, ITO)            # an admin who is not a member of bousai
    async with signed_in(world, ITO) as client:
        page = await client.get("/admin/extraction")
    assert page.status_code == 200
    assert "課税資料の確認" in page.text and f"#post-{zeimu}" in page.text
    assert "備蓄倉庫の一覧" not in page.text and f"#{bousai}" in page.text and "メンバーではないため" in page.text
    assert "防災・危機管理" in page.text and page.text.count("署名らしい部分を本文として残しました") == 2


async def test_others_get_404_and_no_session_goes_to_sign_in(world):
    await two_unsure_posts(world)
    async with signed_in(world, SATO) as client:
        assert (await client.get("/admin/extraction")).status_code == 404
    async with world.client() as client:
        assert (await client.get("/admin/extraction")).status_code == 303
