"""Outbound mail wiring: the sender from kairan.toml, web's links, and the dispatcher that uses them."""

from __future__ import annotations

from archive.clock import Clock
from bridge.outbound.compose import MailSettings
from bridge.outbound.digest import ExtraSections
from bridge.outbound.dispatch import Dispatcher
from bridge.outbound.move_report import by_key_prefix, moves_report_builder
from archive.moves.report import KEY_PREFIX
from bridge.inquiries.digest import inquiry_sections
from bridge.inquiries.reminders import ReminderWorker, reminder_builder
from bridge.outbound.transport import MaildirSender, SmtpRelaySender, sender_for
from kairan.config import Settings
from kairan.context import Context
from web.urls import WebLinks


def mail_settings(settings: Settings) -> MailSettings:
    return MailSettings(domain=settings.domain, secret_key=settings.secret_key, timezone=settings.timezone)


def make_sender(settings: Settings) -> MaildirSender | SmtpRelaySender:
    relay = settings.relay
    return sender_for(relay.host, relay.port, settings.outbox_dir, starttls=relay.starttls,
                      username=relay.username, password=relay.password)


def make_dispatcher(ctx: Context, sender=None, extra_sections: ExtraSections | None = None,
                    clock: Clock | None = None) -> Dispatcher:
    """Sends notifications, digests and inquiry reminders; digests carry the 回答待ちの照会 section
    unless the caller passes other sections."""
    links, mail = WebLinks(ctx.settings.base_url), mail_settings(ctx.settings)
    sections = extra_sections or inquiry_sections(ctx.db, links, ctx.settings.timezone)
    return Dispatcher(ctx.db, sender or make_sender(ctx.settings), mail, links, clock or ctx.clock,
                      extra_sections=sections, builders={"reminder": by_key_prefix(
                          {KEY_PREFIX: moves_report_builder(ctx.db, mail)}, reminder_builder(ctx.db, mail, links))})


def make_reminder_worker(ctx: Context, dispatcher: Dispatcher) -> ReminderWorker:
    """Inquiry reminders, at the digest hour, `[inquiries] reminder_days_before` days ahead and the day after."""
    s = ctx.settings
    return ReminderWorker(ctx.db, mail_settings(s), dispatcher, ctx.clock, days_before=s.inquiry_reminder_days,
                          hour=s.digest_hour)
