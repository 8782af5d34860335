"""The signature on a webhook Amends posts to an integration, and how its receiver checks it.

Stripe's scheme: the header `Amends-Signature: t=<unix seconds>,v1=<hex>` where the hex is
HMAC-SHA256, keyed with the integration's secret, of `<t>.<the request body exactly as sent>`. The time
is signed with the body, so a receiver that refuses an old `t` (five minutes, say) cannot be fed a
recorded request again; comparing in constant time keeps the secret from leaking through timing. A
receiver that does not run Python checks it in a few lines of its own language (README, "Replying on
the customer's channel").

Framework-free: the worker signs with it, and a receiver may copy it as it is.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Amends-Signature"
SCHEME = "v1"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of `<timestamp>.<body>` under `secret`."""
    signed = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `Amends-Signature` header's value for this body sent at `timestamp`."""
    return f"t={timestamp},{SCHEME}={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether `header` signs `body` with `secret`, at a time no further than `tolerance` seconds from
    `now`. Any v1 signature in the header may match (a receiver changing its secret may list two)."""
    timestamp, candidates = _parse(header)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, c) for c in candidates)


def _parse(header: str) -> tuple[int | None, list[str]]:
    timestamp: int | None = None
    candidates = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SCHEME and value:
            candidates.append(value)
    return timestamp, candidates
