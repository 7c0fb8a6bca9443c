"""The admins' view of mail that failed to process: visible to system admins only, and retried from there."""

from __future__ import annotations


from archive.spool import Incoming, insert_incoming, list_entries, mark_failed
from tests.world import csrf_of, make_admin, sign_in, signed_in

SATO = "sato-k@pref.yamakawa.lg.jp"
ITO = "ito-s@town.wakaba.lg.jp"


async def a_failed_message(world) -> int:
    async with world.db.write() as tx:
        spool_id = await insert_incoming(tx, Incoming("2026-11-27T01:00:00Z", "ito-s@town.wakaba.lg.jp",
                                                      ("zeimu@kairan.test",), "test", 5, b"hello"))
    await mark_failed(world.db, spool_id, "ValueError: <script>boom</script>")
    return spool_id


async def test_a_system_admin_sees_failed_mail_with_its_reason_escaped(world):
    spool_id = await a_failed_message(world)
    await make_admin(world, SATO)
    async with signed_in(world, SATO) as client:
        page = await client.get("/admin/spool")
    assert page.status_code == 200
    assert f"<td>{spool_id}</td>" in page.text and "ValueError: &lt;script&gt;boom&lt;/script&gt;" in page.text


async def test_other_members_get_404_and_no_session_is_sent_to_sign_in(world):
    await a_failed_message(world)
    async with signed_in(world, ITO) as client:
        assert (await client.get("/admin/spool")).status_code == 404
        token = await csrf_of(client, "/settings")
        assert (await client.post("/admin/spool/retry", data={"csrf": token, "id": ""})).status_code == 404
    async with world.client() as client:
        assert (await client.get("/admin/spool")).status_code == 303
    assert len(await list_entries(world.db, "failed")) == 1


async def test_retry_puts_the_message_back_in_the_queue_and_needs_the_csrf_token(world):
    spool_id = await a_failed_message(world)
    await make_admin(world, SATO)
    async with signed_in(world, SATO) as client:
        assert (await client.post("/admin/spool/retry", data={"id": str(spool_id)})).status_code == 403
        token = await csrf_of(client, "/admin/spool")
        response = await client.post("/admin/spool/retry", data={"csrf": token, "id": str(spool_id)})
    assert response.status_code == 303 and response.headers["location"] == "/admin/spool?retried=1"
    assert [e.id for e in await list_entries(world.db, "received")] == [spool_id]
