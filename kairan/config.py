"""Configuration: `DATA/kairan.toml`, read once and passed to whoever needs it."""

from __future__ import annotations

import ipaddress
import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from bridge.assurance.settings import AssuranceSettings, HELP_PATH
from archive.retention.classes import CLASSES, COUNT_FROM
from bridge.gateway.limits import SessionLimits

DEFAULT_DATA = "./data"
CONFIG_NAME = "kairan.toml"


class ConfigError(Exception):
    """The data folder or its configuration is missing or wrong; the message says how to fix it."""


@dataclass(frozen=True)
class HostPort:
    host: str
    port: int

    @classmethod
    def parse(cls, text: str, what: str) -> "HostPort":
        host, sep, port = text.rpartition(":")
        if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ConfigError(f"{what} {text!r} is not HOST:PORT (for example 127.0.0.1:2525)")
        return cls(host.strip("[]") or "127.0.0.1", int(port))

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Relay:
    """Outbound SMTP relay; an empty host means: write to the Maildir outbox."""
    host: str = ""
    port: int = 25
    starttls: bool = False
    username: str = ""
    password: str = ""


@dataclass(frozen=True)
class Operations:
    """What running the service needs: the Postfix policy listener, who may read /metrics, the logs."""
    policy_listen: HostPort | None = None
    metrics_from: tuple[str, ...] = ("127.0.0.1", "::1")
    log_format: str = "text"          # or "json": one JSON object a line
    log_level: str = "warning"


@dataclass(frozen=True)
class Workers:
    """`[workers]`: the processes that parse mail and read attachments, and their budgets."""
    processes: int = 0                       # 0: one per core
    message_seconds: float = 20.0
    message_memory_mb: int = 512
    attachment_seconds: float = 10.0
    attachment_memory_mb: int = 256


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    domain: str
    base_url: str
    secret_key: str
    timezone: str = "Asia/Tokyo"
    language: str = "ja"
    smtp_listen: HostPort = HostPort("127.0.0.1", 2525)
    lmtp_listen: HostPort | None = None
    http_listen: HostPort = HostPort("127.0.0.1", 8080)
    trusted_proxies: tuple[str, ...] = ()
    max_message_mb: int = 50
    max_recipients: int = 100
    smtp_timeout_seconds: float = 300
    min_space_orgs: int = 2
    members_edit_profile: bool = False       # [directory]: members keep their own name, reading, department
    max_import_upload_mb: int = 2048         # [http]: a mailbox uploaded for import, at most
    thread_window_days: int = 30
    digest_hour: int = 8
    inquiry_reminder_days: int = 2
    old_address_days: int = 90
    relay: Relay = field(default_factory=Relay)
    ops: Operations = field(default_factory=Operations)
    sender_checks: AssuranceSettings = field(default_factory=AssuranceSettings)     # [dns], [assurance]
    retention_default: str = "permanent"
    retention_count_from: str = "fiscal_year"
    smtp_limits: SessionLimits = field(default_factory=SessionLimits)
    workers: Workers = field(default_factory=lambda: Workers())

    @property
    def db_path(self) -> Path:
        return self.data_dir / "kairan.db"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"


def data_dir_from(arg: str | None) -> Path:
    return Path(arg or os.environ.get("KAIRAN_DATA") or DEFAULT_DATA)


