"""Each reason `bridge.replies.confidence` gives, on the kind of body that should raise it, and high when clean."""

from __future__ import annotations

import pytest

from bridge.replies.confidence import REASONS
from bridge.replies.extract import extract_reply

NEW = "承知しました。資料を確認します。\n\n詳細は追ってご連絡します。\n"


@pytest.mark.parametrize("reason, text, html", [
    ("signature-like-kept", NEW + "\n山河県 総務部 税務課\n", ""),
    ("signature-like-kept", NEW + "\n問い合わせ先 tanaka@example.lg.jp\n", ""),
    ("separator-like-kept", NEW + "\n-----Bevtvany Zrffntr-----\n古い本文です。\n", ""),
    ("separator-like-kept", NEW + "\nQr: Anna\nSent: Monday\nTo: Ken\n\n古い本文です。\n", ""),
    ("attribution-like-kept", NEW + "\nBa 01/03/2024 7:07 CZ, Anna Weber jebgr:\n", ""),
    ("cut-at-unrecognised-separator", NEW + "\nAnna Weber (Abteilung 3) <anna@example.com>:\n古い本文です。\n", ""),
    ("nothing-new", "> 古い本文です。\n> 二行目です。\n", ""),
    ("html-text-disagree", NEW, '<div>承知しました。</div><div class="gmail_quote">古い本文</div>'),
    ("quote-like-kept", "了解です。\n\nAB> 古い本文です。\nAB> 二行目です。\n", ""),
])
def test_reason_is_given(reason, text, html):
    reply = extract_reply(text, html)
    assert reply.confidence == "low" and reason in reply.reasons, reply
    assert reason in REASONS


@pytest.mark.parametrize("text", [
    NEW,
    NEW + "\n山本\n",
    NEW + "\nよろしくお願いいたします。\n\n智頭町 企画課　森 一樹（内線 215）\n",
    NEW + "\n2026年5月12日(火) 16:48 松本 健一 <matsumoto@example.lg.jp>:\n> 以前の本文です。\n",
    NEW + "\n-----Original Message-----\nFrom: Anna\nSent: Monday\n\n古い本文です。\n",
])
def test_clean_cuts_and_plain_text_are_high(text):
    reply = extract_reply(text)
    assert (reply.confidence, reply.reasons) == ("high", ()), reply
