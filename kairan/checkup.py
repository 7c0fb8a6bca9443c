"""`kairan check [--repair]`: blobs, spool and index compared with what the archive says.

Findings are printed one a line. The index is derived data, so `--repair`
mends it: posts missing from it are queued for indexing and documents of posts
that no longer exist are queued for removal, then the queue is drained here —
or, when a running `kairan serve` holds the index writer, by that server.
Blobs can't be mended from inside the folder: restore them from a backup.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from archive.ops.integrity import Finding, all_post_ids, check_blobs, check_spool, queue_for_index, queued_for_index
from kairan.context import Context
from kairan.indexing import catch_up, open_search
from search.consistency import indexed_post_ids


@dataclass
class IndexState:
    posts: int
    documents: int
    missing: list[int] = field(default_factory=list)   # posts neither indexed nor queued
    extra: list[int] = field(default_factory=list)     # documents of posts that are gone

    def findings(self) -> list[Finding]:
        found = [Finding("index_missing", f"post {post_id}", "not in the search index (repair: --repair)")
                 for post_id in self.missing[:50]]
        found += [Finding("index_extra", f"post {post_id}", "in the search index but not in the archive")
                  for post_id in self.extra[:50]]
        if self.missing or self.extra:
            found.append(Finding("index_count", "search index", f"{self.documents} documents for {self.posts} posts "
                                 f"({len(self.missing)} missing, {len(self.extra)} extra)"))
        return found


async def index_state(ctx: Context, service) -> IndexState:
    posts = await all_post_ids(ctx.db)
    queued = await queued_for_index(ctx.db)
    documents = await asyncio.to_thread(indexed_post_ids, service.index)
    return IndexState(len(posts), len(documents), sorted(posts - documents - queued), sorted(documents - posts))


async def run_checks(ctx: Context, repair: bool = False) -> tuple[list[Finding], list[str]]:
    """(findings still standing, what was repaired)."""
    findings = await check_blobs(ctx.db, ctx.blobs) + await check_spool(ctx.db, ctx.clock(), blobs=ctx.blobs)
    service = open_search(ctx)
    state = await index_state(ctx, service)
    repaired: list[str] = []
    if repair and (state.missing or state.extra):
        await queue_for_index(ctx.db, state.missing, "add")
        await queue_for_index(ctx.db, state.extra, "remove")
        drained = await catch_up(ctx, service)
        repaired.append(f"index: {len(state.missing)} posts queued for indexing, {len(state.extra)} for removal"
                        + ("; indexed" if drained else "; the running server indexes them"))
        if drained:
            state = await index_state(ctx, service)
    return findings + state.findings(), repaired
