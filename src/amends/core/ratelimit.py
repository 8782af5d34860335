"""Throttling for the public form, the login page and the customer portal: fixed-window counters in the
database.

The counters are rows (`RateCounter`), incremented with one `UPDATE ... SET count = count + 1`, so every
web process shares them, concurrent requests cannot both read the same count, and a restart resets
nothing. The client is the socket address, or behind a trusted reverse proxy the address it forwarded
(`AMENDS_TRUSTED_PROXIES`); IPv6 clients are counted per /64, the block one subscriber is given.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache, wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .models import RateCounter

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in _networks(tuple(settings.AMENDS_TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The client's IP address: the socket's, unless that is a trusted proxy.

    From a trusted proxy, X-Forwarded-For is read from the right (each proxy appends the address it was
    connected from), skipping trusted proxies; the first other address is the client. Anything to its
    left was written by the client and is ignored.
    """
    remote = _parse(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    address = remote
    if _trusted(remote):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            forwarded = _parse(hop)
            if forwarded is None:
                break  # a proxy of ours never writes this: keep the last address we can trust
            address = forwarded
            if not _trusted(forwarded):
                break
    return str(address)


def client_network(request) -> str:
    """What to count a client's attempts under: its IPv4 address, or its IPv6 /64 (one subscriber's)."""
    address = client_address(request)
    parsed = _parse(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def _key_hash(scope: str, key: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{scope}\0{key}".encode(), hashlib.sha256).hexdigest()


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False once more than `limit` attempts have been made in the current window."""
    now = timezone.now()
    start = datetime.fromtimestamp(int(now.timestamp()) // window * window, tz=UTC)
    key_hash = _key_hash(scope, key)
    counter = RateCounter.objects.filter(scope=scope, key_hash=key_hash, window_start=start)
    with transaction.atomic():
        if not counter.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(
                        scope=scope,
                        key_hash=key_hash,
                        window_start=start,
                        expires_at=start + timedelta(seconds=window),
                        count=1,
                    )
            except IntegrityError:  # another request opened this window first
                counter.update(count=F("count") + 1)
            else:  # a new window: forget the ones that have ended
                RateCounter.objects.filter(expires_at__lt=now).delete()
        count = counter.values_list("count", flat=True).get()
    return count <= limit


Rate = Callable[[], tuple[int, int]]


def throttle_before_reading(
    scope: str,
    rate: Rate,
    refused: Callable[..., HttpResponse],
    *,
    per_url_arg: str = "",
    url_arg_rate: Rate | None = None,
):
    """A view decorator: each POST is counted per client network before a byte of its body is read,
    and past `rate()` (limit, window in seconds) answered by `refused(request, *args, **kwargs)`, which
    must not read the body either. With `per_url_arg`, a POST the client's own allowance lets through is
    counted again under that argument of the URL (the portal's private link) from every client together,
    at `url_arg_rate()`, so one target cannot be hammered from many addresses. Django's CSRF check reads
    the form, so it runs here, after the counts, not before."""

    def allowed(request, kwargs) -> bool:
        limit, window = rate()
        if not allow(scope, client_network(request), limit=limit, window=window):
            return False  # not counted against the link: a client over its own limit spends no one's
        if not per_url_arg:
            return True
        limit, window = (url_arg_rate or rate)()
        return allow(f"{scope}:{per_url_arg}", str(kwargs[per_url_arg]), limit=limit, window=window)

    def decorate(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not allowed(request, kwargs):
                return refused(request, *args, **kwargs)
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)  # exempt from the middleware's check only: csrf_protect does it

    return decorate
