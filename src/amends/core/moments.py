"""A moment a caller gives (a promise's due time, when a message arrived, a clock's new deadline): an
ISO 8601 time that every database, UTC and the bank-holiday calendars can hold.

Python takes 0001-01-01T00:00+14:00, which UTC cannot hold (an OverflowError when it is stored or
compared), and year 9999, which the calendars cannot count to. Every API and form input that is a moment
is a `Moment`, so such a value is a validation error naming the field, never a server error.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

ISO_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC)


def written_as_a_time(value: object) -> object:
    """A time as ISO 8601 text (or a datetime already made): pydantic alone also reads a number, or text
    like "0.5", as seconds since 1970, which no caller means and the document does not offer."""
    if isinstance(value, datetime) or (isinstance(value, str) and ISO_START.match(value)):
        return value
    raise ValueError("must be an ISO 8601 time, like 2026-11-20T09:15:00Z")


def held(value: datetime) -> datetime:
    """The value, in UTC, if it lies within EARLIEST and LATEST (a naive one is left naive and read as
    UTC: its caller gives it a zone later); else a ValueError saying the range. In UTC because ISO 8601
    allows offsets up to 23:59 and PostgreSQL stores none beyond 15:59: 2091-12-10T16:40:44+17:46 was a
    server error there (found by schemathesis). The instant is the same."""
    try:
        utc = value.astimezone(UTC) if value.utcoffset() is not None else value.replace(tzinfo=UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise ValueError(f"must lie between {EARLIEST.year} and {LATEST.year}")
    return utc if value.utcoffset() is not None else value


# The document says the range too (a year from 1970 to 2199), so a client, or schemathesis, knows a time
# outside it is refused before sending one.
MOMENT_SCHEMA = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^(19[7-9][0-9]|2[01][0-9][0-9])-",
}

Moment = Annotated[
    datetime, BeforeValidator(written_as_a_time), AfterValidator(held), WithJsonSchema(MOMENT_SCHEMA)
]
