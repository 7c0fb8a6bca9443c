"""A deactivated member: no sign-in, the live session and API tokens stop, mail refused at RCPT,
old posts still show who they were; reactivation restores access. Sign-ins are audited."""

from __future__ import annotations

import asyncio
import smtplib

import pytest

from archive.admin import people
from archive.admin.audit import Filters, list_entries
from archive.admin.credentials import create_token, revoke_token
from archive.tokens import token_hash
from tests.conftest import mail
from tests.world import PASSWORD, csrf_of, sign_in

ITO = "ito-s@town.wakaba.lg.jp"


async def actions(db) -> list[tuple[str, str]]:
    return [(e.action, e.target) for e in await list_entries(db, newest_first=False)]


async def test_deactivation_ends_sign_in_session_and_token_and_reactivation_restores_them(world):
    token = await create_token(world.db, world.members["ito"].id)
    bearer = {"Authorization": f"Bearer {token}"}
    async with world.client() as client, world.client() as later:
        assert (await sign_in(client, ITO)).status_code == 303
        assert (await client.get("/")).status_code == 200
        assert (await client.get("/api/spaces", headers=bearer)).status_code == 200
        await people.set_active(world.db, None, ITO, False)
        assert (await client.get("/")).status_code == 303                      # the live session ends now
        assert (await client.get("/api/spaces", headers=bearer)).status_code == 401
        assert (await sign_in(later, ITO)).status_code == 400                  # and no new one
        await people.set_active(world.db, None, ITO, True)
        assert (await sign_in(later, ITO)).status_code == 303
        assert (await later.get("/")).status_code == 200
        assert (await later.get("/api/spaces", headers=bearer)).status_code == 200
    entries = await list_entries(world.db, newest_first=False)
    assert [(e.action, e.target, e.detail.get("reason")) for e in entries] == [
        ("token.create", ITO, None), ("signin.ok", ITO, None), ("member.deactivate", ITO, None),
        ("signin.fail", ITO, "deactivated"), ("member.reactivate", ITO, None), ("signin.ok", ITO, None)]
    assert entries[1].client == "127.0.0.1" and entries[1].actor == ITO and entries[3].actor == "anonymous"


async def test_old_posts_keep_the_name_organization_and_department_of_their_time(world):
    await people.change(world.db, None, ITO, people.Change(name="伊藤 翔", dept="企画課"))
    await people.set_active(world.db, None, ITO, False)
    async with world.client() as client:
        await sign_in(client, "suzuki-h@city.aoba.lg.jp")
        page = await client.get("/s/zeimu/t/1/")
    assert page.status_code == 200
    assert "伊藤 翔太" in page.text and "若葉町 税務住民課" in page.text and "企画課" not in page.text


async def test_failed_and_link_sign_ins_are_audited_once_each(world):
    async with world.client() as client:
        assert (await sign_in(client, ITO, "wrong-password")).status_code == 400
        assert (await sign_in(client, "nobody@example.lg.jp")).status_code == 400
        token = await csrf_of(client)
        await client.post("/signin/link", data={"csrf": token, "email": ITO})
        link = world.sent[-1].get_content().split("/signin/link/")[1].split()[0]
        assert (await client.post(f"/signin/link/{link}", data={"csrf": token})).status_code == 303
        assert (await client.post(f"/signin/link/{link}", data={"csrf": await csrf_of(client, "/settings")})).status_code == 410
    entries = [(e.action, e.target, e.detail.get("method"), e.detail.get("reason"))
               for e in await list_entries(world.db, newest_first=False)]
    assert entries == [("signin.fail", ITO, "password", "wrong_password"),
                       ("signin.fail", "nobody@example.lg.jp", "password", "unknown_address"),
                       ("signin.link", ITO, None, None), ("signin.ok", ITO, "link", None),
                       ("signin.fail", "", "link", "invalid_or_used_link")]
    assert PASSWORD not in str(await list_entries(world.db))


async def test_mail_from_a_deactivated_member_is_refused_at_rcpt(gateway):
    await people.set_active(gateway.ctx.db, None, "suzuki@city.aoba.lg.jp", False)
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        await gateway.send(mail("suzuki@city.aoba.lg.jp", "zeimu@kairan.test.lg.jp", "件名", "本文"),
                           "suzuki@city.aoba.lg.jp", ["zeimu@kairan.test.lg.jp"])
    code, reply = refused.value.recipients["zeimu@kairan.test.lg.jp"]
    assert code == 550 and reply.decode().startswith("5.7.1")
    await people.set_active(gateway.ctx.db, None, "suzuki@city.aoba.lg.jp", True)
    await asyncio.sleep(1.1)            # the gateway reuses membership answers for one second
    assert await gateway.send(mail("suzuki@city.aoba.lg.jp", "zeimu@kairan.test.lg.jp", "件名", "本文"),
                              "suzuki@city.aoba.lg.jp", ["zeimu@kairan.test.lg.jp"]) == {}
    entries = await list_entries(gateway.ctx.db, Filters(action="member.deactivate"))
    assert [e.target for e in entries] == ["suzuki@city.aoba.lg.jp"]


async def test_tokens_created_and_revoked_are_audited_without_their_secret(world):
    ito = world.members["ito"]
    token = await create_token(world.db, ito.id)
    prefix = token_hash(token)[:12]
    assert not await revoke_token(world.db, ito.id, "zz")
    assert await revoke_token(world.db, ito.id, prefix)
    async with world.client() as client:
        assert (await client.get("/api/spaces", headers={"Authorization": f"Bearer {token}"})).status_code == 401
    entries = await list_entries(world.db, newest_first=False)
    assert [(e.action, e.target, e.detail) for e in entries] == [
        ("token.create", ITO, {"token": prefix}), ("token.revoke", ITO, {"token": prefix})]
    assert token not in str(entries)
