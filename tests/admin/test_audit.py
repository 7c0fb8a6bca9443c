"""The audit log: appended in the action's own transaction, hash-chained, verified entry by entry."""

from __future__ import annotations

import sqlite3

import pytest

from archive.admin import people
from archive.admin.audit import SYSTEM, Actor, Filters, actor_of, list_entries, record, verify
from archive.errors import Invalid
from archive.members import get_member_by_address
from tests.admin.support import AOBA_ADMIN, SATO, SUZUKI, open_db, seed_people


@pytest.fixture
async def db(tmp_path):
    database = await open_db(tmp_path)
    yield database
    await database.close()


async def three_entries(db) -> None:
    for target in ("a@example.lg.jp", "b@example.lg.jp", "c@example.lg.jp"):
        async with db.write() as tx:
            await record(tx, SYSTEM, "member.change", target, {"before": {"dept": "x"}, "after": {"dept": "y"}})


def edit_directly(path, sql: str) -> None:
    """What someone with the database file could do: drop the append-only guard and edit a row."""
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only_update")
        conn.execute("DROP TRIGGER IF EXISTS audit_log_append_only_delete")
        conn.execute(sql)


async def test_entries_are_recorded_with_when_who_what_and_the_chain_verifies(db):
    await three_entries(db)
    entries = await list_entries(db, newest_first=False)
    assert [(e.id, e.at, e.actor, e.action, e.target) for e in entries] == [
        (1, "2026-11-27T01:00:00Z", "system", "member.change", "a@example.lg.jp"),
        (2, "2026-11-27T01:00:00Z", "system", "member.change", "b@example.lg.jp"),
        (3, "2026-11-27T01:00:00Z", "system", "member.change", "c@example.lg.jp")]
    assert entries[0].prev_sha256 == "0" * 64 and entries[1].prev_sha256 != entries[2].prev_sha256
    assert entries[0].detail == {"before": {"dept": "x"}, "after": {"dept": "y"}}
    assert await verify(db) is None


async def test_the_table_refuses_updates_and_deletes(db, tmp_path):
    await three_entries(db)
    with sqlite3.connect(tmp_path / "kairan.db") as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET target = 'x' WHERE id = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE id = 2")


@pytest.mark.parametrize("sql, named", [
    ("UPDATE audit_log SET detail = '{}' WHERE id = 2", 3),
    ("UPDATE audit_log SET at = '2026-01-01T00:00:00Z' WHERE id = 1", 2),
    ("UPDATE audit_log SET actor = 'someone' WHERE id = 3", 3),
    ("DELETE FROM audit_log WHERE id = 2", 3),
    ("DELETE FROM audit_log WHERE id = 3", 3),
])
async def test_verify_names_the_entry_that_no_longer_fits_after_a_direct_edit(db, tmp_path, sql, named):
    await three_entries(db)
    edit_directly(tmp_path / "kairan.db", sql)
    problem = await verify(db)
    assert problem is not None and problem.entry_id == named, problem


async def test_an_unknown_action_is_refused(db):
    with pytest.raises(Invalid, match="not an audit action"):
        async with db.write() as tx:
            await record(tx, SYSTEM, "member.frobnicate", "x")


async def test_a_failed_audit_write_fails_the_action_it_records(db, tmp_path):
    await seed_people(db)
    with sqlite3.connect(tmp_path / "kairan.db") as conn:
        conn.execute("CREATE TRIGGER broken BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.IntegrityError):
        await people.set_active(db, None, SUZUKI, False)
    assert (await get_member_by_address(db, SUZUKI)).active is True


async def test_the_organization_of_a_member_target_is_kept_and_filters_find_entries(db):
    members = await seed_people(db)
    admin = members[AOBA_ADMIN]
    await people.change(db, admin, SUZUKI, people.Change(dept="税務課"), client="192.0.2.7")
    await people.change(db, None, SATO, people.Change(reading="さとう"))
    aoba = await list_entries(db, Filters(org_id=admin.org_id))
    assert [(e.action, e.target, e.actor, e.client) for e in aoba] == [
        ("member.change", SUZUKI, AOBA_ADMIN, "192.0.2.7")]
    assert aoba[0].detail == {"before": {"dept": "資産税課"}, "after": {"dept": "税務課"}}
    assert [e.target for e in await list_entries(db, Filters(person_id=members[SATO].id))] == [SATO]
    assert [e.target for e in await list_entries(db, Filters(person_id=admin.id))] == [SUZUKI]
    assert await list_entries(db, Filters(action="member.add")) == []
    assert len(await list_entries(db, Filters(since="2026-11-27T01:00:00Z", until="2026-11-27T01:00:01Z"))) == 2
    assert await list_entries(db, Filters(since="2026-11-28T00:00:00Z")) == []


async def test_actors_say_who_and_from_where(db):
    members = await seed_people(db)
    assert actor_of(members[SATO], "192.0.2.1") == Actor(members[SATO].id, SATO, "192.0.2.1")
    assert SYSTEM == Actor(None, "system", "")
