from datetime import UTC, datetime, timedelta, timezone

import pytest

from amends.core.moments import EARLIEST, LATEST, held


def test_a_moment_inside_the_range_is_kept_as_given():
    moment = datetime(2026, 11, 2, 10, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert held(moment) is moment
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
