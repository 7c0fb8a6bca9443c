"""`kairan digest [--as-of ISO-8601] [--dry-run]`: send (or print) the daily digests due, for cron and tests."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from archive.clock import to_iso
from archive.deliveries import due_deliveries
from archive.digests import members_by_id
from archive.errors import Invalid
from bridge.outbound.digest_run import Window, plan_digests, prepare_digests, record_plan
from kairan.config import data_dir_from
from kairan.context import open_context
from kairan.mail import mail_settings, make_dispatcher
from web.urls import WebLinks


def register(sub, common) -> None:
    p = sub.add_parser("digest", parents=[common], help="send (or print) the daily digests due")
    p.add_argument("--as-of", default=None, metavar="ISO-8601",
                   help="act as if it were this moment (default now; no offset: the configured time zone)")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    p.set_defaults(run=run_digest)


def parse_as_of(text: str | None, timezone: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"--as-of {text!r} is not an ISO-8601 time (for example 2026-11-27T08:00:00+09:00)")
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


async def run_digest(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        as_of = parse_as_of(args.as_of, ctx.settings.timezone) or ctx.clock()
        ctx.clock = lambda: as_of
        mail = mail_settings(ctx.settings)
        plan = await plan_digests(ctx.db, mail, ctx.settings.digest_hour, as_of)
        if args.dry_run:
            await print_plan(ctx, plan, as_of)
            return 0
        planned = await record_plan(ctx.db, mail, plan, as_of)
        report = await make_dispatcher(ctx).dispatch(kinds=("digest",))
    print(f"kairan: {planned} digest(s) became due as of {to_iso(as_of)}; "
          f"sent {report.sent}, failed {report.failed}, to retry {report.deferred}")
    return 0


async def print_plan(ctx, plan, as_of: datetime) -> None:
    """One line per digest that would be sent: address, subject, number of new posts."""
    windows = [Window(d.member_id, d.from_post_id, plan.to_post_id, "<dry-run@kairan.invalid>") for d in plan.digests]
    build = await prepare_digests(ctx.db, mail_settings(ctx.settings), WebLinks(ctx.settings.base_url), windows, as_of)
    members = await members_by_id(ctx.db, [w.member_id for w in windows])
    would = 0
    for w in windows:
        message = build(w)
        if message is not None:
            would += 1
            print(f"{members[w.member_id].email}\t{message['Subject']}")
    waiting = await due_deliveries(ctx.db, to_iso(as_of), ("digest",))
    print(f"kairan: dry run as of {to_iso(as_of)}: {would} digest(s) would be sent"
          + (f", and {len(waiting)} earlier one(s) retried" if waiting else "") + "; nothing sent or recorded")
