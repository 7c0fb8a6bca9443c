"""Space addresses: `SLUG@DOMAIN` and `SLUG+TOKEN@DOMAIN`, case-insensitive."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOCAL = re.compile(r"^(?P<slug>[a-z0-9][a-z0-9-]{0,62})(?:\+(?P<token>[a-z0-9]{1,64}))?$")


@dataclass(frozen=True)
class SpaceAddress:
    slug: str
    token: str | None


def split_address(address: str) -> tuple[str, str]:
    """('local', 'domain'), lowercased; ('', '') when it is no address at all."""
    address = address.strip().strip("<>").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return "", ""
    return local, domain


def parse_space_address(address: str, domain: str) -> SpaceAddress | None:
    """The space (and thread token) an address names at our domain, or None."""
    local, their_domain = split_address(address)
    if their_domain != domain.lower():
        return None
    match = _LOCAL.match(local)
    if match is None:
        return None
    return SpaceAddress(match["slug"], match["token"])


def space_address(slug: str, domain: str, token: str | None = None) -> str:
    return f"{slug}+{token}@{domain}" if token else f"{slug}@{domain}"
