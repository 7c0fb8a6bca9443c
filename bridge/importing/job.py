"""One import as an administrative act: counted, recorded as a run (its progress), audited.

The command line and the web upload both come here; the run row is what the web's
progress page reads. The audit entry says who imported what into which space and the
counts — never the content of the messages.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from archive.admin.audit import Actor, record
from archive.blobs import BlobStore
from archive.db import Database
from archive.models import Space
from archive.removal.blobgc import collect_garbage
from bridge.importing import sources
from bridge.importing.run import Importer, ImportSettings, Progress, Report, finish_run, start_run


async def import_paths(db: Database, blobs: BlobStore, space: Space, paths: list[Path], fmt: str,
                       settings: ImportSettings, actor: Actor, progress: Progress | None = None,
                       label: str | None = None, run_id: int | None = None) -> Report:
    """Import these mailboxes into the space (SourceError when a path can't be read at all)."""
    sources.check_paths(paths, fmt)
    total = await asyncio.to_thread(sources.count, paths, fmt)
    if total == 0 and all(p.is_file() for p in paths) and fmt == "auto":
        raise sources.SourceError(f"no messages found in {', '.join(map(str, paths))}: is it an mbox, "
                                  ".eml, .msg or a .zip of .eml files?")
    source = label or ", ".join(str(p) for p in paths)
    if run_id is None:
        run_id = await start_run(db, space, source, actor.label, total)
    else:
        async with db.write() as tx:
            await tx.execute("UPDATE import_runs SET total = ? WHERE id = ?", (total, run_id))
    report = None
    try:
        report = await Importer(db, blobs, space, settings, progress).run(sources.messages(paths, fmt), total, run_id)
    except BaseException as error:
        await asyncio.shield(finish_run(db, run_id, report, f"{type(error).__name__}: {error}" or "stopped"))
        raise
    await finish_run(db, run_id, report)
    await collect_garbage(db, blobs)        # what a deletion during the import left queued
    async with db.write() as tx:
        await record(tx, actor, "import", f"space:{space.slug}",
                     {"source": source[:400], "format": fmt, "imported": report.imported,
                      "existing": report.existing, "failed": len(report.failures)})
    return report
