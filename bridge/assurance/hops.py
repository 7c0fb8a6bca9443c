"""Who handed the message to the last trusted hop: the client address the checks are about.

kairan's own peer is the first hop. While the hop is one we trust (Postfix on this host,
the network's relays — `[assurance] trusted_hops`), its statement about its own client is
believed: XFORWARD/XCLIENT if it gave them, else the Received header it added (the
topmost unread one). The first untrusted address is the client. Statements of anyone
else are never read, so a forged Received header moves nothing.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

MAX_HOPS = 8
_BRACKETED = re.compile(r"\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]")
_BY = re.compile(r"\sby\s", re.IGNORECASE)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(texts: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(t.strip(), strict=False) for t in texts if t.strip())


def address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = (text or "").strip()
    if text.upper().startswith("IPV6:"):
        text = text[5:]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped:
        return found.ipv4_mapped
    return found


def within(ip, nets: tuple[Network, ...]) -> Network | None:
    if ip is None:
        return None
    return next((n for n in nets if ip.version == n.version and ip in n), None)


@dataclass(frozen=True)
class Forwarded:
    """What a trusted hop said over SMTP about its client (XFORWARD or XCLIENT)."""
    addr: str = ""
    helo: str = ""
    command: str = "xforward"


@dataclass(frozen=True)
class Trace:
    client: str                         # '' when unknown
    via: str                            # peer | xforward | xclient | received
    helo: str = ""
    hops: tuple[str, ...] = field(default=())   # the trusted hops passed, nearest first
    peer_trusted: bool = False          # kairan's own peer is a trusted hop: its headers may be believed


def received_client(value: str) -> str:
    """The bracketed address of a Received header's `from` clause (Postfix: 'from h (r [ip])')."""
    head = _BY.split(" " + " ".join(value.split()), 1)[0]
    found = _BRACKETED.search(head)
    return found.group(1) if found else ""


def trace(peer: str, forwarded: Forwarded | None, received: list[str], hops: tuple[Network, ...],
          helo: str = "") -> Trace:
    client, via, passed, index = peer, "peer", [], 0
    peer_trusted = within(address(peer), hops) is not None
    if forwarded and forwarded.addr and peer_trusted:
        passed.append(peer)
        client, via, helo = forwarded.addr, forwarded.command, forwarded.helo or helo
        index = 1 if forwarded.command == "xforward" else 0   # Postfix's own Received describes that hop
    while within(address(client), hops) and index < len(received) and len(passed) < MAX_HOPS:
        stated = received_client(received[index])
        index += 1
        if not address(stated):
            break
        passed.append(client)
        client, via, helo = stated, "received", ""
    ip = address(client)
    return Trace(str(ip) if ip else "", via, helo, tuple(passed), peer_trusted)
