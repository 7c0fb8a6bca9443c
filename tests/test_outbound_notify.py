"""`each` mode: one mail per post over a real SMTP relay on 127.0.0.1 (and the Maildir outbox)."""

from __future__ import annotations

import pytest

from archive.deliveries import list_deliveries
from bridge.outbound.notify import plan_queued
from bridge.outbound.transport import MaildirSender
from tests.outbound_support import DOMAIN, MAIL, make_world, read_message, relay_sender, set_mode


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path)
    yield w
    await w.db.close()


async def notify(world, sink) -> None:
    await plan_queued(world.db, MAIL, world.clock())
    await world.dispatcher(relay_sender(sink.port)).dispatch()


async def test_each_members_get_a_mail_and_digest_and_none_members_do_not(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    await set_mode(world, "zeimu", "ito", "none")
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await notify(world, sink)
    assert [r.rcpt_tos for r in sink.received] == [["suzuki@city.test.lg.jp"]]


async def test_the_author_does_not_get_their_own_post(world, sink):
    for person in ("sato", "suzuki"):
        await set_mode(world, "zeimu", person, "each")
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await notify(world, sink)
    assert sink.to("sato@pref.test.lg.jp") == []
    assert len(sink.to("suzuki@city.test.lg.jp")) == 1


async def test_notification_carries_list_and_loop_headers(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    _, thread_id = await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await notify(world, sink)
    message = sink.received[0].message
    token = (await world.db.fetchval("SELECT token FROM threads WHERE id = ?", (thread_id,)))
    assert message["From"].addresses[0].display_name == "佐藤 健一 via 税務担当者連絡会"
    assert message["From"].addresses[0].addr_spec == f"zeimu@{DOMAIN}"
    assert message["Reply-To"] == f"zeimu+{token}@{DOMAIN}"
    assert message["Message-ID"].endswith(f"@{DOMAIN}>")
    assert message["List-Id"].endswith(f"<zeimu.{DOMAIN}>")
    assert "<https://kairan.test.lg.jp/unsubscribe/" in message["List-Unsubscribe"]
    assert f"<mailto:unsubscribe@{DOMAIN}?subject=" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Precedence"] == "list"
    assert message["X-Loop"] == f"kairan@{DOMAIN}"


async def test_notification_has_text_and_html_parts_with_the_reply_text_and_thread_link(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    post_id, thread_id = await world.post("zeimu", "sato", "減免申請について", "<b>ご教示</b>ください。")
    await notify(world, sink)
    message = sink.received[0].message
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "<b>ご教示</b>ください。" in text
    assert "&lt;b&gt;ご教示&lt;/b&gt;" in html
    assert f"https://kairan.test.lg.jp/s/zeimu/t/{thread_id}/#post-{post_id}" in text


async def test_replies_in_a_thread_reference_the_earlier_notifications(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    first, thread_id = await world.post("zeimu", "sato", "減免申請について", "ご教示ください。",
                                        message_id="<root@pref.test.lg.jp>")
    await world.post("zeimu", "ito", "Re: 減免申請について", "当町は3割です。", thread_id=thread_id,
                     in_reply_to="<root@pref.test.lg.jp>")
    await notify(world, sink)
    one, two = (r.message for r in sink.received)
    assert two["In-Reply-To"] == one["Message-ID"]
    assert one["Message-ID"] in two["References"]
    assert "<root@pref.test.lg.jp>" in two["References"]
    assert two["Subject"] == "[税務担当者連絡会] Re: 減免申請について"


async def test_a_2mb_attachment_travels_as_a_link_with_its_size(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    big = bytes(range(256)) * (8 * 1024)            # 2 MiB
    await world.post("zeimu", "sato", "資料送付", "資料を添付します。", attachments=(("資料.pdf", big),))
    await notify(world, sink)
    received = sink.received[0]
    assert len(received.data) < 50_000
    assert not any(part.get_filename() for part in received.message.walk())
    text = received.message.get_body(("plain",)).get_content()
    assert "資料.pdf（2.0 MB）" in text
    assert "https://kairan.test.lg.jp/s/zeimu/a/" in text


async def test_a_second_run_sends_nothing_new(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await notify(world, sink)
    await notify(world, sink)
    assert len(sink.received) == 1
    assert [d.status for d in await list_deliveries(world.db, "notify")] == ["sent"]


async def test_a_member_of_another_space_gets_nothing(world, sink):
    await set_mode(world, "zeimu", "ito", "each")
    await world.post("bousai", "sato", "避難所の開設", "開設しました。")
    await notify(world, sink)
    assert sink.received == []


async def test_without_a_relay_notifications_land_in_the_maildir_outbox(world, tmp_path):
    await set_mode(world, "zeimu", "suzuki", "each")
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await plan_queued(world.db, MAIL, world.clock())
    await world.dispatcher(MaildirSender(tmp_path / "outbox")).dispatch()
    messages = [read_message(path) for path in (tmp_path / "outbox" / "new").iterdir()]
    assert [str(m["To"]) for m in messages] == ["鈴木 裕子 <suzuki@city.test.lg.jp>"]
