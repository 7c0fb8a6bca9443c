"""`kairan check [--repair]`: a deleted blob and a corrupted one are found; the index is repaired."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bridge.gateway.spooler import Spooler
from bridge.ingest.worker import IngestWorker
from kairan.cli import main
from kairan.context import open_context
from kairan.indexing import catch_up, open_search
from archive.clock import to_iso
from archive.ops.integrity import queue_for_index
from archive.spool import Incoming, insert_incoming
from tests.conftest import DOMAIN, mail, make_data_dir, seed

MEMBER = "sato@pref.yamakawa.lg.jp"


async def build(data: Path) -> dict[str, int]:
    """Three posts (the second with an attachment), ingested and indexed; post ids by subject."""
    async with open_context(data) as ctx:
        await seed(ctx)
        spooler = Spooler(ctx.db, ctx.blobs)
        for n in range(3):
            message = mail(MEMBER, f"zeimu@{DOMAIN}", f"点検 {n}", f"本文 {n}\n")
            if n == 1:
                message.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="表.csv")
            await spooler.accept(message.as_bytes(), received_at="2026-11-27T01:00:00Z", mail_from=MEMBER,
                                 rcpts=(f"zeimu@{DOMAIN}",), peer="test")
        await IngestWorker(ctx.db, ctx.blobs, DOMAIN).drain()
        assert await catch_up(ctx, open_search(ctx))
        rows = await ctx.db.fetchall("SELECT id, subject, raw_sha256 FROM posts ORDER BY id")
        attachment = await ctx.db.fetchval("SELECT sha256 FROM attachments")
        return {"ids": [r["id"] for r in rows], "raws": [r["raw_sha256"] for r in rows], "attachment": attachment,
                "blobs": ctx.blobs}


def check(data: Path, capsys, *flags: str) -> tuple[int, str, str]:
    status = main(["check", "--data", str(data), *flags])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_check_finds_a_deleted_blob_and_a_corrupted_one(tmp_path, capsys):
    data = make_data_dir(tmp_path / "data")
    built = asyncio.run(build(data))
    assert check(data, capsys) == (0, "kairan: check found no problems\n", "")
    first, second = built["ids"][0], built["ids"][1]
    built["blobs"].path(built["raws"][0]).unlink()
    built["blobs"].path(built["attachment"]).write_bytes(b"a,b\n1,3\n")
    status, out, err = check(data, capsys)
    assert status == 1
    assert f"missing_blob: post {first} raw: blob {built['raws'][0]} is missing" in out
    assert f"corrupt_blob: post {second} attachment 0: blob {built['attachment']} is corrupt" in out
    assert len(out.splitlines()) == 2 and err == "kairan: check found 2 problems (listed above)\n"


def test_check_repair_puts_missing_posts_back_in_the_index(tmp_path, capsys):
    data = make_data_dir(tmp_path / "data")
    built = asyncio.run(build(data))
    lost = built["ids"][2]

    async def lose_from_index():
        async with open_context(data) as ctx:
            await queue_for_index(ctx.db, [lost], "remove")
            assert await catch_up(ctx, open_search(ctx))
    asyncio.run(lose_from_index())
    status, out, _ = check(data, capsys)
    assert status == 1 and f"index_missing: post {lost}" in out and "2 documents for 3 posts" in out
    status, out, _ = check(data, capsys, "--repair")
    assert status == 0, out
    assert "repaired: index: 1 posts queued for indexing, 0 for removal; indexed" in out
    assert check(data, capsys) == (0, "kairan: check found no problems\n", "")
    assert main(["search", "点検", "--as", MEMBER, "--data", str(data), "--json"]) == 0
    assert f'"post_id": {lost}' in capsys.readouterr().out


def test_check_finds_a_message_stuck_in_the_spool_and_a_large_one_whose_blob_is_gone(tmp_path, capsys):
    data = make_data_dir(tmp_path / "data")

    async def spool_two():
        async with open_context(data) as ctx:
            await seed(ctx)
            async with ctx.db.write() as tx:
                await insert_incoming(tx, Incoming("2026-11-27T01:00:00Z", MEMBER, (f"zeimu@{DOMAIN}",), "test",
                                                   5, b"hello"))
                await insert_incoming(tx, Incoming(to_iso(ctx.clock()), MEMBER, (f"zeimu@{DOMAIN}",), "test",
                                                   600_000, None, "ab" * 32))
    asyncio.run(spool_two())
    status, out, _ = check(data, capsys)
    assert status == 1
    assert "stuck_spool: spool 1: received 2026-11-27T01:00:00Z, not processed" in out
    assert f"missing_blob: spool 2 raw: blob {'ab' * 32} is missing" in out
    assert "spool 2:" not in out                  # received just now: waiting, not stuck
