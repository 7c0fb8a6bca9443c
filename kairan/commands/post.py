"""`kairan post delete`: take a post out for good (誤送信), with a reason."""

from __future__ import annotations

from archive.admin.audit import SYSTEM, actor_of
from archive.members import get_member_by_address
from archive.removal.deletion import delete_post
from archive.spaces import get_space
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context
from kairan.indexing import catch_up, open_search


def register(sub, common) -> None:
    post = group(sub, common, "post", "posts")
    p = post.add_parser("delete", parents=[common], help="delete a post (space admin, or its author within 24 h)")
    p.add_argument("slug", metavar="SPACE")
    p.add_argument("post_id", type=int, metavar="POST_ID")
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.add_argument("--as", dest="as_email", default=None, metavar="EMAIL",
                   help="act as this member (their right to delete is checked)")
    p.set_defaults(run=run_post_delete)


async def run_post_delete(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        member = await get_member_by_address(ctx.db, args.as_email) if args.as_email else None
        actor = actor_of(member) if member else SYSTEM
        await delete_post(ctx.db, ctx.blobs, space, args.post_id, args.reason, actor, member)
        await catch_up(ctx, open_search(ctx))
    print(f"post #{args.post_id} deleted from {space.slug}")
    return 0
