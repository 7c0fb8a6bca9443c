"""`kairan backup DEST` and `kairan restore SRC --data DIR`: a data folder copied while it serves, and back.

A backup folder holds `kairan.toml`, `kairan.db` (SQLite's online backup: one
consistent instant), `blobs/` and `BACKUP.json` (what was copied, when). It is
built beside DEST under a temporary name and renamed into place when complete,
so a folder named DEST is always a whole backup. The search index is not
copied; `restore` rebuilds it, processes what was still in the spool, and
checks the result.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path

from archive.clock import system_clock, to_iso
from archive.ops.backup import BLOB_DIR, DB_NAME, CopyReport, copy_blobs, snapshot_database
from kairan.config import CONFIG_NAME, ConfigError, load_settings

MANIFEST = "BACKUP.json"


def _empty_or_missing(path: Path, what: str) -> None:
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ConfigError(f"{what} {path} exists and is not empty: choose a new folder")


async def backup(data_dir: Path, dest: Path) -> CopyReport:
    settings = load_settings(data_dir)
    _empty_or_missing(dest, "backup folder")
    if not settings.db_path.exists():
        raise ConfigError(f"no database at {settings.db_path}: nothing to back up")
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        shutil.copyfile(data_dir / CONFIG_NAME, partial / CONFIG_NAME)
        (partial / CONFIG_NAME).chmod(0o600)
        posts, spooled = await asyncio.to_thread(snapshot_database, settings.db_path, partial / DB_NAME)
        files, size = await asyncio.to_thread(copy_blobs, settings.blob_dir, partial / BLOB_DIR)
        report = CopyReport(posts, spooled, files, size)
        (partial / MANIFEST).write_text(json.dumps({"made_at": to_iso(system_clock()), "source": str(data_dir),
                                                    **asdict(report)}, indent=2), encoding="utf-8")
        if dest.exists():
            dest.rmdir()
        os.replace(partial, dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return report


def copy_back(src: Path, data_dir: Path) -> dict:
    """The files of a backup into a new data folder (blocking); returns the backup's manifest."""
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ConfigError(f"{src} is not a kairan backup (no readable {MANIFEST}): "
                          "give the folder 'kairan backup' wrote") from None
    _empty_or_missing(data_dir, "data folder")
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src / CONFIG_NAME, data_dir / CONFIG_NAME)
    (data_dir / CONFIG_NAME).chmod(0o600)
    shutil.copyfile(src / DB_NAME, data_dir / DB_NAME)
    copy_blobs(src / BLOB_DIR, data_dir / BLOB_DIR)
    for folder in ("index", "outbox"):
        (data_dir / folder).mkdir(exist_ok=True)
    return manifest
