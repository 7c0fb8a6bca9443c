"""Mail over real SMTP on 127.0.0.1 becomes threaded posts; refusals happen in the session."""

from __future__ import annotations

import asyncio
import hashlib
import json
import smtplib
import subprocess
import sys
from email.header import Header

import pytest

from archive.export import space_document
from archive.spaces import get_space
from archive.spool import list_entries
from tests.conftest import DOMAIN, ROOT, mail

SATO = "佐藤 健一 <sato@pref.yamakawa.lg.jp>"
SUZUKI = "鈴木 裕子 <suzuki@city.aoba.lg.jp>"
ZEIMU = f"zeimu@{DOMAIN}"


async def show(ctx, slug: str = "zeimu") -> dict:
    return await space_document(ctx.db, await get_space(ctx.db, slug), DOMAIN)


async def test_new_mail_starts_a_thread(gateway):
    refused = await gateway.send(mail(SATO, ZEIMU, "減免申請の件", "こんにちは。\n"), "sato@pref.yamakawa.lg.jp",
                                 [ZEIMU])
    await gateway.settle()
    doc = await show(gateway.ctx)
    assert refused == {}
    assert [t["subject"] for t in doc["threads"]] == ["減免申請の件"]
    post = doc["threads"][0]["posts"][0]
    assert (post["from_name"], post["from_address"]) == ("佐藤 健一", "sato@pref.yamakawa.lg.jp")
    assert post["reply_text"] == "こんにちは。\n"


