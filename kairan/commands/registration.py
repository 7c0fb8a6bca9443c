"""Bulk registration from the shell: `kairan user import FILE.csv`, `kairan user export FILE.csv`.

Import prints one summary line; any bad row exits 1 with "line N: reason" per bad row on stderr
and nothing applied. Members missing from the file are deactivated only with
--deactivate-missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from archive.admin import exporting, importing
from archive.errors import Invalid
from kairan.commands.acting import acting_member, add_as_option
from kairan.commands.groups import group
from kairan.config import data_dir_from
from kairan.context import open_context


def register(sub, common) -> None:
    user = group(sub, common, "user", "members")
    p = user.add_parser("import", parents=[common], help="add and change members from a CSV file (Excel)")
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--org", default=None, metavar="SLUG", help="every row is for this organization")
    p.add_argument("--dry-run", action="store_true", help="say what would change; change nothing")
    p.add_argument("--deactivate-missing", action="store_true",
                   help="deactivate the organization's active members the file lacks")
    add_as_option(p)
    p.set_defaults(run=run_import)
    p = user.add_parser("export", parents=[common], help="write members as CSV (UTF-8 with BOM) that re-imports unchanged")
    p.add_argument("file", metavar="FILE.csv")
    p.add_argument("--org", default=None, metavar="SLUG")
    add_as_option(p)
    p.set_defaults(run=run_export)


def read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise Invalid(f"can't read {path}: {error.strerror}") from None


async def run_import(args) -> int:
    data = read_file(args.file)
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        try:
            if args.dry_run:
                plan = await importing.preview(ctx.db, by, data, args.org, args.deactivate_missing)
            else:
                plan = await importing.apply(ctx.db, by, data, args.org, args.deactivate_missing,
                                             filename=Path(args.file).name)
        except importing.ImportRefused as refused:
            plan = refused.plan
    if plan.refused:
        for line in plan.refused:
            print(f"line {line.line}: {line.reason}", file=sys.stderr)
        return 1
    for member in plan.deactivate if args.dry_run else ():
        print(f"would deactivate {member.primary}", file=sys.stderr)
    print(plan.summary(dry_run=args.dry_run))
    return 0


async def run_export(args) -> int:
    async with open_context(data_dir_from(args.data)) as ctx:
        by = await acting_member(ctx.db, args.as_email)
        data, count = await exporting.export(ctx.db, by, args.org)
    try:
        Path(args.file).write_bytes(data)
    except OSError as error:
        raise Invalid(f"can't write {args.file}: {error.strerror}") from None
    print(f"exported {count} members to {args.file}")
    return 0
