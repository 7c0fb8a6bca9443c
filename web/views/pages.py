"""Home (my spaces), a space (its threads and members) and a thread (its posts)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup
from starlette.requests import Request
from starlette.routing import Route

from archive.access import readable_spaces
from archive.errors import NotFound
from archive.inquiries.records import find_inquiry
from archive.listings import Author, authors, space_summaries, thread_rows
from archive.models import Attachment, Member, Post, Space, Thread
from archive.posts import list_posts
from archive.reads import mark_read, read_counts
from archive.spaces import list_space_members
from archive.threads import count_threads, get_thread
from web import urls
from web.auth import require_member
from web.views.inquiries.pages import matrix_values
from web.mailhtml import normalize_cid, sanitize_html
from web.templating import render
from web.views.sender_mark import SenderMark, sender_mark
from web.views.common import Paging, int_param, path_int, services_of, space_for

THREADS_PER_PAGE = 50


@dataclass(frozen=True)
class PostView:
    post: Post
    author: Author | None
    text: str
    has_more: bool
    html: Markup | None
    is_new: bool
    attachments: tuple[Attachment, ...]
    sender: SenderMark | None = None        # 「送信元未確認」 and its evidence


async def home(request: Request):
    member = require_member(request)
    db = services_of(request).db
    summaries = await space_summaries(db, member.id, await readable_spaces(db, member))
    return render(request, "home.html", {"summaries": summaries})


async def space_page(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await space_for(request, member)
    paging = Paging(int_param(request, "page"), THREADS_PER_PAGE, await count_threads(services.db, space.id))
    rows = await thread_rows(services.db, member.id, space.id, paging.per_page, paging.offset)
    members = await list_space_members(services.db, space.id)
    by_org = [(org, [m for m, _ in group]) for org, group in groupby(members, key=lambda mm: mm[0].org_name)]
    return render(request, "space.html", {"space": space, "rows": rows, "paging": paging, "by_org": by_org,
                                          "address": space.address(services.domain)})


def post_view(post: Post, slug: str, author: Author | None, is_new: bool) -> PostView:
    """What the thread page shows of one post: the reply, the rest behind a toggle, safe HTML."""
    by_cid = {normalize_cid(a.content_id): a for a in post.attachments if a.content_id}

    def cid_url(cid: str) -> str | None:
        found = by_cid.get(cid)
        return urls.attachment_path(slug, found.id, found.filename) if found else None

    text = post.reply_text.strip() or (post.body_text.strip() if not post.quoted_text else "")
    html = Markup(sanitize_html(post.body_html, cid_url)) if post.body_html.strip() else None
    return PostView(post, author, text, bool(post.quoted_text.strip() or post.signature.strip()), html, is_new,
                    post.attachments, sender_mark(post))


async def thread_in(request: Request, space: Space) -> Thread:
    """The thread in the URL, only if it belongs to this (already readable) space."""
    thread = await get_thread(services_of(request).db, path_int(request, "thread_id"))
    if thread.space_id != space.id:
        raise NotFound("no such thread in this space")
    return thread


async def thread_page(request: Request):
    member = require_member(request)
    space = await space_for(request, member)
    return await render_thread(request, member, space, await thread_in(request, space))


async def render_thread(request: Request, member: Member, space: Space, thread: Thread, error: str = "",
                        draft: str = "", status_code: int = 200):
    """The thread page; the reply view calls it again with its error and the text typed so far."""
    services = services_of(request)
    posts = await list_posts(services.db, thread.id)
    seen = (await read_counts(services.db, member.id, [thread.id])).get(thread.id, 0)
    people = await authors(services.db, {p.author_id for p in posts if p.author_id})
    views = [post_view(p, space.slug, people.get(p.author_id), i >= seen and seen > 0) for i, p in enumerate(posts)]
    if len(posts) > seen:
        await mark_read(services.db, member.id, thread.id, len(posts))
    inquiry = await find_inquiry(services.db, thread.id)
    matrix = await matrix_values(services, member, space, thread, inquiry, back_to_thread=True) if inquiry else {}
    reply_address = f"{space.slug}+{thread.token}@{services.domain}"
    return render(request, "thread.html", {"space": space, "thread": thread, "posts": views, "error": error,
                                           "draft": draft, "inquiry": inquiry, "reply_address": reply_address,
                                           **matrix},
                  status_code=status_code)


routes = [
    Route("/", home, name="home"),
    Route("/s/{slug}/", space_page, name="space"),
    Route("/s/{slug}/t/{thread_id:int}/", thread_page, name="thread"),
]
