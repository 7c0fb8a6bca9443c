"""The raw message is made durable once: the spool row stays its durable copy until the blob is
fsynced in a later batch; after a crash, a torn blob is rewritten from the row."""

from __future__ import annotations

from archive.spool import settle_all
from bridge.ingest.worker import IngestWorker
from tests.conftest import DOMAIN, mail

SATO = "sato@pref.yamakawa.lg.jp"


async def test_a_torn_blob_is_rewritten_from_the_spool_row_before_the_row_lets_go(gateway):
    await gateway.send(mail(SATO, f"zeimu@{DOMAIN}", "件名", "本文です。\n"), SATO, [f"zeimu@{DOMAIN}"])
    worker = IngestWorker(gateway.ctx.db, gateway.ctx.blobs, DOMAIN, settle_later=True)
    assert await worker.drain() == 1
    row = await gateway.ctx.db.fetchone("SELECT raw, raw_sha256, status FROM spool")
    assert row["status"] == "processed" and row["raw"] is not None
    blob = gateway.ctx.blobs.path(row["raw_sha256"])
    blob.write_bytes(bytes(row["raw"])[:10])                # as a crash before writeback might leave it
    assert await settle_all(gateway.ctx.db, gateway.ctx.blobs, verify=True) == 1
    assert blob.read_bytes() == bytes(row["raw"])
    assert await gateway.ctx.db.fetchval("SELECT raw FROM spool") is None


async def test_outside_serve_the_worker_settles_when_it_has_drained(gateway):
    await gateway.send(mail(SATO, f"zeimu@{DOMAIN}", "件名", "本文です。\n"), SATO, [f"zeimu@{DOMAIN}"])
    await gateway.settle()
    row = await gateway.ctx.db.fetchone("SELECT raw, raw_sha256 FROM spool")
    assert row["raw"] is None and gateway.ctx.blobs.exists(row["raw_sha256"])
