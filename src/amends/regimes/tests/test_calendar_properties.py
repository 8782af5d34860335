"""Properties of the calendar arithmetic that must hold for every date, nation and amount."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from amends.regimes.calendar import (
    COUNT_FROM,
    ENDS,
    LONDON,
    NATIONS,
    UNITS,
    add_business_days,
    business_days_between,
    due,
    is_business_day,
)

quick = settings(max_examples=150, deadline=None, database=None)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
nations = st.sampled_from(list(NATIONS))
counts = st.integers(min_value=0, max_value=60)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.sampled_from([LONDON, UTC])
)


@quick
@given(days, counts, nations)
def test_add_business_days_lands_on_a_business_day(d, n, nation):
    assert is_business_day(add_business_days(d, n, nation), nation)


@quick
@given(days, counts, counts, nations)
def test_add_business_days_is_monotonic_in_n(d, a, b, nation):
    low, high = sorted((a, b))
    assert add_business_days(d, low, nation) <= add_business_days(d, high, nation)
    # Strictly, except that from a non-business day n == 0 and n == 1 both give the next business day
    # (the spec: d itself never counts, and n == 0 rolls forward). Hypothesis found 1 January 2020.
    if low < high and (low > 0 or is_business_day(d, nation)):
        assert add_business_days(d, low, nation) < add_business_days(d, high, nation)


@quick
@given(days, counts, nations)
def test_business_days_between_undoes_add_business_days(d, n, nation):
    start = add_business_days(d, 0, nation)  # the spec holds from a business day
    assert business_days_between(start, add_business_days(start, n, nation), nation) == n


@quick
@given(
    moments,
    st.integers(min_value=1, max_value=20),
    nations,
    st.sampled_from(COUNT_FROM),
    st.sampled_from(ENDS),
)
def test_weeks_are_seven_calendar_days(start, n, nation, count_from, ends):
    weeks = due(start, n, "weeks", nation, count_from=count_from, ends=ends)
    assert weeks == due(start, 7 * n, "calendar_days", nation, count_from=count_from, ends=ends)
    assert weeks.date() - start.astimezone(LONDON).date() == timedelta(weeks=n)


@quick
@given(
    moments,
    st.integers(min_value=1, max_value=40),
    st.sampled_from(UNITS),
    nations,
    st.sampled_from(COUNT_FROM),
    st.sampled_from(ENDS),
)
def test_due_is_never_before_start(start, amount, unit, nation, count_from, ends):
    got = due(start, amount, unit, nation, count_from=count_from, ends=ends)
    assert got >= start
    assert got.tzinfo == LONDON
