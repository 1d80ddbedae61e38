"""Request limits per client address: a fixed window counted in the cache.

`over_limit` counts one request of an address under a scope and says how many seconds it must
wait when that makes more than `limit` in the current window of `window` seconds (0 otherwise);
`too_many_requests` is the 429 page with Retry-After. The counts live in settings.CACHES: Redis
in production (CACHE_URL), so every gunicorn worker and thread shares one count per address; the
keys expire with their window, so nothing grows. An IPv6 address is counted by its /64 network
(one subscriber's), or it could change its address for every request.
"""

import ipaddress
import math
import time

from django.core.cache import cache
from django.shortcuts import render


def client_key(address: str | None) -> str:
    """The address as counted: IPv4 as it is, IPv6 as its /64 network."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def over_limit(*, scope: str, address: str | None, limit: int, window: int, now: float | None = None) -> int:
    """Count this request; the seconds to wait if it is over the limit, else 0."""
    now = time.time() if now is None else now
    index = int(now // window)
    key = f"rate:{scope}:{client_key(address)}:{index}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 60)
        count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil((index + 1) * window - now))


def too_many_requests(request, *, retry_after: int, what: str):
    """The 429 page: what was limited and when to try again, with Retry-After (seconds)."""
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(
        request,
        "errors/429.html",
        {"what": what, "wait": "1 minute" if minutes == 1 else f"{minutes} minutes"},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response
