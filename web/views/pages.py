"""A space (its threads and members) and a thread (its posts); home is web/views/home.py."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup
from starlette.requests import Request
from starlette.routing import Route

from archive.errors import NotFound
from archive.inquiries.records import find_inquiry
from archive.listings import Author, authors, thread_rows
from archive.models import Attachment, Member, Post, Space, Thread
from archive.posts import list_posts
from archive.reads import mark_read, read_counts
from archive.removal.deletion import deletable, tombstones
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
    unsure: bool = False        # the extraction was unsure: show everything, the guessed quote marked


async def space_page(request: Request):
    member = require_member(request)
    services = services_of(request)
    space = await space_for(request, member)
    paging = Paging(int_param(request, "page"), THREADS_PER_PAGE, await count_threads(services.db, space.id))
    rows = await thread_rows(services.db, member.id, space.id, paging.per_page, paging.offset)
    members = [(m, ms) for m, ms in await list_space_members(services.db, space.id) if m.active]
    is_admin = any(m.id == member.id and ms.role == "admin" for m, ms in members)
    return render(request, "space.html", {"space": space, "rows": rows, "paging": paging, "by_org": by_org_dept(members),
                                          "admins": [m for m, ms in members if ms.role == "admin"],
                                          "is_admin": is_admin, "manages_space": is_admin,
                                          "address": space.address(services.domain)})


def by_org_dept(members: list) -> list[tuple[str, list[tuple[str, list[Member]]]]]:
    """[(organization, [(department, people)])], in the order the archive lists them (org, then name)."""
    out = []
    for org, group in groupby(members, key=lambda mm: mm[0].org_name):
        people = sorted((m for m, _ in group), key=lambda m: (m.dept or "\uffff", m.name))
        out.append((org, [(dept, list(ps)) for dept, ps in groupby(people, key=lambda m: m.dept)]))
    return out


def post_view(post: Post, slug: str, author: Author | None, is_new: bool) -> PostView:
    """What the thread page shows of one post: the reply, the rest behind a toggle, safe HTML."""
    by_cid = {normalize_cid(a.content_id): a for a in post.attachments if a.content_id}

    def cid_url(cid: str) -> str | None:
        found = by_cid.get(cid)
        return urls.attachment_path(slug, found.id, found.filename) if found else None

    text = post.reply_text.strip() or (post.body_text.strip() if not post.quoted_text else "")
    html = Markup(sanitize_html(post.body_html, cid_url)) if post.body_html.strip() else None
    return PostView(post, author, text, bool(post.quoted_text.strip() or post.signature.strip()), html, is_new,
                    post.attachments, sender_mark(post), unsure=post.confidence == "low")


def post_articles(request: Request, space: Space, posts: list[Post], people: dict[int, Author], seen: int) -> list[Markup]:
    """Each post's article, from the app's RenderedPosts when it was rendered before (web/views/rendered.py)."""
    lang = getattr(request.state, "lang", "ja")
    template = request.app.state.pages.templates[lang].env.get_template("_post.html")
    store = request.app.state.rendered_posts
    out = []
    for i, post in enumerate(posts):
        author, is_new = people.get(post.author_id), i >= seen and seen > 0
        key = (post.id, lang, is_new, space.slug, hash((post, author)))
        out.append(store.get_or_render(key, lambda: template.render(
            view=post_view(post, space.slug, author, is_new), space=space)))
    return out


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
    articles = post_articles(request, space, posts, people, seen)
    if len(posts) > seen:
        await mark_read(services.db, member.id, thread.id, len(posts))
    inquiry = await find_inquiry(services.db, thread.id)
    matrix = await matrix_values(services, member, space, thread, inquiry, back_to_thread=True) if inquiry else {}
    reply_address = f"{space.slug}+{thread.token}@{services.domain}"
    return render(request, "thread.html", {"space": space, "thread": thread, "entries": list(zip(posts, articles)),
                                           "first_date": posts[0].date_utc if posts else thread.created_at, "error": error,
                                           "draft": draft, "inquiry": inquiry, "reply_address": reply_address,
                                           "deletable": await deletable(services.db, member, space, posts, services.clock()),
                                           **await deleted_places(services.db, thread.id, posts),
                                           **matrix},
                  status_code=status_code)


async def deleted_places(db, thread_id: int, posts: list[Post]) -> dict:
    """Where the thread's deleted posts stood: before which post, or after the last one."""
    before: dict[int, list] = {}
    after = []
    for gone in await tombstones(db, thread_id):
        following = next((p for p in posts if (p.date_utc, p.id) > (gone.date_utc, gone.post_id)), None)
        if following is None:
            after.append(gone)
        else:
            before.setdefault(following.id, []).append(gone)
    return {"deleted_before": before, "deleted_after": after}


routes = [
    Route("/s/{slug}/", space_page, name="space"),
    Route("/s/{slug}/t/{thread_id:int}/", thread_page, name="thread"),
]
