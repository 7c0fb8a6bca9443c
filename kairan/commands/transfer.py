"""`kairan import` and `kairan export`: past mail in, everything out.

Import shows a progress bar (count, rate, time left) on a terminal and plain lines
otherwise, both on stderr; stdout lists each message that failed with its reason and
ends with exactly "imported N, already there N, failed N".
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, \
    TimeRemainingColumn

from archive.admin.audit import SYSTEM
from archive.spaces import get_space
from bridge.importing.job import import_paths
from bridge.importing.run import ImportSettings, Report
from bridge.importing.sources import FORMATS, SourceError
from archive.errors import Invalid
from kairan.config import data_dir_from
from kairan.context import open_context
from kairan.indexing import catch_up, open_search
from web.offline.export import export_to_file

PLAIN_EVERY_SECONDS = 5.0


def register(sub, common) -> None:
    p = sub.add_parser("import", parents=[common], help="import past mail (mbox, Maildir, .eml, .msg) into a space")
    p.add_argument("slug", metavar="SPACE")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=FORMATS, default="auto", dest="fmt")
    p.set_defaults(run=run_import)
    p = sub.add_parser("export", parents=[common], help="export a space: OUT.mbox (raw mail) or OUT.zip (offline archive)")
    p.add_argument("slug", metavar="SPACE")
    p.add_argument("out", metavar="OUT.mbox|OUT.zip")
    p.set_defaults(run=run_export)


class PlainProgress:
    """A line now and then, for logs and pipes."""

    def __init__(self, stream):
        self._stream = stream
        self._started = self._last = time.monotonic()

    def __call__(self, report: Report) -> None:
        now = time.monotonic()
        if now - self._last < PLAIN_EVERY_SECONDS and report.done < report.total:
            return
        self._last = now
        rate = report.done / max(now - self._started, 1e-6)
        print(f"import: {report.done}/{report.total} messages ({rate:,.0f}/s)", file=self._stream, flush=True)


class BarProgress:
    """rich's bar on a terminal: count, rate, time left."""

    def __init__(self, total: int):
        self._bar = Progress(TextColumn("import"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                             TextColumn("{task.fields[rate]}/s"), TimeRemainingColumn(),
                             console=None, transient=False, redirect_stdout=False)
        self._task = self._bar.add_task("import", total=total, rate="0")
        self._started = time.monotonic()

    def __enter__(self):
        self._bar.start()
        return self

    def __exit__(self, *exc):
        self._bar.stop()

    def __call__(self, report: Report) -> None:
        rate = report.done / max(time.monotonic() - self._started, 1e-6)
        self._bar.update(self._task, completed=report.done, total=report.total, rate=f"{rate:,.0f}")


async def run_import(args) -> int:
    paths = [Path(p) for p in args.paths]
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        settings = ImportSettings(domain=ctx.settings.domain, max_message_bytes=ctx.settings.max_message_mb << 20,
                                  thread_window=timedelta(days=ctx.settings.thread_window_days))
        try:
            if sys.stderr.isatty():
                from_total = BarProgress(0)
                with from_total:
                    report = await import_paths(ctx.db, ctx.blobs, space, paths, args.fmt, settings, SYSTEM, from_total)
            else:
                report = await import_paths(ctx.db, ctx.blobs, space, paths, args.fmt, settings, SYSTEM,
                                            PlainProgress(sys.stderr))
        except SourceError as error:
            raise Invalid(str(error)) from None
        await catch_up(ctx, open_search(ctx))
    for location, reason in report.failures:
        print(f"failed: {location}: {reason}")
    print(report.summary())
    return 0


async def run_export(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        count = await export_to_file(ctx.db, ctx.blobs, space, Path(args.out), SYSTEM, ctx.settings.timezone)
    print(f"exported {count} post(s) of {space.slug} to {args.out}")
    return 0
