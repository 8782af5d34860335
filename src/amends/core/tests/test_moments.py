from datetime import UTC, datetime, timedelta, timezone

import pytest

from amends.core.moments import EARLIEST, LATEST, held


def test_a_moment_inside_the_range_is_kept_as_the_same_instant_in_utc():
    moment = datetime(2026, 11, 2, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert held(moment) == moment and held(moment).utcoffset() == timedelta(0)
    # ISO 8601 allows an offset PostgreSQL cannot store (beyond 15:59): held in UTC, it stores anywhere.
    far = datetime(2091, 12, 10, 16, 40, 44, tzinfo=timezone(timedelta(hours=17, minutes=46)))
    assert held(far) == far and held(far).tzinfo == UTC
    assert held(datetime(2026, 11, 2, 10, 0)) == datetime(2026, 11, 2, 10, 0)  # naive: its caller zones it
    assert held(EARLIEST) == EARLIEST and held(LATEST) == LATEST


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),  # before UTC's year 1: OverflowError
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
        EARLIEST - timedelta(seconds=1),
        datetime(2200, 1, 1),
    ],
)
def test_a_moment_outside_is_a_value_error_saying_the_range(moment):
    with pytest.raises(ValueError, match="between 1970 and 2199"):
        held(moment)


@pytest.mark.parametrize("given", [0.5, 1_700_000_000, "0.5", "1700000000", "yesterday"])
def test_a_number_is_not_read_as_seconds_since_1970(given):
    from pydantic import TypeAdapter, ValidationError

    from amends.core.moments import Moment

    with pytest.raises(ValidationError, match="must be an ISO 8601 time"):
        TypeAdapter(Moment).validate_python(given)


def test_a_moment_written_as_iso_text_is_read():
    from pydantic import TypeAdapter

    from amends.core.moments import Moment

    read = TypeAdapter(Moment).validate_python("2026-11-20T09:15:00Z")
    assert read == datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
