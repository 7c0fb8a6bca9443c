"""A space's export, chosen by the file's suffix, and audited: `kairan export` and the settings page.

`.mbox`: every post's original raw bytes (archive.mbox) — re-importable as it was.
`.zip`: the offline archive (web.offline.zipfile_archive).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from archive.admin.audit import Actor, record
from archive.blobs import BlobStore
from archive.db import Database
from archive.errors import Invalid
from archive.mbox import write_mbox
from archive.models import Space
from web.offline.zipfile_archive import OfflineArchive

FORMATS = ("mbox", "zip")


def format_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise Invalid(f"{name!r}: the export's name must end in .mbox (raw mail) or .zip (offline archive)")
    return suffix


async def write_export(db: Database, blobs: BlobStore, space: Space, fmt: str, out: BinaryIO, actor: Actor,
                       zone: str) -> int:
    """Write the export into `out` and audit it; returns how many posts it holds."""
    if fmt == "mbox":
        count = await write_mbox(db, blobs, space, out)
    else:
        count = await OfflineArchive(db, blobs, space, zone, db.clock()).write(out)
    async with db.write() as tx:
        await record(tx, actor, "export", f"space:{space.slug}", {"format": fmt, "posts": count})
    return count


async def export_to_file(db: Database, blobs: BlobStore, space: Space, path: Path, actor: Actor, zone: str) -> int:
    """Written beside the target and renamed into place: a half-written export never has the name."""
    fmt = format_of(path.name)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            count = await write_export(db, blobs, space, fmt, out, actor, zone)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise Invalid(f"can't write {path}: {error.strerror}: check the folder")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return count
