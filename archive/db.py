"""SQLite through aiosqlite: WAL, versioned migrations, one serialized writer.

Reads use their own connection so they never wait behind a write transaction.
Writes go through `Database.write()`, which holds an asyncio lock for the whole
transaction: coroutines sharing the connection can't interleave statements.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from importlib import resources
from pathlib import Path
from typing import AsyncIterator

import aiosqlite

from archive.clock import Clock, system_clock

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in archive/migrations, in order."""
    found = []
    for entry in resources.files("archive.migrations").iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


async def _open(path: Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    for pragma in PRAGMAS:
        await conn.execute(pragma)
    return conn


async def migrate(conn: aiosqlite.Connection) -> list[str]:
    """Apply the migrations this database lacks; returns their names."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
    )
    rows = await conn.execute_fetchall("SELECT version FROM schema_version")
    have = {row[0] for row in rows}
    applied = []
    for version, name, sql in migration_scripts():
        if version in have:
            continue
        await conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\n"
                                 f"INSERT INTO schema_version VALUES ({version}, '{name}');\nCOMMIT;")
        applied.append(name)
    return applied


class _Reads:
    """fetchone/fetchval on top of a class's fetchall."""

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        raise NotImplementedError

    async def fetchone(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: tuple | dict = ()):
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


class Tx(_Reads):
    """A write transaction's connection: executes, and reads what it has written so far."""

    def __init__(self, conn: aiosqlite.Connection, clock: Clock = system_clock):
        self._conn = conn
        self.clock = clock          # the database's clock, for what is written inside (the audit log)

    async def execute(self, sql: str, params: tuple | dict = ()) -> aiosqlite.Cursor:
        return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, params) -> aiosqlite.Cursor:
        return await self._conn.executemany(sql, params)

    async def execute_fetchall(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return list(await self._conn.execute_fetchall(sql, params))

    @contextlib.asynccontextmanager
    async def savepoint(self, name: str = "item") -> AsyncIterator["Tx"]:
        """A nested step that can fail alone: its writes are undone, the transaction goes on."""
        await self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            await self._conn.execute(f"ROLLBACK TO {name}")
            await self._conn.execute(f"RELEASE {name}")
            raise
        await self._conn.execute(f"RELEASE {name}")


class Database(_Reads):
    """The archive's connections: one for writes (serialized), one for reads."""

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection,
                 clock: Clock = system_clock):
        self._writer = writer
        self._reader = reader
        self._lock = asyncio.Lock()
        self.clock = clock

    @classmethod
    async def open(cls, path: Path, clock: Clock = system_clock) -> "Database":
        writer = await _open(path)
        await migrate(writer)
        reader = await _open(path)
        return cls(writer, reader, clock)

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[Tx]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT, rolled back on error)."""
        async with self._lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._writer, self.clock)
            except BaseException:
                await self._writer.execute("ROLLBACK")
                raise
            await self._writer.execute("COMMIT")

    async def fetchall(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return list(await self._reader.execute_fetchall(sql, params))
