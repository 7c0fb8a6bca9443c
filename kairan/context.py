"""What every command and the server work with: settings, database, blobs, clock."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

from archive.blobs import BlobStore
from archive.clock import Clock, system_clock
from archive.db import Database
from bridge.gateway.smtp_handler import GatewaySettings
from kairan.config import Settings, load_settings


@dataclass
class Context:
    settings: Settings
    db: Database
    blobs: BlobStore
    clock: Clock

    def gateway_settings(self) -> GatewaySettings:
        s = self.settings
        return GatewaySettings(domain=s.domain, max_message_bytes=s.max_message_mb * 1024 * 1024,
                               max_recipients=s.max_recipients, timeout_seconds=s.smtp_timeout_seconds,
                               secret_key=s.secret_key, base_url=s.base_url, assurance=s.sender_checks)


@contextlib.asynccontextmanager
async def open_context(data_dir: Path, clock: Clock = system_clock) -> AsyncIterator[Context]:
    settings = load_settings(data_dir)
    db = await Database.open(settings.db_path, clock)
    try:
        yield Context(settings, db, BlobStore(settings.blob_dir), clock)
    finally:
        await db.close()
