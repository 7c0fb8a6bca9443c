"""`kairan spool list|retry`: messages that could not be processed, and trying them again."""

from __future__ import annotations

from archive import spool
from bridge.ingest.worker import IngestWorker
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    actions = sub.add_parser("spool", parents=[common], help="the spool of received mail").add_subparsers(
        dest="action", metavar="ACTION")
    actions.required = True
    p = actions.add_parser("list", parents=[common], help="list spooled messages (failed ones by default)")
    p.add_argument("--status", choices=("received", "processed", "failed", "all"), default="failed")
    p.set_defaults(run=run_list)
    p = actions.add_parser("retry", parents=[common], help="process failed messages again")
    p.add_argument("id", nargs="?", type=int, help="one message (default: all failed)")
    p.set_defaults(run=run_retry)


async def run_list(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        entries = await spool.list_entries(ctx.db, None if args.status == "all" else args.status)
    if not entries:
        print(f"no {'' if args.status == 'all' else args.status + ' '}messages in the spool")
    for e in entries:
        print(f"#{e.id}\t{e.received_at}\t{e.status}\t{e.mail_from or '<>'}\t{','.join(e.rcpts)}\t{e.size} B"
              + (f"\t{e.error}" if e.error else ""))
    return 0


async def run_retry(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        count = await spool.retry(ctx.db, args.id)
        worker = IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain)
        await worker.drain()
        failed = await spool.list_entries(ctx.db, "failed")
    print(f"retried {count} message(s); {len(failed)} still failed")
    return 0
