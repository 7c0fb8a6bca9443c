"""The profile page through the real routes: who I am, my password, my API tokens (audited)."""

from __future__ import annotations

import re

from archive.admin.audit import list_entries
from archive.members import get_password_hash
from archive.passwords import verify_password
from tests.world import PASSWORD, csrf_of, sign_in

SATO = "sato-k@pref.yamakawa.lg.jp"
NEW = "新しい合言葉-2026"


async def signed_in_client(world, email: str = SATO):
    client = world.client()
    await client.__aenter__()
    assert (await sign_in(client, email)).status_code == 303
    return client


async def test_profile_shows_name_org_department_and_addresses(world):
    client = await signed_in_client(world)
    try:
        page = await client.get("/profile")
    finally:
        await client.__aexit__(None, None, None)
    assert page.status_code == 200
    assert "佐藤 健一" in page.text and "山河県" in page.text and SATO in page.text
    assert 'href="/profile"' in page.text                               # the header links here


async def test_password_change_needs_the_current_one_and_signs_out_other_sessions(world):
    here, elsewhere = await signed_in_client(world), await signed_in_client(world)
    try:
        token = await csrf_of(here, "/profile")
        wrong = await here.post("/profile/password", data={"csrf": token, "current": "not-it", "new": NEW, "again": NEW})
        assert wrong.status_code == 400 and "現在のパスワードが正しくありません" in wrong.text
        mismatch = await here.post("/profile/password", data={"csrf": token, "current": PASSWORD, "new": NEW,
                                                              "again": NEW + "x"})
        assert mismatch.status_code == 400 and "一致しません" in mismatch.text
        short = await here.post("/profile/password", data={"csrf": token, "current": PASSWORD, "new": "abc",
                                                           "again": "abc"})
        assert short.status_code == 400 and "文字以上" in short.text
        assert verify_password(await get_password_hash(world.db, world.members["sato"].id), PASSWORD)
        done = await here.post("/profile/password", data={"csrf": token, "current": PASSWORD, "new": NEW, "again": NEW})
        assert done.status_code == 303 and done.headers["location"] == "/profile?done=password"
        assert (await here.get("/profile")).status_code == 200                    # this session goes on
        assert (await elsewhere.get("/profile")).status_code == 303               # the other one is signed out
        assert verify_password(await get_password_hash(world.db, world.members["sato"].id), NEW)
    finally:
        await here.__aexit__(None, None, None)
        await elsewhere.__aexit__(None, None, None)
    async with world.client() as fresh:
        assert (await sign_in(fresh, SATO, NEW)).status_code == 303


async def test_password_change_without_the_csrf_token_is_refused(world):
    client = await signed_in_client(world)
    try:
        refused = await client.post("/profile/password", data={"current": PASSWORD, "new": NEW, "again": NEW})
    finally:
        await client.__aexit__(None, None, None)
    assert refused.status_code == 403
    assert verify_password(await get_password_hash(world.db, world.members["sato"].id), PASSWORD)


async def test_tokens_are_created_once_listed_used_and_revoked_with_audit(world):
    client = await signed_in_client(world)
    try:
        csrf = await csrf_of(client, "/profile")
        nameless = await client.post("/profile/tokens", data={"csrf": csrf, "name": "  "})
        assert nameless.status_code == 400
        made = await client.post("/profile/tokens", data={"csrf": csrf, "name": "集計用Excel"})
        assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
        token = re.search(r"data-new-token>(kairan_[\w-]+)<", made.text).group(1)
        async with world.client() as script:
            api = await script.get("/api/spaces", headers={"Authorization": f"Bearer {token}"})
            assert api.status_code == 200
        listed = await client.get("/profile")
        assert "集計用Excel" in listed.text and token not in listed.text       # shown once, never again
        token_id = re.search(r'action="/profile/tokens/([0-9a-f]+)/revoke"', listed.text).group(1)
        async with world.client() as other:                                    # someone else's session
            assert (await sign_in(other, "suzuki-h@city.aoba.lg.jp")).status_code == 303
            theirs = await other.post(f"/profile/tokens/{token_id}/revoke", data={"csrf": await csrf_of(other, "/profile")})
            assert theirs.status_code == 404
        revoked = await client.post(f"/profile/tokens/{token_id}/revoke", data={"csrf": csrf})
        assert revoked.status_code == 303
        assert "集計用Excel" not in (await client.get("/profile")).text
        async with world.client() as script:
            api = await script.get("/api/spaces", headers={"Authorization": f"Bearer {token}"})
            assert api.status_code == 401
    finally:
        await client.__aexit__(None, None, None)
    entries = [e for e in await list_entries(world.db, newest_first=False) if e.action.startswith("token.")]
    assert [e.action for e in entries] == ["token.create", "token.revoke"]
    assert all(e.actor == SATO and e.target == SATO for e in entries)
    assert entries[0].detail["name"] == "集計用Excel"


async def test_a_member_who_turns_links_off_gets_no_sign_in_link(world):
    client = await signed_in_client(world)
    try:
        page = await client.get("/profile")
        assert 'name="link_signin" checked' in page.text                     # on by default
        saved = await client.post("/profile/links", data={"csrf": await csrf_of(client, "/profile")})
        assert saved.status_code == 303
        assert 'name="link_signin" checked' not in (await client.get("/profile")).text
    finally:
        await client.__aexit__(None, None, None)
    async with world.client() as anonymous:
        answer = await anonymous.post("/signin/link", data={"csrf": await csrf_of(anonymous), "email": SATO})
    assert answer.status_code == 200 and "サインイン用リンクをお送りしました" in answer.text   # the same answer
    assert world.sent == []
    async with world.client() as anonymous:                                     # others still get theirs
        await anonymous.post("/signin/link", data={"csrf": await csrf_of(anonymous), "email": "suzuki-h@city.aoba.lg.jp"})
    assert len(world.sent) == 1


async def test_members_change_their_own_name_and_department_only_where_the_deployment_allows(world):
    client = await signed_in_client(world)
    try:
        csrf = await csrf_of(client, "/profile")
        change = {"csrf": csrf, "name": "佐藤 健一郎", "reading": "サトウ ケンイチロウ", "dept": "総務部 市町村課"}
        assert 'action="/profile/details"' not in (await client.get("/profile")).text
        assert (await client.post("/profile/details", data=change)).status_code == 403      # the default: admins only
        world.services.members_edit_profile = True
        page = await client.get("/profile")
        assert 'action="/profile/details"' in page.text and 'value="総務部 税務課"' in page.text
        assert (await client.post("/profile/details", data={**change, "csrf": "forged"})).status_code == 403
        nameless = await client.post("/profile/details", data={**change, "name": "   "})
        assert nameless.status_code == 400 and "氏名は必須です" in nameless.text
        saved = await client.post("/profile/details", data={**change, "email": "attacker@example.jp"})
        assert saved.status_code == 303 and saved.headers["location"] == "/profile?done=details"
        page = await client.get("/profile?done=details")
        assert 'value="佐藤 健一郎"' in page.text and 'value="総務部 市町村課"' in page.text
        assert "登録内容を保存しました" in page.text and SATO in page.text
        again = await client.post("/profile/details", data=change)                          # nothing differs
        assert again.status_code == 303
    finally:
        await client.__aexit__(None, None, None)
    changes = [e for e in await list_entries(world.db, newest_first=False) if e.action == "member.change"]
    assert len(changes) == 1                                    # the unchanged second save records nothing
    assert changes[0].actor == SATO and changes[0].target == SATO
    assert changes[0].detail == {"before": {"name": "佐藤 健一", "reading": "", "dept": "総務部 税務課"},
                                 "after": {"name": "佐藤 健一郎", "reading": "さとう けんいちろう", "dept": "総務部 市町村課"}}   # readings kept in hiragana
    rows = await world.db.fetchall("SELECT address FROM member_addresses WHERE member_id = ?", (world.members["sato"].id,))
    assert [r["address"] for r in rows] == [SATO]               # addresses are not the member's to change
