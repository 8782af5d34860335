"""Reporting periods: dates in, the London moments they cover out. Framework-free.

A period is a span of whole London days, both ends included (1 January to 30 June). Its moments run from
00:00 Europe/London on the first day up to, not including, 00:00 on the day after the last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
LONGEST_DAYS = 3 * 366  # a return covers at most three years (bounds the work one request can ask for)


class PeriodError(ValueError):
    """A period that cannot be reported on; the message says why."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise PeriodError(f"The period ends ({self.last}) before it starts ({self.first})")
        if (self.last - self.first).days > LONGEST_DAYS:
            raise PeriodError("A return covers at most three years")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=LONDON)

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LONDON)

    def __str__(self) -> str:
        return f"{self.first:%d %B %Y} to {self.last:%d %B %Y}"

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def last_half_year(today: date) -> Period:
    """The last complete half-year before `today`: January-June or July-December. DISP 1.10's periods
    for a firm reporting twice a year run from its accounting reference date [M]; these are the calendar
    halves, and any dates may be asked for."""
    if today.month > 6:
        return Period(date(today.year, 1, 1), date(today.year, 6, 30))
    return Period(date(today.year - 1, 7, 1), date(today.year - 1, 12, 31))


def last_twelve_months(today: date) -> Period:
    """The twelve complete months before the current one: the annual report's default preview."""
    first_of_month = today.replace(day=1)
    last = first_of_month - timedelta(days=1)
    start = date(last.year - 1, last.month, 1) + timedelta(days=32)
    return Period(start.replace(day=1), last)


def financial_year(start_year: int) -> Period:
    """1 April `start_year` to 31 March the year after: the year most landlords report on."""
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31))


def parse(first: str | date | None, last: str | date | None, default: Period) -> Period:
    """A period from two ISO dates (either may be left out: the default's), checked."""
    try:
        a = first if isinstance(first, date) else date.fromisoformat(first) if first else default.first
        b = last if isinstance(last, date) else date.fromisoformat(last) if last else default.last
    except ValueError as exc:
        raise PeriodError("Give the period's dates as YYYY-MM-DD") from exc
    return Period(a, b)
