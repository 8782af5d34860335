"""Keyset cursors: the opaque `next_cursor` a list hands out and the next request hands back.

A cursor comes back from the caller, so reading one is strict: anything but a cursor made here is None (the
API answers 400, a page starts from the top), never an exception. Digits are ASCII digits only:
`str.isdigit` and `int` also take "²" or "٣", and the first of those is a ValueError later.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime

# A primary key: ASCII digits, inside a signed 64-bit column (checked by _pk).
PK = r"[0-9]{1,19}"
_PK_RE = re.compile(PK)
PK_MAX = 2**63 - 1


def _pk(text: str) -> int | None:
    return int(text) if _PK_RE.fullmatch(text) and int(text) <= PK_MAX else None


def encode_cursor(value: datetime | None, pk: int) -> str:
    """A (moment, id) keyset position; the moment aware, or None where the row has none."""
    stamp = value.isoformat() if value else ""
    return base64.urlsafe_b64encode(f"{stamp}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | None, int] | None:
    if not cursor.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except ValueError:  # not base64, or not ASCII inside (binascii.Error, UnicodeDecodeError)
        return None
    stamp, bar, digits = raw.rpartition("|")
    pk = _pk(digits)
    if not bar or pk is None:
        return None
    if not stamp:
        return None, pk
    moment = decode_moment(stamp)
    return None if moment is None else (moment, pk)


def decode_moment(text: str) -> datetime | None:
    """A moment handed back by a caller (a cursor's, or a page's ?before=), in UTC; None unless it is an
    ISO 8601 time with its offset that UTC can hold (0001-01-01T00:00+14:00 cannot: an OverflowError)."""
    if not text.isascii():
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.utcoffset() is None:  # every moment stored is aware; a naive one was not made here
            return None
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def encode_id_cursor(pk: int) -> str:
    """An id keyset position, for lists ordered by id alone."""
    return str(pk)


def decode_id_cursor(cursor: str) -> int | None:
    return _pk(cursor)
