"""DKIM: is there a valid signature by a domain aligned with From? (dkimpy does the crypto.)"""

from __future__ import annotations

from dataclasses import dataclass

import dkim

from bridge.assurance.alignment import aligned
from bridge.assurance.resolver import DnsTemporary, Resolver

MAX_SIGNATURES = 5          # hostile mail may carry hundreds; each costs a DNS lookup


@dataclass(frozen=True)
class Signature:
    domain: str
    selector: str
    result: str             # pass | fail | temperror
    aligned: bool
    reason: str = ""

    def evidence(self) -> dict:
        found = {"domain": self.domain, "selector": self.selector, "result": self.result, "aligned": self.aligned}
        return found | ({"reason": self.reason} if self.reason else {})


class _Quiet:
    """dkimpy logs every bad signature as an error; for mail from outside that is no error of ours."""

    def debug(self, *args, **kwargs) -> None:
        pass

    info = warning = error = debug


def check_dkim(raw: bytes, from_domain: str, org_domains: tuple[str, ...], resolver: Resolver) -> list[Signature]:
    """Every DKIM signature (up to MAX_SIGNATURES), verified; blocking (DNS and hashing)."""
    try:
        message = dkim.DKIM(raw, logger=_Quiet(), timeout=resolver.timeout)
        count = sum(1 for name, _ in message.headers if name.lower() == b"dkim-signature")
    except Exception as error:                     # unparseable for dkimpy: no signature to believe
        return [Signature("", "", "fail", False, f"message not readable for DKIM: {type(error).__name__}")]
    return [_verify(message, index, from_domain, org_domains, resolver) for index in range(min(count, MAX_SIGNATURES))]


def _verify(message: dkim.DKIM, index: int, from_domain: str, org_domains: tuple[str, ...],
            resolver: Resolver) -> Signature:
    message.domain, message.selector = None, None
    try:
        ok = message.verify(idx=index, dnsfunc=resolver.txt)
        reason = "" if ok else "signature does not verify (changed after signing, or wrong key)"
        result = "pass" if ok else "fail"
    except DnsTemporary as error:
        result, reason = "temperror", str(error)
    except Exception as error:                     # dkimpy's DKIMException, or worse on hostile input
        result, reason = "fail", f"{type(error).__name__}: {error}"[:200]
    domain = _text(message.domain)
    return Signature(domain, _text(message.selector), result, aligned(domain, from_domain, org_domains),
                     reason)


def _text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    return str(value or "")
