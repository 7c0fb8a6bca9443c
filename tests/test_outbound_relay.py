"""The relay misbehaves: 451 then recovery, 550 for one recipient, nobody listening."""

from __future__ import annotations

import socket
from email.message import EmailMessage

import pytest

from archive.deliveries import list_deliveries
from bridge.outbound.notify import plan_queued
from bridge.outbound.transport import MaildirSender, TemporaryFailure
from tests.outbound_support import MAIL, make_world, outbox_messages, relay_sender, set_mode


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path)
    for person in ("suzuki", "ito", "tanaka"):
        await set_mode(w, "zeimu", person, "each")
    yield w
    await w.db.close()


def plain(to: tuple[str, ...]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "zeimu@kairan.test.lg.jp"
    message["To"] = ", ".join(to)
    message["Subject"] = "test"
    message["Message-ID"] = "<plain-1@kairan.test.lg.jp>"
    message.set_content("本文")
    return message


async def test_a_relay_answering_451_then_recovering_loses_nothing(world, sink):
    sink.temporary_failures = 5                     # more than the sender's quick retries
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await plan_queued(world.db, MAIL, world.clock())
    first = await world.dispatcher(relay_sender(sink.port)).dispatch()
    world.clock.advance(minutes=2)
    await world.dispatcher(relay_sender(sink.port)).dispatch()
    world.clock.advance(minutes=10)
    await world.dispatcher(relay_sender(sink.port)).dispatch()
    assert first.deferred == 1 and first.sent == 0
    assert sorted(r.rcpt_tos[0] for r in sink.received) == [
        "ito@town.test.lg.jp", "suzuki@city.test.lg.jp", "tanaka@pref.test.lg.jp"]
    assert {d.status for d in await list_deliveries(world.db, "notify")} == {"sent"}


async def test_a_retried_mail_keeps_its_message_id(world, sink):
    sink.temporary_failures = 3
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await plan_queued(world.db, MAIL, world.clock())
    planned = {d.member_id: d.message_id for d in await list_deliveries(world.db, "notify")}
    await world.dispatcher(relay_sender(sink.port)).dispatch()
    world.clock.advance(minutes=2)
    await world.dispatcher(relay_sender(sink.port)).dispatch()
    assert {str(r.message["Message-ID"]) for r in sink.received} == set(planned.values())


async def test_a_550_for_one_recipient_does_not_stop_the_others_and_is_recorded(world, sink):
    sink.refuse["ito@town.test.lg.jp"] = "550 5.1.1 No such user"
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await plan_queued(world.db, MAIL, world.clock())
    await world.dispatcher(relay_sender(sink.port)).dispatch()
    assert sorted(r.rcpt_tos[0] for r in sink.received) == ["suzuki@city.test.lg.jp", "tanaka@pref.test.lg.jp"]
    failed = await list_deliveries(world.db, "notify", "failed")
    assert [(d.member_id, d.error) for d in failed] == [(world.people["ito"].id, "550 5.1.1 No such user")]


async def test_the_sender_reports_each_recipient_of_one_message(sink):
    sink.refuse["b@city.test.lg.jp"] = "550 5.1.1 No such user"
    result = await relay_sender(sink.port).send(plain(("a@pref.test.lg.jp", "b@city.test.lg.jp", "c@town.test.lg.jp")))
    assert result.accepted == ("a@pref.test.lg.jp", "c@town.test.lg.jp")
    assert result.refused == {"b@city.test.lg.jp": "550 5.1.1 No such user"}
    assert sink.received[0].rcpt_tos == ["a@pref.test.lg.jp", "c@town.test.lg.jp"]


async def test_an_unreachable_relay_is_a_temporary_failure():
    with socket.socket() as probe:                 # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TemporaryFailure):
        await relay_sender(port).send(plain(("a@pref.test.lg.jp",)))


async def test_an_unreachable_relay_leaves_the_mail_due(world):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await plan_queued(world.db, MAIL, world.clock())
    await world.dispatcher(relay_sender(port)).dispatch()
    rows = await list_deliveries(world.db, "notify")
    assert {d.status for d in rows} == {"due"}
    assert "relay unreachable" in rows[0].error


async def test_the_maildir_outbox_keeps_one_copy_of_a_mail_written_twice(tmp_path):
    sender = MaildirSender(tmp_path / "outbox")
    await sender.send(plain(("a@pref.test.lg.jp",)))
    await sender.send(plain(("a@pref.test.lg.jp",)))
    assert len(outbox_messages(tmp_path / "outbox")) == 1
