"""XFORWARD and XCLIENT (Postfix's): a trusted hop in front of kairan names its own client.

Postfix's LMTP client sends `XFORWARD ADDR=… HELO=…` when the server offers it; a proxy
sends XCLIENT. kairan offers and accepts them only from `[assurance] trusted_hops`; from
anyone else they are refused like an unknown right (550), so nobody can claim an address.
"""

from __future__ import annotations

import re

from bridge.assurance.hops import Forwarded

EHLO_XFORWARD = "250-XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT"
EHLO_XCLIENT = "250-XCLIENT NAME ADDR PROTO HELO PORT LOGIN"
_XTEXT = re.compile(r"\+([0-9A-Fa-f]{2})")
_UNKNOWN = ("[UNAVAILABLE]", "[TEMPUNAVAIL]")


def xtext(value: str) -> str:
    return _XTEXT.sub(lambda m: chr(int(m.group(1), 16)), value)


def attributes(arg: str) -> dict[str, str] | None:
    """NAME=VALUE pairs (xtext-decoded, unknown values dropped); None for a syntax error."""
    found = {}
    for item in (arg or "").split():
        name, sep, value = item.partition("=")
        if not sep or not name.isalpha():
            return None
        value = xtext(value)
        if value.upper() not in _UNKNOWN:
            found[name.upper()] = value
    return found or None


def merged(previous: Forwarded | None, attrs: dict[str, str], command: str) -> Forwarded:
    base = previous if previous is not None and previous.command == command else Forwarded(command=command)
    return Forwarded(attrs.get("ADDR", base.addr), attrs.get("HELO", base.helo), command)


class ForwardingCommands:
    """Mixed into the gateway's SMTP and LMTP protocols (aiosmtpd finds `smtp_*` methods)."""

    def _trusted(self) -> bool:
        return self.event_handler.trusts_hop(self.session.peer)

    async def _forward_command(self, arg: str, command: str) -> dict[str, str] | None:
        if not self._trusted():
            await self.push("550 5.7.0 Error: insufficient authorization")
            return None
        if self.envelope.mail_from is not None:
            await self.push("503 5.5.1 Error: MAIL transaction in progress")
            return None
        attrs = attributes(arg)
        if attrs is None:
            await self.push(f"501 5.5.4 Syntax: {command.upper()} attribute=value...")
            return None
        self.session.forwarded = merged(getattr(self.session, "forwarded", None), attrs, command)
        return attrs

    async def smtp_XFORWARD(self, arg: str) -> None:
        if await self._forward_command(arg, "xforward") is not None:
            await self.push("250 2.0.0 Ok")

    async def smtp_XCLIENT(self, arg: str) -> None:
        """Like a new connection from the named client: greet again, a new EHLO follows."""
        if await self._forward_command(arg, "xclient") is not None:
            self._set_rset_state()
            self.session.host_name = None
            await self.push(f"220 {self.hostname} ESMTP")


def advertise(responses: list[str], trusted: bool) -> list[str]:
    """The EHLO/LHLO lines, with XFORWARD and XCLIENT offered to a trusted hop."""
    if not trusted or not responses:
        return responses
    return responses[:-1] + [EHLO_XFORWARD, EHLO_XCLIENT] + responses[-1:]
