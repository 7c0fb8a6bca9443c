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

EXCERPT_CHARS = 100             # of each post shown: the digest says what is new, the thread says it all
EXCERPT_LINES = 3
SHOWN_PER_THREAD = 2            # posts of a thread shown in full; the rest behind 「続きを読む」
BODY_BUDGET = 28_000            # bytes of sections (text + HTML) in one digest; past it the contents list
                                # alone names the remaining threads (each with its count and link)
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
class ContentsEntry:
    """A thread in the digest's contents list: its subject, new posts and page."""
    anchor: str
    subject: str
    count: int
    url: str


@dataclass(frozen=True)
class Rendered:
    text: str
    html: Markup
    posts: int
    title: str = ""
    anchor: str = ""
    threads: tuple[ContentsEntry, ...] = ()
    size: int = 0                           # bytes of text + HTML, for the digest's budget
    toc_text: str = ""                      # its part of the contents list, rendered once like the rest
    toc_html: Markup = Markup("")


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


def _post_values(post: DigestPost, space: Space, settings: MailSettings, links: Links) -> dict:
    text = excerpt(post.excerpt) or "（本文なし）"
    return dict(author=post.from_name or post.from_address.split("@")[0], org=post.org_name,
                date=japanese_datetime(post.date_utc, settings.zone), excerpt=text, lines=text.splitlines(),
                unverified=is_marked(post.sender_assurance, evidence_of(post.assurance_evidence)),
                attachments=[dict(name=a.filename or "attachment", size=a.size,
                                  url=links.attachment(space.slug, a.id, a.filename)) for a in post.attachments])


def _section_values(space: Space, posts: list[DigestPost], settings: MailSettings, links: Links) -> dict:
    """Per thread: its first SHOWN_PER_THREAD new posts as excerpts, then 「続きを読む」 at the next one."""
    by_thread: dict[int, list[DigestPost]] = {}
    for post in posts:
        by_thread.setdefault(post.thread_id, []).append(post)
    threads = []
    for thread_id, found in by_thread.items():
        first, rest = found[:SHOWN_PER_THREAD], found[SHOWN_PER_THREAD:]
        threads.append(dict(
            anchor=f"t{thread_id}", subject=found[0].thread_subject, new=found[0].starts_thread, count=len(found),
            url=links.thread(space.slug, thread_id),
            reply=f"mailto:{space_address(space.slug, settings.domain, found[0].thread_token)}",
            posts=[_post_values(p, space, settings, links) for p in first], hidden=len(rest),
            more_url=links.post(space.slug, thread_id, rest[0].id) if rest else ""))
    return dict(space=space, anchor=f"s{space.id}", space_url=links.space(space.slug), count=len(posts),
                threads=threads)


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
        contents = tuple(ContentsEntry(t["anchor"], t["subject"], t["count"], t["url"]) for t in values["threads"])
        text, html = env.get_template("digest_section.txt").render(values), env.get_template("digest_section.html").render(values)
        toc = dict(values, contents=contents)
        material.cache[key] = Rendered(text, Markup(html), len(posts), material.spaces[space_id].title, values["anchor"],
                                       contents, len(text.encode("utf-8")) + len(html.encode("utf-8")),
                                       env.get_template("digest_toc.txt").render(toc),
                                       Markup(env.get_template("digest_toc.html").render(toc)))
    return material.cache[key]


def within_budget(sections: list[Rendered], budget: int = BODY_BUDGET) -> list[Rendered]:
    """The sections shown with their excerpts: in order while they fit the budget (the first always);
    the contents list names every thread of every section either way."""
    shown, used = [], 0
    for section in sections:
        if shown and used + section.size > budget:
            break
        shown.append(section)
        used += section.size
    return shown


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
                  shown=within_budget(sections),
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

