"""`kairan space list|remove-member|set-admin|close|reopen` and `user deactivate --successor`, as
the contract says, and what the SMTP gateway answers afterwards (a real socket, 127.0.0.1:0)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import smtplib

import pytest

from kairan.cli import main
from tests.conftest import mail

SATO, SUZUKI, ITO = "sato@pref.yamakawa.lg.jp", "suzuki@city.aoba.lg.jp", "ito@town.wakaba.lg.jp"
TAKAHASHI = "takahashi@city.aoba.lg.jp"


async def kairan(ctx, *args: str) -> tuple[int, str, str]:
    """The command in a thread (it runs its own event loop), with what it printed."""
    out, err = io.StringIO(), io.StringIO()

    def run():
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(["--data", str(ctx.settings.data_dir), *args])
    code = await asyncio.to_thread(run)
    return code, out.getvalue(), err.getvalue()


async def refused(gateway, sender: str, slug: str) -> str:
    """The SMTP answer to RCPT for this sender ('' when accepted)."""
    msg = mail(sender, f"{slug}@{gateway.ctx.settings.domain}", "件名", "本文")
    try:
        await gateway.send(msg, sender, [f"{slug}@{gateway.ctx.settings.domain}"])
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        return f"{code} {text.decode()}"
    return ""


async def test_space_list_json_has_the_contract_shape(seeded):
    await kairan(seeded, "space", "set-admin", "zeimu", SATO)
    code, out, _ = await kairan(seeded, "space", "list", "--json")
    assert code == 0
    spaces = json.loads(out)["spaces"]
    assert [s["slug"] for s in spaces] == ["bousai", "zeimu"]
    assert spaces[1] == {"slug": "zeimu", "title": "税務担当者連絡会", "state": "open", "members": 3,
                         "orgs": ["aoba", "pref", "wakaba"], "admins": [SATO]}


async def test_a_removed_member_is_refused_by_mail_and_the_change_is_audited(gateway):
    ctx = gateway.ctx
    assert await refused(gateway, ITO, "zeimu") == ""
    code, out, _ = await kairan(ctx, "space", "remove-member", "zeimu", ITO)
    assert code == 0 and out.strip().endswith("removed from zeimu")
    await asyncio.sleep(1.1)                       # the gateway reuses answers for a second
    assert (await refused(gateway, ITO, "zeimu")).startswith("550 5.7.1")
    entry = await ctx.db.fetchone("SELECT actor, detail FROM audit_log WHERE action = 'space.member.remove'")
    assert entry["actor"] == "system" and ITO in entry["detail"]


async def test_removing_down_to_one_organization_warns(seeded):
    code, out, _ = await kairan(seeded, "space", "remove-member", "bousai", TAKAHASHI)
    assert code == 0 and out.startswith("warning: space bousai now has members from fewer than 2")


async def test_the_last_admin_cant_be_unmade(seeded):
    await kairan(seeded, "space", "set-admin", "zeimu", SATO)
    code, _, err = await kairan(seeded, "space", "set-admin", "zeimu", SATO, "--off")
    assert code == 1 and err.count("\n") == 1 and "only admin of zeimu" in err
    await kairan(seeded, "space", "set-admin", "zeimu", SUZUKI)
    code, out, _ = await kairan(seeded, "space", "set-admin", "zeimu", SATO, "--off")
    assert code == 0 and "no longer an admin" in out


async def test_a_closed_space_refuses_mail_at_rcpt_with_a_sentence_and_reopens(gateway):
    ctx = gateway.ctx
    code, out, _ = await kairan(ctx, "space", "close", "bousai")
    assert code == 0 and out.strip() == "space bousai is closed"
    answer = await refused(gateway, SATO, "bousai")
    assert answer.startswith("550 5.7.1 Space bousai is closed")
    assert await ctx.db.fetchval("SELECT decided_by FROM refusals ORDER BY id DESC LIMIT 1") == "space_closed"
    code, out, _ = await kairan(ctx, "space", "reopen", "bousai")
    assert out.strip() == "space bousai is open"
    await asyncio.sleep(1.1)
    assert await refused(gateway, SATO, "bousai") == ""
    actions = [r[0] for r in await ctx.db.fetchall("SELECT action FROM audit_log WHERE target = 'space:bousai'")]
    assert actions == ["space.close", "space.reopen"]


async def test_deactivate_with_a_successor_hands_over_every_space_once(seeded):
    await kairan(seeded, "space", "set-admin", "bousai", TAKAHASHI)
    code, out, err = await kairan(seeded, "user", "deactivate", TAKAHASHI, "--successor", SUZUKI)
    assert code == 0, err
    rows = await seeded.db.fetchall(
        """SELECT s.slug, ms.role, ms.mode FROM memberships ms JOIN spaces s ON s.id = ms.space_id
           JOIN member_addresses a ON a.member_id = ms.member_id WHERE a.address = ? ORDER BY s.slug""", (SUZUKI,))
    assert [tuple(r) for r in rows] == [("bousai", "admin", "digest"), ("zeimu", "member", "digest")]
    entry = json.loads(await seeded.db.fetchval("SELECT detail FROM audit_log WHERE action = 'member.deactivate'"))
    assert entry["successor"] == SUZUKI and entry["spaces"] == [
        {"space": "bousai", "role": "admin", "mode": "digest", "change": "added"}]


async def test_unknown_space_or_member_is_one_line_and_exit_1(seeded):
    for args in (("space", "close", "nope"), ("space", "remove-member", "zeimu", "nobody@x.lg.jp"),
                 ("space", "remove-member", "bousai", ITO), ("move", "cancel", "999")):
        code, _, err = await kairan(seeded, *args)
        assert code == 1 and err.count("\n") == 1 and err.startswith("kairan: "), (args, err)


async def test_move_import_names_each_bad_line_on_stderr_and_schedules_nothing(seeded, tmp_path):
    csv = tmp_path / "異動.csv"
    csv.write_bytes("メールアドレス,発令日,新所属\r\nnobody@x.lg.jp,2099-04-01,新課\r\nsato@pref.yamakawa.lg.jp,"
                    "令和81年4月1日,新課\r\nsuzuki@city.aoba.lg.jp,来月,新課\r\n".encode("cp932"))
    code, out, err = await kairan(seeded, "move", "import", str(csv), "--dry-run")
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith("line 2: no member with address")
    assert err.splitlines()[1].startswith("line 4: 発令日 '来月' is not a date") and len(err.splitlines()) == 2
    code, out, _ = await kairan(seeded, "move", "list", "--json")
    assert json.loads(out) == {"moves": []}
