"""The daily digest: who gets one, when, what it covers, and that a rerun sends nothing new."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from archive.deliveries import list_deliveries
from archive.preferences import set_digest_hour
from bridge.outbound.digest import DigestItem, DigestSection
from bridge.outbound.digest_run import plan_digests, record_plan
from tests.outbound_support import MAIL, make_world, relay_sender, set_mode

DEFAULT_HOUR = 8
# 2026-11-26 10:00 JST: posts are written; digests go out the next morning.
WRITING = datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc)
NEXT_MORNING = datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc)      # 2026-11-27 08:30 JST


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path, WRITING)
    yield w
    await w.db.close()


async def digests_at(world, sink, moment: datetime, **kwargs) -> None:
    world.clock.now = moment
    plan = await plan_digests(world.db, MAIL, DEFAULT_HOUR, moment)
    await record_plan(world.db, MAIL, plan, moment)
    await world.dispatcher(relay_sender(sink.port), **kwargs).dispatch(kinds=("digest",))


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


async def test_each_member_gets_one_digest_with_a_japanese_subject_counting_spaces_and_posts(world, sink):
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await world.post("bousai", "sato", "避難所の開設", "開設しました。")
    await world.post("bousai", "sato", "備蓄品の確認", "確認願います。")
    await digests_at(world, sink, NEXT_MORNING)
    [message] = sink.to("suzuki@city.test.lg.jp")
    assert message["Subject"] == "[kairan] 本日のダイジェスト: 2スペース・新着3件"
    assert message["Auto-Submitted"] == "auto-generated"


async def test_a_digest_includes_only_spaces_the_member_belongs_to(world, sink):
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await world.post("bousai", "sato", "避難所の開設", "開設しました。")
    await digests_at(world, sink, NEXT_MORNING)
    [message] = sink.to("ito@town.test.lg.jp")                 # ito is not in bousai
    assert "税務担当者連絡会" in text_of(message)
    assert "防災・危機管理" not in text_of(message) and "避難所" not in text_of(message)


async def test_spaces_in_each_or_none_mode_stay_out_of_the_digest(world, sink):
    await set_mode(world, "bousai", "suzuki", "each")
    await set_mode(world, "zeimu", "tanaka", "none")
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await world.post("bousai", "sato", "避難所の開設", "開設しました。")
    await digests_at(world, sink, NEXT_MORNING)
    assert "避難所" not in text_of(sink.to("suzuki@city.test.lg.jp")[0])
    assert sink.to("tanaka@pref.test.lg.jp") == []


async def test_the_author_s_own_posts_are_not_news_to_them(world, sink):
    await world.post("bousai", "sato", "避難所の開設", "開設しました。")
    await digests_at(world, sink, NEXT_MORNING)
    assert sink.to("sato@pref.test.lg.jp") == []
    assert len(sink.to("suzuki@city.test.lg.jp")) == 1


async def test_the_digest_shows_an_excerpt_a_thread_link_and_attachments_as_links(world, sink):
    big = b"x" * (2 * 1024 * 1024)
    post_id, thread_id = await world.post("zeimu", "sato", "資料送付", "資料を添付します。" + "あ" * 500,
                                          attachments=(("資料.pdf", big),))
    await digests_at(world, sink, NEXT_MORNING)
    received = [r for r in sink.received if "ito@town.test.lg.jp" in r.rcpt_tos][0]
    text = text_of(received.message)
    assert len(received.data) < 50_000
    assert f"https://kairan.test.lg.jp/s/zeimu/t/{thread_id}/" in text
    assert "資料.pdf（2.0 MB）" in text
    assert "資料を添付します。" in text and "あ" * 500 not in text


async def test_nothing_is_sent_when_nothing_is_new(world, sink):
    await digests_at(world, sink, NEXT_MORNING)
    assert sink.received == []


async def test_a_rerun_sends_nothing_new(world, sink):
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, NEXT_MORNING)
    count = len(sink.received)
    await digests_at(world, sink, NEXT_MORNING)
    await digests_at(world, sink, NEXT_MORNING.replace(hour=23, minute=50))
    assert count == 3 and len(sink.received) == 3


async def test_no_digest_before_the_member_s_hour(world, sink):
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, datetime(2026, 11, 26, 22, 30, tzinfo=timezone.utc))   # 07:30 JST
    assert sink.received == []


async def test_a_member_s_own_digest_hour_is_honoured(world, sink):
    await set_digest_hour(world.db, world.people["ito"].id, 17)
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, NEXT_MORNING)
    assert sink.to("ito@town.test.lg.jp") == []
    await digests_at(world, sink, datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc))     # 17:00 JST
    assert len(sink.to("ito@town.test.lg.jp")) == 1


async def test_the_next_digest_covers_only_what_came_after_the_last_one(world, sink):
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, NEXT_MORNING)
    world.clock.now = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    await world.post("zeimu", "sato", "研修の日程", "日程が決まりました。")
    await digests_at(world, sink, datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc))
    second = sink.to("suzuki@city.test.lg.jp")[1]
    assert "研修の日程" in text_of(second) and "減免申請" not in text_of(second)


async def test_a_post_after_a_day_s_empty_digest_slot_waits_for_the_next_day(world, sink):
    await digests_at(world, sink, NEXT_MORNING)                # nothing new: the slot is used
    world.clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc))
    assert sink.received == []
    await digests_at(world, sink, datetime(2026, 11, 27, 23, 30, tzinfo=timezone.utc))
    assert len(sink.to("suzuki@city.test.lg.jp")) == 1


async def test_extra_sections_from_the_injected_hook_appear_in_the_digest(world, sink):
    async def inquiries(members, as_of):
        return {m.id: [DigestSection("回答待ちの照会", (DigestItem("固定資産税の調査", "https://x/1", "期限 12月1日"),))]
                for m in members}
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, NEXT_MORNING, extra_sections=inquiries)
    text = text_of(sink.to("ito@town.test.lg.jp")[0])
    assert "■ 回答待ちの照会" in text and "固定資産税の調査（期限 12月1日）" in text


async def test_digest_deliveries_are_recorded_as_sent(world, sink):
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await digests_at(world, sink, NEXT_MORNING)
    rows = await list_deliveries(world.db, "digest")
    assert sorted((d.key, d.status) for d in rows) == [("2026-11-27", "sent")] * 3
