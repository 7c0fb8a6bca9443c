"""The pages through the real app: what a member sees, in Japanese, and the headers on it."""

from __future__ import annotations

import re
from datetime import date

from archive.inquiries.records import open_inquiry
from archive.posts import NewPost, add_post
from archive.threads import get_thread

from tests.world import DOMAIN, csrf_of, sign_in
from tests.world import signed_in as world_signed_in

SATO = "sato-k@pref.yamakawa.lg.jp"


def signed_in(world, email=SATO, **headers):
    """Signed in as 佐藤 unless told otherwise."""
    return world_signed_in(world, email, **headers)


async def thread_id_of(world, post_key="reply") -> int:
    return await world.db.fetchval("SELECT thread_id FROM posts WHERE id = ?", (world.ids[post_key],))


async def test_home_shows_spaces_with_unread_counts(world):
    async with signed_in(world) as client:
        page = await client.get("/")
    assert page.status_code == 200
    assert "税務担当者連絡会" in page.text and "防災・危機管理" in page.text
    assert "未読 2" in page.text and "未読 1" in page.text


async def test_opening_a_thread_marks_it_read(world):
    async with signed_in(world) as client:
        await client.get(f"/s/zeimu/t/{await thread_id_of(world)}/")
        home = await client.get("/")
        space = await client.get("/s/zeimu/")
    assert "未読 2" not in home.text and "未読 1" in home.text     # bousai's post is still unread
    assert "新着" not in space.text


async def test_space_page_lists_threads_and_members_by_organization(world):
    async with signed_in(world) as client:
        page = await client.get("/s/zeimu/")
    assert "固定資産税の減免申請について" in page.text
    assert "1 件のスレッド" in page.text and "zeimu@kairan.example.lg.jp" in page.text
    for org, person in (("山河県", "佐藤 健一"), ("青葉市", "鈴木 裕子"), ("若葉町", "伊藤 翔太")):
        assert org in page.text and person in page.text


async def test_space_page_with_a_bad_page_number_shows_the_first_page(world):
    async with signed_in(world) as client:
        page = await client.get("/s/zeimu/?page=abc")
    assert page.status_code == 200 and "固定資産税の減免申請について" in page.text


async def test_thread_page_shows_reply_text_and_puts_quotes_behind_a_toggle(world):
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{await thread_id_of(world)}/")
    text = page.text
    assert "若葉町では準半壊を3割減免としています。" in text
    details = text.index('<details class="quoted">')
    assert text.index("&gt; 被災家屋の減免割合について") > details
    assert "青葉市 財務部 資産税課" in text                  # the author's organization and department


async def test_thread_page_offers_the_thread_s_reply_address_for_mail(world):
    thread = await get_thread(world.db, await thread_id_of(world))
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{thread.id}/")
    address = f"zeimu+{thread.token}@{DOMAIN}"
    assert f'href="mailto:{address}"' in page.text


async def test_thread_page_dates_are_tokyo_time_in_japanese(world):
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{await thread_id_of(world)}/")
    assert "2026年11月27日(金) 08:00" in page.text          # sent 23:00 UTC on the 26th


async def test_thread_page_lists_attachments_with_name_and_size(world):
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{await thread_id_of(world)}/")
    assert "減免要綱（抜粋）.txt" in page.text
    assert re.search(r'class="attachment-size">\d+ バイト<', page.text)


async def test_attachment_downloads_with_rfc6266_filename_and_nosniff(world):
    att = await world.db.fetchone("SELECT * FROM attachments ORDER BY id LIMIT 1")
    async with signed_in(world) as client:
        response = await client.get(f"/s/zeimu/a/{att['id']}/whatever")
    assert response.status_code == 200
    assert response.content == "第3条 準半壊の家屋は10分の3を減免する。\n".encode()
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''%E6%B8%9B%E5%85%8D%E8%A6%81%E7%B6%B1" in disposition
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"].startswith("text/plain")


