"""Mailboxes uploaded in the browser by a space's admins, imported in the `kairan serve` process.

The web saves the upload and calls `start` (web imports nothing of bridge); the import runs as
a background task with the same code as `kairan import`, and its run row is what the page
that shows the progress reads. The uploaded file is removed when the import ends.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

from archive.admin.audit import Actor
from archive.models import Space
from bridge.importing.job import import_paths
from bridge.importing.run import ImportSettings, finish_run, start_run
from kairan.context import Context

log = logging.getLogger(__name__)


def import_settings(ctx: Context) -> ImportSettings:
    s = ctx.settings
    return ImportSettings(domain=s.domain, max_message_bytes=s.max_message_mb << 20,
                          thread_window=timedelta(days=s.thread_window_days))


def upload_importer(ctx: Context):
    running: set[asyncio.Task] = set()

    async def work(services, space: Space, path: Path, label: str, actor: Actor, run_id: int) -> None:
        try:
            await import_paths(ctx.db, ctx.blobs, space, [path], "auto", import_settings(ctx), actor,
                               label=label, run_id=run_id)
        except Exception as error:         # a bad upload is the run's error, shown on its page
            log.warning("import of %s into %s failed: %s", label, space.slug, error)
            await finish_run(ctx.db, run_id, None, str(error))
        finally:
            path.unlink(missing_ok=True)
            services.on_stored([])

    async def start(services, space: Space, path: Path, label: str, actor: Actor) -> int:
        run_id = await start_run(ctx.db, space, label, actor.label, 0)
        task = asyncio.create_task(work(services, space, path, label, actor, run_id), name=f"import-{run_id}")
        running.add(task)
        task.add_done_callback(running.discard)
        return run_id

    return start
