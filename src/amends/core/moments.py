"""A moment a caller gives (a promise's due time, when a message arrived, a clock's new deadline): an
ISO 8601 time that every database, UTC and the bank-holiday calendars can hold.

Python takes 0001-01-01T00:00+14:00, which UTC cannot hold (an OverflowError when it is stored or
compared), and year 9999, which the calendars cannot count to. Every API and form input that is a moment
is a `Moment`, so such a value is a validation error naming the field, never a server error.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC)


def held(value: datetime) -> datetime:
    """The value unchanged if it lies within EARLIEST and LATEST (a naive one read as UTC: its caller
    gives it a zone later); else a ValueError saying the range."""
    try:
        utc = value.astimezone(UTC) if value.utcoffset() is not None else value.replace(tzinfo=UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError(f"must lie between {EARLIEST.year} and {LATEST.year}")
    return value


Moment = Annotated[datetime, AfterValidator(held)]
