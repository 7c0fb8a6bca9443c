"""A small real DNS server on 127.0.0.1 (dnslib's), serving the records a test gives it.

The sender checks' resolver talks to it over UDP like to any DNS server; `stop()` takes
it away, so a test can see what kairan does when DNS is down.
"""

from __future__ import annotations

from dnslib import QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class Zone(BaseResolver):
    """Records by (name, type): {('sel._domainkey.example.jp', 'TXT'): ['v=DKIM1; …']}."""

    def __init__(self, records: dict[tuple[str, str], list[str]]):
        self.records = {(name.lower().rstrip("."), kind.upper()): values for (name, kind), values in records.items()}
        self.asked: list[tuple[str, str]] = []

    def resolve(self, request, handler):
        reply = request.reply()
        name, kind = str(request.q.qname).lower().rstrip("."), QTYPE[request.q.qtype]
        self.asked.append((name, kind))
        for value in self.records.get((name, kind), []):
            rdata = TXT([value[i:i + 255] for i in range(0, len(value), 255)]) if kind == "TXT" else A(value)
            reply.add_answer(RR(request.q.qname, request.q.qtype, rdata=rdata, ttl=300))
        if not any(n == name for n, _ in self.records):
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class LocalDns:
    """Started on 127.0.0.1, port chosen by the system; `address` is what kairan.toml names."""

    def __init__(self, records: dict[tuple[str, str], list[str]]):
        self.zone = Zone(records)
        self._server = DNSServer(self.zone, address="127.0.0.1", port=0, logger=DNSLogger("-request,-reply,"
                                 "-truncated,-error,-recv,-send,-data", prefix=False))
        self._server.start_thread()
        self.address = f"127.0.0.1:{self._server.server.server_address[1]}"

    def stop(self) -> None:
        if self._server.isAlive():
            self._server.stop()
            self._server.server.server_close()
