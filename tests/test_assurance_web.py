"""Sender assurance on the web: the admins' policy page (audited), the thread page's mark, the help page."""

from __future__ import annotations

import contextlib
import json

from archive.admin.audit import SYSTEM
from archive.assurance.policy import get_policy, sender_org, set_policy
from archive.export import space_document
from archive.spaces import get_space
from bridge.assurance.evaluate import Arrival, assess
from bridge.assurance.hops import trace
from bridge.assurance.resolver import Resolver
from bridge.gateway.spooler import Spooler
from bridge.ingest.worker import IngestWorker
from tests.assurance_audit import policy_entries
from tests.world import DOMAIN, csrf_of, mail, sign_in

SATO = "sato-k@pref.yamakawa.lg.jp"
SUZUKI = "suzuki-h@city.aoba.lg.jp"
ITO = "ito-s@town.wakaba.lg.jp"


@contextlib.asynccontextmanager
async def signed_in(world, email):
    client = world.client()
    try:
        assert (await sign_in(client, email)).status_code == 303
        yield client
    finally:
        await client.aclose()


async def make_admin(world, email) -> None:
    async with world.db.write() as tx:
        await tx.execute("UPDATE members SET is_admin = 1 WHERE id = "
                         "(SELECT member_id FROM member_addresses WHERE address = ?)", (email,))


async def audit_rows(world) -> list:
    """The audit log's policy entries."""
    return await policy_entries(world.db)


async def deliver_checked(world, subject: str, client: str = "192.0.2.99") -> int:
    """As the gateway does: the verdict of the real evaluator (no DNS here), spooled with the mail."""
    msg = mail(SUZUKI, subject, "本文です。\n", name="鈴木 裕子")
    msg["To"] = f"zeimu@{DOMAIN}"
    raw = msg.as_bytes()
    verdict = assess(Arrival(raw, SUZUKI, SUZUKI, trace(client, None, [], ())), await sender_org(world.db, SUZUKI),
                     Resolver(()), ())
    await Spooler(world.db, world.blobs).accept(raw, received_at="2026-11-27T00:30:00Z", mail_from=SUZUKI,
                                                rcpts=(f"zeimu@{DOMAIN}",), peer=f"{client}:2525",
                                                assurance=verdict.stored())
    stored: list[int] = []
    await IngestWorker(world.db, world.blobs, DOMAIN, on_stored=stored.extend).drain()
    return stored[0]


async def test_a_system_admin_sets_a_policy_on_the_page_and_it_is_audited(world):
    await make_admin(world, SATO)
    async with signed_in(world, SATO) as client:
        page = await client.get("/admin/assurance")
        assert page.status_code == 200 and "青葉市" in page.text and 'id="org-aoba"' in page.text
        token = await csrf_of(client, "/admin/assurance")
        saved = await client.post("/admin/assurance/aoba", data={
            "csrf": token, "relays": "192.0.2.0/24\n198.51.100.7", "dkim": "expected", "level": "require"})
        assert saved.status_code == 303 and saved.headers["location"].startswith("/admin/assurance?saved=aoba")
        shown = await client.get(saved.headers["location"])
        assert "青葉市 の設定を保存しました" in shown.text or "aoba の設定を保存しました" in shown.text
    policy = await get_policy(world.db, "aoba")
    assert (policy.relays, policy.dkim, policy.level) == (("192.0.2.0/24", "198.51.100.7/32"), "expected", "require")
    [entry] = await audit_rows(world)
    assert entry["action"] == "org.policy" and entry["target"] == "org:aoba"
    assert entry["actor"] == SATO
    assert entry["detail"]["after"] == {"relays": ["192.0.2.0/24", "198.51.100.7/32"], "dkim": "expected",
                                        "assurance": "require"}
    assert entry["detail"]["before"]["assurance"] == "none"


