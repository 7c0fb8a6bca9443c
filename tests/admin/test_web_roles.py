"""Administration through the real web app: each role against each action, allowed and refused —
including an org admin reaching for another organization's member by URL, by form field and by CSV."""

from __future__ import annotations

import contextlib

import pytest

from archive.admin import people
from archive.admin.audit import list_entries
from archive.members import find_member_by_address, get_member_by_address
from tests.world import csrf_of, sign_in

SYS = "sato-k@pref.yamakawa.lg.jp"           # system admin (山河県)
AOBA = "suzuki-h@city.aoba.lg.jp"            # org admin of 青葉市
PLAIN = "ito-s@town.wakaba.lg.jp"            # a member without a role
OWN = "takahashi-m@city.aoba.lg.jp"          # a member of 青葉市
OTHER = "watanabe-a@town.wakaba.lg.jp"       # a member of 若葉町


@pytest.fixture
async def roles_world(world):
    await people.change(world.db, None, SYS, people.Change(admin=True))
    await people.change(world.db, None, AOBA, people.Change(org_admin=True))
    world.start = len(await list_entries(world.db, limit=10_000))
    return world


@contextlib.asynccontextmanager
async def as_member(world, email):
    client = world.client()
    try:
        assert (await sign_in(client, email)).status_code == 303
        client.csrf = await csrf_of(client, "/settings")
        yield client
    finally:
        await client.aclose()


async def new_entries(world) -> list:
    return (await list_entries(world.db, limit=10_000, newest_first=False))[world.start:]


async def admin_entries(world) -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in await new_entries(world) if not e.action.startswith("signin.")]


async def member_id(world, email) -> int:
    return (await get_member_by_address(world.db, email)).id


READS = [  # (path, who may: sys, org admin of aoba, plain member)
    ("/directory", (200, 200, 200)),
    ("/directory?org=wakaba&q=渡辺", (200, 200, 200)),
    ("/admin/members", (200, 200, 403)),
    ("/admin/members?org=aoba", (200, 200, 403)),
    ("/admin/members?org=wakaba", (200, 403, 403)),
    ("/admin/members/{own}", (200, 200, 403)),
    ("/admin/members/{other}", (200, 403, 403)),
    ("/admin/members/new?org=aoba", (200, 200, 403)),
    ("/admin/members/new?org=wakaba", (200, 403, 403)),
    ("/admin/orgs", (200, 403, 403)),
    ("/admin/import", (200, 200, 403)),
    ("/admin/export.csv?org=aoba", (200, 200, 403)),
    ("/admin/export.csv?org=wakaba", (200, 403, 403)),
    ("/admin/audit", (200, 200, 403)),
    ("/admin/audit?org=wakaba", (200, 403, 403)),
    ("/admin/audit.csv", (200, 200, 403)),
]


@pytest.mark.parametrize("who", [0, 1, 2], ids=["system-admin", "org-admin", "plain-member"])
async def test_pages_answer_each_role(roles_world, who):
    world = roles_world
    ids = {"own": await member_id(world, OWN), "other": await member_id(world, OTHER)}
    async with as_member(world, (SYS, AOBA, PLAIN)[who]) as client:
        got = {path: (await client.get(path.format(**ids))).status_code for path, _ in READS}
    assert got == {path: codes[who] for path, codes in READS}
    async with world.client() as anonymous:
        assert {(await anonymous.get(p.format(**ids))).status_code for p, _ in READS} == {303}


async def test_a_refused_page_is_a_403_page_that_says_so(roles_world):
    async with as_member(roles_world, AOBA) as client:
        page = await client.get("/admin/members?org=wakaba")
    assert page.status_code == 403 and "この操作を行う権限がありません" in page.text and "渡辺" not in page.text


def edit_form(client, **fields) -> dict:
    return {"csrf": client.csrf, "name": "高橋 誠", "reading": "", "dept": "総務部", "addresses": OWN, **fields}


async def test_an_org_admin_edits_deactivates_and_reactivates_their_own_member(roles_world):
    world = roles_world
    own = await member_id(world, OWN)
    async with as_member(world, AOBA) as client:
        saved = await client.post(f"/admin/members/{own}", data=edit_form(client, dept="危機管理課", rep="on",
                                                                          reading="タカハシ マコト"))
        assert saved.status_code == 303
        assert (await client.post(f"/admin/members/{own}/deactivate", data={"csrf": client.csrf})).status_code == 303
        assert not (await get_member_by_address(world.db, OWN)).active
        assert (await client.post(f"/admin/members/{own}/reactivate", data={"csrf": client.csrf})).status_code == 303
    member = await get_member_by_address(world.db, OWN)
    assert (member.dept, member.reading, member.is_rep, member.active) == ("危機管理課", "たかはし まこと", True, True)
    entries = [e for e in await new_entries(world) if not e.action.startswith("signin.")]
    assert [(e.action, e.target, e.actor, e.client) for e in entries] == [
        ("member.change", OWN, AOBA, "127.0.0.1"), ("member.deactivate", OWN, AOBA, "127.0.0.1"),
        ("member.reactivate", OWN, AOBA, "127.0.0.1")]
    assert entries[0].detail == {"before": {"dept": "総務部", "reading": "", "rep": False},
                                 "after": {"dept": "危機管理課", "reading": "たかはし まこと", "rep": True}}
    assert entries[1].detail == {"before": {"active": True}, "after": {"active": False}}


async def test_an_org_admin_cannot_touch_another_organizations_member_by_url(roles_world):
    world = roles_world
    other = await member_id(world, OTHER)
    async with as_member(world, AOBA) as client:
        codes = [(await client.post(f"/admin/members/{other}", data=edit_form(client, addresses=OTHER))).status_code,
                 (await client.post(f"/admin/members/{other}/deactivate", data={"csrf": client.csrf})).status_code]
    assert codes == [403, 403]
    member = await get_member_by_address(world.db, OTHER)
    assert member.active and member.dept == "総務課" and await admin_entries(world) == []


async def test_an_org_admin_cannot_reach_further_by_form_field(roles_world):
    world = roles_world
    own = await member_id(world, OWN)
    async with as_member(world, AOBA) as client:
        codes = [
            # add a member into 若葉町 by naming it in the form
            (await client.post("/admin/members/new", data={"csrf": client.csrf, "org": "wakaba", "email": "x@town.wakaba.lg.jp",
                                                            "name": "新人"})).status_code,
            # make someone a system admin with a box the form never showed
            (await client.post("/admin/members/new", data={"csrf": client.csrf, "org": "aoba", "email": "y@city.aoba.lg.jp",
                                                            "name": "新人", "admin": "on"})).status_code,
            (await client.post(f"/admin/members/{own}", data=edit_form(client, has_admin="1", admin="on"))).status_code,
            # take over another member's address
            (await client.post(f"/admin/members/{own}", data=edit_form(client, addresses=f"{OWN}\n{OTHER}"))).status_code,
            # import into another organization
            (await client.post("/admin/import", data={"csrf": client.csrf, "org": "wakaba"},
                               files={"file": ("a.csv", b"email,name\r\nz@town.wakaba.lg.jp,Z\r\n", "text/csv")})).status_code,
        ]
    assert codes == [403, 403, 403, 400, 403]
    assert await find_member_by_address(world.db, "x@town.wakaba.lg.jp") is None
    assert await find_member_by_address(world.db, "y@city.aoba.lg.jp") is None
    assert not (await get_member_by_address(world.db, OWN)).is_admin
    assert (await get_member_by_address(world.db, OTHER)).email == OTHER
    assert await admin_entries(world) == []


async def test_an_org_admin_importing_another_organizations_rows_sees_them_refused_and_nothing_applied(roles_world):
    world = roles_world
    csv = ("メールアドレス,氏名,団体,所属\r\n"
           "new@city.aoba.lg.jp,新人 一郎,aoba,総務課\r\n"
           f"{OTHER},渡辺 明美,wakaba,企画課\r\n"
           f"{OTHER},渡辺 明美,aoba,企画課\r\n").encode("cp932")
    async with as_member(world, AOBA) as client:
        page = await client.post("/admin/import", data={"csrf": client.csrf}, files={"file": ("staff.csv", csv, "text/csv")})
    assert page.status_code == 200
    assert "この内容で登録する" not in page.text and "受け付けない行があるため" in page.text
    assert "青葉市 の取り込みに、若葉町 の行があります" in page.text and "すでに 若葉町 の職員です" in page.text
    assert await find_member_by_address(world.db, "new@city.aoba.lg.jp") is None
    assert (await get_member_by_address(world.db, OTHER)).dept == "総務課"


async def test_a_system_admin_adds_an_organization_a_member_and_grants_roles(roles_world):
    world = roles_world
    async with as_member(world, SYS) as client:
        added = await client.post("/admin/orgs", data={"csrf": client.csrf, "slug": "momiji", "name": "紅葉村",
                                                       "mail_domains": "vill.momiji.lg.jp"})
        renamed = await client.post("/admin/orgs/momiji", data={"csrf": client.csrf, "name": "紅葉町",
                                                                "mail_domains": "town.momiji.lg.jp"})
        member = await client.post("/admin/members/new", data={"csrf": client.csrf, "org": "momiji", "name": "紅葉 太郎",
                                                               "email": "taro@town.momiji.lg.jp", "org_admin": "on"})
        own = await member_id(world, OWN)
        granted = await client.post(f"/admin/members/{own}", data=edit_form(client, has_admin="1", admin="on"))
    assert [r.status_code for r in (added, renamed, member, granted)] == [303, 303, 303, 303]
    assert (await get_member_by_address(world.db, "taro@town.momiji.lg.jp")).is_org_admin
    assert (await get_member_by_address(world.db, OWN)).is_admin
    entries = [e for e in await new_entries(world) if not e.action.startswith("signin.")]
    assert [(e.action, e.target) for e in entries] == [
        ("org.add", "org:momiji"), ("org.change", "org:momiji"), ("member.add", "taro@town.momiji.lg.jp"),
        ("member.change", OWN)]
    assert entries[1].detail == {"before": {"name": "紅葉村", "mail_domains": ["vill.momiji.lg.jp"]},
                                 "after": {"name": "紅葉町", "mail_domains": ["town.momiji.lg.jp"]}}
    assert entries[3].detail == {"before": {"admin": False}, "after": {"admin": True}}


async def test_the_org_admin_audit_page_shows_only_their_organizations_entries(roles_world):
    world = roles_world
    await people.change(world.db, None, OTHER, people.Change(dept="企画課"))
    await people.change(world.db, None, OWN, people.Change(dept="企画課"))
    async with as_member(world, AOBA) as client:
        page = await client.get("/admin/audit?action=member.change")
        csv = await client.get("/admin/audit.csv?action=member.change")
    assert OWN in page.text and OTHER not in page.text
    assert csv.content.startswith(b"\xef\xbb\xbf") and OWN in csv.text and OTHER not in csv.text
    async with as_member(world, SYS) as client:
        page = await client.get("/admin/audit?action=member.change&org=wakaba")
    assert OTHER in page.text and OWN not in page.text


async def test_the_members_page_names_departments_without_a_representative(roles_world):
    world = roles_world
    async with as_member(world, AOBA) as client:
        before = await client.get("/admin/members?org=aoba")
        await client.post(f"/admin/members/{await member_id(world, OWN)}", data=edit_form(client, rep="on"))
        after = await client.get("/admin/members?org=aoba")
    assert "課代表がいない所属" in before.text and "総務部" in before.text.split("課代表がいない所属")[1][:200]
    assert "総務部" not in after.text.split("課代表がいない所属")[1][:200]


async def test_the_audit_page_filters_by_period_action_and_person(roles_world):
    world = roles_world
    await people.change(world.db, None, OWN, people.Change(dept="企画課"))     # 2026-11-27 10:00 in Tokyo
    async with as_member(world, SYS) as client:
        same_day = await client.get("/admin/audit?since=2026-11-27&until=2026-11-27&action=member.change")
        next_day = await client.get("/admin/audit?since=2026-11-28&action=member.change")
        by_person = await client.get(f"/admin/audit?person={OWN}")
        nobody = await client.get("/admin/audit?person=nobody@example.lg.jp")
    assert OWN in same_day.text and "企画課" in same_day.text
    assert OWN not in next_day.text and "該当する記録はありません" in next_day.text
    rows = by_person.text.split("<tbody>")[1]
    assert "<code>member.change</code>" in rows and "<code>signin.ok</code>" not in rows
    assert "該当する記録はありません" in nobody.text


WRITES = [  # (path, form): who may — sys, org admin of aoba, plain member — answered by status
    ("/admin/members/{own}", {"name": "高橋 誠", "dept": "総務部", "addresses": OWN}, (303, 303, 403)),
    ("/admin/members/{other}", {"name": "渡辺 明美", "dept": "総務課", "addresses": OTHER}, (303, 403, 403)),
    ("/admin/members/new", {"org": "aoba", "email": "n1@city.aoba.lg.jp", "name": "新人"}, (303, 303, 403)),
    ("/admin/members/new", {"org": "wakaba", "email": "n2@town.wakaba.lg.jp", "name": "新人"}, (303, 403, 403)),
    ("/admin/members/{other}/deactivate", {}, (303, 403, 403)),
    ("/admin/members/{other}/reactivate", {}, (303, 403, 403)),
    ("/admin/orgs", {"slug": "momiji", "name": "紅葉町"}, (303, 403, 403)),
    ("/admin/orgs/wakaba", {"name": "若葉町", "mail_domains": "town.wakaba.lg.jp"}, (303, 403, 403)),
]


@pytest.mark.parametrize("who", [0, 1, 2], ids=["system-admin", "org-admin", "plain-member"])
async def test_each_change_is_allowed_or_refused_by_role(roles_world, who):
    world = roles_world
    ids = {"own": await member_id(world, OWN), "other": await member_id(world, OTHER)}
    async with as_member(world, (SYS, AOBA, PLAIN)[who]) as client:
        got = [(await client.post(path.format(**ids), data={"csrf": client.csrf, **form})).status_code
               for path, form, _ in WRITES]
    assert got == [codes[who] for _, _, codes in WRITES]
    if who == 2:
        assert await admin_entries(world) == []