async def test_raw_message_downloads_as_eml(world):
    async with signed_in(world) as client:
        response = await client.get(f"/s/zeimu/raw/{world.ids['reply']}.eml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("message/rfc822")
    assert b"Message-ID: <z2@town.wakaba.lg.jp>" in response.content
    assert response.headers["content-disposition"].startswith("attachment;")


async def test_every_response_carries_the_security_headers(world):
    async with signed_in(world) as client:
        for path in ("/", "/s/zeimu/", "/no/such/page", "/static/kairan.css", "/signin"):
            response = await client.get(path)
            csp = response.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
            assert "unsafe-inline" not in csp, path
            assert response.headers["x-content-type-options"] == "nosniff", path
            assert response.headers["referrer-policy"] == "same-origin", path


async def test_missing_page_answers_in_japanese_without_detail(world):
    async with signed_in(world) as client:
        response = await client.get("/s/zeimu/t/999999/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.text and "Traceback" not in response.text


async def test_server_error_page_is_japanese_and_has_no_traceback(world):
    att = await world.db.fetchone("SELECT * FROM attachments ORDER BY id LIMIT 1")
    world.services.blobs = None          # a broken deployment: every blob read fails unexpectedly
    async with signed_in(world) as client:
        response = await client.get(f"/s/zeimu/a/{att['id']}/x")
    assert response.status_code == 500
    assert "サーバーでエラーが発生しました" in response.text
    assert "Traceback" not in response.text and "AttributeError" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_english_is_chosen_by_accept_language(world):
    async with signed_in(world, **{"Accept-Language": "en-US,en;q=0.9,ja;q=0.5"}) as client:
        page = await client.get(f"/s/zeimu/t/{await thread_id_of(world)}/")
    assert "Show quoted text and signature" in page.text and 'lang="en"' in page.text
    assert "Fri, 27 Nov 2026 08:00" in page.text


async def test_language_switch_is_remembered_for_the_member(world):
    async with signed_in(world) as client:
        token = await csrf_of(client, "/")
        switched = await client.post("/lang", data={"csrf": token, "lang": "en", "next": "/s/zeimu/"})
        page = await client.get("/s/zeimu/")
    assert switched.headers["location"] == "/s/zeimu/"
    assert "Members" in page.text
    assert await world.db.fetchval("SELECT lang FROM members WHERE id = ?", (world.members["sato"].id,)) == "en"


async def test_thread_id_beyond_sqlite_range_is_404_not_an_error(world):
    async with signed_in(world) as client:
        response = await client.get("/s/zeimu/t/99999999999999999999999/")
    assert response.status_code == 404


async def test_thread_of_an_inquiry_shows_its_deadline_and_links_to_the_answers(world):
    tid = await thread_id_of(world)
    await open_inquiry(world.db, await get_thread(world.db, tid), world.members["sato"], date(2026, 12, 5))
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{tid}/")
        status = await client.get(f"/s/zeimu/t/{tid}/inquiry")
    assert "<dd>山河県</dd>" in page.text and "2026年12月5日(土)" in page.text
    assert f'href="/s/zeimu/t/{tid}/inquiry"' in page.text
    assert status.status_code == 200 and "回答状況" in status.text       # the inquiry page knows the session


async def test_thread_of_an_inquiry_shows_the_matrix_with_downloads(world):
    tid = await thread_id_of(world)
    await open_inquiry(world.db, await get_thread(world.db, tid), world.members["sato"], date(2026, 12, 5))
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{tid}/")
    matrix = page.text[page.text.index('class="inquiry-matrix"'):]
    wakaba = matrix[matrix.index('data-org="wakaba"'):matrix.index("</tr>", matrix.index('data-org="wakaba"'))]
    aoba = matrix[matrix.index('data-org="aoba"'):matrix.index("</tr>", matrix.index('data-org="aoba"'))]
    assert "回答済み" in wakaba and "伊藤 翔太" in wakaba and "準半壊" in wakaba and "減免要綱（抜粋）.txt" in wakaba
    assert "未回答" in aoba                 # the opening post is the question, not aoba's answer
    assert f'href="/s/zeimu/t/{tid}/inquiry.csv"' in page.text and f'href="/s/zeimu/t/{tid}/inquiry.xlsx"' in page.text


async def test_status_reads_without_colour_as_text_and_icon(world):
    tid = await thread_id_of(world)
    await open_inquiry(world.db, await get_thread(world.db, tid), world.members["sato"], date(2026, 12, 5))
    async with signed_in(world) as client:
        page = await client.get(f"/s/zeimu/t/{tid}/inquiry")
    assert '<span class="status status-answered"><span class="status-icon" aria-hidden="true">✓</span>回答済み</span>' \
        in page.text
    assert '<span class="status-icon" aria-hidden="true">…</span>未回答</span>' in page.text


async def test_space_pages_through_threads_fifty_at_a_time(world):
    space_id = await world.db.fetchval("SELECT id FROM spaces WHERE slug = 'zeimu'")
    for n in range(55):
        await add_post(world.db, NewPost(space_id=space_id, thread_id=None, message_id=f"<t{n}@x>",
                                         subject=f"連絡事項 その{n}", norm_subject=f"連絡事項 その{n}", from_name="佐藤",
                                         from_address=SATO, date_utc=f"2026-10-{1 + n % 28:02d}T00:{n:02d}:00Z"))
    async with signed_in(world) as client:
        first = await client.get("/s/zeimu/")
        second = await client.get("/s/zeimu/?page=2")
    assert first.text.count('class="thread-row') == 50 and "1 / 2 ページ" in first.text
    assert second.text.count('class="thread-row') == 6 and "2 / 2 ページ" in second.text
    assert "固定資産税の減免申請について" in first.text            # the newest activity comes first


async def test_inquiry_matrix_in_english(world):
    tid = await thread_id_of(world)
    await open_inquiry(world.db, await get_thread(world.db, tid), world.members["sato"], date(2026, 12, 5))
    async with signed_in(world, **{"Accept-Language": "en"}) as client:
        page = await client.get(f"/s/zeimu/t/{tid}/inquiry")
    assert page.status_code == 200
    assert "Answered" in page.text and "Waiting" in page.text and "Sat, 5 Dec 2026" in page.text