async def test_reply_by_in_reply_to_joins_the_thread(gateway):
    first = mail(SATO, ZEIMU, "減免申請の件", "質問です。\n", Message_ID="<q1@pref.yamakawa.lg.jp>")
    await gateway.send(first, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    reply = mail(SUZUKI, ZEIMU, "全く別の件名", "回答です。\n", In_Reply_To="<q1@pref.yamakawa.lg.jp>")
    await gateway.send(reply, "suzuki@city.aoba.lg.jp", [ZEIMU])
    await gateway.settle()
    doc = await show(gateway.ctx)
    assert len(doc["threads"]) == 1
    assert [p["reply_text"] for p in doc["threads"][0]["posts"]] == ["質問です。\n", "回答です。\n"]


async def test_reply_to_the_token_address_joins_whatever_the_headers_say(gateway):
    await gateway.send(mail(SATO, ZEIMU, "研修の日程", "日程案です。\n"), "sato@pref.yamakawa.lg.jp", [ZEIMU])
    await gateway.settle()
    reply_address = (await show(gateway.ctx))["threads"][0]["reply_address"]
    assert reply_address.startswith("zeimu+") and reply_address.endswith("@" + DOMAIN)
    await gateway.send(mail(SUZUKI, reply_address.upper(), "別の話題", "了解しました。\n"),
                       "suzuki@city.aoba.lg.jp", [reply_address.upper()])
    await gateway.settle()
    doc = await show(gateway.ctx)
    assert len(doc["threads"]) == 1 and len(doc["threads"][0]["posts"]) == 2


async def test_reply_matched_by_subject_only(gateway):
    await gateway.send(mail(SATO, ZEIMU, "[zeimu] 研修の日程", "案です。\n"), "sato@pref.yamakawa.lg.jp", [ZEIMU])
    await gateway.send(mail(SUZUKI, ZEIMU, "RE: Re: 研修の日程", "賛成です。\n"), "suzuki@city.aoba.lg.jp", [ZEIMU])
    await gateway.send(mail(SUZUKI, ZEIMU, "研修の会場", "別件です。\n"), "suzuki@city.aoba.lg.jp", [ZEIMU])
    await gateway.settle()
    threads = (await show(gateway.ctx))["threads"]
    assert sorted(len(t["posts"]) for t in threads) == [1, 2]


async def test_iso_2022_jp_body_is_decoded(gateway):
    body = "固定資産税の減免について、ご確認ください。\r\n".encode("iso-2022-jp")
    raw = (b"From: sato@pref.yamakawa.lg.jp\r\nTo: " + ZEIMU.encode() + b"\r\n"
           b"Subject: " + Header("固定資産税", "iso-2022-jp").encode().encode() + b"\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
           b"Content-Transfer-Encoding: 7bit\r\n\r\n" + body)
    await gateway.send(raw, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    await gateway.settle()
    thread = (await show(gateway.ctx))["threads"][0]
    assert thread["subject"] == "固定資産税"
    assert "固定資産税の減免について" in thread["posts"][0]["reply_text"]


async def test_large_attachment_with_japanese_name_is_stored_exactly(gateway):
    data = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    message = mail(SATO, ZEIMU, "資料送付", "資料を添付します。\n")
    message.add_attachment(data, maintype="application", subtype="pdf", filename="令和8年度 研修資料（確定版）.pdf")
    await gateway.send(message, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    await gateway.settle()
    [attachment] = (await show(gateway.ctx))["threads"][0]["posts"][0]["attachments"]
    assert attachment == {"filename": "令和8年度 研修資料（確定版）.pdf", "size": len(data),
                          "content_type": "application/pdf", "sha256": hashlib.sha256(data).hexdigest()}
    assert gateway.ctx.blobs.get(attachment["sha256"]) == data


async def test_one_message_to_two_spaces_is_one_post_in_each(gateway):
    bousai = f"bousai@{DOMAIN}"
    await gateway.send(mail(SATO, f"{ZEIMU}, {bousai}", "共有", "両方へ。\n"), "sato@pref.yamakawa.lg.jp",
                       [ZEIMU, bousai])
    await gateway.settle()
    assert len((await show(gateway.ctx, "zeimu"))["threads"]) == 1
    assert len((await show(gateway.ctx, "bousai"))["threads"]) == 1
    assert len(await list_entries(gateway.ctx.db, "processed")) == 1


def refused_code(gateway, message, mail_from: str, rcpts: list[str]) -> tuple[int, bytes]:
    try:
        refused = gateway.send_sync(message, mail_from, rcpts)
    except smtplib.SMTPRecipientsRefused as error:
        return next(iter(error.recipients.values()))
    except smtplib.SMTPDataError as error:
        return error.smtp_code, error.smtp_error
    except smtplib.SMTPSenderRefused as error:
        return error.smtp_code, error.smtp_error
    pytest.fail(f"message was accepted (refused: {refused})")


async def test_unknown_space_is_refused_at_rcpt(gateway):
    code, text = await _in_thread(refused_code, gateway, mail(SATO, f"nosuch@{DOMAIN}", "x", "x\n"),
                                  "sato@pref.yamakawa.lg.jp", [f"nosuch@{DOMAIN}"])
    assert code == 550 and b"5.1.1" in text


async def test_non_member_is_refused(gateway):
    code, text = await _in_thread(refused_code, gateway, mail("outsider@town.wakaba.lg.jp", ZEIMU, "x", "x\n"),
                                  "outsider@town.wakaba.lg.jp", [ZEIMU])
    assert code == 550 and b"5.7.1" in text and b"not a member" in text


async def test_member_envelope_with_non_member_header_from_is_refused(gateway):
    code, text = await _in_thread(refused_code, gateway, mail("outsider@town.wakaba.lg.jp", ZEIMU, "x", "x\n"),
                                  "sato@pref.yamakawa.lg.jp", [ZEIMU])
    assert code == 550 and b"outsider@town.wakaba.lg.jp" in text


async def test_oversize_mail_is_refused_with_552(gateway):
    big = mail(SATO, ZEIMU, "大きい", "x\n")
    big.add_attachment(b"\0" * (51 * 1024 * 1024), maintype="application", subtype="octet-stream", filename="a.bin")
    code, _ = await _in_thread(refused_code, gateway, big, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    assert code == 552
    await gateway.settle()
    assert (await show(gateway.ctx))["threads"] == []


@pytest.mark.parametrize("header,value", [("Auto-Submitted", "auto-replied"), ("Precedence", "bulk"),
                                          ("Precedence", "junk"), ("X-Loop", f"kairan@{DOMAIN}")])
async def test_auto_replies_and_loops_are_refused(gateway, header, value):
    message = mail(SATO, ZEIMU, "不在通知", "不在です。\n", **{header.replace("-", "_"): value})
    code, _ = await _in_thread(refused_code, gateway, message, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    assert code in (550, 554)
    await gateway.settle()
    assert (await show(gateway.ctx))["threads"] == []


async def test_kairan_show_json_has_the_contract_shape(gateway):
    message = mail(SATO, ZEIMU, "形の確認", "本文\n", Message_ID="<shape@pref.yamakawa.lg.jp>")
    message.add_attachment(b"a,b\n", maintype="text", subtype="csv", filename="表.csv")
    await gateway.send(message, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    await gateway.settle()
    out = subprocess.run([sys.executable, "-m", "kairan", "show", "zeimu", "--json", "--data",
                          str(gateway.ctx.settings.data_dir)], capture_output=True, text=True, cwd=ROOT, check=True)
    doc = json.loads(out.stdout)
    assert doc["space"] == {"slug": "zeimu", "title": "税務担当者連絡会", "address": ZEIMU}
    [thread] = doc["threads"]
    assert set(thread) == {"id", "subject", "reply_address", "inquiry", "posts"}
    [post] = thread["posts"]
    assert set(post) == {"id", "message_id", "from_name", "from_address", "date", "reply_text", "attachments",
                         "sender_assurance"}
    assert post["sender_assurance"] == "none"           # no trusted relay, no DNS configured
    assert post["message_id"] == "<shape@pref.yamakawa.lg.jp>"
    assert post["attachments"][0]["filename"] == "表.csv" and post["attachments"][0]["size"] == 4


async def _in_thread(function, *args):
    return await asyncio.to_thread(function, *args)


async def test_posts_keep_the_reply_text_and_show_reaches_the_full_original(gateway):
    body = ("承知しました。17日で調整します。\n\n鈴木\n--\n青葉市 資産税課\nTEL 0123-45-6789\n\n"
            "2026年11月26日(木) 10:21 佐藤 健一 <sato@pref.yamakawa.lg.jp>:\n> 日程は17日でいかがでしょうか。\n")
    await gateway.send(mail(SUZUKI, ZEIMU, "Re: 日程", body), "suzuki@city.aoba.lg.jp", [ZEIMU])
    await gateway.settle()
    post = (await show(gateway.ctx))["threads"][0]["posts"][0]
    assert post["reply_text"] == "承知しました。17日で調整します。\n\n鈴木\n"
    data = str(gateway.ctx.settings.data_dir)
    full = subprocess.run([sys.executable, "-m", "kairan", "show", "zeimu", "--post", str(post["id"]), "--data", data],
                          capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "> 日程は17日でいかがでしょうか。" in full and "TEL 0123-45-6789" in full
    raw = subprocess.run([sys.executable, "-m", "kairan", "show", "zeimu", "--post", str(post["id"]), "--raw",
                          "--data", data], capture_output=True, cwd=ROOT, check=True).stdout
    assert raw.startswith(b"From: ") or b"\nFrom: " in raw
    assert hashlib.sha256(raw).hexdigest() == (await gateway.ctx.db.fetchval("SELECT raw_sha256 FROM posts"))


async def test_a_from_with_junk_before_the_member_is_checked_and_credited_as_that_member(gateway):
    raw = (b"From: evil, =?utf-8?b?5L2Q6Jek?= <sato@pref.yamakawa.lg.jp>\r\nTo: " + ZEIMU.encode()
           + b"\r\nSubject: junk first\r\n\r\nbody\r\n")
    await gateway.send(raw, "sato@pref.yamakawa.lg.jp", [ZEIMU])
    await gateway.settle()
    post = (await show(gateway.ctx))["threads"][0]["posts"][0]
    assert (post["from_name"], post["from_address"]) == ("佐藤", "sato@pref.yamakawa.lg.jp")
