"""When a verified domain speaks for the From address (DMARC's relaxed alignment).

The organizational domain is the organization's registered mail domain (kairan knows
them; a closed network has no use for the public suffix list): a signature by
`mail.pref.example.lg.jp` or by `pref.example.lg.jp` speaks for `sato@pref.example.lg.jp`,
one by `example.lg.jp` does not, unless `example.lg.jp` itself is registered.
"""

from __future__ import annotations


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip("<>").lower().rstrip(".")


def aligned(verified: str, from_domain: str, org_domains: tuple[str, ...]) -> bool:
    verified, from_domain = verified.lower().rstrip("."), from_domain.lower().rstrip(".")
    if not verified or not from_domain:
        return False
    if verified == from_domain:
        return True
    if from_domain.endswith("." + verified):
        base = verified
    elif verified.endswith("." + from_domain):
        base = from_domain
    else:
        return False
    return any(base == d or base.endswith("." + d) for d in (d.lower().rstrip(".") for d in org_domains))
