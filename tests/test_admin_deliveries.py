"""Outgoing mail in trouble, visible: /admin/deliveries (system admins) and one log line per failure."""

from __future__ import annotations

import logging

import httpx
import pytest

from archive.members import set_password_hash
from bridge.outbound.notify import plan_queued
from tests.outbound_support import MAIL, make_world, relay_sender, set_mode
from tests.world import password_hash, sign_in
from web.app import create_app
from web.services import WebServices


@pytest.fixture
async def world(tmp_path):
    w = await make_world(tmp_path)
    yield w
    await w.db.close()


async def page_as(services: WebServices, email: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(services))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await sign_in(client, email)).status_code == 303
        return await client.get("/admin/deliveries")


async def test_failing_and_retrying_mail_is_listed_with_the_relays_answer_and_logged(world, sink, caplog):
    for person in ("suzuki", "ito"):
        await set_mode(world, "zeimu", person, "each")
    sink.refuse["suzuki@city.test.lg.jp"] = "550 5.1.1 No such user"
    sink.temporary_failures = 10
    await world.post("zeimu", "sato", "減免申請について", "ご教示ください。")
    await plan_queued(world.db, MAIL, world.clock())
    with caplog.at_level(logging.WARNING, logger="bridge.outbound.dispatch"):
        report = await world.dispatcher(relay_sender(sink.port)).dispatch()
    assert (report.failed, report.deferred) == (1, 1)
    lines = [r.getMessage() for r in caplog.records if r.name == "bridge.outbound.dispatch"]
    assert len(lines) == 2
    assert any("failed: 550 5.1.1 No such user" in line for line in lines)
    assert any("not sent (attempt 1), trying again at" in line and "451 4.3.0 Try again later" in line
               for line in lines)

    hashed = password_hash()
    for person in ("sato", "suzuki"):
        await set_password_hash(world.db, world.people[person].id, hashed)
    async with world.db.write() as tx:
        await tx.execute("UPDATE members SET is_admin = 1 WHERE id = ?", (world.people["sato"].id,))
    services = WebServices(db=world.db, blobs=world.blobs, domain="kairan.test.lg.jp", base_url="http://testserver",
                           secret_key="test-secret-key", clock=world.clock)
    page = await page_as(services, "sato@pref.test.lg.jp")
    assert page.status_code == 200
    assert "suzuki@city.test.lg.jp" in page.text and "550 5.1.1 No such user" in page.text and "失敗" in page.text
    assert "ito@town.test.lg.jp" in page.text and "451 4.3.0 Try again later" in page.text
    assert "再送待ち" in page.text
    assert (await page_as(services, "suzuki@city.test.lg.jp")).status_code == 404
