"""`--as EMAIL` on administrative commands: act as that member, with their role's limits.

Without it a command acts as the system (the command line is the system administrator's own
tool, recorded as 'system' in the audit log).
"""

from __future__ import annotations

from archive.admin.roles import require
from archive.db import Database
from archive.members import get_member_by_address
from archive.models import Member


def add_as_option(parser) -> None:
    parser.add_argument("--as", dest="as_email", default=None, metavar="EMAIL",
                        help="act as this member, within their role (default: the system)")


async def acting_member(db: Database, email: str | None) -> Member | None:
    if not email:
        return None
    member = await get_member_by_address(db, email)
    require(member.active, f"{member.email} is deactivated: they can't act")
    return member
