"""Hand-checked deadlines on the real 2026-27 UK calendars.

Each row was worked out by hand from the bank-holiday dates (comment = the reasoning), then
test_every_row_agrees_with_the_holidays_package recounts it straight from the `holidays` package and the
weekday column re-checks the day-of-week arithmetic, so a misremembered date fails loudly.

2026 facts used: Good Friday 3 Apr, Easter Monday 6 Apr (not Scotland); early May 4 May; spring 25 May;
summer 31 Aug (England, NI) but 3 Aug (Scotland); St Patrick's 17 Mar (NI); Boyne 12 Jul is a Sunday so
13 Jul (NI); St Andrew's Mon 30 Nov (Scotland); Christmas Fri 25 Dec, Boxing Day Sat 26 Dec so Mon 28 Dec;
1 Jan 2027 Fri; 2 Jan 2027 Sat so Mon 4 Jan (Scotland). BST runs 29 Mar to 25 Oct 2026.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
import pytest

from amends.regimes.calendar import (
    CLOSE_OF_BUSINESS,
    END_OF_DAY,
    LONDON,
    CalendarError,
    add_business_days,
    add_months,
    bank_holidays,
    business_days_before,
    business_days_between,
    due,
    is_business_day,
)

E, W, S, N = "england", "wales", "scotland", "northern-ireland"
BD, WD = "business_days", "working_days"
NEXT, SAME = "next_day", "same_day"
EOD, COB = "end_of_day", "close_of_business"


def R(row_id, start, amount, unit, nation, count_from, ends, expected):
    """One table row; `expected` is "Wed 2026-04-08": the due date and its weekday, checked separately."""
    weekday, day = expected.split()
    return pytest.param(
        start, amount, unit, nation, count_from, ends, date.fromisoformat(day), weekday, id=row_id
    )


# R(id, start, amount, unit, nation, count_from, ends, "weekday due-date"); the time of day follows `ends`:
# 23:59:59 for end_of_day, 17:00 for close_of_business, in Europe/London.
ROWS = [
    # FCA summary resolution across Easter: Thu 2 Apr = 1; Good Fri 3 and Easter Mon 6 skipped; Tue 7 = 2, Wed
    # 8 = 3
    R("src-easter-eng", "2026-04-01T10:00+01:00", 3, BD, E, NEXT, COB, "Wed 2026-04-08"),
    # Scotland has no Easter Monday holiday: Thu 2 = 1, Mon 6 = 2, Tue 7 = 3
    R("src-easter-sct", "2026-04-01T10:00+01:00", 3, BD, S, NEXT, COB, "Tue 2026-04-07"),
    # Northern Ireland keeps Easter Monday, so as England
    R("src-easter-ni", "2026-04-01T10:00+01:00", 3, BD, N, NEXT, COB, "Wed 2026-04-08"),
    # Wales has its own holidays (today the same as England's): Easter Monday skipped
    R("src-easter-wls", "2026-04-01T10:00+01:00", 3, BD, W, NEXT, COB, "Wed 2026-04-08"),
    # Received Saturday 7 Mar: Mon 9 = 1, Tue 10 = 2, Wed 11 = 3
    R("saturday", "2026-03-07T11:00+00:00", 3, BD, E, NEXT, COB, "Wed 2026-03-11"),
    # Friday 18:30: no after-hours roll (DISP 1.5.3G deleted), but Mon 9 is still day 1, so as Saturday
    R("fri-after-17", "2026-03-06T18:30+00:00", 3, BD, E, NEXT, COB, "Wed 2026-03-11"),
    # Thursday 18:30 counts from Thursday: Fri 6 = 1, Mon 9 = 2, Tue 10 = 3
    R("thu-after-17", "2026-03-05T18:30+00:00", 3, BD, E, NEXT, COB, "Tue 2026-03-10"),
    # St Patrick's Tue 17 Mar skipped in NI: Wed 18 = 1, Thu 19 = 2, Fri 20 = 3
    R("st-patrick-ni", "2026-03-16T09:00+00:00", 3, WD, N, NEXT, EOD, "Fri 2026-03-20"),
    # ...and an ordinary Tuesday in England: Tue 17 = 1, Wed 18 = 2, Thu 19 = 3
    R("st-patrick-eng", "2026-03-16T09:00+00:00", 3, WD, E, NEXT, EOD, "Thu 2026-03-19"),
    # 23:30 UTC on 30 Jun is 00:30 BST on Wed 1 Jul; 1 Jul + 56 days = 26 Aug (30 days to 31 Jul, 26 more)
    R("bst-date", "2026-06-30T23:30+00:00", 8, "weeks", E, SAME, EOD, "Wed 2026-08-26"),
    # In winter 23:30 UTC is 23:30 GMT, still Thu 15 Jan; +56 days = 12 Mar (16 to 31 Jan, 28 Feb, 12 Mar)
    R("gmt-date", "2026-01-15T23:30+00:00", 8, "weeks", E, SAME, EOD, "Thu 2026-03-12"),
    # 23:15 UTC 30 Apr is 00:15 BST Fri 1 May; Mon 4 May bank holiday; Tue 5 = 1, Wed 6 = 2, Thu 7 = 3
    R("bst-may", "2026-04-30T23:15+00:00", 3, WD, E, NEXT, EOD, "Thu 2026-05-07"),
    # 00:30 UTC 25 Oct is 01:30 BST on Sun 25 Oct (BST ends 01:00 UTC); Mon 26 = 1 ... Wed 28 = 3, now GMT
    R("bst-ends", "2026-10-25T00:30+00:00", 3, BD, E, NEXT, COB, "Wed 2026-10-28"),
    # 8 weeks is 56 calendar days: Mon 2 Mar + 56 = Mon 27 Apr, ending in BST
    R("8w-dst", "2026-03-02T09:00+00:00", 8, "weeks", E, SAME, EOD, "Mon 2026-04-27"),
    # Received Sat 7 Mar: +56 = Sat 2 May; a calendar period is not moved off a weekend
    R("8w-sat", "2026-03-07T10:00+00:00", 8, "weeks", E, SAME, EOD, "Sat 2026-05-02"),
    # Fri 6 Nov + 56 = Fri 1 Jan 2027 (24 to 30 Nov, 31 Dec, 1 Jan); a bank holiday does not move it either
    R("8w-ny", "2026-11-06T10:00+00:00", 8, "weeks", E, SAME, EOD, "Fri 2027-01-01"),
    # Thu 31 Dec + 56 = Thu 25 Feb 2027 (31 to 31 Jan, 25 more)
    R("8w-feb", "2026-12-31T12:00+00:00", 8, "weeks", S, SAME, EOD, "Thu 2027-02-25"),
    # 2 weeks from Wed 23 Dec = Wed 6 Jan, holidays irrelevant
    R("2w", "2026-12-23T09:00+00:00", 2, "weeks", E, NEXT, EOD, "Wed 2027-01-06"),
    # 14 calendar days from Sat 19 Dec = Sat 2 Jan 2027 (12 to 31 Dec, 2 more)
    R("14d", "2026-12-19T09:00+00:00", 14, "calendar_days", E, NEXT, EOD, "Sat 2027-01-02"),
    # 6 months from 31 Aug = 31 Feb, clamped to 28 Feb 2027 (not a leap year)
    R("6m-clamp", "2026-08-31T10:00+01:00", 6, "months", E, SAME, EOD, "Sun 2027-02-28"),
    # 6 months from Wed 15 Apr = Thu 15 Oct, still BST
    R("6m", "2026-04-15T10:00+01:00", 6, "months", E, SAME, EOD, "Thu 2026-10-15"),
    # 1 month from Mon 31 Jan 2028 = 29 Feb 2028 (leap year)
    R("1m-leap", "2028-01-31T10:00+00:00", 1, "months", E, SAME, EOD, "Tue 2028-02-29"),
    # HOS stage 1 response, 10 WD after an acknowledgement on Mon 21 Dec: 22, 23, 24 = 3; 25 and 28
    # (substitute Boxing Day) skipped; 29, 30, 31 = 6; 1 Jan skipped; 4, 5, 6, 7 Jan = 10
    R("hos-xmas-eng", "2026-12-21T23:59:59+00:00", 10, WD, E, NEXT, EOD, "Thu 2027-01-07"),
    # Scotland also loses Mon 4 Jan (substitute for Sat 2 Jan): 22-24, 29-31 = 6; 5, 6, 7, 8 Jan = 10
    R("hos-xmas-sct", "2026-12-21T23:59:59+00:00", 10, WD, S, NEXT, EOD, "Fri 2027-01-08"),
    # NI from Christmas Eve: Fri 25 and Mon 28 skipped; Tue 29 = 1, Wed 30 = 2, Thu 31 = 3
    R("xmas-ni", "2026-12-24T10:00+00:00", 3, WD, N, NEXT, EOD, "Thu 2026-12-31"),
    # Scotland from Wed 30 Dec: Thu 31 = 1; Fri 1 Jan and Mon 4 Jan skipped; Tue 5 = 2, Wed 6 = 3
    R("ny-sct", "2026-12-30T10:00+00:00", 3, WD, S, NEXT, EOD, "Wed 2027-01-06"),
    # England from Wed 30 Dec: Thu 31 = 1; Fri 1 Jan skipped; Mon 4 = 2, Tue 5 = 3
    R("ny-eng", "2026-12-30T10:00+00:00", 3, WD, E, NEXT, EOD, "Tue 2027-01-05"),
    # Water 10 WD from Fri 18 Dec: 21-24 = 4; 29-31 = 7; 1 Jan skipped; 4, 5, 6 Jan = 10
    R("water-xmas", "2026-12-18T10:00+00:00", 10, WD, E, NEXT, EOD, "Wed 2027-01-06"),
    # HOS stage 2, 20 WD from Mon 7 Dec: 8-11 = 4, 14-18 = 9, 21-24 = 13, 29-31 = 16, 4-7 Jan = 20
    R("hos-s2-xmas", "2026-12-07T10:00+00:00", 20, WD, E, NEXT, EOD, "Thu 2027-01-07"),
    # Internal 2 BD by close of business from Christmas Eve: 25 and 28 skipped; Tue 29 = 1, Wed 30 = 2
    R("iso-ack-xmas", "2026-12-24T10:00+00:00", 2, BD, E, NEXT, COB, "Wed 2026-12-30"),
    # England summer bank holiday Mon 31 Aug: from Fri 28 Aug, Tue 1 Sep = 1 ... Mon 7 Sep = 5
    R("summer-eng", "2026-08-28T10:00+01:00", 5, WD, E, NEXT, EOD, "Mon 2026-09-07"),
    # Scotland works 31 Aug: Mon 31 = 1 ... Fri 4 Sep = 5
    R("summer-sct", "2026-08-28T10:00+01:00", 5, WD, S, NEXT, EOD, "Fri 2026-09-04"),
    # Scotland's summer holiday Mon 3 Aug: from Fri 31 Jul, Tue 4 = 1 ... Mon 10 Aug = 5
    R("aug-sct", "2026-07-31T10:00+01:00", 5, WD, S, NEXT, EOD, "Mon 2026-08-10"),
    # England works 3 Aug: Mon 3 = 1 ... Fri 7 Aug = 5
    R("aug-eng", "2026-07-31T10:00+01:00", 5, WD, E, NEXT, EOD, "Fri 2026-08-07"),
    # Boyne (12 Jul is a Sunday) observed Mon 13 Jul in NI: Tue 14 = 1, Wed 15 = 2, Thu 16 = 3
    R("boyne-ni", "2026-07-10T10:00+01:00", 3, WD, N, NEXT, EOD, "Thu 2026-07-16"),
    # England works 13 Jul: Mon 13 = 1, Tue 14 = 2, Wed 15 = 3
    R("boyne-eng", "2026-07-10T10:00+01:00", 3, WD, E, NEXT, EOD, "Wed 2026-07-15"),
    # SPSO frontline 5 WD from Thu 26 Nov: Fri 27 = 1; St Andrew's Mon 30 skipped; Tue 1 ... Fri 4 Dec = 5
    R("spso-st-andrew", "2026-11-26T10:00+00:00", 5, WD, S, NEXT, EOD, "Fri 2026-12-04"),
    # England works 30 Nov: Fri 27 = 1, Mon 30 = 2 ... Thu 3 Dec = 5
    R("st-andrew-eng", "2026-11-26T10:00+00:00", 5, WD, E, NEXT, EOD, "Thu 2026-12-03"),
    # Early May bank holiday Mon 4 May: from Thu 30 Apr, Fri 1 = 1, Tue 5 = 2, Wed 6 = 3
    R("early-may", "2026-04-30T10:00+01:00", 3, WD, E, NEXT, EOD, "Wed 2026-05-06"),
    # Spring bank holiday Mon 25 May: from Thu 21, Fri 22 = 1, Tue 26 ... Fri 29 = 5
    R("spring", "2026-05-21T10:00+01:00", 5, WD, E, NEXT, EOD, "Fri 2026-05-29"),
    # PSD 15 BD from Mon 23 Mar: 24-27 = 4, 30 Mar-2 Apr = 8, Easter 3 and 6 skipped, 7-10 = 12, 13-15 = 15
    R("psd-15", "2026-03-23T10:00+00:00", 15, BD, E, NEXT, EOD, "Wed 2026-04-15"),
    # ...35 BD: 16-17 Apr = 17, 20-24 = 22, 27 Apr-1 May = 27, Mon 4 May skipped, 5-8 = 31, 11-14 = 35
    R("psd-35", "2026-03-23T10:00+00:00", 35, BD, E, NEXT, EOD, "Thu 2026-05-14"),
    # same_day counts the receipt day: Mon 9 = 1 ... Fri 13 = 5
    R("same-day", "2026-03-09T10:00+00:00", 5, WD, E, SAME, EOD, "Fri 2026-03-13"),
    # same_day from a Saturday: the next business day, Mon 9, is day 1, so Fri 13 again
    R("same-day-sat", "2026-03-07T10:00+00:00", 5, WD, E, SAME, EOD, "Fri 2026-03-13"),
    # same_day by close of business but received 18:00 Mon 9: Monday is over, Tue 10 = 1 ... Mon 16 = 5
    R("same-day-late", "2026-03-09T18:00+00:00", 5, BD, E, SAME, COB, "Mon 2026-03-16"),
    # One-off Scottish bank holiday Mon 15 Jun 2026 (World Cup) as listed by holidays 0.109: Tue 16 = 1 ...
    # Thu 18 = 3
    R("sct-jun-2026", "2026-06-12T10:00+01:00", 3, WD, S, NEXT, EOD, "Thu 2026-06-18"),
]


@pytest.mark.parametrize("start, amount, unit, nation, count_from, ends, expected, weekday", ROWS)
def test_due_matches_the_hand_checked_table(start, amount, unit, nation, count_from, ends, expected, weekday):
    got = due(datetime.fromisoformat(start), amount, unit, nation, count_from=count_from, ends=ends)
    end_time = END_OF_DAY if ends == EOD else CLOSE_OF_BUSINESS
    assert got == datetime.combine(expected, end_time, tzinfo=LONDON)
    assert got.tzinfo == LONDON


SUBDIVISION = {E: "ENG", W: "WLS", S: "SCT", N: "NIR"}


@pytest.mark.parametrize("start, amount, unit, nation, count_from, ends, expected, weekday", ROWS)
def test_every_row_agrees_with_the_holidays_package(
    start, amount, unit, nation, count_from, ends, expected, weekday
):
    """Recount each row without amends.regimes.calendar, straight from the holidays package."""
    assert expected.strftime("%a") == weekday
    if unit not in (BD, WD):
        return
    start_local = datetime.fromisoformat(start).astimezone(LONDON)
    bank = holidays.country_holidays("GB", subdiv=SUBDIVISION[nation], years=range(2026, 2029))

    def open_day(d: date) -> bool:
        return d.weekday() < 5 and d not in bank

    end_time = END_OF_DAY if ends == EOD else CLOSE_OF_BUSINESS
    first = start_local.date()
    if not (count_from == SAME and open_day(first) and start_local.time() < end_time):
        first += timedelta(days=1)
    counted = sum(open_day(first + timedelta(days=i)) for i in range((expected - first).days + 1))
    assert open_day(expected) and counted == amount


@pytest.mark.parametrize("nation", [E, W, S, N])
def test_christmas_and_good_friday_are_never_business_days(nation):
    for year in (2026, 2027, 2030):
        assert not is_business_day(date(year, 12, 25), nation)
    assert not is_business_day(date(2026, 4, 3), nation)
    assert not is_business_day(date(2027, 3, 26), nation)


def test_nation_calendars_differ_where_the_law_does():
    assert not is_business_day(date(2026, 4, 6), E) and is_business_day(date(2026, 4, 6), S)
    assert not is_business_day(date(2026, 3, 17), N) and is_business_day(date(2026, 3, 17), E)
    assert not is_business_day(date(2026, 8, 3), S) and is_business_day(date(2026, 8, 3), E)
    assert not is_business_day(date(2026, 8, 31), E) and is_business_day(date(2026, 8, 31), S)
    assert not is_business_day(date(2027, 1, 4), S) and is_business_day(date(2027, 1, 4), E)
    assert not is_business_day(date(2026, 11, 30), S) and is_business_day(date(2026, 11, 30), N)
    assert not is_business_day(date(2026, 12, 28), E)  # substitute for Boxing Day on a Saturday


def test_holiday_lookups_are_cached_per_nation_and_year():
    bank_holidays.cache_clear()
    is_business_day(date(2026, 5, 4), E)
    is_business_day(date(2026, 6, 1), E)
    is_business_day(date(2026, 6, 1), S)
    assert bank_holidays.cache_info().misses == 2 and bank_holidays.cache_info().hits == 1


def test_add_business_days_zero_rolls_to_a_business_day():
    assert add_business_days(date(2026, 3, 9), 0, E) == date(2026, 3, 9)  # a Monday stays
    assert add_business_days(date(2026, 4, 3), 0, E) == date(2026, 4, 7)  # Good Friday -> Tuesday
    assert add_business_days(date(2026, 4, 3), 0, S) == date(2026, 4, 6)  # Easter Monday works in Scotland
    with pytest.raises(CalendarError):
        add_business_days(date(2026, 3, 9), -1, E)


def test_business_days_between_counts_after_a_up_to_b():
    assert business_days_between(date(2026, 4, 1), date(2026, 4, 8), E) == 3
    assert business_days_between(date(2026, 4, 8), date(2026, 4, 1), E) == -3
    assert business_days_between(date(2026, 4, 8), date(2026, 4, 8), E) == 0
    assert business_days_before(date(2026, 5, 27), 10, E) == date(2026, 5, 12)


def test_months_clamp_to_the_end_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)


def test_bad_arguments_are_refused_with_a_clear_message():
    aware = datetime(2026, 3, 9, 10, tzinfo=LONDON)
    with pytest.raises(CalendarError, match="Unknown nation 'cornwall'"):
        due(aware, 3, BD, "cornwall")
    with pytest.raises(CalendarError, match="Unknown unit 'fortnights'"):
        due(aware, 3, "fortnights", E)
    with pytest.raises(CalendarError, match="Unknown ends"):
        due(aware, 3, BD, E, ends="lunchtime")
    with pytest.raises(CalendarError, match="Unknown count_from"):
        due(aware, 3, BD, E, count_from="yesterday")
    with pytest.raises(CalendarError, match="at least 1"):
        due(aware, 0, BD, E)
    with pytest.raises(CalendarError, match="no time zone"):
        due(datetime(2026, 3, 9, 10), 3, BD, E)


def test_close_of_business_time_can_be_set():
    got = due(datetime(2026, 3, 9, 10, tzinfo=LONDON), 1, BD, E, ends=COB, close_of_business=time(17, 30))
    assert got == datetime(2026, 3, 10, 17, 30, tzinfo=LONDON)
