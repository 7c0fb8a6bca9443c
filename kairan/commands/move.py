"""Personnel changes (人事異動): `kairan move import|list|cancel|apply`.

`move apply` is for a cron-driven setup; `kairan serve` applies due moves by itself at
00:00 (Japan time) of their date. Either way each move is applied exactly once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from archive.admin.audit import SYSTEM
from archive.errors import Invalid
from archive.moves.apply import run_moves
from archive.moves.csvfile import CsvProblem
from archive.moves.schedule import cancel_move, list_moves, preview, schedule
from kairan.commands.digest import parse_as_of
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    move = group(sub, common, "move", "personnel changes (人事異動) staged for a date")
    p = move.add_parser("import", parents=[common], help="schedule the moves of a CSV (all or none)")
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--dry-run", action="store_true", help="check and preview; schedule nothing")
    p.set_defaults(run=run_import)
    p = move.add_parser("list", parents=[common], help="scheduled, applied and cancelled moves")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_list)
    p = move.add_parser("cancel", parents=[common], help="cancel a scheduled move")
    p.add_argument("id", type=int)
    p.set_defaults(run=run_cancel)
    p = move.add_parser("apply", parents=[common], help="apply the moves due now (or as of a moment)")
    p.add_argument("--as-of", default=None, metavar="ISO-8601", help="act as if it were this moment (default now)")
    p.add_argument("--chunk", type=int, default=100, help=argparse.SUPPRESS)
    p.set_defaults(run=run_apply)


def read_file(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except OSError as error:
        raise Invalid(f"can't read {name} ({error.strerror}): give the path of a CSV file")


async def run_import(args) -> int:
    data = read_file(args.file)
    async with open_context(data_dir_from(args.data)) as ctx:
        today = ctx.clock().astimezone(ZoneInfo(ctx.settings.timezone)).date()
        try:
            planned = await preview(ctx.db, data, today, ctx.settings.min_space_orgs)
        except CsvProblem as problem:
            raise Invalid(f"{args.file}: {problem}")
        for warning in planned.warnings:
            print(f"warning: {warning}")
        if planned.errors:                   # as `user import`: each bad line on stderr, nothing done, exit 1
            for line in planned.errors:
                print(line, file=sys.stderr)
            return 1
        if args.dry_run:
            print(f"would schedule {len(planned.moves)}")
            return 0
        count = await schedule(ctx.db, SYSTEM, planned)
    print(f"scheduled {count}")
    return 0


async def run_list(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        moves = await list_moves(ctx.db)
    if args.json:
        print(json.dumps({"moves": [m.document() for m in moves]}, ensure_ascii=False))
        return 0
    for m in moves:
        change = ["退職" if m.leave else "", m.new_org or "", m.new_dept or "", m.new_address or "",
                  f"後任 {m.successor}" if m.successor else ""]
        print(f"{m.id}\t{m.effective}\t{m.state}\t{m.email}\t" + " ".join(c for c in change if c))
    return 0


async def run_cancel(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        move = await cancel_move(ctx.db, SYSTEM, args.id)
    print(f"move {move.id} ({move.email}, {move.effective}) cancelled")
    return 0


async def run_apply(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        now = parse_as_of(args.as_of, ctx.settings.timezone) or ctx.clock()
        done = await run_moves(ctx.db, now, timezone=ctx.settings.timezone, keep_days=ctx.settings.old_address_days,
                               domain=ctx.settings.domain, chunk=max(args.chunk, 1))
    print(f"applied {done.applied}")
    return 0
