"""What the sender checks cost at the end of DATA, over real SMTP on loopback.

The same 4 KB message is accepted by the real gateway (in this process) in three ways,
in alternating rounds of the same run:

    none      no DNS configured, sender not a trusted relay: the checks' minimal path (reference)
    relay     sent from 127.0.0.2, 青葉市's trusted relay: decided without DNS
    dkim      DKIM-signed, verified against a DNS server on 127.0.0.1 (answers cached after the first)

Prints messages/s per way (median of the rounds, with min–max), each as a ratio to `none`,
and the load average. One connection, messages back to back, spool only (no ingest).

    .venv/bin/python bench/assurance.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import smtplib
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import dkim
import dns.message
import dns.rcode
import dns.rrset

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.admin.audit import SYSTEM  # noqa: E402
from archive.assurance.policy import set_policy  # noqa: E402
from bridge.assurance.settings import AssuranceSettings  # noqa: E402
from kairan.config import HostPort  # noqa: E402
from kairan.context import open_context  # noqa: E402
from kairan.fixtures import DOMAIN, make_data_dir, seed  # noqa: E402
from kairan.listeners import Listeners, start_gateway  # noqa: E402

KEY = (ROOT / "tests" / "dkim_test_key.pem").read_bytes()
PUBLIC = (ROOT / "tests" / "dkim_test_key.pub.b64").read_text().strip()
SENDER = "suzuki@city.aoba.lg.jp"
RCPT = f"zeimu@{DOMAIN}"


class TinyDns:
    """One TXT record over UDP on 127.0.0.1, answered with dnspython (a thread; stops with the bench)."""

    def __init__(self, name: str, text: str):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self._name, self._text, self._stop = name, text, threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except socket.timeout:
                continue
            query = dns.message.from_wire(data)
            reply = dns.message.make_response(query)
            question = query.question[0]
            if question.name.to_text(omit_final_dot=True).lower() == self._name:
                reply.answer.append(dns.rrset.from_text(question.name, 300, "IN", "TXT", f'"{self._text}"'))
            else:
                reply.set_rcode(dns.rcode.NXDOMAIN)
            self.sock.sendto(reply.to_wire(), peer)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def message(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"鈴木 裕子 <{SENDER}>"
    msg["To"] = RCPT
    msg["Subject"] = f"計測 {n}"
    msg["Message-ID"] = f"<bench-{n}@city.aoba.lg.jp>"
    msg.set_content(("固定資産税の減免について確認します。\n" * 110)[:4000])
    return msg.as_bytes().replace(b"\n", b"\r\n")


def signed(raw: bytes) -> bytes:
    return dkim.sign(raw, b"sel", b"city.aoba.lg.jp", KEY, include_headers=[b"from", b"to", b"subject"]) + raw


def send_all(port: int, source: str, raws: list[bytes]) -> float:
    with smtplib.SMTP("127.0.0.1", port, source_address=(source, 0), timeout=60) as client:
        start = time.perf_counter()
        for raw in raws:
            client.sendmail(SENDER, [RCPT], raw)
        return time.perf_counter() - start


async def run(count: int, rounds: int) -> dict[str, list[float]]:
    server = TinyDns("sel._domainkey.city.aoba.lg.jp", f"v=DKIM1; k=rsa; p={PUBLIC}")
    rates: dict[str, list[float]] = {"none": [], "relay": [], "dkim": []}
    with tempfile.TemporaryDirectory() as tmp:
        async with open_context(make_data_dir(Path(tmp) / "data")) as ctx:
            await seed(ctx)
            await set_policy(ctx.db, "aoba", SYSTEM, relays=["127.0.0.2/32"], level="mark")
            gateways = {}
            for way, resolvers in (("none", ()), ("checked", (server.address,))):
                ctx.settings = replace(ctx.settings, sender_checks=AssuranceSettings(resolvers=resolvers))
                any_port = HostPort("127.0.0.1", 0)
                found = await start_gateway(ctx, Listeners(any_port, any_port), lambda: None)
                gateways[way] = found[0]
            ports = {w: g.sockets[0].getsockname()[1] for w, g in gateways.items()}
            plain = [message(n) for n in range(count)]
            dkim_signed = [signed(raw) for raw in plain]
            ways = {"none": (ports["none"], "127.0.0.3", plain), "relay": (ports["checked"], "127.0.0.2", plain),
                    "dkim": (ports["checked"], "127.0.0.3", dkim_signed)}
            for _ in range(rounds):
                for way, (port, source, raws) in ways.items():
                    seconds = await asyncio.to_thread(send_all, port, source, raws)
                    rates[way].append(count / seconds)
            methods = await ctx.db.fetchall("SELECT sender_assurance AS m, COUNT(*) AS n FROM spool GROUP BY 1")
            for gateway in gateways.values():
                gateway.close()
    server.stop()
    print("spooled by method:", {r["m"]: r["n"] for r in methods})
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    count, rounds = (60, 3) if args.quick else (200, 5)
    before = os.getloadavg()
    rates = asyncio.run(run(count, rounds))
    reference = statistics.median(rates["none"])
    print(f"{count} messages of 4 KB per round, {rounds} rounds, one connection (shared machine: figures under load)")
    for way, values in rates.items():
        median = statistics.median(values)
        print(f"  {way:6s} {median:7.1f} msg/s (min {min(values):.1f}, max {max(values):.1f})  "
              f"ratio to none {median / reference:.2f}")
    print(f"load average before {before[0]:.2f}, after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
