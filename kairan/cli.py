"""The `kairan` command: a contract (docs/design.md) that tests and checks outside rely on.

Each subcommand lives in kairan/commands/ and registers itself from the
COMMANDS tuple below. Errors print one line on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from archive.errors import ArchiveError
from kairan.commands import (assurance, audit, digest, inquiry, inspect, members, ops, org, registration, search,
                             serve, setup, space, spool, user)
from kairan.config import ConfigError

COMMANDS = (setup, org, user, space, inspect, spool, serve, digest, inquiry, search, ops, members, registration, audit,
            assurance)


class UsageError(Exception):
    """Wrong use of the command line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise UsageError(f"{message} (see 'kairan --help')")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", default=argparse.SUPPRESS, metavar="DIR",
                        help="data folder (default ./data, or $KAIRAN_DATA)")
    parser = Parser(prog="kairan", description="kairan: email bridge and archive", parents=[common])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for module in COMMANDS:
        module.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        args = build_parser().parse_args(argv)
        args.data = getattr(args, "data", None)
        return asyncio.run(args.run(args)) or 0
    except (UsageError, ConfigError, ArchiveError) as error:
        print(f"kairan: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
