"""Property tests: parse_message and extract_reply never raise, whatever the bytes.

Messages are random, or corpus messages mutated: bytes flipped, headers
rewritten, cut short, NULs injected, huge lines, bogus charsets, broken
base64.  Kept under ~20 s.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bridge.parsing.mime import ParsedMail, parse_message
from bridge.replies.extract import Reply, extract_reply
from tests.corpora_support import all_messages

SEEDS = [path.read_bytes() for path in all_messages()]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BOGUS_HEADERS = [
    b"Content-Type: text/plain; charset=x-unknown",
    b"Content-Type: text/plain; charset=\"\"",
    b"Content-Type: multipart/mixed; boundary=",
    b"Content-Type: multipart/mixed",
    b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: x-uuencode",
    b"Content-Disposition: attachment; filename*0*=bogus''%ZZ%; filename*1=x",
    b"Subject: =?x-unknown?B?@@@@?= =?utf-8?Q?=ZZ?= =?iso-2022-jp?B?GyRC?=",
    b"From: \"unterminated <@@> ,,, <",
    b"Date: Mon, 99 Foo 20245 99:99:99 +9999",
    b"Message-ID: <<<>>>",
]


def _check(raw: bytes) -> ParsedMail:
    mail = parse_message(raw)
    assert isinstance(mail, ParsedMail)
    reply = extract_reply(mail.body_text, mail.body_html, mail.subject)
    assert isinstance(reply, Reply)
    return mail


@st.composite
def mutated(draw) -> bytes:
    """A corpus message with a few random edits."""
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["flip", "cut", "nul", "header", "long", "base64"]))
        pos = draw(st.integers(0, max(0, len(raw) - 1)))
        if action == "flip" and raw:
            raw[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del raw[pos:]
        elif action == "nul":
            raw[pos:pos] = b"\x00" * draw(st.integers(1, 8))
        elif action == "header":
            raw[0:0] = draw(st.sampled_from(BOGUS_HEADERS)) + b"\r\n"
        elif action == "long":
            raw[pos:pos] = draw(st.sampled_from([b"A", b">", b"\x1b$B", b"=?", b"\xff"])) * 20000
        else:
            raw[pos:pos] = b"!!!not*base64==="
    return bytes(raw)


@FUZZ
@given(mutated())
def test_mutated_corpus_messages_never_raise(raw):
    _check(raw)


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise(raw):
    _check(raw)


@FUZZ
@given(st.text(max_size=3000), st.text(max_size=2000))
def test_extract_reply_never_raises_on_any_text(text, html):
    assert isinstance(extract_reply(text, html), Reply)


def test_undecodable_body_yields_replacement_text_and_a_defect():
    raw = (b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=x-unknown\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\nabc \xff\xfe\x80\x81 def\r\n")
    mail = _check(raw)
    assert "\ufffd" in mail.body_text and "abc" in mail.body_text
    assert any("x-unknown" in defect for defect in mail.defects)


def test_broken_base64_body_still_yields_text():
    raw = (b"From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n44GC44GE!!!*&^44GG\r\n")
    assert isinstance(_check(raw).body_text, str)


def test_megabyte_single_line_completes():
    """No catastrophic backtracking: a 1 MB line of quote-ish text is processed."""
    started = time.monotonic()
    line = ("> On 2024 wrote: -- 差出人: " + "a" * 50 + " <x@y.z>: ") * 12000
    raw = b"From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + line.encode()
    mail = _check(raw)
    extract_reply(line, "<div>" + line + "</div>")
    assert len(mail.body_text) >= 1_000_000
    assert time.monotonic() - started < 60     # completes; the bench measures speed


def test_megabyte_line_after_a_rule_and_in_headers_completes():
    """Regexes that scan words (addresses, parameters) must not go quadratic on one huge token."""
    token = "a" * 1_000_000
    assert extract_reply(f"hi\n\n━━━━━━━━━━\n{token}\n") is not None
    raw = f"From: a@example.com\r\nSubject: {token}\r\nContent-Type: text/plain; {token}\r\n\r\nx".encode()
    assert parse_message(raw).subject.startswith("aaa")


LABELS = ["x-unknown", "us-ascii", "", "utf-8", "shift_jis", "euc-jp", "iso-2022-jp", "gb2312", "windows-1251"]


@FUZZ
@given(st.binary(min_size=1, max_size=3000).filter(lambda b: not b.isascii()), st.sampled_from(LABELS))
def test_8bit_bodies_under_any_label_decode_and_record_what_was_assumed(body, label):
    """Whatever the bytes: text comes out; replacement characters never appear without a defect, and
    bytes the label cannot read (or no label at all) always leave a defect saying what was assumed."""
    ctype = f"text/plain; charset={label}" if label else "text/plain"
    raw = (f"From: a@example.com\r\nSubject: x\r\nContent-Type: {ctype}\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n").encode() + body.replace(b"\r", b"").replace(b"\n", b"\r\n")
    mail = _check(raw)
    body_defects = [d for d in mail.defects if d.startswith("text/plain")]
    if "\ufffd" in mail.body_text and "\ufffd".encode() not in body:
        assert body_defects, mail.defects
    if label in ("x-unknown", "us-ascii", ""):
        assert body_defects, mail.defects


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab あ漢>＞|｜-_=*・◆━\n :：@1\u200e\u202b\u2066\u3000（）内線")), max_size=800))
def test_extract_reply_never_raises_on_marker_soup(text):
    reply = extract_reply(text)
    assert reply.confidence in ("high", "low")
    assert "\u200e" in text or "\u200e" not in reply.reply_text + reply.quoted_text + reply.signature
