"""SPF: may the connecting client send for the envelope domain? (pyspf evaluates the record.)

pyspf looks names up through a module-wide function; `_Query.dns` sends them to our
resolver instead (its cache and timeout, the configured servers only).
"""

from __future__ import annotations

from dataclasses import dataclass

import spf

from bridge.assurance.alignment import aligned, domain_of
from bridge.assurance.resolver import DnsTemporary, Resolver


@dataclass(frozen=True)
class SpfResult:
    domain: str
    result: str             # pass | fail | softfail | neutral | none | permerror | temperror
    aligned: bool
    reason: str = ""

    def evidence(self) -> dict:
        found = {"domain": self.domain, "result": self.result, "aligned": self.aligned}
        return found | ({"reason": self.reason} if self.reason else {})


class _Query(spf.query):
    resolver: Resolver

    def dns(self, name, qtype, cnames=None, ignore_void=False):
        try:
            records = self.resolver.query(str(name).rstrip("."), qtype)
        except DnsTemporary as error:
            raise spf.TempError(str(error)) from None
        found = [_value(qtype, rdata) for rdata in records]
        if not found and not ignore_void:
            self.void_lookups += 1
            if self.void_lookups > spf.MAX_VOID_LOOKUPS:
                raise spf.PermError(f"Void lookup limit of {spf.MAX_VOID_LOOKUPS} exceeded")
        return found


def _value(qtype: str, rdata):
    if qtype in ("A", "AAAA"):
        return rdata.address
    if qtype == "MX":
        return rdata.preference, rdata.exchange.to_text(omit_final_dot=True)
    if qtype == "PTR":
        return rdata.target.to_text(omit_final_dot=True)
    return list(rdata.strings)


def check_spf(client_ip: str, mail_from: str, helo: str, from_domain: str, org_domains: tuple[str, ...],
              resolver: Resolver) -> SpfResult:
    """Blocking. The envelope sender's domain, checked for the client address."""
    domain = domain_of(mail_from)
    try:
        query = _Query(i=client_ip, s=mail_from, h=helo or domain, timeout=resolver.timeout,
                       querytime=resolver.timeout * 3)
        query.resolver = resolver
        result, _, explanation = query.check()
    except Exception as error:                     # pyspf on a hostile record: no pass to believe
        result, explanation = "permerror", f"{type(error).__name__}: {error}"
    return SpfResult(domain, result, aligned(domain, from_domain, org_domains),
                     "" if result == "pass" else str(explanation)[:200])
