"""UK business-day calendars and deadline arithmetic. Framework-free: nothing here imports Django.

Nations are the four UK nations a customer lives in, each with its bank holidays:

    "england"           England (holidays package GB subdivision ENG)
    "wales"             Wales (WLS: today the same days as England, but set by the Welsh Government)
    "scotland"          Scotland (SCT)
    "northern-ireland"  Northern Ireland (NIR)

A business day is Monday to Friday that is not a bank holiday in that nation (the holidays package, with
substitute days), and never Christmas Day or Good Friday: the FCA Glossary "business day" names both
explicitly, so they are excluded even if a data source ever left them out. "Working days" in the ombudsman
codes are not defined there; we count them exactly like business days for the same nation
(regulation.md section 1, [M]).

Every deadline is a moment in Europe/London. The day a clock starts is the London date of the start
moment, whatever time zone the moment was given in (23:30 UTC on 30 June is 00:30 BST on 1 July, so 1 July).
There is no "received after close of business counts as the next day" rule: DISP 1.5.3G, which allowed it,
is deleted from 2016, so a complaint received at 18:30 on a Friday starts its clock on that Friday.
"""

from __future__ import annotations

import calendar as _calendar
import functools
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from dateutil.easter import easter

LONDON = ZoneInfo("Europe/London")

NATIONS: dict[str, tuple[str, ...]] = {
    "england": ("ENG",),
    "wales": ("WLS",),
    "scotland": ("SCT",),
    "northern-ireland": ("NIR",),
}
NATION_NAMES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}

CALENDAR_UNITS = ("calendar_days", "weeks", "months")
BUSINESS_UNITS = ("business_days", "working_days")
UNITS = (*CALENDAR_UNITS, *BUSINESS_UNITS)
COUNT_FROM = ("next_day", "same_day")
ENDS = ("end_of_day", "close_of_business")
END_OF_DAY = time(23, 59, 59)
CLOSE_OF_BUSINESS = time(17, 0)


class CalendarError(ValueError):
    """A nation, unit or argument this module does not know. The message says what was expected."""


def check_nation(nation: str) -> str:
    if nation not in NATIONS:
        raise CalendarError(f"Unknown nation {nation!r}: expected one of {', '.join(NATIONS)}")
    return nation


@functools.lru_cache(maxsize=1024)
def bank_holidays(nation: str, year: int) -> frozenset[date]:
    """The days in `year` that are not business days for `nation` although they may fall Mon-Fri.

    Cached per (nation, year): building a holidays calendar is slow next to the day-by-day counting.
    """
    check_nation(nation)
    days: set[date] = set()
    for subdivision in NATIONS[nation]:
        days.update(holidays.country_holidays("GB", subdiv=subdivision, years=year).keys())
    days.add(date(year, 12, 25))
    days.add(easter(year) - timedelta(days=2))  # Good Friday
    return frozenset(days)


def is_business_day(d: date, nation: str) -> bool:
    """Monday to Friday and not a bank holiday (nor Christmas Day, nor Good Friday) in `nation`."""
    return d.weekday() < 5 and d not in bank_holidays(nation, d.year)


def add_business_days(d: date, n: int, nation: str) -> date:
    """The n-th business day after `d` (d itself never counts: the next business day is number 1).

    n == 0 gives `d` if it is a business day, otherwise the next business day. n must not be negative.
    """
    if n < 0:
        raise CalendarError(f"add_business_days needs n >= 0, not {n}")
    check_nation(nation)
    current = d
    if n == 0:
        while not is_business_day(current, nation):
            current += timedelta(days=1)
        return current
    counted = 0
    while counted < n:
        current += timedelta(days=1)
        if is_business_day(current, nation):
            counted += 1
    return current


def business_days_before(d: date, n: int, nation: str) -> date:
    """The n-th business day before `d` (d itself never counts). n == 0 gives `d` unchanged."""
    if n < 0:
        raise CalendarError(f"business_days_before needs n >= 0, not {n}")
    check_nation(nation)
    current = d
    counted = 0
    while counted < n:
        current -= timedelta(days=1)
        if is_business_day(current, nation):
            counted += 1
    return current


def business_days_between(a: date, b: date, nation: str) -> int:
    """How many business days fall after `a` up to and including `b`.

    So business_days_between(d, add_business_days(d, n, nation), nation) == n when d is a business day,
    and it is 0 when a == b. If b is before a, the answer is the negative of business_days_between(b, a).
    """
    check_nation(nation)
    if b < a:
        return -business_days_between(b, a, nation)
    count = 0
    current = a
    while current < b:
        current += timedelta(days=1)
        if is_business_day(current, nation):
            count += 1
    return count


def add_months(d: date, n: int) -> date:
    """The same day of the month n months later (n may be negative), clamped to the month's last day:
    31 August + 6 months is 28 February (29 in a leap year)."""
    month_index = d.month - 1 + n
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, _calendar.monthrange(year, month)[1]))


