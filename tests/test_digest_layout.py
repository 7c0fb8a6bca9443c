"""The digest for phones and Outlook: contents list, poster with organization, 「スレッドを開く」,
threads cut with 「続きを読む」, a size budget that keeps every thread listed; its HTML at 390 px."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from archive.digests import DigestPost
from archive.models import Member, Space
from bridge.outbound.digest import BODY_BUDGET, DigestMaterial, build_daily_digest
from bridge.outbound.digest_run import plan_digests, record_plan
from tests.outbound_support import LINKS, MAIL, make_world, relay_sender

WRITING = datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc)
NEXT_MORNING = datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc)
LONG = "県税務課の佐藤です。標記の件について、各市町村の運用状況を教えてください。" * 4


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path, WRITING)
    yield w
    await w.db.close()


async def digest_for(world, sink, address: str):
    world.clock.now = NEXT_MORNING
    plan = await plan_digests(world.db, MAIL, 8, NEXT_MORNING)
    await record_plan(world.db, MAIL, plan, NEXT_MORNING)
    await world.dispatcher(relay_sender(sink.port)).dispatch(kinds=("digest",))
    [message] = sink.to(address)
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


async def test_a_long_thread_shows_two_posts_then_continue_and_the_contents_list_counts_it(world, sink):
    first, thread = await world.post("zeimu", "sato", "減免の運用について", "各市町の運用を教えてください。")
    ids = [first]
    for n in range(3):
        ids.append((await world.post("zeimu", "suzuki", "Re: 減免の運用について", f"青葉市の回答その{n + 1}です。",
                                     thread_id=thread, message_id=f"<r{n}@city.test.lg.jp>"))[0])
    await world.post("bousai", "sato", "避難所の開設", "開設しました。")
    text, html = await digest_for(world, sink, "ito@town.test.lg.jp")
    assert "目次" in text and "・減免の運用について（4件）" in text
    assert "佐藤 健一（山川県）" in text and "鈴木 裕子（青葉市）" in text         # each poster with organization
    assert "青葉市の回答その1です。" in text and "青葉市の回答その2です。" not in text
    assert f"続きを読む（ほか2件）: https://kairan.test.lg.jp/s/zeimu/t/{thread}/#post-{ids[2]}" in text
    assert f"スレッドを開く: https://kairan.test.lg.jp/s/zeimu/t/{thread}/" in text
    assert ">続きを読む（ほか2件）</a>" in html and ">スレッドを開く</a>" in html
    assert re.search(r'<a href="https://kairan.test.lg.jp/s/zeimu/t/\d+/">減免の運用について</a> <span class="n">4件', html)


def post(n: int, space_id: int, thread_id: int) -> DigestPost:
    return DigestPost(id=n, space_id=space_id, thread_id=thread_id, thread_subject=f"件名{thread_id}について",
                      thread_token=f"tok{thread_id}", starts_thread=False, author_id=1000 + n, from_name=f"職員{n}",
                      from_address=f"staff{n}@example.lg.jp",
                      date_utc=(WRITING + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ"), excerpt=LONG,
                      attachments=(), org_name=f"団体{n % 20}")


def big_digest():
    """20 spaces × 3 threads × 4 posts: past the budget, as a busy morning is."""
    spaces = {s: Space(s, f"space{s}", f"連絡会{s}") for s in range(1, 21)}
    posts = {s: [post(s * 100 + t * 10 + k, s, s * 10 + t) for t in range(3) for k in range(4)] for s in spaces}
    member = Member(1, "職員1", 1, "org1", "団体1", "", False, False, True, "staff1@example.lg.jp")
    mail = build_daily_digest(DigestMaterial(posts, spaces), member, list(spaces), (0, 10 ** 6), [], settings=MAIL,
                              links=LINKS, message_id="<d@x>", now=NEXT_MORNING)
    return mail, posts


def test_a_busy_digest_stays_small_and_still_lists_every_thread_with_its_count():
    mail, posts = big_digest()
    assert len(mail.as_bytes()) < 60_000
    plain = mail._text
    for space_posts in posts.values():
        for thread_id in {p.thread_id for p in space_posts}:
            assert f"・件名{thread_id}について（4件） https://kairan.test.lg.jp/s/space" in plain
    assert "上の目次からスレッドを開いてご覧ください" in plain
    assert len(mail._text.encode()) + len(mail._html.encode()) < 2 * BODY_BUDGET + 20_000


def test_the_digest_html_fits_a_phone_without_horizontal_scroll(browser):
    mail, _ = big_digest()
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.set_content(mail._html)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
        assert page.locator("a", has_text="続きを読む（ほか2件）").count() > 0
    finally:
        page.close()