async def test_a_wrong_relay_is_said_and_nothing_changes(world):
    await make_admin(world, SATO)
    async with signed_in(world, SATO) as client:
        token = await csrf_of(client, "/admin/assurance")
        page = await client.post("/admin/assurance/aoba", data={
            "csrf": token, "relays": "192.0.2.5/24", "dkim": "optional", "level": "mark"})
    assert page.status_code == 400
    assert "did you mean 192.0.2.0/24" in page.text and "192.0.2.5/24" in page.text
    assert (await get_policy(world.db, "aoba")).level == "none"
    assert await audit_rows(world) == []


async def test_others_get_404_and_a_post_without_the_token_is_refused(world):
    async with signed_in(world, ITO) as client:
        assert (await client.get("/admin/assurance")).status_code == 404
        token = await csrf_of(client, "/settings")
        assert (await client.post("/admin/assurance/aoba", data={"csrf": token, "level": "none",
                                                                 "dkim": "optional"})).status_code == 404
    await make_admin(world, SATO)
    async with signed_in(world, SATO) as client:
        assert (await client.post("/admin/assurance/aoba", data={"level": "require", "dkim": "optional"})
                ).status_code == 403
    async with world.client() as client:
        assert (await client.get("/admin/assurance")).status_code == 303
    assert (await get_policy(world.db, "aoba")).level == "none"


async def test_the_thread_page_marks_unverified_mail_of_a_marking_organization_only(world):
    quiet = await deliver_checked(world, "記録のみの団体から")              # policy none: recorded, not shown
    await set_policy(world.db, "aoba", SYSTEM, relays=["192.0.2.10/32"], level="mark")
    marked = await deliver_checked(world, "確認できない送信元")
    relayed = await deliver_checked(world, "信頼する中継から", client="192.0.2.10")
    rows = {r["id"]: r for r in await world.db.fetchall("SELECT id, thread_id, sender_assurance, assurance_evidence "
                                                         "FROM posts WHERE id IN (?, ?, ?)", (quiet, marked, relayed))}
    assert [rows[i]["sender_assurance"] for i in (quiet, marked, relayed)] == ["none", "none", "relay"]
    assert json.loads(rows[marked]["assurance_evidence"])["client"] == "192.0.2.99"
    async with signed_in(world, SATO) as client:
        pages = {i: (await client.get(f"/s/zeimu/t/{rows[i]['thread_id']}/")).text for i in rows}
    assert "送信元未確認" in pages[marked] and 'id="sender-%d"' % marked in pages[marked]
    assert "<code>192.0.2.99</code>" in pages[marked] and "署名なし" not in pages[marked]   # no DNS configured
    assert "DNS の確認は設定されていません" in pages[marked]
    assert "送信元未確認" not in pages[quiet] and "送信元未確認" not in pages[relayed]


async def test_the_help_page_needs_no_sign_in(world):
    async with world.client() as client:
        page = await client.get("/help/sender")
    assert page.status_code == 200 and "送信元を確認できなかったメール" in page.text


async def test_a_reply_written_on_the_web_is_web_in_the_contract_and_never_marked(world):
    await set_policy(world.db, "pref", SYSTEM, level="mark")
    thread_id = (await world.db.fetchone("SELECT thread_id FROM posts WHERE id = ?", (world.ids["first"],)))[0]
    async with signed_in(world, SATO) as client:
        token = await csrf_of(client, f"/s/zeimu/t/{thread_id}/")
        response = await client.post(f"/s/zeimu/t/{thread_id}/reply", data={"csrf": token, "body": "Webからの返信"})
        assert response.status_code == 303
        page = await client.get(f"/s/zeimu/t/{thread_id}/")
    doc = await space_document(world.db, await get_space(world.db, "zeimu"), DOMAIN)
    posts = [p for t in doc["threads"] for p in t["posts"]]
    assert [p["sender_assurance"] for p in posts if p["reply_text"] == "Webからの返信"] == ["web"]
    assert "送信元未確認" not in page.text
