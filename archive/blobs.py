"""Content-addressed blob store for raw messages and attachments.

A blob is named by the SHA-256 of its bytes, so the same attachment sent a
hundred times is stored once. Writes go to a temporary file, are fsynced and
renamed into place, then the folder is fsynced: a blob either exists whole or
not at all. The methods block; async callers run them in a thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import fcntl
import errno
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import AsyncIterator, Iterator

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
LOCK_NAME = ".writers.lock"


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, data: bytes, *, durable: bool = True) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        if durable:
            _fsync(target.parent)
        return sha

    def adopt(self, path: Path, sha256: str) -> str:
        """Make a finished file (on this store's filesystem, its SHA-256 known) a durable blob by
        renaming it into place: bytes streamed to disk once are not copied or fsynced again."""
        target = self.path(sha256)
        if target.exists():
            Path(path).unlink(missing_ok=True)
            return sha256
        target.parent.mkdir(parents=True, exist_ok=True)
        _fsync(Path(path))
        try:
            os.replace(path, target)
        except OSError as error:             # another filesystem: copy, then let the file go
            if error.errno != errno.EXDEV:
                raise
            self._copy_in(Path(path), target)
        _fsync(target.parent)
        return sha256

    def _copy_in(self, source: Path, target: Path) -> None:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out, open(source, "rb") as data:
            shutil.copyfileobj(data, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
        source.unlink(missing_ok=True)

    @property
    def incoming_dir(self) -> Path:
        """Where messages being received stream to (the same filesystem, so `adopt` is a rename)."""
        return self.root / ".incoming"

    def put_many(self, items: list[bytes]) -> list[str]:
        """Write all, then fsync all: one journal commit carries most of them."""
        names = [self.put(data, durable=False) for data in items]
        for sha in set(names):
            _fsync(self.path(sha))
        for folder in {self.path(sha).parent for sha in names}:
            _fsync(folder)
        return names

    def settle(self, items: list[tuple[str, bytes]], verify: bool = False) -> None:
        """Make these blobs durable (written earlier without fsync); with `verify`, a blob that is
        missing or whose bytes don't match its name is written afresh from `data` first."""
        for sha, data in items:
            target = self.path(sha)
            if verify and target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != sha:
                target.unlink()
            if not target.exists():
                self.put(data, durable=False)
        for sha in {sha for sha, _ in items}:
            _fsync(self.path(sha))
        for folder in {self.path(sha).parent for sha, _ in items}:
            _fsync(folder)

    def get(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def put_batch(self, items: list[bytes], threads: int = 8) -> list[str]:
        """Write many blobs at once, not yet durable: `sync()` before committing rows that name them.

        File creation is mostly waiting for the disk, so several threads write side by side.
        """
        with concurrent.futures.ThreadPoolExecutor(max(1, threads), thread_name_prefix="kairan-blobs") as pool:
            return list(pool.map(lambda data: self.put(data, durable=False), items))

    def sync(self) -> None:
        """Make every blob written so far durable: one sync of the blob store's file system."""
        _syncfs(self.root)

    def remove(self, sha256: str) -> bool:
        """Erase one blob (only the garbage collector calls this); False when it was not there."""
        target = self.path(sha256)
        try:
            os.unlink(target)
        except FileNotFoundError:
            return False
        _fsync(target.parent)
        return True

    def names(self) -> Iterator[str]:
        """Every stored blob's SHA-256 (for a full sweep)."""
        for path in self.root.glob("??/??/*"):
            if _SHA256.match(path.name):
                yield path.name

    @contextlib.asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold this from writing blobs until the rows that reference them are committed.

        It is a shared lock on blobs/.writers.lock: writers never wait for each other, and the
        garbage collector (which takes it exclusively) never erases a blob that a writer has just
        written, or found there already, and not yet referenced.
        """
        fd = await asyncio.to_thread(self._lock, fcntl.LOCK_SH)
        try:
            yield
        finally:
            os.close(fd)

    def try_exclusive(self) -> int | None:
        """The garbage collector's side: the lock's descriptor, or None while a writer holds it."""
        try:
            return self._lock(fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None

    def _lock(self, how: int) -> int:
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, how)
        except BaseException:
            os.close(fd)
            raise
        return fd



def _fsync(path: Path) -> None:
    """fsync a file or a folder (a folder: so a rename into it is durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(path: Path) -> None:
    """syncfs(2) on the blob store's file system (falls back to sync(2))."""
    fd = os.open(path, os.O_RDONLY)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syncfs(fd) != 0:
            os.sync()
    except (OSError, AttributeError):
        os.sync()
    finally:
        os.close(fd)
