"""DNS for the sender checks: only the resolvers in kairan.toml, a short timeout, a cache.

A lookup ends in one of three ways: records, no records (NXDOMAIN or no answer: a fact
about the sender's domain), or `DnsTemporary` (timeout, SERVFAIL, nobody answering:
a fact about the network, never held against the sender as a failed check).
"""

from __future__ import annotations

import dns.exception
import dns.name
import dns.nameserver
import dns.resolver

CACHE_ENTRIES = 4096


class DnsTemporary(Exception):
    """The resolvers didn't answer (in time): the check can't be decided now."""


def nameserver(text: str) -> dns.nameserver.Do53Nameserver:
    """'10.0.0.53', '10.0.0.53:5353', '[::1]:53' or '::1' as a plain DNS server."""
    text = text.strip()
    if text.startswith("["):
        host, _, port = text[1:].partition("]")
        port = port.lstrip(":")
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        host, port = text, ""
    return dns.nameserver.Do53Nameserver(host, int(port) if port else 53)


class Resolver:
    """Thread-safe (dnspython's resolver and LRU cache): the checks run in worker threads."""

    def __init__(self, servers: tuple[str, ...], timeout: float = 2.0):
        self.configured = bool(servers)
        self.timeout = timeout
        self._resolver = dns.resolver.Resolver(configure=False)
        if servers:
            self._resolver.nameservers = [nameserver(s) for s in servers]
        self._resolver.timeout = timeout
        self._resolver.lifetime = timeout
        self._resolver.retry_servfail = False
        self._resolver.cache = dns.resolver.LRUCache(CACHE_ENTRIES)

    def query(self, name: str | bytes, rdtype: str) -> list:
        """The records' rdata, [] when the name or the type doesn't exist."""
        if not self.configured:
            raise DnsTemporary("no DNS resolver is configured ([dns] resolvers in kairan.toml)")
        if isinstance(name, bytes):
            name = name.decode("ascii", "replace")
        try:
            return list(self._resolver.resolve(name, rdtype, search=False, raise_on_no_answer=False))
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
            raise DnsTemporary(f"DNS lookup of {name} {rdtype} failed: {type(error).__name__}") from None
        except (dns.name.NameTooLong, dns.name.LabelTooLong, dns.name.EmptyLabel):
            return []                                 # a malformed name: nothing to find
        except dns.exception.DNSException as error:
            raise DnsTemporary(f"DNS lookup of {name} {rdtype} failed: {error}") from None

    def txt(self, name: str | bytes, timeout: float = 0) -> bytes | None:
        """dkimpy's `dnsfunc`: the first TXT record's strings joined, or None."""
        for rdata in self.query(name, "TXT"):
            return b"".join(rdata.strings)
        return None
