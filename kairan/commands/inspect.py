"""`kairan show` and `kairan parse`: look at a space, or at what kairan reads in a message."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from archive.errors import Invalid, NotFound
from archive.export import space_document
from archive.inquiries.status import inquiry_reader
from archive.posts import get_post
from archive.spaces import get_space
from bridge.ingest.understand import parse_result_json
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    p = sub.add_parser("show", parents=[common], help="the space, its threads and posts")
    p.add_argument("slug")
    p.add_argument("--json", action="store_true", help="print the contract's JSON document")
    p.add_argument("--post", type=int, metavar="ID", help="print one post's full original text, quotes included")
    p.add_argument("--raw", action="store_true", help="with --post: print the raw message as received")
    p.set_defaults(run=run_show)
    p = sub.add_parser("parse", parents=[common], help="one JSON object per line, per file, in order")
    p.add_argument("files", nargs="+", metavar="FILE.eml")
    p.set_defaults(run=run_parse)


async def run_show(args) -> int:
    if args.raw and args.post is None:
        raise Invalid("--raw goes with --post ID: the post whose raw message to print")
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
        if args.post is not None:
            return await show_original(ctx, space, args.post, args.raw)
        document = await space_document(ctx.db, space, ctx.settings.domain,
                                        inquiry_of=inquiry_reader(ctx.db, ctx.clock, ctx.settings.timezone))
    if args.json:
        print(json.dumps(document, ensure_ascii=False))
        return 0
    info = document["space"]
    print(f"{info['title']} <{info['address']}> — {len(document['threads'])} threads")
    for thread in document["threads"]:
        print(f"\n# {thread['subject']}  (#{thread['id']}, reply to {thread['reply_address']})")
        for post in thread["posts"]:
            print(f"  {post['date']}  {post['from_name']} <{post['from_address']}>")
            for line in post["reply_text"].splitlines()[:6]:
                print(f"    {line}")
    return 0


async def show_original(ctx, space, post_id: int, raw: bool) -> int:
    """The lossless view: the full body as received, or the raw bytes themselves."""
    post = await get_post(ctx.db, post_id)
    if post.space_id != space.id:
        raise NotFound(f"no post #{post_id} in space {space.slug}: see 'kairan show {space.slug}'")
    if raw:
        sys.stdout.buffer.write(await asyncio.to_thread(ctx.blobs.get, post.raw_sha256))
        return 0
    print(f"Subject: {post.subject}\nFrom: {post.from_name} <{post.from_address}>\nDate: {post.date_utc}\n")
    print(post.body_text)
    return 0


async def run_parse(args) -> int:
    for name in args.files:
        path = Path(name)
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise Invalid(f"can't read {name}: {error.strerror}: check the path")
        document = await asyncio.to_thread(parse_result_json, raw)
        sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")
    return 0
