"""The evidence, in order: trusted relay, DKIM, SPF, upstream Authentication-Results.

`assess` is blocking (DNS, body hashing) and runs in a worker thread. The first kind
of evidence found decides the method; what was looked at is kept as evidence, so a
reader can see why a post is unverified. A DNS failure that left the question open is
`temporary`: mail is never refused for good, nor silently passed, because of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from archive.assurance.policy import OrgPolicy, SenderOrg
from bridge.assurance.alignment import domain_of
from bridge.assurance.dkim_check import check_dkim
from bridge.assurance.hops import Trace, address, networks, within
from bridge.assurance.resolver import Resolver
from bridge.assurance.spf_check import check_spf
from bridge.assurance.upstream import upstream_pass


@dataclass(frozen=True)
class Arrival:
    """One message as the session saw it."""
    raw: bytes
    from_address: str
    mail_from: str
    trace: Trace
    authentication_results: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    method: str                             # relay | dkim | spf | upstream | none
    level: str                              # the organization's policy: none | mark | require
    evidence: dict = field(default_factory=dict)
    temporary: str = ""                     # why the question is still open (DNS), if it is

    @property
    def verified(self) -> bool:
        return self.method != "none"

    def stored(self) -> tuple[str, str]:
        return self.method, json.dumps(self.evidence, ensure_ascii=False, sort_keys=True)


def base_evidence(sender: SenderOrg, trace: Trace) -> dict:
    policy = sender.policy
    found = {"org": sender.slug, "org_name": sender.name, "policy": policy.level, "dkim_policy": policy.dkim,
             "client": trace.client, "via": trace.via}
    return found | ({"hops": list(trace.hops)} if trace.hops else {})


def assess(arrival: Arrival, sender: SenderOrg, resolver: Resolver, authserv_ids: tuple[str, ...]) -> Verdict:
    policy, evidence = sender.policy, base_evidence(sender, arrival.trace)
    relay = within(address(arrival.trace.client), networks(policy.relays))
    if relay is not None:
        return Verdict("relay", policy.level, evidence | {"relay": str(relay)})
    from_domain = domain_of(arrival.from_address)
    temporary: list[str] = []
    if resolver.configured:
        method = _dns_checks(arrival, sender, from_domain, resolver, evidence, temporary)
        if method:
            return Verdict(method, policy.level, evidence)
    else:
        evidence["dns"] = "not configured"
    method = _upstream(arrival, sender, policy, from_domain, authserv_ids, evidence)
    if method:
        return Verdict(method, policy.level, evidence)
    if temporary:
        evidence["temporary"] = "; ".join(temporary)[:300]
    return Verdict("none", policy.level, evidence, evidence.get("temporary", ""))


def _dns_checks(arrival: Arrival, sender: SenderOrg, from_domain: str, resolver: Resolver, evidence: dict,
                temporary: list[str]) -> str:
    signatures = check_dkim(arrival.raw, from_domain, sender.domains, resolver)
    if signatures:
        evidence["dkim"] = [s.evidence() for s in signatures]
    if any(s.result == "pass" and s.aligned for s in signatures):
        return "dkim"
    temporary += [s.reason for s in signatures if s.result == "temperror"][:1]
    if sender.policy.dkim == "expected":
        evidence["spf"] = {"result": "not used", "reason": "DKIM is expected of this organization"}
        return ""
    if not arrival.trace.client or "@" not in arrival.mail_from:
        return ""
    spf = check_spf(arrival.trace.client, arrival.mail_from, arrival.trace.helo, from_domain, sender.domains,
                    resolver)
    evidence["spf"] = spf.evidence()
    if spf.result == "temperror":
        temporary.append(spf.reason or "SPF: DNS did not answer")
    return "spf" if spf.result == "pass" and spf.aligned else ""


def _upstream(arrival: Arrival, sender: SenderOrg, policy: OrgPolicy, from_domain: str,
              authserv_ids: tuple[str, ...], evidence: dict) -> str:
    headers = arrival.authentication_results
    if not headers:
        return ""
    if not (arrival.trace.peer_trusted and authserv_ids):
        evidence["upstream"] = {"ignored": len(headers), "reason": "not from a trusted hop"}
        return ""
    found = upstream_pass(list(headers), authserv_ids, from_domain, sender.domains,
                          spf_counts=policy.dkim != "expected")
    if found is None:
        evidence["upstream"] = {"ignored": len(headers), "reason": "no aligned pass by a trusted authserv-id"}
        return ""
    evidence["upstream"] = found.evidence()
    return "upstream"
