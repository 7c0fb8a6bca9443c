"""職員名簿: organizations → departments → people in Japanese order, search, representatives."""

from __future__ import annotations

import pytest

from archive.admin import people
from archive.admin.directory import departments_without_rep, directory
from archive.admin.kana import fold, person_key
from archive.admin.organizations import orgs_in_order
from tests.admin.support import open_db, seed_people
from tests.world import sign_in


def test_readings_fold_katakana_half_width_and_spaces():
    assert fold("ｻﾄｳ　ケンイチ") == fold("さとう けんいち") == "さとう けんいち"
    assert person_key("", "佐藤") > person_key("わたなべ", "渡辺")          # no reading: after every reading


@pytest.fixture
async def db(tmp_path):
    database = await open_db(tmp_path)
    await seed_people(database)
    for email, name, reading, dept in (("a1@city.aoba.lg.jp", "渡辺 明", "わたなべ あきら", "資産税課"),
                                       ("a2@city.aoba.lg.jp", "阿部 一", "アベ ハジメ", "資産税課"),
                                       ("a3@city.aoba.lg.jp", "上田 学", "", "資産税課"),
                                       ("a4@city.aoba.lg.jp", "伊東 茂", "いとう しげる", "資産税課"),
                                       ("a5@city.aoba.lg.jp", "大木 聡", "", "")):
        await people.add(database, None, people.NewMember(email, name, "aoba", dept, reading))
    yield database
    await database.close()


async def test_people_are_ordered_by_reading_then_by_code_point_and_departments_by_name(db):
    groups = await directory(db, await orgs_in_order(db))
    assert [g.name for g in groups] == ["山河県", "青葉市", "若葉町"]
    aoba = groups[1]
    assert [d.name for d in aoba.departments] == ["総務課", "資産税課", ""]     # by code point; none last
    assert [p.name for p in aoba.departments[1].people] == ["阿部 一", "伊東 茂", "渡辺 明", "上田 学", "鈴木 裕子"]


async def test_search_finds_by_name_reading_department_or_address(db):
    orgs = await orgs_in_order(db)

    async def names(query):
        return [p.name for g in await directory(db, orgs, query) for d in g.departments for p in d.people]

    assert await names("渡辺") == ["渡辺 明"]
    assert await names("ワタナベ") == ["渡辺 明"] == await names("わたなべあきら")
    assert await names("a4@city") == ["伊東 茂"]
    assert await names("人事課") == ["人事 花子"]
    assert await names("資産税 阿部") == ["阿部 一"]
    assert await names("該当なしの人") == []


async def test_departments_without_a_representative_and_the_rep_mark(db):
    orgs = {o.id: o.slug for o in await orgs_in_order(db)}
    missing = [(orgs[o], d) for o, d in await departments_without_rep(db)]
    assert ("aoba", "資産税課") in missing
    await people.change(db, None, "a2@city.aoba.lg.jp", people.Change(rep=True))
    assert ("aoba", "資産税課") not in [(orgs[o], d) for o, d in await departments_without_rep(db)]
    groups = await directory(db, await orgs_in_order(db), "阿部")
    assert groups[1].departments[0].people[0].is_rep and groups[1].departments[0].has_rep


async def test_inactive_members_are_left_out_of_the_directory(db):
    await people.set_active(db, None, "a1@city.aoba.lg.jp", False)
    orgs = await orgs_in_order(db)
    assert [p for g in await directory(db, orgs, "渡辺") for d in g.departments for p in d.people] == []


async def test_the_directory_page_shows_my_organization_and_searches_all(world):
    async with world.client() as client:
        await sign_in(client, "ito-s@town.wakaba.lg.jp")
        mine = await client.get("/directory")
        found = await client.get("/directory?q=鈴木")
    assert mine.status_code == 200 and "渡辺 明美" in mine.text and "鈴木 裕子" not in mine.text
    assert "鈴木 裕子" in found.text and "財務部 資産税課" in found.text and "渡辺 明美" not in found.text
