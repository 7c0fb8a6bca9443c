"""Threading as a person would, over real SMTP on 127.0.0.1: one test per rule of bridge.ingest.threader.

Each message goes through the real gateway, spool and ingest worker; the
threads are read back from the archive as `kairan show --json` prints them.
"""

from __future__ import annotations

import base64

from archive.export import space_document
from archive.posts import list_posts
from archive.spaces import get_space
from tests.conftest import DOMAIN, mail

SATO = ("佐藤 健一 <sato@pref.yamakawa.lg.jp>", "sato@pref.yamakawa.lg.jp")
SUZUKI = ("鈴木 裕子 <suzuki@city.aoba.lg.jp>", "suzuki@city.aoba.lg.jp")
ITO = ("伊藤 翔太 <ito@town.wakaba.lg.jp>", "ito@town.wakaba.lg.jp")
ZEIMU = f"zeimu@{DOMAIN}"
TITLE = "税務担当者連絡会"       # the zeimu space's title, which notifications put in subjects as [税務担当者連絡会]


async def threads(gateway) -> list[dict]:
    return (await space_document(gateway.ctx.db, await get_space(gateway.ctx.db, "zeimu"), DOMAIN))["threads"]


async def send(gateway, who, subject: str, body: str, **headers: str) -> None:
    refused = await gateway.send(mail(who[0], ZEIMU, subject, body, **headers), who[1], [ZEIMU])
    assert refused == {}


def sizes(found: list[dict]) -> list[int]:
    return sorted(len(t["posts"]) for t in found)


async def test_same_plain_subject_from_two_organizations_on_one_day_is_two_threads(gateway):
    await send(gateway, SATO, "研修について", "県の研修日程をお知らせします。\n", Date="Tue, 12 May 2026 09:00:00 +0900")
    await send(gateway, SUZUKI, "研修について", "市の研修の参加者を募集します。\n", Date="Tue, 12 May 2026 15:00:00 +0900")
    await gateway.settle()
    found = await threads(gateway)
    assert sizes(found) == [1, 1] and [t["subject"] for t in found] == ["研修について", "研修について"]


async def test_same_subject_with_a_reply_prefix_joins(gateway):
    await send(gateway, SATO, "会議の開催について", "5月20日に開催します。\n")
    await send(gateway, SUZUKI, "Re: 会議の開催について", "出席します。\n")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [2]


async def test_same_subject_with_only_a_quoted_block_as_signal_joins(gateway):
    await send(gateway, SATO, "会議の開催について", "5月20日に開催します。\n")
    await send(gateway, ITO, "会議の開催について", "出席します。\n\n> 5月20日に開催します。\n")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [2]


async def test_localized_and_numbered_reply_prefixes_are_signals(gateway):
    await send(gateway, SATO, "備蓄状況の調査", "調査票を送ります。\n")
    for prefix in ("Ｒｅ：", "返信: ", "AW: ", "SV: ", "Re[2]: "):
        await send(gateway, SUZUKI, f"{prefix}備蓄状況の調査", f"{prefix}回答します。\n")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [6]


async def test_generic_subjects_never_join_by_subject(gateway):
    await send(gateway, SATO, "ご連絡", "明日は休みます。\n")
    await send(gateway, SUZUKI, "Re: ご連絡", "会議室を予約しました。\n")
    await send(gateway, ITO, "Re: (件名なし)", "資料を送ります。\n")
    await send(gateway, ITO, "RE: 報告", "報告します。\n")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [1, 1, 1, 1]


async def test_reply_with_only_thread_index_joins_its_conversation(gateway):
    root = bytes(range(1, 23))          # Outlook: 22 bytes for the conversation …
    await send(gateway, SATO, "固定資産税の課税資料", "資料をお送りします。\n",
               Thread_Index=base64.b64encode(root).decode(), Thread_Topic="固定資産税の課税資料")
    # … and 5 more per reply.  No In-Reply-To, no References, a subject Outlook rewrote.
    await send(gateway, SUZUKI, "資料の件（差し替え）", "差し替え版です。\n",
               Thread_Index=base64.b64encode(root + b"\x00\x01\x02\x03\x04").decode(),
               Thread_Topic="固定資産税の課税資料")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [2]


