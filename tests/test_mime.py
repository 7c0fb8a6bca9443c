"""Unit tests for bridge.parsing.mime, bridge.parsing.charsets and bridge.parsing.headers: one rule each."""

from __future__ import annotations

import base64
import hashlib

from bridge.parsing import charsets, headers
from bridge.parsing.html_text import html_to_text
from bridge.ingest.understand import parse_result_json
from bridge.parsing.mime import parse_message


def message(*header_lines: str, body: bytes = b"hello\r\n") -> bytes:
    return ("\r\n".join(header_lines) + "\r\n\r\n").encode("latin-1") + body


def b_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def test_iso2022jp_decodes_nec_row13_and_ibm_extensions():
    jis = b"\x1b$B-!-\"\x1b(B \x1b$B|b\x1b(B"            # ①② and 髙 (NEC-selected IBM ext, row 92)
    assert charsets.decode(jis, "iso-2022-jp")[0] == "①② 髙"


def test_iso2022jp_wave_dash_is_fullwidth_tilde():
    assert charsets.decode(b"\x1b$B!A\x1b(B", "ISO-2022-JP")[0] == "\uff5e"


def test_iso2022jp_halfwidth_katakana_escape():
    assert charsets.decode(b"\x1b(I1\x1b(B", "iso-2022-jp")[0] == "ｱ"


def test_shift_jis_label_decodes_as_cp932():
    assert charsets.decode("㈱髙～".encode("cp932"), "x-sjis")[0] == "㈱髙～"


def test_unknown_charset_falls_back_and_records_defect():
    text, defect = charsets.decode(b"ok \xff", "x-unknown")
    assert text == "ok \ufffd" and defect


def test_encoded_words_split_mid_character_are_joined_as_bytes():
    data = "会議".encode("utf-8")
    words = [f"=?UTF-8?B?{base64.b64encode(part).decode()}?=" for part in (data[:2], data[2:])]
    assert headers.decode_text(" ".join(words)) == "会議"


def test_encoded_word_in_quoted_display_name():
    name, address = headers.first_address(f'"{b_word("山田", "utf-8")}" <Yamada@Example.JP>')
    assert (name, address) == ("山田", "yamada@example.jp")


def test_rfc2231_continuations_join_as_bytes():
    value = "attachment; filename*0*=UTF-8''%E4%BC%9A; filename*1*=%E8%AD%B0.pdf"
    assert headers.param(value, "filename") == "会議.pdf"


def test_rfc2047_inside_quoted_filename():
    assert headers.param(f'attachment; filename="{b_word("資料.pdf", "utf-8")}"', "filename") == "資料.pdf"


def test_raw_8bit_shift_jis_filename():
    raw = message("From: a@example.com", "Content-Type: multipart/mixed; boundary=B",
                  body=b"--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n--B\r\nContent-Type: text/csv\r\n"
                       b"Content-Disposition: attachment; filename=\"" + "名簿.csv".encode("cp932")
                       + b"\"\r\n\r\na,b\r\n--B--\r\n")
    assert [a.filename for a in parse_message(raw).attachments] == ["名簿.csv"]


def test_attached_message_is_one_attachment_without_size():
    inner = b"From: b@example.com\r\nContent-Type: multipart/mixed; boundary=I\r\n\r\n--I\r\n" \
            b"Content-Type: application/pdf; name=x.pdf\r\n\r\n%PDF\r\n--I--\r\n"
    raw = message("From: a@example.com", "Content-Type: multipart/mixed; boundary=B",
                  body=b"--B\r\nContent-Type: text/plain\r\n\r\nsee\r\n--B\r\nContent-Type: message/rfc822\r\n"
                       b"Content-Disposition: attachment; filename=fw.eml\r\n\r\n" + inner + b"\r\n--B--\r\n")
    attachments = parse_message(raw).attachments
    assert [(a.filename, a.size, a.content_type) for a in attachments] == [("fw.eml", None, "message/rfc822")]


def test_alternative_bodies_are_not_attachments():
    raw = message("From: a@example.com", "Content-Type: multipart/alternative; boundary=B",
                  body=b"--B\r\nContent-Type: text/plain\r\n\r\nplain\r\n--B\r\nContent-Type: text/html\r\n\r\n"
                       b"<p>html</p>\r\n--B--\r\n")
    mail = parse_message(raw)
    assert mail.attachments == () and mail.body_text.strip() == "plain" and "html" in mail.body_html


def test_html_only_body_becomes_text():
    raw = message("From: a@example.com", "Content-Type: text/html; charset=utf-8",
                  body=b"<style>p{}</style><p>one</p><div>two<br>three</div>")
    assert parse_message(raw).body_text == "one\ntwo\nthree\n"


def test_html_to_text_skips_script_and_keeps_fullwidth_space():
    assert html_to_text("<script>x()</script><p>\u3000山田</p>") == "\u3000山田\n"


def test_date_keeps_sender_offset():
    mail = parse_message(message("From: a@example.com", "Date: Mon, 13 May 2024 10:21:00 +0900"))
    assert mail.date.isoformat() == "2024-05-13T10:21:00+09:00"


def test_unreadable_date_is_none_with_defect():
    mail = parse_message(message("From: a@example.com", "Date: someday"))
    assert mail.date is None and mail.defects


def test_ids_keep_angle_brackets():
    mail = parse_message(message("Message-ID:  <a@x> ", "In-Reply-To: <b@x>", "References: <c@x>\r\n <b@x>"))
    assert (mail.message_id, mail.in_reply_to, mail.references) == ("<a@x>", "<b@x>", ("<c@x>", "<b@x>"))


def test_parse_result_json_contract():
    result = parse_result_json(message("From: A <a@example.com>", "Subject: hi", "Date: Mon, 13 May 2024 10:21:00 +0900"))
    assert set(result) == {"subject", "from_name", "from_address", "date", "message_id", "in_reply_to",
                           "references", "body_text", "reply_text", "quoted_text", "signature", "attachments",
                           "confidence", "confidence_reasons"}
    assert result["date"] == "2024-05-13T10:21:00+09:00" and result["reply_text"] == "hello\n"


def test_attachment_sha256_is_of_decoded_bytes():
    raw = message("From: a@example.com", "Content-Type: application/pdf; name=a.pdf",
                  "Content-Transfer-Encoding: base64", body=base64.b64encode(b"%PDF-1"))
    attachment = parse_message(raw).attachments[0]
    assert attachment.size == 6 and attachment.sha256 == hashlib.sha256(b"%PDF-1").hexdigest()


def test_garbage_never_raises():
    assert parse_message(b"\x00\xff" * 100).defects is not None
