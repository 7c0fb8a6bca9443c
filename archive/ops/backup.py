"""A consistent copy of a data folder, taken while `kairan serve` runs and takes mail.

The database is copied by SQLite's online backup API in one step: the copy is
the database as of one instant, while the server goes on writing (WAL). Blobs
are immutable and written (and fsynced) before the row that names them is
committed, so every blob the copy refers to is on disk when the copy is taken;
the blob folder is then copied file by file (blobs written meanwhile come
along too and are harmless). The search index is not copied: it is derived,
and `restore` rebuilds it from the archive.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "kairan.db"
BLOB_DIR = "blobs"


@dataclass(frozen=True)
class CopyReport:
    posts: int
    spooled: int
    blobs: int
    blob_bytes: int


def snapshot_database(source: Path, target: Path) -> tuple[int, int]:
    """Copies the database at `source` into the new file `target`; returns (posts, unprocessed spool rows)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)                     # pages=-1: one step, one consistent snapshot
            dst.execute("PRAGMA journal_mode=DELETE")
            posts = dst.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
            spooled = dst.execute("SELECT COUNT(*) FROM spool WHERE status = 'received'").fetchone()[0]
        finally:
            dst.close()
    finally:
        src.close()
    _fsync(target)
    return posts, spooled


def copy_blobs(source: Path, target: Path) -> tuple[int, int]:
    """Copies every whole blob (temporary files skipped) from `source` into `target`; returns (files, bytes).

    All files are written first and then fsynced, folders last: the file system's journal then
    carries many of them per commit, instead of one commit per blob."""
    copied: list[Path] = []
    size = 0
    for folder, _, names in os.walk(source):
        relative = Path(folder).relative_to(source)
        for name in names:
            if name.startswith(".tmp-"):
                continue
            destination = target / relative / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(folder) / name, destination)
            copied.append(destination)
            size += destination.stat().st_size
    for path in copied:
        _fsync(path)
    for folder in {path.parent for path in copied}:
        _fsync(folder)
    return len(copied), size


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