def config_text(domain: str, secret_key: str | None = None) -> str:
    """The kairan.toml that `kairan init` writes: every setting, with its default, explained."""
    key = secret_key or secrets.token_urlsafe(32)
    return f'''# kairan configuration. Restart `kairan serve` after editing.

# The mail domain of space addresses: mail to SPACE@{domain} lands in SPACE.
domain = "{domain}"
# Where staff reach the web archive; used for links in mail.
base_url = "http://127.0.0.1:8080"
# Signs session cookies, sign-in links and unsubscribe links. Keep it secret.
secret_key = "{key}"
timezone = "Asia/Tokyo"
language = "ja"

[smtp]
listen = "127.0.0.1:2525"
# Set to HOST:PORT to also accept LMTP, e.g. from Postfix's lmtp transport.
lmtp_listen = ""
# Set to HOST:PORT to answer Postfix's check_policy_service at its RCPT stage (docs/postfix.md).
policy_listen = ""
max_message_mb = 50
max_recipients = 100
timeout_seconds = 300
# Bounds, so that no client takes the gateway away from the others (421/451 say: try later).
max_sessions = 200
max_sessions_per_client = 20
# DATA held in memory across all sessions; past it, or past spill_kb for one message,
# a message streams to a spool file on disk instead.
memory_mb = 256
spill_kb = 1024
# Slower DATA than min_rate_bytes per second (after rate_grace_seconds) gets 421, and so does
# any session older than session_seconds.
min_rate_bytes = 10000
rate_grace_seconds = 30
session_seconds = 900
# Back-pressure: new mail is deferred (451 4.3.2) while the spool (mail not stored yet) or the
# index queue (posts not searchable yet) holds more than backlog_seconds of work at the rate it
# is being done (and at least backlog_min_messages).
backlog_seconds = 10
backlog_min_messages = 500
# A deferred sender waits this long for its 451, so deferring costs the gateway little.
backlog_delay_seconds = 1

[workers]
# Processes that parse mail and read attachments (0: one per core). A task over its budget
# is killed: the post keeps what is certain, with a defect saying so.
processes = 0
message_seconds = 20
message_memory_mb = 512
attachment_seconds = 10
attachment_memory_mb = 256

[http]
listen = "127.0.0.1:8080"
# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or networks).
# The client address they give keys the sign-in limits; https there marks cookies Secure.
# Empty: X-Forwarded-For is believed from nobody (add e.g. "127.0.0.1" behind a local proxy).
trusted_proxies = []
# A mailbox uploaded on a space's records page for import, at most (larger: `kairan import`).
max_import_upload_mb = 2048
# Who may read GET /metrics (addresses or networks); everyone else gets 403.
metrics_from = ["127.0.0.1", "::1"]

[log]
# "text", or "json" for one JSON object a line (for a log collector). Level: debug, info, warning, error.
format = "text"
level = "warning"

[spaces]
# A space's members must come from at least this many organizations.
min_organizations = 2
# A message with a known subject joins that thread if it was active within this many days.
thread_window_days = 30

[directory]
# Whether members may change their own name, reading and department on their profile page
# (false: only their organization's admins do). Addresses and roles always stay with the admins.
members_edit_profile = false

[moves]
# After a move (人事異動) to a new address, the old one still takes mail this many days
# (replies in flight still arrive); it no longer signs in.
keep_old_address_days = 90

[digest]
# The hour (local time) daily digests go out, unless a member chose another.
hour = 8

[inquiries]
# Pending organizations get a reminder this many days before an inquiry's deadline
# (and one on the day after it), at the digest hour.
reminder_days_before = 2

[retention]
# A space's retention class (保存期間) unless its admins set one: 1y 3y 5y 10y 30y permanent.
default = "permanent"
# A thread's period runs from the April 1 after its last post ("fiscal_year"), or from the
# day of its last post ("last_post").
count_from = "fiscal_year"

[outbound]
# SMTP relay for mail kairan sends. Empty host: mail is written to DATA/outbox (a Maildir).
relay_host = ""
relay_port = 25
starttls = false
username = ""
password = ""

[dns]
# Resolvers for the sender checks (DKIM keys, SPF records), e.g. ["10.0.0.53"] or ["10.0.0.53:5353"].
# Empty: no DNS checks; senders are verified by trusted relays and upstream results only.
resolvers = []
timeout_seconds = 2

[assurance]
# Mail servers in front of kairan (a Postfix on this host, the network's relays), as addresses or
# networks: their XFORWARD/XCLIENT and the Received header they add say who their client was.
trusted_hops = []
# authserv-ids whose Authentication-Results are believed, when the mail came through a trusted hop.
authserv_ids = []
'''


