"""`GET /healthz` and `GET /metrics` of a real `kairan serve` (in this process, real sockets)."""

from __future__ import annotations

import asyncio
import contextlib
import smtplib

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from kairan.config import HostPort
from kairan.listeners import Listeners
from kairan.server import serve
from tests.conftest import DOMAIN, mail
from tests.postfix_support import free_port


def refused_by_rule(text: str) -> dict[str, float]:
    families = {family.name: family for family in text_string_to_metric_families(text)}
    return {s.labels["rule"]: s.value for s in families["kairan_messages_refused"].samples
            if s.name == "kairan_messages_refused_total"}


def send_as_outsider(port: int) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.send_message(mail("outsider@town.wakaba.lg.jp", f"zeimu@{DOMAIN}", "件名", "本文\n"))


async def ask_policy(port: int, sender: str) -> str:
    """One check_policy_service request to `kairan serve --policy`, as Postfix sends it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"request=smtpd_access_policy\nprotocol_state=RCPT\nsender={sender}\n"
                 f"recipient=zeimu@{DOMAIN}\n\n".encode())
    await writer.drain()
    answer = await asyncio.wait_for(reader.readuntil(b"\n\n"), 10)
    writer.close()
    return answer.decode()


async def test_healthz_turns_503_when_a_worker_dies_and_metrics_count_a_refusal_by_rule(seeded):
    http_port, policy_port, ready, smtp = free_port(), free_port(), asyncio.Event(), {}

    def on_ready(address: str) -> None:
        smtp["port"] = int(address.rsplit(":", 1)[1])
        ready.set()
    listeners = Listeners(HostPort("127.0.0.1", 0), HostPort("127.0.0.1", http_port),
                          policy=HostPort("127.0.0.1", policy_port))
    server = asyncio.create_task(serve(seeded, listeners, on_ready=on_ready))
    try:
        await asyncio.wait_for(ready.wait(), 30)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}") as web:
            health = await web.get("/healthz")
            assert health.status_code == 200
            assert health.json() == {"ok": True, "database": True, "workers": {
                "ingest": True, "spool-settle": True, "index": True, "notify": True, "digests": True,
                "reminders": True, "moves": True}}
            assert refused_by_rule((await web.get("/metrics")).text) == {}
            assert (await ask_policy(policy_port, "outsider@town.wakaba.lg.jp")).startswith("action=550 5.7.1 ")

            with pytest.raises(smtplib.SMTPRecipientsRefused):
                await asyncio.to_thread(send_as_outsider, smtp["port"])
            metrics = await web.get("/metrics")
            assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
            assert refused_by_rule(metrics.text) == {"envelope_not_member": 2.0}      # policy service + SMTP
            assert "kairan_spool_depth 0.0" in metrics.text and 'kairan_queue_depth{queue="notify"} 0.0' in metrics.text

            notify = next(task for task in asyncio.all_tasks() if task.get_name() == "notify")
            notify.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await notify
            health = await web.get("/healthz")
            assert health.status_code == 503
            assert health.json()["ok"] is False and health.json()["workers"]["notify"] is False
            assert health.json()["workers"]["index"] is True
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server


async def test_metrics_are_refused_to_addresses_not_configured(world):
    world.services.metrics_from = ("127.0.0.1", "10.20.0.0/16")
    for client, status in ((("192.0.2.7", 40000), 403), (("10.20.3.4", 40000), 200), (("127.0.0.1", 40000), 200)):
        transport = httpx.ASGITransport(app=world.app(), client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
            answer = await web.get("/metrics")
        assert answer.status_code == status, client
        if status == 403:
            assert "metrics_from" in answer.text and "kairan_" not in answer.text


async def test_healthz_is_503_when_the_database_does_not_answer(world):
    async with world.client() as web:
        assert (await web.get("/healthz")).status_code == 200
        await world.db.close()
        answer = await web.get("/healthz")
    assert answer.status_code == 503 and answer.json()["database"] is False
