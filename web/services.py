"""What the web app is given by its caller: no globals, everything passed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Awaitable, Callable

from archive.blobs import BlobStore
from archive.clock import Clock, system_clock
from archive.db import Database


@dataclass
class WebServices:
    db: Database
    blobs: BlobStore
    domain: str
    base_url: str
    secret_key: str
    timezone: str = "Asia/Tokyo"
    language: str = "ja"
    # The deployment's digest hour (local time), shown on the settings page as the default.
    digest_hour: int = 8
    clock: Clock = system_clock
    # The SMTP gateway's message size limit: a reply from the browser may carry no more attachments.
    max_upload_bytes: int = 50 * 1024 * 1024
    # Sends one mail (sign-in links…); kairan passes bridge's outbound sender.
    send_mail: Callable[[EmailMessage], Awaitable[None]] | None = None
    # search.service.SearchService, when the index is available.
    search: Any = None
    # Called with the ids of posts stored from the web, so workers (index, notify) wake up.
    on_stored: Callable[[list[int]], None] = lambda post_ids: None
    # The signed-in member of a request, or None (default: the API's Bearer token; sign-in replaces it).
    current_member: Callable[[Any], Awaitable[Any]] | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # Records (issue 13): the deployment's retention rule, and where browser uploads are imported.
    retention_default: str = "permanent"
    retention_count_from: str = "fiscal_year"
    # Starts importing an uploaded mailbox: (services, space, path, label, actor) -> import run id.
    start_import: Callable[..., Awaitable[int]] | None = None
    import_dir: Any = None              # pathlib.Path where uploads wait for their import
    max_import_upload_bytes: int = 2 * 1024**3      # [http] max_import_upload_mb: larger ones get 413
    # Whether each background worker still runs, by name (GET /healthz); `kairan serve` sets it.
    workers_alive: Callable[[], dict[str, bool]] = dict
    # Who may read GET /metrics: addresses or networks ([http] metrics_from).
    metrics_from: tuple[str, ...] = ("127.0.0.1", "::1")
    # A space's members must come from this many organizations (kairan.toml [spaces] min_organizations).
    min_space_orgs: int = 2
    # Members may change their own name, reading and department ([directory] members_edit_profile).
    members_edit_profile: bool = False
    # Takes in a message written in the browser the way mail is taken in (spool, then the ingest
    # worker): (raw bytes, sender, space address) → the stored post's id, or None if not stored yet.
    submit_mail: Callable[[bytes, str, str], Awaitable[int | None]] | None = None
