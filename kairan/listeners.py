"""Where `kairan serve` listens, and the lock that keeps one server per data folder.

Everything is bound before any worker starts, so a port in use or a second
server on the same data folder is one clear sentence, not a half-started server.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from archive.spool import count_waiting
from bridge.gateway.limits import Backlog
from bridge.gateway.protocol import Bounds
from bridge.gateway.smtp_handler import SpaceMailHandler, smtp_factory
from bridge.gateway.postfix_policy import PolicyService, start_policy_service
from bridge.gateway.spooler import Spooler
from kairan.config import ConfigError, HostPort
from kairan.context import Context


@dataclass
class Listeners:
    smtp: HostPort
    http: HostPort
    lmtp: HostPort | None = None
    policy: HostPort | None = None


def hold_serve_lock(data_dir: Path) -> TextIO:
    """An exclusive lock on DATA/serve.lock for the server's lifetime (closing the file lets it go)."""
    handle = open(data_dir / "serve.lock", "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        pid = handle.read().strip() or "?"
        handle.close()
        raise ConfigError(f"another 'kairan serve' (pid {pid}) is running on {data_dir}: stop it first") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _cannot_listen(what: str, where: HostPort, error: OSError) -> ConfigError:
    return ConfigError(f"can't listen for {what} on {where} ({error.strerror or error}): "
                       f"is another server using it? choose another address with --{what.lower()}")


def bind_http(where: HostPort) -> socket.socket:
    """The web app's listening socket, bound here so uvicorn can't fail to bind later."""
    family = socket.AF_INET6 if ":" in where.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((where.host, where.port))
    except OSError as error:
        sock.close()
        raise _cannot_listen("HTTP", where, error) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


async def start_gateway(ctx: Context, listeners: Listeners, on_spooled: Callable[[], None],
                        backlog: Backlog | None = None) -> list[asyncio.AbstractServer]:
    """The SMTP (and LMTP) listeners; `on_spooled()` is called when messages are durable.
    Every session shares one set of bounds (`[smtp]` limits); `backlog` is the ingest worker's."""
    settings = ctx.gateway_settings()
    limits = ctx.settings.smtp_limits
    backlog = backlog or Backlog(limits)
    backlog.added(await count_waiting(ctx.db))
    bounds = Bounds(limits, _fresh_incoming(ctx.blobs.incoming_dir), settings.max_message_bytes + 1024 * 1024,
                    backlog=backlog)
    handler = SpaceMailHandler(ctx.db, Spooler(ctx.db, ctx.blobs, on_spooled=on_spooled), settings, backlog)
    loop = asyncio.get_running_loop()
    servers = []
    wanted = [("SMTP", listeners.smtp, False)] + ([("LMTP", listeners.lmtp, True)] if listeners.lmtp else [])
    for what, where, lmtp in wanted:
        try:
            servers.append(await loop.create_server(smtp_factory(handler, settings, lmtp=lmtp, bounds=bounds),
                                                    where.host, where.port))
        except OSError as error:
            for server in servers:
                server.close()
            raise _cannot_listen(what, where, error) from None
    return servers


def _fresh_incoming(folder: Path) -> Path:
    """Messages half-received when a server stopped were never acknowledged: their files go."""
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.iterdir():
        leftover.unlink(missing_ok=True)
    return folder


async def start_policy(ctx: Context, listeners: Listeners) -> asyncio.AbstractServer | None:
    """The Postfix policy service (docs/postfix.md), when a listener is set."""
    if listeners.policy is None:
        return None
    service = PolicyService(ctx.db, ctx.settings.domain, ctx.settings.base_url)
    try:
        return await start_policy_service(service, listeners.policy.host, listeners.policy.port)
    except OSError as error:
        raise _cannot_listen("policy", listeners.policy, error) from None


def bound(server: asyncio.AbstractServer | socket.socket) -> str:
    sock = server if isinstance(server, socket.socket) else server.sockets[0]
    host, port = sock.getsockname()[:2]
    return f"{host}:{port}"
