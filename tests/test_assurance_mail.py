"""Digests and notifications mark posts whose sender could not be verified, as the thread page does."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from archive.admin.audit import SYSTEM
from archive.assurance.policy import sender_org, set_policy
from archive.posts import NewPost, add_post
from bridge.assurance.evaluate import Arrival, assess
from bridge.assurance.hops import trace
from bridge.assurance.resolver import Resolver
from bridge.outbound.digest_run import plan_digests, record_plan
from bridge.outbound.notify import plan_queued
from tests.outbound_support import MAIL, make_world, relay_sender, set_mode

WRITING = datetime(2026, 11, 26, 1, 0, tzinfo=timezone.utc)
NEXT_MORNING = datetime(2026, 11, 26, 23, 30, tzinfo=timezone.utc)      # 08:30 JST


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path, WRITING)
    yield w
    await w.db.close()


async def checked_post(world, subject: str, client: str) -> None:
    """A post stored with the verdict the gateway's evaluator gives for mail from `client`."""
    suzuki = world.people["suzuki"]
    verdict = assess(Arrival(b"", suzuki.email, suzuki.email, trace(client, None, [], ())),
                     await sender_org(world.db, suzuki.email), Resolver(()), ())
    method, evidence = verdict.stored()
    await add_post(world.db, NewPost(
        space_id=world.spaces["zeimu"].id, thread_id=None, message_id=f"<{subject}@city.test.lg.jp>", subject=subject,
        norm_subject=subject, from_name=suzuki.name, from_address=suzuki.email, date_utc="2026-11-26T01:00:00Z",
        author_id=suzuki.id, reply_text="本文です。", body_text="本文です。", sender_assurance=method,
        assurance_evidence=evidence))


async def test_the_digest_marks_the_unverified_post_only(world, sink):
    await set_policy(world.db, "city", SYSTEM, relays=["192.0.2.0/24"], level="mark")
    await checked_post(world, "中継から届いた件", "192.0.2.1")
    await checked_post(world, "どこからか届いた件", "203.0.113.9")
    world.clock.now = NEXT_MORNING
    await record_plan(world.db, MAIL, await plan_digests(world.db, MAIL, 8, NEXT_MORNING), NEXT_MORNING)
    await world.dispatcher(relay_sender(sink.port)).dispatch(kinds=("digest",))
    [message] = sink.to("sato@pref.test.lg.jp")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    lines = text.splitlines()
    marked = [i for i, line in enumerate(lines) if "［送信元未確認］" in line]
    assert len(marked) == 1 and "鈴木 裕子" in lines[marked[0]]
    assert "どこからか届いた件" in "\n".join(lines[marked[0] - 2:marked[0]])
    assert html.count("送信元未確認") == 1


async def test_a_notification_of_an_unverified_post_says_so_and_one_of_a_relayed_post_does_not(world, sink):
    await set_mode(world, "zeimu", "sato", "each")
    await set_policy(world.db, "city", SYSTEM, relays=["192.0.2.0/24"], level="mark")
    await checked_post(world, "中継から届いた件", "192.0.2.1")
    await checked_post(world, "どこからか届いた件", "203.0.113.9")
    await plan_queued(world.db, MAIL, world.clock())
    await world.dispatcher(relay_sender(sink.port)).dispatch()
    mails = {m["Subject"]: m for m in sink.to("sato@pref.test.lg.jp")}
    assert set(mails) == {"[税務担当者連絡会] 中継から届いた件", "[税務担当者連絡会] どこからか届いた件"}
    unverified = mails["[税務担当者連絡会] どこからか届いた件"]
    assert "［送信元未確認］" in unverified.get_body(("plain",)).get_content()
    assert "送信元未確認" in unverified.get_body(("html",)).get_content()
    relayed = mails["[税務担当者連絡会] 中継から届いた件"]
    assert "送信元未確認" not in relayed.get_body(("plain",)).get_content()
