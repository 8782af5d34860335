"""Identifiers and times shared by the portable records (CASE, xAPI, Open Badges). Framework-free.

Every identifier is a UUID 5 of a fixed namespace and a name that says what it identifies ("CFItem:CFACSC4
P11", "evidence:42:CFACSC4 P11"), so building a record twice gives the same identifiers: a re-export
replaces what an LRS or a wallet already holds instead of duplicating it. The namespace never changes, and
the names do not include the site's address, so moving the site keeps every identifier.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

NAMESPACE = uuid.UUID("c75f4629-6d6f-4445-9143-e64ee276c9bb")


class PortableRecordError(ValueError):
    """A portable record cannot be built from what was given, or does not validate; `problems` lists why."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


def stable_uuid(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


def utc_iso(moment: datetime) -> str:
    """An aware datetime as ISO 8601 in UTC with a Z ("2026-12-07T09:30:00Z"); a naive one is refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PortableRecordError(f"{moment!r} has no time zone: portable records carry UTC times")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def base(url: str) -> str:
    """The site's address without a trailing slash; it must be http(s)."""
    url = (url or "").strip().rstrip("/")
    if not url.startswith(("https://", "http://")):
        raise PortableRecordError(f"{url!r} is not an http(s) address to mint identifiers under")
    return url
