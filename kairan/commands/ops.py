"""`kairan backup DEST`, `kairan restore SRC --data DIR`, `kairan check [--repair]`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bridge.ingest.worker import IngestWorker

from kairan.backup import backup, copy_back
from kairan.checkup import run_checks
from kairan.config import ConfigError, data_dir_from
from kairan.context import open_context
from kairan.indexing import open_search
from search.indexer import Indexer


def register(sub, common) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help="copy the data folder (database, blobs, config) into DEST, also while serving")
    p.add_argument("dest", metavar="DEST", help="a new (or empty) folder")
    p.set_defaults(run=run_backup)
    p = sub.add_parser("restore", parents=[common], help="make a data folder (--data DIR) from a backup")
    p.add_argument("src", metavar="SRC", help="a folder written by 'kairan backup'")
    p.set_defaults(run=run_restore)
    p = sub.add_parser("check", parents=[common],
                       help="verify blobs (SHA-256), the spool and the search index; --repair mends the index")
    p.add_argument("--repair", action="store_true", help="queue missing posts for indexing (and index them)")
    p.set_defaults(run=run_check)


async def run_backup(args) -> int:
    data_dir, dest = data_dir_from(args.data), Path(args.dest)
    report = await backup(data_dir, dest)
    print(f"kairan: backup of {data_dir} in {dest}: {report.posts} posts, {report.spooled} messages not yet "
          f"processed, {report.blobs} blobs ({report.blob_bytes / 1e6:.1f} MB); "
          f"restore with 'kairan restore {dest} --data DIR'")
    return 0


async def run_restore(args) -> int:
    if args.data is None:
        raise ConfigError("say where to restore to: kairan restore SRC --data DIR (a new folder)")
    src, data_dir = Path(args.src), Path(args.data)
    manifest = await asyncio.to_thread(copy_back, src, data_dir)
    async with open_context(data_dir) as ctx:
        processed = await IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain, zone=ctx.settings.timezone).drain()
        indexer = Indexer(ctx.db, open_search(ctx).index, ctx.blobs)
        try:
            indexed = await indexer.rebuild()
        finally:
            await indexer.close()
        findings, _ = await run_checks(ctx)
    print(f"kairan: restored {src} (made {manifest.get('made_at', '?')}) into {data_dir}: {indexed} posts indexed, "
          f"{processed} spooled messages processed; check: {len(findings)} problems")
    for finding in findings:
        print(finding.line())
    return 0 if not findings else 1


async def run_check(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        findings, repaired = await run_checks(ctx, repair=args.repair)
    for line in repaired:
        print(f"repaired: {line}")
    for finding in findings:
        print(finding.line())
    if findings:
        print(f"kairan: check found {len(findings)} problems (listed above)", file=sys.stderr)
        return 1
    print("kairan: check found no problems")
    return 0
