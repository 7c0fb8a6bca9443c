"""What the search index is built from: posts with their space and author's organization.

The index is derived data (rebuildable from here at any time); these reads are
the only SQL the indexer needs, so a different search engine can use them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Database
from archive.models import Post
from archive.posts import get_posts

_CONTEXT = """
SELECT p.id, s.slug AS space_slug, s.title AS space_title,
       COALESCE(o1.slug, o2.slug, '') AS org_slug, COALESCE(o1.name, o2.name, '') AS org_name,
       COALESCE(o1.id, o2.id, 0) AS org_id
FROM posts p JOIN spaces s ON s.id = p.space_id
LEFT JOIN members m ON m.id = p.author_id LEFT JOIN orgs o1 ON o1.id = m.org_id
LEFT JOIN org_domains d ON d.domain = substr(p.from_address, instr(p.from_address, '@') + 1)
LEFT JOIN orgs o2 ON o2.id = d.org_id
WHERE p.id IN ({marks})
"""


@dataclass(frozen=True)
class IndexRecord:
    post: Post
    space_slug: str
    space_title: str
    org_slug: str          # the author's organization ('' when unknown): by membership, else mail domain
    org_name: str
    org_id: int = 0        # that organization's id (0 when unknown)


async def index_records(db: Database, post_ids: list[int]) -> list[IndexRecord]:
    """Records of the posts that exist among these ids, in id order."""
    posts = await get_posts(db, sorted(set(post_ids)))
    if not posts:
        return []
    marks = ",".join("?" * len(posts))
    rows = await db.fetchall(_CONTEXT.format(marks=marks), tuple(p.id for p in posts))
    context = {r["id"]: r for r in rows}
    return [IndexRecord(p, context[p.id]["space_slug"], context[p.id]["space_title"],
                        context[p.id]["org_slug"], context[p.id]["org_name"], context[p.id]["org_id"]) for p in posts]


async def post_ids_after(db: Database, after_id: int, limit: int) -> list[int]:
    """Post ids greater than `after_id`, ascending: for rebuilding the index in batches."""
    rows = await db.fetchall("SELECT id FROM posts WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit))
    return [r["id"] for r in rows]


async def count_posts(db: Database) -> int:
    return await db.fetchval("SELECT COUNT(*) FROM posts")


async def set_text_notes(db: Database, notes: list[tuple[str, str]]) -> None:
    """(note, attachment sha256) pairs: why an attachment's text is missing or cut in the index."""
    if notes:
        async with db.write() as tx:
            await tx.executemany("UPDATE attachments SET text_note = ? WHERE sha256 = ?", notes)
