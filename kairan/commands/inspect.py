"""`kairan show` and `kairan parse`: look at a space, or at what kairan reads in a message."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from archive.errors import Invalid
from archive.export import space_document
from archive.inquiry_status import inquiry_reader
from archive.spaces import get_space
from bridge.mime import parse_result_json
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    p = sub.add_parser("show", parents=[common], help="the space, its threads and posts")
    p.add_argument("slug")
    p.add_argument("--json", action="store_true", help="print the contract's JSON document")
    p.set_defaults(run=run_show)
    p = sub.add_parser("parse", parents=[common], help="one JSON object per line, per file, in order")
    p.add_argument("files", nargs="+", metavar="FILE.eml")
    p.set_defaults(run=run_parse)


async def run_show(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        space = await get_space(ctx.db, args.slug)
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
