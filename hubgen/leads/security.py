"""Request checks that need no database: who is posting, and from which site (pure).

Origin policy:
- a request with ``Origin`` is allowed only when it is the hub's origin (or an extra allowed
  origin, for a preview copy of the site); ``Origin: null`` is refused;
- without ``Origin``, a browser's ``Sec-Fetch-Site: cross-site`` is refused;
- with neither header the caller is not a browser (curl, a partner's server, a test), which
  cannot be tricked into posting by another site, so it is allowed (and still rate limited).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def origin_allowed(headers: Mapping[str, str], allowed: Iterable[str]) -> bool:
    origin = headers.get("origin")
    if origin is not None:
        return origin.rstrip("/") in {a.rstrip("/") for a in allowed if a}
    site = headers.get("sec-fetch-site")
    return site is None or site in ("same-origin", "same-site", "none")


def trusted_networks(proxies: Iterable[str]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def client_address(peer: str, forwarded_for: str | None, trusted: tuple[IPNetwork, ...]) -> str:
    """The visitor's address: the peer's, unless the peer is a trusted proxy.

    Behind trusted proxies, X-Forwarded-For is read from the right, skipping the proxies' own
    addresses: the left part is written by the client and can say anything.
    """
    if not trusted or not forwarded_for or not _is_trusted(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop if _is_ip(hop) else peer
    return hops[0] if hops and _is_ip(hops[0]) else peer


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, trusted: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)
