"""Authentication-Results added by a trusted relay upstream (RFC 8601, parsed with authres).

Believed only when the message reached kairan through a trusted hop and the header's
authserv-id is one configured: such a relay removes copies bearing its own id from the
mail it receives (RFC 8601 §5), so what is left was written by it. Anyone else's header
(a sender can write any header) is ignored, and the evidence says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import authres

from bridge.assurance.alignment import aligned, domain_of

MAX_HEADERS = 20


@dataclass(frozen=True)
class Upstream:
    authserv_id: str
    method: str             # dmarc | dkim | spf
    domain: str

    def evidence(self) -> dict:
        return {"authserv_id": self.authserv_id, "method": self.method, "domain": self.domain}


def upstream_pass(values: list[str], trusted_ids: tuple[str, ...], from_domain: str,
                  org_domains: tuple[str, ...], spf_counts: bool) -> Upstream | None:
    """The first passing, aligned result in a header by a trusted authserv-id."""
    trusted = {i.lower() for i in trusted_ids}
    for value in values[:MAX_HEADERS]:
        try:
            header = authres.all_features().parse_value(" ".join(value.split()))
        except Exception:                         # authres.AuthResError, or worse on hostile text
            continue
        if header.authserv_id not in trusted:
            continue
        for result in header.results:
            found = _passing(result, from_domain, org_domains, spf_counts)
            if found:
                return Upstream(header.authserv_id, str(result.method).lower(), found)
    return None


def _passing(result, from_domain: str, org_domains: tuple[str, ...], spf_counts: bool) -> str:
    if str(result.result).lower() != "pass":
        return ""
    method = str(result.method).lower()
    props = {(str(p.type).lower(), str(p.name).lower()): str(p.value or "") for p in result.properties}
    if method == "dmarc":
        domain = props.get(("header", "from"), "")
        return domain if domain.lower() == from_domain.lower() else ""
    if method == "dkim":
        domain = props.get(("header", "d"), "") or domain_of(props.get(("header", "i"), ""))
    elif method == "spf" and spf_counts:
        domain = domain_of(props.get(("smtp", "mailfrom"), ""))
    else:
        return ""
    return domain if aligned(domain, from_domain, org_domains) else ""