def _choice(value, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise ConfigError(f"kairan.toml: {what} = {value!r} is not one of {', '.join(choices)}")
    return value


def _flag(value, what: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"kairan.toml: {what} must be true or false, not {value!r}")
    return value


def _string_list(value, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"kairan.toml: {what} must be a list of strings, e.g. [\"127.0.0.1\"]")
    return tuple(value)


def _section(kind, table: dict):
    """A settings dataclass from a TOML table: the keys it knows, each read as its default's type."""
    values = {f.name: type(f.default)(table[f.name]) for f in fields(kind) if f.name in table}
    return kind(**values)


def _sender_checks(doc: dict) -> AssuranceSettings:
    dns, assurance = doc.get("dns", {}), doc.get("assurance", {})
    hops = _string_list(assurance.get("trusted_hops", []), "assurance.trusted_hops")
    for hop in hops:
        try:
            ipaddress.ip_network(hop, strict=False)
        except ValueError:
            raise ConfigError(f"kairan.toml: assurance.trusted_hops has {hop!r}, not an address or network "
                              "(write e.g. \"127.0.0.1\" or \"10.0.0.0/24\")") from None
    return AssuranceSettings(
        resolvers=_string_list(dns.get("resolvers", []), "dns.resolvers"),
        dns_timeout=float(dns.get("timeout_seconds", 2)), trusted_hops=hops,
        authserv_ids=tuple(i.lower() for i in _string_list(assurance.get("authserv_ids", []), "assurance.authserv_ids")),
        help_url=str(doc["base_url"]).rstrip("/") + HELP_PATH if doc.get("base_url") else "")


def load_settings(data_dir: Path) -> Settings:
    path = data_dir / CONFIG_NAME
    if not path.exists():
        raise ConfigError(f"no kairan data folder at {data_dir} (no {CONFIG_NAME}): run 'kairan init --data {data_dir}'")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML ({error}): fix the file or move it away and run 'kairan init'")
    return settings_from_doc(data_dir, doc)


def operations_from(smtp: dict, http: dict, log: dict) -> Operations:
    log_format = str(log.get("format", "text"))
    if log_format not in ("text", "json"):
        raise ConfigError(f"kairan.toml: [log] format must be \"text\" or \"json\", not {log_format!r}")
    return Operations(
        policy_listen=HostPort.parse(smtp["policy_listen"], "smtp.policy_listen") if smtp.get("policy_listen") else None,
        metrics_from=_string_list(http.get("metrics_from", ["127.0.0.1", "::1"]), "http.metrics_from"),
        log_format=log_format, log_level=str(log.get("level", "warning")))


def settings_from_doc(data_dir: Path, doc: dict) -> Settings:
    smtp, http, spaces = doc.get("smtp", {}), doc.get("http", {}), doc.get("spaces", {})
    outbound, digest, inquiries = doc.get("outbound", {}), doc.get("digest", {}), doc.get("inquiries", {})
    retention = doc.get("retention", {})
    try:
        return Settings(
            data_dir=data_dir, domain=str(doc["domain"]).lower(), base_url=str(doc.get("base_url", "")).rstrip("/"),
            secret_key=str(doc["secret_key"]), timezone=str(doc.get("timezone", "Asia/Tokyo")),
            language=str(doc.get("language", "ja")),
            smtp_listen=HostPort.parse(str(smtp.get("listen", "127.0.0.1:2525")), "smtp.listen"),
            lmtp_listen=HostPort.parse(smtp["lmtp_listen"], "smtp.lmtp_listen") if smtp.get("lmtp_listen") else None,
            http_listen=HostPort.parse(str(http.get("listen", "127.0.0.1:8080")), "http.listen"),
            trusted_proxies=_string_list(http.get("trusted_proxies", []), "http.trusted_proxies"),
            max_message_mb=int(smtp.get("max_message_mb", 50)), max_recipients=int(smtp.get("max_recipients", 100)),
            smtp_timeout_seconds=float(smtp.get("timeout_seconds", 300)),
            min_space_orgs=int(spaces.get("min_organizations", 2)),
            max_import_upload_mb=int(http.get("max_import_upload_mb", 2048)),
            members_edit_profile=_flag(doc.get("directory", {}).get("members_edit_profile", False),
                                       "directory.members_edit_profile"),
            thread_window_days=int(spaces.get("thread_window_days", 30)),
            digest_hour=int(digest.get("hour", 8)),
            inquiry_reminder_days=int(inquiries.get("reminder_days_before", 2)),
            old_address_days=int(doc.get("moves", {}).get("keep_old_address_days", 90)),
            relay=Relay(host=str(outbound.get("relay_host", "")), port=int(outbound.get("relay_port", 25)),
                        starttls=bool(outbound.get("starttls", False)), username=str(outbound.get("username", "")),
                        password=str(outbound.get("password", ""))),
            ops=operations_from(smtp, http, doc.get("log", {})),
            sender_checks=_sender_checks(doc),
            retention_default=_choice(retention.get("default", "permanent"), CLASSES, "retention.default"),
            retention_count_from=_choice(retention.get("count_from", "fiscal_year"), COUNT_FROM, "retention.count_from"),
            smtp_limits=_section(SessionLimits, smtp), workers=_section(Workers, doc.get("workers", {})))
    except KeyError as error:
        raise ConfigError(f"kairan.toml lacks the setting {error.args[0]!r}: add it or run 'kairan init' afresh")
    except (TypeError, ValueError) as error:
        raise ConfigError(f"kairan.toml has a wrong value ({error}): fix it and start again")