def due_date(
    start_day: date,
    amount: int,
    unit: str,
    nation: str,
    *,
    count_from: str = "next_day",
    start_counts: bool = True,
) -> date:
    """The date a period of `amount` `unit`s that starts on `start_day` ends.

    Calendar units (calendar_days, weeks, months) are plain date arithmetic and ignore bank holidays and
    weekends, and `count_from` makes no difference to them: with "next_day" the day after the start is day 1,
    so day 56 of "8 weeks" is start + 56 days; "same_day" is defined by the contract as start date + N weeks,
    the same date. 8 weeks after Monday 2 March is Monday 27 April; if that is a Sunday or a bank holiday the
    period still ends on it. Months keep the day of the month, clamped (see add_months).

    Business units (business_days, working_days) count business days of `nation`:
    - "next_day": the start day never counts; the first business day after it is day 1. Received Wednesday
      1 April 2026 (England), "3 business days" ends Wednesday 8 April: Thursday 2 is day 1, Good Friday and
      Easter Monday do not count, Tuesday 7 and Wednesday 8 are days 2 and 3.
    - "same_day": the start day is day 1 if it is a business day and `start_counts` (the caller says False
      when the start moment is already past the period's end time that day); otherwise the next business
      day is day 1. "5 working days" from Monday 9 March 2026 then ends Friday 13 March.
    """
    check_nation(nation)
    if unit not in UNITS:
        raise CalendarError(f"Unknown unit {unit!r}: expected one of {', '.join(UNITS)}")
    if count_from not in COUNT_FROM:
        raise CalendarError(f"Unknown count_from {count_from!r}: expected one of {', '.join(COUNT_FROM)}")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise CalendarError(f"A period needs a whole amount of at least 1, not {amount!r}")
    if unit == "calendar_days":
        return start_day + timedelta(days=amount)
    if unit == "weeks":
        return start_day + timedelta(weeks=amount)
    if unit == "months":
        return add_months(start_day, amount)
    if count_from == "next_day":
        return add_business_days(start_day, amount, nation)
    first = start_day if start_counts and is_business_day(start_day, nation) else None
    if first is None:
        first = add_business_days(start_day, 1, nation)
    return add_business_days(first, amount - 1, nation)


def date_before(d: date, amount: int, unit: str, nation: str) -> date:
    """The date `amount` `unit`s before `d`, counted backwards the same way due_date counts forwards
    ("10 business days before Wednesday 27 May 2026" in England is Tuesday 12 May: the Spring bank holiday
    on 25 May does not count)."""
    if unit not in UNITS:
        raise CalendarError(f"Unknown unit {unit!r}: expected one of {', '.join(UNITS)}")
    if unit == "calendar_days":
        return d - timedelta(days=amount)
    if unit == "weeks":
        return d - timedelta(weeks=amount)
    if unit == "months":
        return add_months(d, -amount)
    return business_days_before(d, amount, nation)


def to_london(moment: datetime) -> datetime:
    """The same instant in Europe/London. A naive datetime is refused: its instant is unknown."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(f"{moment.isoformat()} has no time zone; give an aware datetime")
    return moment.astimezone(LONDON)


def due(
    start: datetime,
    amount: int,
    unit: str,
    nation: str,
    *,
    count_from: str = "next_day",
    ends: str = "end_of_day",
    close_of_business: time = CLOSE_OF_BUSINESS,
) -> datetime:
    """The moment (aware, Europe/London) a clock of `amount` `unit`s that starts at `start` runs out.

    The period is counted on the London date of `start` by due_date (see there for each unit). On the last
    day it ends at 23:59:59 ("end_of_day") or at `close_of_business`, 17:00 by default
    ("close_of_business"). With "same_day" business counting, a start after that end time on its own day
    does not count as day 1, so a deadline is never earlier than the event that starts it.
    """
    if ends not in ENDS:
        raise CalendarError(f"Unknown ends {ends!r}: expected one of {', '.join(ENDS)}")
    local = to_london(start)
    end_time = END_OF_DAY if ends == "end_of_day" else close_of_business
    day = due_date(
        local.date(),
        amount,
        unit,
        nation,
        count_from=count_from,
        start_counts=local.time() < end_time,
    )
    return datetime.combine(day, end_time, tzinfo=LONDON)


def customer_date(moment: datetime, nation: str) -> date:
    """The date we tell a customer for a deadline at `moment`: its London date, or the last business day
    of `nation` before it when that date is a weekend or holiday. Never later than the deadline, and
    never a day the customer could not reach us (we promise a reply by Thursday, not on Christmas Day)."""
    check_nation(nation)
    day = to_london(moment).date()
    while not is_business_day(day, nation):
        day -= timedelta(days=1)
    return day
