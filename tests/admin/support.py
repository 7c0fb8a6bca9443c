"""A small deployment for the administration tests, straight on the archive (no server)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from archive.db import Database
from archive.members import add_member, get_member_by_address
from archive.models import Member
from archive.orgs import add_org

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
SYSADMIN = "kanri@pref.yamakawa.lg.jp"
PREF_ADMIN = "jinji@pref.yamakawa.lg.jp"
SATO = "sato@pref.yamakawa.lg.jp"
AOBA_ADMIN = "soumu@city.aoba.lg.jp"
SUZUKI = "suzuki@city.aoba.lg.jp"
PLAIN = "ito@town.wakaba.lg.jp"


async def open_db(tmp: Path) -> Database:
    return await Database.open(tmp / "kairan.db", clock=lambda: NOW)


async def seed_people(db: Database) -> dict[str, Member]:
    """Two organizations' worth of roles: a system admin, org admins, plain members."""
    await add_org(db, "pref", "山河県", ["pref.yamakawa.lg.jp"])
    await add_org(db, "aoba", "青葉市", ["city.aoba.lg.jp"])
    await add_org(db, "wakaba", "若葉町", ["town.wakaba.lg.jp"])
    await add_member(db, SYSADMIN, "管理 太郎", "pref", "情報政策課", admin=True)
    await add_member(db, PREF_ADMIN, "人事 花子", "pref", "人事課", org_admin=True)
    await add_member(db, SATO, "佐藤 健一", "pref", "税務課")
    await add_member(db, AOBA_ADMIN, "総務 次郎", "aoba", "総務課", org_admin=True)
    await add_member(db, SUZUKI, "鈴木 裕子", "aoba", "資産税課")
    await add_member(db, PLAIN, "伊藤 翔太", "wakaba", "税務住民課")
    return {email: await get_member_by_address(db, email)
            for email in (SYSADMIN, PREF_ADMIN, SATO, AOBA_ADMIN, SUZUKI, PLAIN)}


@pytest.fixture
async def world(tmp_path):
    """A database seeded with the people above: (db, members by key). Import it where it is used."""
    db = await open_db(tmp_path)
    members = await seed_people(db)
    yield db, members
    await db.close()