async def test_thread_topic_matches_when_references_were_cut_and_the_index_is_unknown(gateway):
    await send(gateway, SATO, "固定資産税の課税資料", "資料をお送りします。\n")
    reply_index = base64.b64encode(bytes(range(30, 52)) + b"\x00\x01\x02\x03\x04").decode()
    await send(gateway, SUZUKI, "資料の件", "確認しました。\n", Thread_Index=reply_index, Thread_Topic="固定資産税の課税資料")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [2]


async def test_a_reply_that_arrives_first_is_reattached_when_its_parent_comes(gateway):
    await send(gateway, SUZUKI, "Re: 減免申請の様式", "様式を確認しました。\n", Message_ID="<r1@city.aoba.lg.jp>",
               In_Reply_To="<p1@pref.yamakawa.lg.jp>", References="<p1@pref.yamakawa.lg.jp>")
    await gateway.settle()
    orphan = await threads(gateway)
    assert sizes(orphan) == [1]
    await send(gateway, SATO, "減免申請の様式", "新しい様式です。\n", Message_ID="<p1@pref.yamakawa.lg.jp>",
               Date="Mon, 11 May 2026 09:00:00 +0900")
    await gateway.settle()
    found = await threads(gateway)
    assert sizes(found) == [2]
    assert found[0]["id"] != orphan[0]["id"]          # the thread that only held the reply is gone
    assert [p["reply_text"] for p in found[0]["posts"]] == ["新しい様式です。\n", "様式を確認しました。\n"]


async def test_replies_deeper_in_a_thread_that_arrive_first_join_when_a_message_they_reference_comes(gateway):
    """Only References names the late message (the In-Reply-To is another reply, also not here yet):
    the waiting parents are looked up by key, as a space of a million posts needs."""
    await send(gateway, ITO, "Re: Re: 研修日程", "若葉町も参加します。\n", Message_ID="<r3@town.wakaba.lg.jp>",
               In_Reply_To="<r2@city.aoba.lg.jp>", References="<p2@pref.yamakawa.lg.jp> <r2@city.aoba.lg.jp>")
    await send(gateway, SUZUKI, "Re: 研修日程の件", "参加します。\n", Message_ID="<r4@city.aoba.lg.jp>",
               References="<p2@pref.yamakawa.lg.jp>")
    await gateway.settle()
    assert sizes(await threads(gateway)) == [1, 1]
    await send(gateway, SATO, "研修日程", "日程をお知らせします。\n", Message_ID="<p2@pref.yamakawa.lg.jp>",
               Date="Mon, 11 May 2026 09:00:00 +0900")
    await gateway.settle()
    found = await threads(gateway)
    assert sizes(found) == [3]
    assert found[0]["subject"] == "研修日程"
    waiting = await gateway.ctx.db.fetchall("SELECT message_id FROM awaited_parents")
    assert [r["message_id"] for r in waiting] == ["<r2@city.aoba.lg.jp>"]     # still awaited, in the joined thread


async def test_an_inquirys_answer_that_arrives_first_opens_no_inquiry_of_its_own(gateway):
    await send(gateway, SUZUKI, "Re: 【照会】減免件数の調査（回答期限：12月5日）", "青葉市は3件です。\n",
               Message_ID="<r2@city.aoba.lg.jp>", In_Reply_To="<q2@pref.yamakawa.lg.jp>",
               References="<q2@pref.yamakawa.lg.jp>")
    await gateway.settle()
    await send(gateway, SATO, "【照会】減免件数の調査（回答期限：12月5日）", "各市町の件数を教えてください。\n",
               Message_ID="<q2@pref.yamakawa.lg.jp>", Date="Mon, 11 May 2026 09:00:00 +0900")
    await gateway.settle()
    found = await threads(gateway)
    assert sizes(found) == [2]                        # the answer joined the inquiry's thread
    inquiries = await gateway.ctx.db.fetchall("SELECT thread_id FROM inquiries")
    assert [r["thread_id"] for r in inquiries] == [found[0]["id"]]


async def test_space_tag_and_repeated_prefixes_are_not_stored_in_subjects(gateway):
    await send(gateway, SATO, f"[{TITLE}] Re: RE: 転送: 固定資産税の減免について", "お知らせです。\n")
    await send(gateway, SUZUKI, f"Re: [{TITLE}] Re: 固定資産税の減免について", "承知しました。\n")
    await gateway.settle()
    found = await threads(gateway)
    assert [t["subject"] for t in found] == ["固定資産税の減免について"] and len(found[0]["posts"]) == 2
    assert {p.subject for p in await list_posts(gateway.ctx.db, found[0]["id"])} == {"固定資産税の減免について"}
