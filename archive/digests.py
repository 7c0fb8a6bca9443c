"""What daily digests are made of, read set-based: one query per kind of thing, never per member and space.

A member's digest covers the posts stored after the last one their previous
digest covered, up to a watermark (`to_post_id`) fixed when the digest became
due. Post ids only grow, so windows of consecutive digests neither overlap nor
leave gaps, whatever the clock or the time of the run.
"""

from __future__ import annotations

from dataclasses import dataclass

from archive.db import Database
from archive.members import member_from_row
from archive.models import Attachment, Member, Space
from archive.posts import attachment_from_row

EXCERPT_CHARS = 400


@dataclass(frozen=True)
class DueMember:
    member_id: int
    from_post_id: int | None        # None: no digest yet
    created_at: str                 # when the member was added


@dataclass(frozen=True)
class PostHead:
    id: int
    space_id: int
    author_id: int | None


@dataclass(frozen=True)
class DigestPost:
    id: int
    space_id: int
    thread_id: int
    thread_subject: str
    thread_token: str
    starts_thread: bool
    author_id: int | None
    from_name: str
    from_address: str
    date_utc: str
    excerpt: str
    attachments: tuple[Attachment, ...]
    sender_assurance: str = "none"
    assurance_evidence: str = ""


async def post_id_at(db: Database, moment_iso: str, inclusive: bool = True) -> int:
    """The id of the last post stored at (or, not inclusive, before) this instant; 0: none."""
    value = await db.fetchval(
        f"SELECT id FROM posts WHERE created_at {'<=' if inclusive else '<'} ? ORDER BY created_at DESC, id DESC LIMIT 1",
        (moment_iso,))
    return value or 0


async def due_members(db: Database, day: str, local_hour: int, default_hour: int) -> list[DueMember]:
    """Active members with a digest-mode space whose hour has come and who had no digest slot on `day`."""
    rows = await db.fetchall(
        """SELECT m.id, dm.to_post_id, m.created_at FROM members m LEFT JOIN digest_marks dm ON dm.member_id = m.id
           WHERE m.active = 1 AND COALESCE(m.digest_hour, ?) <= ? AND (dm.day IS NULL OR dm.day < ?)
             AND EXISTS (SELECT 1 FROM memberships ms WHERE ms.member_id = m.id AND ms.mode = 'digest')
           ORDER BY m.id""", (default_hour, local_hour, day))
    return [DueMember(r[0], r[1], r[2]) for r in rows]


async def post_heads(db: Database, after_id: int, to_id: int) -> list[PostHead]:
    """Posts in (after_id, to_id], ordered by id."""
    rows = await db.fetchall("SELECT id, space_id, author_id FROM posts WHERE id > ? AND id <= ? ORDER BY id",
                             (after_id, to_id))
    return [PostHead(r[0], r[1], r[2]) for r in rows]


async def digest_memberships(db: Database, space_ids: list[int]) -> list[tuple[int, int]]:
    """(member_id, space_id) of every digest-mode membership in these spaces."""
    if not space_ids:
        return []
    marks = ",".join("?" * len(space_ids))
    rows = await db.fetchall(
        f"SELECT member_id, space_id FROM memberships WHERE mode = 'digest' AND space_id IN ({marks})",
        tuple(space_ids))
    return [(r[0], r[1]) for r in rows]


async def digest_spaces_of(db: Database, member_ids: list[int]) -> list[tuple[int, int]]:
    """(member_id, space_id) of these members' digest-mode memberships."""
    if not member_ids:
        return []
    marks = ",".join("?" * len(member_ids))
    rows = await db.fetchall(
        f"SELECT member_id, space_id FROM memberships WHERE mode = 'digest' AND member_id IN ({marks})",
        tuple(member_ids))
    return [(r[0], r[1]) for r in rows]


async def record_digests(db: Database, day: str, to_post_id: int, member_ids: list[int],
                         due: list[tuple[int, str, int]], now_iso: str) -> None:
    """Use up `day`'s slot of these members and make their digests due, (member_id, message_id, from_id)."""
    async with db.write() as conn:
        await conn.executemany(
            """INSERT INTO digest_marks (member_id, day, to_post_id) VALUES (?, ?, ?)
               ON CONFLICT (member_id) DO UPDATE SET day = excluded.day, to_post_id = excluded.to_post_id""",
            [(m, day, to_post_id) for m in member_ids])
        await conn.executemany(
            """INSERT OR IGNORE INTO deliveries (kind, member_id, key, message_id, from_post_id, to_post_id,
                   created_at, next_attempt_at) VALUES ('digest', ?, ?, ?, ?, ?, ?, ?)""",
            [(m, day, message_id, from_id, to_post_id, now_iso, now_iso) for m, message_id, from_id in due])


async def digest_posts(db: Database, after_id: int, to_id: int) -> list[DigestPost]:
    """Every post in (after_id, to_id] with what a digest shows of it, ordered by id."""
    rows = await db.fetchall(
        f"""SELECT p.id, p.space_id, p.thread_id, t.subject AS thread_subject, t.token AS thread_token, p.author_id, p.from_name,
                   p.from_address, p.date_utc, substr(p.reply_text, 1, {EXCERPT_CHARS + 1}) AS excerpt,
                   p.sender_assurance, p.assurance_evidence,
                   NOT EXISTS (SELECT 1 FROM posts q WHERE q.thread_id = p.thread_id AND q.id < p.id) AS starts
            FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id > ? AND p.id <= ? ORDER BY p.id""",
        (after_id, to_id))
    by_post: dict[int, list[Attachment]] = {}
    for a in await db.fetchall(
            """SELECT a.* FROM attachments a WHERE a.post_id > ? AND a.post_id <= ? ORDER BY a.post_id, a.position""",
            (after_id, to_id)):
        by_post.setdefault(a["post_id"], []).append(attachment_from_row(a))
    return [DigestPost(r["id"], r["space_id"], r["thread_id"], r["thread_subject"], r["thread_token"], bool(r["starts"]),
                       r["author_id"], r["from_name"], r["from_address"], r["date_utc"], r["excerpt"],
                       tuple(by_post.get(r["id"], ())), r["sender_assurance"], r["assurance_evidence"]) for r in rows]


async def members_by_id(db: Database, member_ids: list[int]) -> dict[int, Member]:
    if not member_ids:
        return {}
    marks = ",".join("?" * len(member_ids))
    rows = await db.fetchall(
        f"""SELECT m.*, o.slug AS org_slug, o.name AS org_name,
                   (SELECT address FROM member_addresses a WHERE a.member_id = m.id
                    ORDER BY a.is_primary DESC, a.address LIMIT 1) AS email
            FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.id IN ({marks})""", tuple(member_ids))
    return {r["id"]: member_from_row(r) for r in rows}


async def spaces_by_id(db: Database, space_ids: list[int]) -> dict[int, Space]:
    if not space_ids:
        return {}
    marks = ",".join("?" * len(space_ids))
    rows = await db.fetchall(f"SELECT id, slug, title FROM spaces WHERE id IN ({marks})", tuple(space_ids))
    return {r[0]: Space(r[0], r[1], r[2]) for r in rows}

