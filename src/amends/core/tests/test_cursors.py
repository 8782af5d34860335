"""Keyset cursors come back from callers: any text is either a cursor made here or None, never an error."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amends.core.cursors import (
    decode_cursor,
    decode_id_cursor,
    decode_moment,
    encode_cursor,
    encode_id_cursor,
)

quick = settings(max_examples=300, deadline=None, database=None)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@quick
@given(st.datetimes(timezones=st.just(UTC)) | st.none(), st.integers(min_value=1, max_value=2**63 - 1))
def test_a_cursor_reads_back_as_made(moment, pk):
    assert decode_cursor(encode_cursor(moment, pk)) == (moment, pk)
    assert decode_id_cursor(encode_id_cursor(pk)) == pk


@quick
@given(st.text(max_size=60) | st.text(max_size=40).map(_b64))
def test_any_text_is_a_cursor_or_none_never_an_error(text):
    decoded = decode_cursor(text)
    assert decoded is None or (
        (decoded[0] is None or decoded[0].utcoffset() is not None) and 0 <= decoded[1] < 2**63
    )
    moment = decode_moment(text)
    assert moment is None or moment.tzinfo == UTC
    pk = decode_id_cursor(text)
    assert pk is None or 0 <= pk < 2**63


@pytest.mark.parametrize(
    "cursor",
    [
        "²",  # str.isdigit says yes, int() says ValueError
        "٣",  # int() reads it as 3: not a cursor this API made
        "9223372036854775808",  # past a 64-bit key
        _b64("|²"),
        _b64("2026-01-01T00:00:00+00:00|٣"),
        _b64("2026-01-01T00:00:00|3"),  # naive: never one made here
        _b64("no bar"),
        _b64("0001-01-01T00:00:00+14:00|5"),  # UTC cannot hold it: an OverflowError in the query
        _b64("9999-12-31T23:59:59-14:00|5"),
    ],
)
def test_unicode_digits_huge_ids_and_naive_or_unheld_moments_are_not_cursors(cursor):
    assert decode_cursor(cursor) is None
    assert decode_id_cursor(cursor) is None


def test_a_moment_reads_back_in_utc():
    london = datetime(2026, 7, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert decode_moment(london.isoformat()) == london and decode_moment(london.isoformat()).tzinfo == UTC
    assert decode_cursor(encode_cursor(london, 7)) == (london, 7)
