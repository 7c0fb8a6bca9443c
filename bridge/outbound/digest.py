"""The daily digest: one short mail per member with what is new in their digest-mode spaces.

Built in batches: the posts of all windows of a batch are read at once, and a
space's section (its threads, excerpts and attachment links) is rendered once
per window and shared by every member with that window — only a member who
wrote in the space gets a section of their own (their posts are left out).
Open inquiries and other sections come from an injected `ExtraSections`
callable (default: none), so the digest needs no knowledge of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Awaitable, Callable

from jinja2 import Environment
from markupsafe import Markup

from archive.assurance.policy import evidence_of, is_marked
from archive.digests import DigestPost
from archive.models import Member, Space
from archive.unsubscribe import make_token
from bridge.addresses import space_address
from bridge.outbound.compose import MailSettings, japanese_date, japanese_datetime, mailbox, new_message, template_env
from bridge.outbound.links import Links
from bridge.outbound.mimewriter import OutgoingMail

EXCERPT_CHARS = 200
EXCERPT_LINES = 6
DIGEST_LIST = "digest"


@dataclass(frozen=True)
class DigestItem:
    text: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class DigestSection:
    """A section another part of kairan adds to a member's digest (e.g. inquiries waiting for their org)."""
    title: str
    items: tuple[DigestItem, ...]


ExtraSections = Callable[[list[Member], datetime], Awaitable[dict[int, list[DigestSection]]]]


async def no_extra_sections(members: list[Member], as_of: datetime) -> dict[int, list[DigestSection]]:
    return {}


@dataclass(frozen=True)
class Rendered:
    text: str
    html: Markup
    posts: int


@dataclass
class DigestMaterial:
    """What a batch of digests is built from: the posts of its windows by space, and the spaces."""
    posts_by_space: dict[int, list[DigestPost]]
    spaces: dict[int, Space]
    cache: dict[tuple, Rendered] = field(default_factory=dict)


def excerpt(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept = [line for i, line in enumerate(lines) if line or (i and lines[i - 1])][:EXCERPT_LINES]
    short = "\n".join(kept)
    if len(short) > EXCERPT_CHARS:
        short = short[:EXCERPT_CHARS]
    return short + ("…" if short != "\n".join(lines).strip() else "")


def _section_values(space: Space, posts: list[DigestPost], settings: MailSettings, links: Links) -> dict:
    threads: dict[int, dict] = {}
    for post in posts:
        thread = threads.setdefault(post.thread_id, dict(
            subject=post.thread_subject, new=post.starts_thread, url=links.thread(space.slug, post.thread_id),
            reply=f"mailto:{space_address(space.slug, settings.domain, post.thread_token)}", posts=[]))
        text = excerpt(post.excerpt) or "（本文なし）"
        thread["posts"].append(dict(
            author=post.from_name or post.from_address.split("@")[0],
            date=japanese_datetime(post.date_utc, settings.zone), excerpt=text, lines=text.splitlines(),
            unverified=is_marked(post.sender_assurance, evidence_of(post.assurance_evidence)),
            attachments=[dict(name=a.filename or "attachment", size=a.size,
                              url=links.attachment(space.slug, a.id, a.filename)) for a in post.attachments]))
    return dict(space=space, space_url=links.space(space.slug), count=len(posts), threads=list(threads.values()))


def render_section(env: Environment, material: DigestMaterial, space_id: int, member_id: int, window: tuple[int, int],
                   settings: MailSettings, links: Links) -> Rendered | None:
    """The space's new posts in the window (the member's own left out); cached when they wrote none."""
    low, high = window
    in_window = [p for p in material.posts_by_space.get(space_id, ()) if low < p.id <= high]
    own = any(p.author_id == member_id for p in in_window)
    key = (space_id, low, high, member_id if own else None)
    if key not in material.cache:
        posts = [p for p in in_window if p.author_id != member_id] if own else in_window
        if not posts:
            return None
        values = _section_values(material.spaces[space_id], posts, settings, links)
        material.cache[key] = Rendered(env.get_template("digest_section.txt").render(values),
                                       Markup(env.get_template("digest_section.html").render(values)), len(posts))
    return material.cache[key]


def digest_subject(space_count: int, post_count: int) -> str:
    return f"[kairan] 本日のダイジェスト: {space_count}スペース・新着{post_count}件"


def build_daily_digest(material: DigestMaterial, member: Member, space_ids: list[int], window: tuple[int, int],
                       extras: list[DigestSection], *, settings: MailSettings, links: Links, message_id: str,
                       now: datetime, env: Environment | None = None) -> OutgoingMail | None:
    """One member's digest over the window, or None when nothing is new in their digest spaces."""
    env = env or template_env()
    found = [(material.spaces[s].title, s, render_section(env, material, s, member.id, window, settings, links))
             for s in space_ids if s in material.spaces]
    sections = [rendered for _, _, rendered in sorted(found, key=lambda f: (f[0], f[1])) if rendered is not None]
    if not sections:
        return None
    post_count = sum(s.posts for s in sections)
    subject = digest_subject(len(sections), post_count)
    token = make_token(settings.secret_key, member.id, None)
    values = dict(member=member, subject=subject, date=japanese_date(now.astimezone(settings.zone)),
                  space_count=len(sections), post_count=post_count, sections=sections, extras=extras,
                  settings_url=links.mail_settings(), unsubscribe_url=links.unsubscribe(token))
    message = new_message(sender=mailbox("kairan ダイジェスト", f"noreply@{settings.domain}"), recipient=member,
                          subject=subject, message_id=message_id, text=env.get_template("digest.txt").render(values),
                          html=env.get_template("digest.html").render(values), now=now)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Id"] = f"kairan ダイジェスト <{DIGEST_LIST}.{settings.domain}>"
    message["List-Unsubscribe"] = (f"<{links.unsubscribe(token)}>, "
                                   f"<mailto:unsubscribe@{settings.domain}?subject={token}>")
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Precedence"] = "list"
    message["X-Loop"] = settings.loop_marker
    return message

