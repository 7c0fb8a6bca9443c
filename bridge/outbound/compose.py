"""What every mail kairan sends has in common: Message-IDs, list headers, templates, Japanese dates.

The list headers let mail clients file, thread and unsubscribe (RFC 2369, 2919,
8058); `X-Loop` and our own Message-ID let the gateway refuse our mail if it
ever comes back (bridge.gateway.policy.our_own_loop).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.utils import format_datetime
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from archive import formats
from archive.formats import human_size
from archive.clock import from_iso
from archive.models import Member, Space
from bridge.outbound.mimewriter import OutgoingMail, header_text

@dataclass(frozen=True)
class MailSettings:
    """The deployment facts outbound mail needs (kairan builds it from Settings)."""
    domain: str
    secret_key: str
    timezone: str = "Asia/Tokyo"

    @property
    def loop_marker(self) -> str:
        return f"kairan@{self.domain}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def template_env() -> Environment:
    """Text and HTML templates of bridge/templates; HTML ones are autoescaped."""
    env = Environment(loader=PackageLoader("bridge", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"], default_for_string=False, default=False),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["size"] = human_size
    return env


def japanese_datetime(iso_utc: str, zone: ZoneInfo) -> str:
    """'2026-11-27T01:00:00Z' -> '2026年11月27日(金) 10:00' in the deployment's time zone."""
    return formats.japanese_datetime(from_iso(iso_utc).astimezone(zone))


def japanese_date(moment: datetime) -> str:
    return formats.japanese_date(moment)


def notification_message_id(settings: MailSettings, post_id: int) -> str:
    """The same id for every notification of one post: later posts reference it, so clients thread."""
    tag = hmac.new(settings.secret_key.encode(), f"notify:{post_id}".encode(), hashlib.sha256).hexdigest()[:12]
    return f"<kairan.{post_id}.{tag}@{settings.domain}>"


def digest_message_id(settings: MailSettings, day: str, member_id: int) -> str:
    return f"<kairan.digest.{day}.{member_id}.{secrets.token_hex(6)}@{settings.domain}>"


def mailbox(name: str, address: str) -> Address:
    local, _, domain = address.rpartition("@")
    return Address(display_name=header_text(name), username=local, domain=domain)


def new_message(*, sender: Address, recipient: Member, subject: str, message_id: str, text: str, html: str,
                now: datetime) -> OutgoingMail:
    message = OutgoingMail(text, html)
    message["From"] = sender
    message["To"] = mailbox(recipient.name, recipient.email)
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id
    return message


def add_list_headers(message: OutgoingMail, settings: MailSettings, *, list_name: str, list_address: str,
                     unsubscribe_url: str, unsubscribe_token: str, archive_url: str) -> None:
    """List-Id, List-Unsubscribe (HTTPS one-click and mailto), Precedence and our loop marker."""
    local, _, _ = list_address.partition("@")
    message["List-Id"] = f"{list_name} <{local}.{settings.domain}>"
    message["List-Unsubscribe"] = (f"<{unsubscribe_url}>, "
                                   f"<mailto:unsubscribe@{settings.domain}?subject={unsubscribe_token}>")
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["List-Archive"] = f"<{archive_url}>"
    message["Precedence"] = "list"
    message["X-Loop"] = settings.loop_marker


def space_sender(space: Space, settings: MailSettings, author: str) -> Address:
    """'Author via Space title' <SLUG@DOMAIN>: the author's name, our address (DMARC-safe)."""
    return mailbox(f"{author} via {space.title}" if author else space.title, space.address(settings.domain))
