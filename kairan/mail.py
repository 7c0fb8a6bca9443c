"""Outbound mail wiring: the sender from kairan.toml, web's links, and the dispatcher that uses them."""

from __future__ import annotations

from bridge.compose import MailSettings
from bridge.digest import ExtraSections, no_extra_sections
from bridge.dispatch import Dispatcher
from bridge.outbound import MaildirSender, SmtpRelaySender, sender_for
from kairan.config import Settings
from kairan.context import Context
from web.urls import WebLinks


def mail_settings(settings: Settings) -> MailSettings:
    return MailSettings(domain=settings.domain, secret_key=settings.secret_key, timezone=settings.timezone)


def make_sender(settings: Settings) -> MaildirSender | SmtpRelaySender:
    relay = settings.relay
    return sender_for(relay.host, relay.port, settings.outbox_dir, starttls=relay.starttls,
                      username=relay.username, password=relay.password)


def make_dispatcher(ctx: Context, sender=None, extra_sections: ExtraSections = no_extra_sections) -> Dispatcher:
    return Dispatcher(ctx.db, sender or make_sender(ctx.settings), mail_settings(ctx.settings),
                      WebLinks(ctx.settings.base_url), ctx.clock, extra_sections=extra_sections)
