"""The gateway's sender-assurance settings (from kairan.toml's [dns] and [assurance])."""

from __future__ import annotations

from dataclasses import dataclass

from archive.assurance.policy import HELP_PATH

__all__ = ["AssuranceSettings", "HELP_PATH"]


@dataclass(frozen=True)
class AssuranceSettings:
    resolvers: tuple[str, ...] = ()         # empty: no DNS checks (DKIM, SPF) at all
    dns_timeout: float = 2.0
    trusted_hops: tuple[str, ...] = ()      # CIDRs of MTAs in front of kairan whose statements are believed
    authserv_ids: tuple[str, ...] = ()      # Authentication-Results believed from these (through a trusted hop)
    help_url: str = ""                      # the page a refusal links to

    def budget_seconds(self, size: int = 0) -> float:
        """All checks of one message, at most: a few lookups for DKIM and SPF, and the body hash
        (dkimpy canonicalizes ~10 MB/s on a loaded machine, so a 50 MB message gets ~5 s more)."""
        return max(1.0, self.dns_timeout * 3) + size / (10 * 1024 * 1024)
