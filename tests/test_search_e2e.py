"""Mail over real SMTP becomes searchable with the workers `kairan serve` runs; bad attachments don't stop it."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from archive import queues
from archive.members import get_member_by_address
from kairan.server import build_workers, web_services
from tests.conftest import DOMAIN, mail
from tests.search_support import JST, deliver, message, xlsx_bytes
from search.index import IndexBusy
from search.indexer import Indexer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_mail_sent_over_smtp_is_found_once_the_workers_run(gateway):
    ctx = gateway.ctx
    services = web_services(ctx)
    indexer = next(w for w in build_workers(ctx, services) if isinstance(w, Indexer))
    task = asyncio.create_task(indexer.run())
    try:
        await gateway.send(mail("佐藤 健一 <sato@pref.yamakawa.lg.jp>", f"zeimu@{DOMAIN}", "入湯税の照会",
                                "入湯税の課税免除について照会します。"), "sato@pref.yamakawa.lg.jp",
                           [f"zeimu@{DOMAIN}"])
        await gateway.settle()
        indexer.wake()
        member = await get_member_by_address(ctx.db, "suzuki@city.aoba.lg.jp")
        for _ in range(200):                       # until the indexer has committed (no timing asserted)
            results = await services.search.search(member, "課税免除")
            if results.total:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert [h.subject for h in results.hits] == ["入湯税の照会"]
    assert await queues.depth(ctx.db, "index_queue") == 0


async def test_a_broken_attachment_is_indexed_without_its_text(seeded):
    await deliver(seeded, message("鈴木 裕子 <suzuki@city.aoba.lg.jp>", "zeimu", "壊れた集計表", "添付します。",
                                  datetime(2026, 4, 1, 10, 0, tzinfo=JST),
                                  attachments=(("集計.xlsx", b"PK\x03\x04 not really a workbook", XLSX),
                                               ("内訳.xlsx", xlsx_bytes([["住民税", "特別徴収"]]), XLSX))))
    services = web_services(seeded)
    indexer = Indexer(seeded.db, services.search.index, seeded.blobs)
    await indexer.drain()
    await indexer.close()
    member = await get_member_by_address(seeded.db, "sato@pref.yamakawa.lg.jp")
    assert (await services.search.search(member, "壊れた集計表")).total == 1
    assert (await services.search.search(member, "特別徴収")).total == 1


async def test_posts_stay_queued_while_the_index_cannot_be_written_then_get_indexed(seeded):
    await deliver(seeded, message("鈴木 裕子 <suzuki@city.aoba.lg.jp>", "zeimu", "未処理の投稿", "順番待ちです。",
                                  datetime(2026, 4, 1, 10, 0, tzinfo=JST)))
    services = web_services(seeded)
    holder = Indexer(seeded.db, services.search.index, seeded.blobs)
    await holder.open()                                   # another writer holds the index
    with pytest.raises(IndexBusy):
        await Indexer(seeded.db, services.search.index, seeded.blobs).drain()
    assert await queues.depth(seeded.db, "index_queue") == 1
    await holder.close()
    restarted = Indexer(seeded.db, services.search.index, seeded.blobs)
    assert await restarted.drain() == 1
    await restarted.close()
    member = await get_member_by_address(seeded.db, "sato@pref.yamakawa.lg.jp")
    assert (await services.search.search(member, "順番待ち")).total == 1
    assert await queues.depth(seeded.db, "index_queue") == 0
