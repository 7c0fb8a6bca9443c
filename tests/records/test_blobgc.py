"""The one blob garbage collector: erases what no row references, never what a writer holds."""

from __future__ import annotations

import asyncio
from pathlib import Path

from archive.clock import to_iso
from archive.posts import NewPost, add_post
from archive.removal.blobgc import collect_garbage, queue_garbage
from archive.spaces import get_space


async def queue(ctx, *shas: str) -> None:
    async with ctx.db.write() as tx:
        await queue_garbage(tx, shas, to_iso(ctx.clock()))


async def test_a_queued_blob_no_row_references_is_erased(seeded):
    sha = seeded.blobs.put(b"nobody's")
    await queue(seeded, sha)
    assert await collect_garbage(seeded.db, seeded.blobs) == 1
    assert not seeded.blobs.exists(sha)
    assert await seeded.db.fetchval("SELECT COUNT(*) FROM blob_garbage") == 0


async def test_a_blob_being_written_and_referenced_by_a_concurrent_ingest_survives(seeded):
    """The ingest wrote (or found) the blob and holds the writers' lock until its post commits."""
    sha = seeded.blobs.put(b"the same attachment")
    await queue(seeded, sha)                      # a deletion just removed the last other reference
    space = await get_space(seeded.db, "zeimu")
    ingest_holds = asyncio.Event()
    release = asyncio.Event()

    async def ingest():
        async with seeded.blobs.writing():
            seeded.blobs.put(b"the same attachment", durable=False)
            ingest_holds.set()
            await release.wait()
            await add_post(seeded.db, NewPost(space.id, None, "<same@x>", "s", "s", "", "a@b", to_iso(seeded.clock()),
                                              raw_sha256=sha))
    task = asyncio.create_task(ingest())
    await ingest_holds.wait()
    assert await collect_garbage(seeded.db, seeded.blobs, wait_seconds=0.3) == 0
    assert seeded.blobs.exists(sha)
    release.set()
    await task
    assert await collect_garbage(seeded.db, seeded.blobs) == 0        # referenced now: kept, dequeued
    assert seeded.blobs.exists(sha)
    assert await seeded.db.fetchval("SELECT COUNT(*) FROM blob_garbage") == 0


async def test_a_sweep_erases_every_unreferenced_blob_and_keeps_the_rest(seeded):
    space = await get_space(seeded.db, "zeimu")
    kept = seeded.blobs.put(b"referenced")
    stray = seeded.blobs.put(b"left by a crash before its row")
    await add_post(seeded.db, NewPost(space.id, None, "<k@x>", "s", "s", "", "a@b", to_iso(seeded.clock()),
                                      raw_sha256=kept))
    assert await collect_garbage(seeded.db, seeded.blobs) == 0        # not queued: a normal run leaves it
    assert await collect_garbage(seeded.db, seeded.blobs, sweep=True) == 1
    assert seeded.blobs.exists(kept) and not seeded.blobs.exists(stray)


def test_kairan_check_finishes_queued_erasures_and_repair_sweeps_strays(tmp_path):
    import hashlib
    import sqlite3
    from tests.records.support import kairan, seeded_data
    data = seeded_data(tmp_path / "data")

    def put(content: bytes) -> Path:
        sha = hashlib.sha256(content).hexdigest()
        path = data / "blobs" / sha[:2] / sha[2:4] / sha
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return path
    queued, stray = put(b"a deletion's blob, queued before a crash"), put(b"written before its row, then a crash")
    with sqlite3.connect(data / "kairan.db") as conn:
        conn.execute("INSERT INTO blob_garbage VALUES (?, '2026-12-01T00:00:00Z')", (queued.name,))
    kairan(data, "check")
    assert not queued.exists() and stray.exists()
    repaired = kairan(data, "check", "--repair")
    assert "repaired: blobs: 1 blob(s) that no row references erased" in repaired.stdout and not stray.exists()
