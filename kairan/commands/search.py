"""`kairan search`, `kairan reindex` and `kairan token create`: the index and API access from the shell."""

from __future__ import annotations

import json
import sys

from archive.access import readable_space
from archive.errors import Conflict
from archive.members import get_member_by_address
from archive.admin.credentials import create_token
from kairan.config import data_dir_from
from kairan.context import open_context
from kairan.indexing import catch_up, open_search
from search.index import IndexBusy, SearchIndex
from search.indexer import Indexer, progress_line
from search.service import results_document


def register(sub, common) -> None:
    p = sub.add_parser("search", parents=[common], help="search the archive as a member")
    p.add_argument("query")
    p.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="search as this member")
    p.add_argument("--space", default=None, metavar="SLUG", help="only this space")
    p.add_argument("--sort", choices=("relevance", "date"), default="relevance")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--json", action="store_true", help="print the contract's JSON document")
    p.set_defaults(run=run_search)
    p = sub.add_parser("reindex", parents=[common], help="rebuild the search index from the archive")
    p.set_defaults(run=run_reindex)
    tokens = sub.add_parser("token", parents=[common], help="API tokens").add_subparsers(dest="action",
                                                                                          metavar="ACTION")
    tokens.required = True
    p = tokens.add_parser("create", parents=[common], help="print a new API token for the member (alone)")
    p.add_argument("email")
    p.set_defaults(run=run_token_create)


async def run_search(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        member = await get_member_by_address(ctx.db, args.as_email)
        if args.space is not None:
            await readable_space(ctx.db, member, args.space)      # NotFound alike: missing or not theirs
        service = open_search(ctx)
        await catch_up(ctx, service)
        results = await service.search(member, args.query, space=args.space, sort=args.sort, page=args.page)
    if args.json:
        print(json.dumps(results_document(results), ensure_ascii=False))
        return 0
    print(f"{results.total} 件" + (f" (page {results.page})" if results.page > 1 else ""))
    for hit in results.hits:
        print(f"\n{hit.date[:16].replace('T', ' ')}  [{hit.space}] {hit.subject}  — {hit.from_name}"
              f"  (thread {hit.thread_id}, post {hit.post_id})")
        print(f"  {hit.snippet}")
    return 0


async def run_reindex(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        try:
            index = SearchIndex.recreate(ctx.settings.index_dir)
        except IndexBusy:
            raise Conflict("the search index is in use by another process (is 'kairan serve' running?): "
                           "stop it, then run 'kairan reindex'") from None
        indexer = Indexer(ctx.db, index, ctx.blobs, heap_bytes=256_000_000, threads=0)
        try:
            count = await indexer.rebuild(progress_line(sys.stderr))
        finally:
            await indexer.close()
    print(f"reindexed {count} posts")
    return 0


async def run_token_create(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        member = await get_member_by_address(ctx.db, args.email)
        token = await create_token(ctx.db, member.id)
    print(token)
    return 0
