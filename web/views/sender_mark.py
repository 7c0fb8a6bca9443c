"""The thread page's 「送信元未確認」: which posts carry it, and the evidence shown on click.

The rule (unverified mail of an organization whose policy marks it) is the archive's
`is_marked`; this only turns the stored evidence into what the page lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from archive.assurance.policy import evidence_of, is_marked
from archive.models import Post


@dataclass(frozen=True)
class SenderMark:
    org: str
    client: str
    via: str                                # peer | xforward | xclient | received
    hops: tuple[str, ...] = ()
    dkim: tuple[dict, ...] = ()
    spf: dict = field(default_factory=dict)
    upstream: dict = field(default_factory=dict)
    dns_configured: bool = True
    temporary: str = ""


def sender_mark(post: Post) -> SenderMark | None:
    evidence = evidence_of(post.assurance_evidence)
    if not is_marked(post.sender_assurance, evidence):
        return None
    return SenderMark(
        org=str(evidence.get("org_name") or evidence.get("org", "")), client=str(evidence.get("client", "")), via=str(evidence.get("via", "")),
        hops=tuple(str(h) for h in evidence.get("hops", ()) if isinstance(h, str)),
        dkim=tuple(s for s in evidence.get("dkim", ()) if isinstance(s, dict)),
        spf=evidence.get("spf") if isinstance(evidence.get("spf"), dict) else {},
        upstream=evidence.get("upstream") if isinstance(evidence.get("upstream"), dict) else {},
        dns_configured=evidence.get("dns") != "not configured", temporary=str(evidence.get("temporary", "")))
