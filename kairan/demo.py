"""`kairan serve --demo`: a small deployment to look at, made through the real mail path."""

from __future__ import annotations

import asyncio
from datetime import timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from archive.clock import to_iso
from archive.members import add_member, set_password_hash
from archive.orgs import add_org, list_orgs
from archive.passwords import hash_password
from archive import queues
from archive.spaces import create_space, set_membership
from bridge.ingest.worker import IngestWorker
from bridge.gateway.spooler import Spooler
from kairan.context import Context
from kairan.demo_data import DEMO_PASSWORD, MAILS, MEMBERS, MODES, ORGS, SPACES

JST = timezone(timedelta(hours=9))


def demo_message(ctx: Context, mail: tuple, ids: dict[str, str], names: dict[str, str]) -> EmailMessage:
    key, space, sender, hours_ago, subject, body, parent, attachment = mail
    msg = EmailMessage()
    msg["From"] = f"{names[sender]} <{sender}>"
    msg["To"] = f"{space}@{ctx.settings.domain}"
    msg["Subject"] = subject
    msg["Date"] = format_datetime((ctx.clock() - timedelta(hours=hours_ago)).astimezone(JST))
    msg["Message-ID"] = ids[key]
    if parent:
        msg["In-Reply-To"] = ids[parent]
        msg["References"] = ids[parent]
    if parent:
        body = body + quoted_history(MAILS_BY_KEY[parent], ctx, names)
    msg.set_content(body)
    if attachment:
        name, text = attachment
        msg.add_attachment(text.encode("utf-8"), maintype="text", subtype="csv" if name.endswith(".csv") else "plain",
                           filename=name)
    return msg


MAILS_BY_KEY = {mail[0]: mail for mail in MAILS}


def quoted_history(parent: tuple, ctx: Context, names: dict[str, str]) -> str:
    """Below the reply, the parent quoted the way Outlook (RE:) or Gmail/Thunderbird (Re:) do."""
    key, _, sender, hours_ago, subject, body, _, _ = parent
    when = (ctx.clock() - timedelta(hours=hours_ago)).astimezone(JST)
    quoted = "\n".join("> " + line for line in body.rstrip().splitlines())
    return (f"\n{when:%Y年%m月%d日} {when:%H:%M} {names[sender]} <{sender}>:\n{quoted}\n")


DEMO_NOTE = "demo.txt"


async def seed_demo(ctx: Context) -> bool:
    """Creates the demo deployment on an empty data folder (True); leaves any other alone (False)."""
    if await list_orgs(ctx.db):
        return False
    await _seed(ctx)
    return True


def demo_hint(ctx: Context, smtp_address: str) -> str:
    host, _, port = smtp_address.rpartition(":")
    modes = {(space, email): mode for space, email, mode in MODES}
    spaces = [f"kairan demo:   {slug}@{ctx.settings.domain} ({title}): " + ", ".join(
        f"{email} [{modes.get((slug, email), 'digest')}]" for email in members) for slug, title, members, _ in SPACES]
    return "\n".join((
        "kairan demo: spaces, with each member's delivery mode (each = a mail per post, in DATA/outbox/):",
        *spaces,
        f"kairan demo: sign in on {ctx.settings.base_url}/ as any of them with the password {DEMO_PASSWORD}",
        "kairan demo: send mail to a space, for example:",
        f"  python3 -c \"import smtplib; from email.message import EmailMessage as M; m=M(); "
        f"m['From']='sato-k@pref.yamakawa.lg.jp'; m['To']='zeimu@{ctx.settings.domain}'; "
        f"m['Subject']='テスト投稿'; m.set_content('こんにちは'); smtplib.SMTP('{host}', {port}).send_message(m)\"",
    ))


def write_down(ctx: Context, hint: str) -> str:
    """Keeps the demo's sign-in details in DATA/demo.txt (the banner is printed once); returns the line saying so."""
    note = ctx.settings.data_dir / DEMO_NOTE
    note.write_text(hint + "\n", encoding="utf-8")
    note.chmod(0o600)
    return f"kairan demo: this is written down in {note}"


async def _seed(ctx: Context) -> None:
    for slug, name, domain in ORGS:
        await add_org(ctx.db, slug, name, [domain])
    password_hash = await asyncio.to_thread(hash_password, DEMO_PASSWORD)
    for email, name, org, dept, org_admin in MEMBERS:
        member = await add_member(ctx.db, email, name, org, dept, org_admin=org_admin)
        await set_password_hash(ctx.db, member.id, password_hash)
    for slug, title, members, admins in SPACES:
        await create_space(ctx.db, slug, title, list(members), list(admins), min_orgs=ctx.settings.min_space_orgs)
    ids = {mail[0]: make_msgid(domain=mail[2].split("@")[1]) for mail in MAILS}
    names = {m[0]: m[1] for m in MEMBERS}
    ingest = IngestWorker(ctx.db, ctx.blobs, ctx.settings.domain)
    spooler = Spooler(ctx.db, ctx.blobs)
    for mail in sorted(MAILS, key=lambda m: -m[3]):
        msg = demo_message(ctx, mail, ids, names)
        await spooler.accept(msg.as_bytes(), received_at=to_iso(ctx.clock()), mail_from=mail[2],
                             rcpts=(msg["To"],), peer="demo")
    await ingest.drain()
    for slug, email, mode in MODES:
        await set_membership(ctx.db, slug, email, mode=mode)
    await _forget_notifications(ctx)


async def _forget_notifications(ctx: Context) -> None:
    """The demo's posts are its history: nobody is notified of them (new mail is)."""
    while items := await queues.peek(ctx.db, "notify_queue"):
        await queues.done(ctx.db, "notify_queue", [item.id for item in items])
