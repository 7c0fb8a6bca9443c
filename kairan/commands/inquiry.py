"""`kairan inquiry ...`: an inquiry's matrix, its deadline and targets, 該当なし — for operators.

The command line is the operator's tool (whoever holds the data folder), so it checks
no membership; `--as EMAIL` names who acts, for the inquiry's history.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from archive.errors import Invalid
from archive.inquiries.records import (get_inquiry, list_inquiries, open_inquiry, orgs_by_slugs, set_deadline,
                               set_not_applicable, set_targets)
from archive.clock import to_iso
from archive.inquiries.status import SORT_KEYS, STATUS_LABELS, counts, inquiry_rows, local_day, row_document, sort_rows
from archive.members import get_member_by_address
from archive.spaces import get_space, get_space_by_id
from archive.threads import get_thread
from bridge.inquiries.deadlines import read_date
from bridge.inquiries.reminders import plan_reminders
from kairan.config import data_dir_from
from kairan.commands.digest import parse_as_of
from kairan.context import open_context
from kairan.mail import mail_settings, make_dispatcher
from web.views.inquiries.export import MatrixExport, format_day, format_moment, to_csv, to_xlsx

NO_DEADLINE = ("none", "なし", "期限なし", "-")


def register(sub, common) -> None:
    inquiry = sub.add_parser("inquiry", parents=[common], help="inquiries (照会): who answered, when, what")
    actions = inquiry.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    p = actions.add_parser("status", parents=[common], help="the matrix: one line per organization")
    p.add_argument("thread", help="thread id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--sort", choices=SORT_KEYS, default="org")
    p.set_defaults(run=run_status)
    p = actions.add_parser("list", parents=[common], help="the inquiries of a space")
    p.add_argument("slug")
    p.set_defaults(run=run_list)
    p = actions.add_parser("open", parents=[common], help="make a thread an inquiry")
    p.add_argument("thread")
    p.add_argument("--as", dest="actor", required=True, metavar="EMAIL", help="the asking member")
    p.add_argument("--deadline", default=None, help="2026-12-05, 12/5, 令和8年12月5日… (default: 期限なし)")
    p.add_argument("--target", action="append", default=None, dest="targets", metavar="ORG")
    p.set_defaults(run=run_open)
    p = actions.add_parser("set", parents=[common], help="change the deadline or the targets")
    p.add_argument("thread")
    p.add_argument("--deadline", default=None, help="a date, or 'none' for 期限なし")
    p.add_argument("--target", action="append", default=None, dest="targets", metavar="ORG")
    p.add_argument("--as", dest="actor", default=None, metavar="EMAIL")
    p.set_defaults(run=run_set)
    for name, on, text in (("na", True, "mark an organization 該当なし"), ("reopen", False, "undo 該当なし")):
        p = actions.add_parser(name, parents=[common], help=text)
        p.add_argument("thread")
        p.add_argument("--org", required=True)
        p.add_argument("--as", dest="actor", default=None, metavar="EMAIL")
        p.set_defaults(run=run_mark, on=on)
    p = actions.add_parser("remind", parents=[common], help="send the inquiry reminders due (for cron and tests)")
    p.add_argument("--as-of", default=None, metavar="ISO-8601", help="act as if it were this moment (default now)")
    p.set_defaults(run=run_remind)
    p = actions.add_parser("export", parents=[common], help="write the matrix as CSV or XLSX")
    p.add_argument("thread")
    p.add_argument("output", metavar="FILE.csv|FILE.xlsx")
    p.set_defaults(run=run_export)


def thread_id_of(text: str) -> int:
    if not text.strip().lstrip("#").isdigit():
        raise Invalid(f"{text!r} is not a thread id: pass the number shown by 'kairan show SLUG'")
    return int(text.strip().lstrip("#"))


def deadline_of(text: str | None, ctx):
    if text is None or text.strip().lower() in NO_DEADLINE:
        return None
    day = read_date(text, local_day(ctx.clock(), ctx.settings.timezone))
    if day is None:
        raise Invalid(f"{text!r} is not a date: write 2026-12-05, 12/5 or 令和8年12月5日, or 'none' for 期限なし")
    return day


async def run_status(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        inquiry = await get_inquiry(ctx.db, thread_id_of(args.thread))
        thread = await get_thread(ctx.db, inquiry.thread_id)
        space = await get_space_by_id(ctx.db, inquiry.space_id)
        rows = sort_rows(await inquiry_rows(ctx.db, inquiry, ctx.clock(), ctx.settings.timezone), args.sort)
    if args.json:
        orgs = [dict(row_document(r), name=r.org.name, text=r.latest.reply_text if r.latest else None,
                     attachments=[a.filename for a in r.attachments]) for r in rows]
        print(json.dumps({"thread_id": thread.id, "subject": thread.subject, "space": space.slug,
                          "asker": inquiry.asker.slug,
                          "deadline": inquiry.deadline.isoformat() if inquiry.deadline else None, "orgs": orgs},
                         ensure_ascii=False))
        return 0
    tally = counts(rows)
    print(f"{thread.subject}  (#{thread.id}, {space.slug})")
    print(f"照会元: {inquiry.asker.name} ({inquiry.asker.slug})  回答期限: {format_day(inquiry.deadline)}  "
          f"回答済 {tally['answered']} / 未回答 {tally['pending'] + tally['overdue']} / 該当なし {tally['not_applicable']}")
    for row in rows:
        when = format_moment(row.na_at if row.status == "not_applicable" else row.answered_at, ctx.settings.timezone)
        who = (row.na_by if row.status == "not_applicable" else row.by) or ""
        files = f"  [{', '.join(a.filename or '添付' for a in row.attachments)}]" if row.attachments else ""
        print(f"  {row.org.slug:<10} {row.org.name:<8} {STATUS_LABELS[row.status]:<5} {when:<24} {who:<10} "
              f"{row.excerpt}{files}")
    return 0


async def run_list(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        for inquiry in await list_inquiries(ctx.db, space.id):
            thread = await get_thread(ctx.db, inquiry.thread_id)
            tally = counts(await inquiry_rows(ctx.db, inquiry, ctx.clock(), ctx.settings.timezone))
            print(f"#{thread.id}  {format_day(inquiry.deadline)}  回答済 {tally['answered']}/{len(inquiry.targets)}"
                  f"  {thread.subject}")
    return 0


async def run_open(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        thread = await get_thread(ctx.db, thread_id_of(args.thread))
        member = await get_member_by_address(ctx.db, args.actor)
        inquiry = await open_inquiry(ctx.db, thread, member, deadline_of(args.deadline, ctx), args.targets, "cli")
    print(f"thread #{thread.id} is an inquiry of {inquiry.asker.slug}, deadline {format_day(inquiry.deadline)}, "
          f"asking {', '.join(t.org.slug for t in inquiry.targets) or 'nobody yet'}")
    return 0


async def run_set(args) -> int:
    if args.deadline is None and args.targets is None:
        raise Invalid("nothing to change: pass --deadline DATE (or none) and/or --target ORG ...")
    async with open_context(data_dir_from(args.data)) as ctx:
        inquiry = await get_inquiry(ctx.db, thread_id_of(args.thread))
        actor = await get_member_by_address(ctx.db, args.actor) if args.actor else None
        if args.deadline is not None:
            inquiry = await set_deadline(ctx.db, inquiry, deadline_of(args.deadline, ctx), actor)
        if args.targets is not None:
            inquiry = await set_targets(ctx.db, inquiry, args.targets, actor)
    print(f"inquiry #{inquiry.thread_id}: deadline {format_day(inquiry.deadline)}, "
          f"asking {', '.join(t.org.slug for t in inquiry.targets)}")
    return 0


async def run_mark(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        inquiry = await get_inquiry(ctx.db, thread_id_of(args.thread))
        org = (await orgs_by_slugs(ctx.db, [args.org]))[0]
        actor = await get_member_by_address(ctx.db, args.actor) if args.actor else None
        await set_not_applicable(ctx.db, inquiry, org.id, args.on, actor)
    print(f"inquiry #{inquiry.thread_id}: {org.slug} " + ("marked 該当なし" if args.on else "reopened"))
    return 0


async def run_export(args) -> int:
    path = Path(args.output)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise Invalid(f"{args.output}: name the file .csv or .xlsx")
    async with open_context(data_dir_from(args.data)) as ctx:
        inquiry = await get_inquiry(ctx.db, thread_id_of(args.thread))
        export = MatrixExport(inquiry, await get_thread(ctx.db, inquiry.thread_id),
                              await get_space_by_id(ctx.db, inquiry.space_id),
                              await inquiry_rows(ctx.db, inquiry, ctx.clock(), ctx.settings.timezone),
                              ctx.settings.timezone)
        if path.suffix.lower() == ".csv":
            data = to_csv(export)
        else:
            data = await asyncio.to_thread(to_xlsx, export, to_iso(ctx.clock()))
    try:
        await asyncio.to_thread(path.write_bytes, data)
    except OSError as error:
        raise Invalid(f"can't write {args.output}: {error.strerror}: check the path")
    print(f"wrote {path} ({len(export.rows)} organizations)")
    return 0


async def run_remind(args) -> int:
    """Plans today's reminders (whatever the hour: the operator asked) and sends every due one."""
    async with open_context(data_dir_from(args.data)) as ctx:
        as_of = parse_as_of(args.as_of, ctx.settings.timezone) or ctx.clock()
        planned = await plan_reminders(ctx.db, mail_settings(ctx.settings), as_of, ctx.settings.inquiry_reminder_days)
        report = await make_dispatcher(ctx, clock=lambda: as_of).dispatch(kinds=("reminder",))
        sent = report.sent
    print(f"kairan: {planned} reminder(s) became due as of {to_iso(as_of)}; sent {sent}")
    return 0
