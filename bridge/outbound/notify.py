"""`each` mode: one mail per post to each member who chose it, the author excepted.

The worker drains the notify queue into the delivery ledger (one transaction per
batch: the ledger rows and the queue items done together), then lets the
dispatcher send what is due. Threading headers chain the notifications of a
thread (and the original Message-ID of its first post), so mail clients thread
them and a reply to one finds its thread in the gateway even without the
reply address's token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from archive import queues
from archive.assurance.policy import evidence_of, is_marked
from archive.clock import Clock, to_iso
from archive.db import Database
from archive.deliveries import NotifyPlan, plan_notifications, thread_outline
from archive.models import Member, Post, Space, Thread
from archive.posts import get_post, get_posts
from archive.spaces import get_space_by_id
from archive.threads import get_thread
from archive.unsubscribe import make_token
from bridge.addresses import space_address
from bridge.outbound.compose import (MailSettings, add_list_headers, japanese_datetime, new_message,
                            notification_message_id, space_sender, template_env)
from bridge.outbound.links import Links
from bridge.outbound.mimewriter import OutgoingMail

NO_TEXT = "（本文なし）"


@dataclass(frozen=True)
class PostContext:
    """A post with what its notification needs to say and to thread."""
    post: Post
    thread: Thread
    space: Space
    references: tuple[str, ...]
    in_reply_to: str


async def post_context(db: Database, settings: MailSettings, post_id: int) -> PostContext:
    post = await get_post(db, post_id)
    thread = await get_thread(db, post.thread_id)
    space = await get_space_by_id(db, post.space_id)
    outline = await thread_outline(db, thread.id)
    ids = [pid for pid, _ in outline]
    earlier = outline[:ids.index(post.id)] if post.id in ids else outline
    parent = next((pid for pid, mid in earlier if mid == post.in_reply_to), earlier[-1][0] if earlier else None)
    refs = [earlier[0][1], notification_message_id(settings, earlier[0][0])] if earlier else [post.message_id]
    if parent is not None:
        refs.append(notification_message_id(settings, parent))
    in_reply_to = notification_message_id(settings, parent) if parent is not None else ""
    return PostContext(post, thread, space, tuple(dict.fromkeys(refs)), in_reply_to)


def build_notification(ctx: PostContext, recipient: Member, settings: MailSettings, links: Links,
                       message_id: str, now: datetime, env=None) -> OutgoingMail:
    """The mail for one recipient: text and HTML from templates, attachments as links with sizes."""
    env = env or template_env()
    post, thread, space = ctx.post, ctx.thread, ctx.space
    author = post.from_name or post.from_address.split("@")[0]
    token = make_token(settings.secret_key, recipient.id, space.id)
    values = dict(
        author=author, space=space, thread=thread, date=japanese_datetime(post.date_utc, settings.zone),
        text=post.reply_text.strip() or post.body_text.strip() or NO_TEXT,
        attachments=[dict(name=a.filename or "attachment", size=a.size, url=links.attachment(space.slug, a.id,
                                                                                          a.filename))
                     for a in post.attachments],
        thread_url=links.post(space.slug, thread.id, post.id), space_url=links.space(space.slug),
        unverified=is_marked(post.sender_assurance, evidence_of(post.assurance_evidence)),
        unsubscribe_url=links.unsubscribe(token), settings_url=links.mail_settings())
    first = not ctx.in_reply_to
    subject = f"[{space.title}] {'' if first else 'Re: '}{thread.subject}"
    message = new_message(sender=space_sender(space, settings, author), recipient=recipient, subject=subject,
                          message_id=message_id, text=env.get_template("notification.txt").render(values),
                          html=env.get_template("notification.html").render(values), now=now)
    message["Reply-To"] = space_address(space.slug, settings.domain, thread.token)
    if ctx.in_reply_to:
        message["In-Reply-To"] = ctx.in_reply_to
    if ctx.references:
        message["References"] = " ".join(ctx.references)
    add_list_headers(message, settings, list_name=space.title, list_address=space.address(settings.domain),
                     unsubscribe_url=links.unsubscribe(token), unsubscribe_token=token,
                     archive_url=links.space(space.slug))
    return message


async def plan_queued(db: Database, settings: MailSettings, now: datetime, batch: int = 200) -> int:
    """Turn the notify queue into due deliveries; returns how many mails became due."""
    added = 0
    while items := await queues.peek(db, "notify_queue", limit=batch):
        existing = {p.id for p in await get_posts(db, [i.post_id for i in items])}
        plans = [NotifyPlan(i.post_id, notification_message_id(settings, i.post_id))
                 for i in items if i.post_id in existing]
        added += await plan_notifications(db, plans, [i.id for i in items], to_iso(now))
    return added


class NotifyWorker:
    """Drains the notify queue and sends what is due (`kairan serve` runs `drain` in a WorkerLoop)."""

    def __init__(self, db: Database, settings: MailSettings, dispatcher, clock: Clock):
        self._db = db
        self._settings = settings
        self._dispatcher = dispatcher
        self._clock = clock

    async def drain(self) -> None:
        await plan_queued(self._db, self._settings, self._clock())
        await self._dispatcher.dispatch(kinds=("notify",))
