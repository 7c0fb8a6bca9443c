"""Header fields are cut before decoding: 60,000 encoded-words or 100,000 addresses cost what is kept."""

from __future__ import annotations

from bridge.parsing.headers import MAX_ENCODED_WORDS
from bridge.parsing.mime import parse_message


def test_a_subject_of_60000_encoded_words_is_read_up_to_the_cap_and_the_rest_of_the_mail_intact():
    words = " ".join("=?UTF-8?B?5pel5pys?=" for _ in range(60_000))          # 日本, 60,000 times
    raw = (f"From: 佐藤 <sato@pref.yamakawa.lg.jp>\r\nSubject: {words}\r\nMessage-ID: <long@x>\r\n"
           "\r\n本文です。\r\n").encode()
    mail = parse_message(raw)
    assert mail.subject == "日本" * MAX_ENCODED_WORDS
    assert mail.message_id == "<long@x>" and mail.from_address == "sato@pref.yamakawa.lg.jp"
    assert mail.body_text.strip() == "本文です。"
    assert any("header Subject too long" in d for d in mail.defects)


def test_a_from_of_100000_addresses_credits_the_first_and_keeps_the_other_headers():
    many = ",\r\n ".join(f"user{i}@example.lg.jp" for i in range(100_000))
    raw = f"From: sato@pref.yamakawa.lg.jp, {many}\r\nSubject: 件名\r\n\r\n本文\r\n".encode()
    mail = parse_message(raw)
    assert mail.from_address == "sato@pref.yamakawa.lg.jp" and mail.subject == "件名"
    assert any("header From too long" in d for d in mail.defects)


def test_ordinary_headers_are_not_touched():
    raw = "Subject: =?UTF-8?B?5pel5pys?= =?UTF-8?B?5pel5pys?=\r\nFrom: a@b.lg.jp\r\n\r\nx\r\n".encode()
    mail = parse_message(raw)
    assert mail.subject == "日本日本" and not mail.defects
