"""A deployment with many staff and a CSV of their moves (人事異動), for the moves tests and bench/moves.py.

`seed_staff` writes everyone in one transaction (fast enough for thousands); `moves_csv` is the
file an HR department would export from Excel: CP932, Japanese headers, 発令日 both as 令和 and ISO.
Each mover i does one of three things, by i % 3:
    0  moves to the next organization, into 新課 (keeps their spaces)
    1  gets a new address and a new department in the same organization
    2  leaves the service (退職); successor s{i} takes over their spaces
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from archive.clock import to_iso
from archive.db import Database

ORGS = (("pref", "山河県", "pref.yamakawa.lg.jp"), ("aoba", "青葉市", "city.aoba.lg.jp"),
        ("wakaba", "若葉町", "town.wakaba.lg.jp"))


@dataclass
class Staff:
    movers: list[str] = field(default_factory=list)
    successors: dict[int, str] = field(default_factory=dict)
    admins: dict[str, str] = field(default_factory=dict)           # org slug → its org admin
    spaces: list[str] = field(default_factory=list)

    def kind(self, i: int) -> int:
        return i % 3


def mover(i: int) -> tuple[str, str, str]:
    """(address, org slug, department) of mover i."""
    slug, _, domain = ORGS[i % 3]
    return f"m{i:05d}@{domain}", slug, f"第{i % 7 + 1}課"


def new_address(i: int) -> str:
    return f"m{i:05d}.new@{ORGS[i % 3][2]}"


async def seed_staff(db: Database, count: int, per_space: int = 10) -> Staff:
    """Organizations, `count` movers (+ successors for leavers, + an org admin each), spaces of
    about `per_space` movers with two org admins of different organizations as admins."""
    staff = Staff()
    now = to_iso(db.clock())
    async with db.write() as tx:
        org_ids = {}
        for slug, name, domain in ORGS:
            cur = await tx.execute("INSERT INTO orgs (slug, name, created_at) VALUES (?, ?, ?)", (slug, name, now))
            org_ids[slug] = cur.lastrowid
            await tx.execute("INSERT INTO org_domains (domain, org_id) VALUES (?, ?)", (domain, cur.lastrowid))

        async def person(address: str, name: str, org: str, dept: str, org_admin: bool = False) -> int:
            cur = await tx.execute("INSERT INTO members (name, org_id, dept, is_org_admin, created_at) "
                                   "VALUES (?, ?, ?, ?, ?)", (name, org_ids[org], dept, int(org_admin), now))
            await tx.execute("INSERT INTO member_addresses (address, member_id, is_primary) VALUES (?, ?, 1)",
                             (address, cur.lastrowid))
            return cur.lastrowid
        ids = {}
        for slug, name, domain in ORGS:
            staff.admins[slug] = f"admin@{domain}"
            ids[staff.admins[slug]] = await person(staff.admins[slug], f"{name} 管理者", slug, "総務課", True)
        for i in range(count):
            address, org, dept = mover(i)
            staff.movers.append(address)
            ids[address] = await person(address, f"職員 {i:05d}", org, dept)
            if i % 3 == 2:
                staff.successors[i] = f"s{i:05d}@{ORGS[i % 3][2]}"
                ids[staff.successors[i]] = await person(staff.successors[i], f"後任 {i:05d}", org, dept)
        spaces = max(count // per_space, 1)
        for k in range(spaces):
            cur = await tx.execute("INSERT INTO spaces (slug, title, created_at) VALUES (?, ?, ?)",
                                   (f"space-{k:04d}", f"連絡会 {k:04d}", now))
            staff.spaces.append(f"space-{k:04d}")
            rows = [(cur.lastrowid, ids[staff.admins["pref"]], "admin", "digest", now),
                    (cur.lastrowid, ids[staff.admins["aoba"]], "admin", "digest", now)]
            rows += [(cur.lastrowid, ids[staff.movers[i]], "member", ("each", "digest", "none")[i % 3], now)
                     for i in range(k, count, spaces)]
            await tx.executemany("INSERT INTO memberships (space_id, member_id, role, mode, joined_at) "
                                 "VALUES (?, ?, ?, ?, ?)", rows)
    return staff


def reiwa(day: date) -> str:
    return f"令和{day.year - 2018}年{day.month}月{day.day}日"


def moves_csv(staff: Staff, effective: date) -> bytes:
    """The moves of every mover, dated `effective`, as Excel's CSV (CP932)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["メールアドレス", "発令日", "新団体", "新所属", "新アドレス", "後任", "退職"])
    for i, address in enumerate(staff.movers):
        day = reiwa(effective) if i % 2 else effective.isoformat()
        if i % 3 == 0:
            writer.writerow([address, day, ORGS[(i + 1) % 3][1], "新課", "", "", ""])
        elif i % 3 == 1:
            writer.writerow([address, day, "", "新しい課", new_address(i), "", ""])
        else:
            writer.writerow([address, day, "", "", "", staff.successors[i], "1"])
    return out.getvalue().encode("cp932")
