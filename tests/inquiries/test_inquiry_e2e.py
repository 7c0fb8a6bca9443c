"""Acceptance: an inquiry by real SMTP to three organizations, followed through every view.

The prefecture asks aoba, wakaba and midori; aoba answers with an Excel file, midori
answers in text, wakaba stays silent. The matrix must agree in the web page, CSV,
XLSX and JSON; the reminder and the digest section reach wakaba's space members
only; when wakaba's org admin says 該当なし, every view shows it.
"""

from __future__ import annotations

import io
import json
import mailbox
from datetime import datetime, timedelta

import httpx
from openpyxl import Workbook, load_workbook

from archive.export import space_document
from archive.inquiries.status import inquiry_reader
from archive.spaces import get_space
from tests.inquiries.conftest import ITO, JST, KIMURA, START, TAKAHASHI, TANAKA, WATANABE, letter, send
from tests.inquiries.test_inquiry_reminders import digest_text, worker
from tests.inquiries.test_inquiry_web import token_for
from tests.test_cli import kairan
from web.app import create_app
from web.services import WebServices

SUBJECT = "【照会】避難所の備蓄状況について（回答期限：１２月５日（土）１７時）"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def excel_answer() -> bytes:
    book = Workbook()
    book.active.append(["品目", "数量"])
    book.active.append(["毛布", 1200])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def json_inquiry(ctx) -> dict:
    doc = await space_document(ctx.db, await get_space(ctx.db, "bousai"), ctx.settings.domain,
                               inquiry_of=inquiry_reader(ctx.db, ctx.clock, "Asia/Tokyo"))
    return next(t["inquiry"] for t in doc["threads"] if t["inquiry"])


def statuses(inquiry: dict) -> dict[str, str]:
    return {o["org"]: o["status"] for o in inquiry["orgs"]}


async def test_inquiry_by_mail_end_to_end(inq_gateway, clock, data_dir, tmp_path):
    ctx = inq_gateway.ctx
    mid = await send(inq_gateway, letter(TANAKA, SUBJECT, "各市町村 防災担当者様\n備蓄数をお知らせください。\n", START))
    await send(inq_gateway, letter(TAKAHASHI, "Re: " + SUBJECT, "添付のとおり回答します。\n", START + timedelta(hours=2),
                                   parent=mid, attachment=("備蓄状況_青葉市.xlsx", excel_answer(), XLSX)))
    await send(inq_gateway, letter(KIMURA, "RE: " + SUBJECT, "緑村は毛布300枚です。\n", START + timedelta(hours=3),
                                   parent=mid))
    thread_id = await ctx.db.fetchval("SELECT thread_id FROM inquiries")
    url = f"/s/bousai/t/{thread_id}/inquiry"

    # JSON (the contract's shape) at 12/3 08:30 JST.
    clock.now = datetime(2026, 12, 3, 8, 30, tzinfo=JST)
    inquiry = await json_inquiry(ctx)
    assert (inquiry["asker"], inquiry["deadline"]) == ("pref", "2026-12-05")
    assert statuses(inquiry) == {"aoba": "answered", "midori": "answered", "wakaba": "pending"}
    aoba = inquiry["orgs"][0]
    assert (aoba["by"], aoba["answered_at"]) == ("高橋 誠", "2026-11-27T12:00:00+09:00")
    cli = json.loads(kairan(data_dir, "show", "bousai", "--json").stdout)
    cli_inquiry = next(t["inquiry"] for t in cli["threads"] if t["id"] == thread_id)
    assert statuses(cli_inquiry)["aoba"] == "answered" and statuses(cli_inquiry)["wakaba"] in ("pending", "overdue")

    # The web page, CSV and XLSX, as a member of another organization sees them.
    services = WebServices(db=ctx.db, blobs=ctx.blobs, domain=ctx.settings.domain, base_url="http://kairan.test",
                           secret_key="k", clock=ctx.clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(services)),
                                 base_url="http://kairan.test") as web:
        viewer = await token_for(ctx, ITO)
        page = (await web.get(url, headers=viewer)).text
        for org, label in (("aoba", "回答済"), ("midori", "回答済"), ("wakaba", "未回答")):
            assert label in page[page.index(f'data-org="{org}"'):][:300]
        assert "備蓄状況_青葉市.xlsx" in page and "木村 花子" in page
        csv_text = (await web.get(url + ".csv", headers=viewer)).content.decode("utf-8-sig")
        assert [line.split(",")[1] for line in csv_text.splitlines() if line.count(",") >= 8][1:] == \
            ["aoba", "midori", "wakaba"]
        assert "緑村は毛布300枚です。" in csv_text and "未回答" in csv_text
        book = load_workbook(io.BytesIO((await web.get(url + ".xlsx", headers=viewer)).content))
        sheet = [[c.value for c in row] for row in book["回答状況"].iter_rows(min_row=2)]
        assert [(r[1], r[2]) for r in sheet] == [("aoba", "回答済"), ("midori", "回答済"), ("wakaba", "未回答")]
        assert sheet[0][6].startswith("備蓄状況_青葉市.xlsx")

        # Reminder two days ahead and the digest: wakaba's space members only.
        outbox = tmp_path / "reminders"
        assert await worker(ctx, outbox).once() == 2
        told = sorted(str(m["To"]).split("<")[1].rstrip(">") for m in mailbox.Maildir(outbox))
        assert told == [ITO, WATANABE]
        digests = tmp_path / "digests"
        assert "回答待ちの照会" in await digest_text(ctx, ITO, digests)
        for other in (TAKAHASHI, KIMURA, TANAKA):
            assert "回答待ちの照会" not in (await digest_text(ctx, other, digests) or "")

        # wakaba's org admin says 該当なし: every view shows it.
        assert (await web.post(url + "/mark", data={"na": "1"}, headers=viewer)).status_code == 303
        page = (await web.get(url, headers=viewer)).text
        assert "該当なし" in page[page.index('data-org="wakaba"'):][:300]
        assert "該当なし" in (await web.get(url + ".csv", headers=viewer)).content.decode("utf-8-sig")
    assert statuses(await json_inquiry(ctx))["wakaba"] == "not_applicable"
    clock.now = datetime(2026, 12, 6, 9, 0, tzinfo=JST)
    assert await worker(ctx, tmp_path / "after").once() == 0          # nobody is overdue any more
