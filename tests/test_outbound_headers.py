"""Hostile names and titles in the headers of mail kairan sends, over a real SMTP relay on 127.0.0.1.

A display name comes from a sender's own From header (an encoded-word may hide
CR/LF in it); a title may be long and Japanese. Neither may add a header, break
the notify worker, or produce encoded-words and lines longer than RFC 2047/5322 allow.
"""

from __future__ import annotations

import email
import re
from email.policy import compat32

import pytest

from archive.posts import NewPost, add_post
from archive.spaces import create_space
from bridge.parsing.headers import first_address
from bridge.outbound.notify import plan_queued
from tests.outbound_support import MAIL, make_world, relay_sender, set_mode


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path)
    yield w
    await w.db.close()


async def post_as(world, space, from_name: str, subject: str = "減免申請について") -> None:
    sato = world.people["sato"]
    await add_post(world.db, NewPost(
        space_id=space.id, thread_id=None, message_id=f"<{len(from_name)}.{subject[:3]}@pref.test.lg.jp>",
        subject=subject, norm_subject=subject, from_name=from_name, from_address=sato.email,
        date_utc="2026-11-26T01:00:00Z", author_id=sato.id, reply_text="本文", body_text="本文"))


async def notify(world, sink) -> None:
    await plan_queued(world.db, MAIL, world.clock())
    await world.dispatcher(relay_sender(sink.port)).dispatch()


def header_lines(data: bytes) -> list[bytes]:
    return data.split(b"\r\n\r\n", 1)[0].replace(b"\r\n", b"\n").split(b"\n")


async def test_a_sender_name_with_line_breaks_adds_no_header_and_the_mail_is_sent(world, sink):
    await set_mode(world, "zeimu", "suzuki", "each")
    await post_as(world, world.spaces["zeimu"], "Evil\r\nBcc: victim@evil.example\r\n\r\nforged body")
    await notify(world, sink)
    assert len(sink.received) == 1
    message = sink.received[0].message
    assert message["Bcc"] is None
    assert not any(line.lower().startswith(b"bcc:") for line in header_lines(sink.received[0].data))
    assert "Evil" in message["From"].addresses[0].display_name


async def test_a_long_japanese_title_travels_as_short_encoded_words_and_reads_back_whole(world, sink):
    title = "固定資産税（家屋評価）及び償却資産に関する担当者連絡会議・山川県市町村" * 3
    space = await create_space(world.db, "kaoku", title, [p.email for p in world.people.values()])
    await set_mode(world, "kaoku", "suzuki", "each")
    await post_as(world, space, "佐藤 健一")
    await notify(world, sink)
    received = sink.received[0]
    lines = header_lines(received.data)
    assert [line for line in lines if b"=?" in line and len(line) > 78] == []
    assert [word for word in re.findall(rb"=\?[^?\s]+\?[bq]\?[^?\s]*\?=", received.data, re.I) if len(word) > 75] == []
    # Read back by an RFC 2047 reader that joins adjacent encoded-words (Python's address parser
    # puts a space between them), as a mail client does.
    raw_from = email.message_from_bytes(received.data, policy=compat32)["From"]
    assert first_address(raw_from) == (f"佐藤 健一 via {title}", "kaoku@kairan.test.lg.jp")
    assert received.message["Subject"].startswith(f"[{title}]")
