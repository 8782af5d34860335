"""A fixed-window counter in Django's cache, for the public form and the login page."""

from __future__ import annotations

import time

from django.core.cache import cache


def client_address(request) -> str:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR; X-Forwarded-For is trivially forged.
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once `limit` attempts have been made in the current window."""
    bucket = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit
