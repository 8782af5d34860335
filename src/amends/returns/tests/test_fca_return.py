"""The FCA complaints return for a fixture period matches figures computed by hand (issue 13's acceptance),
and stays the same after everything that changes later."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from amends.returns.periods import Period
from amends.returns.selectors import FCA_COLUMNS, fca_return, fca_return_csv

from .fixtures import change_everything_after

pytestmark = pytest.mark.django_db

H1_2026 = Period(date(2026, 1, 1), date(2026, 6, 30))

# Worked by hand from the table in conftest.fca_history:
# (product group, cause): outstanding, opened, closed, <=3 BD, 3 BD-8 weeks, >8 weeks, upheld, redress
EXPECTED = {
    ("Banking and credit cards", "General admin/customer service"): (1, 3, 4, 2, 1, 1, 1, "50.00"),  # A C E G
    ("Banking and credit cards", "Terms and disputed sums/charges"): (0, 1, 1, 0, 1, 0, 1, "120.00"),  # B
    ("Home finance", "Advising, selling and arranging"): (0, 1, 1, 0, 1, 0, 1, "0.00"),  # F
    ("Home finance", "Cause not yet recorded"): (0, 1, 0, 0, 0, 0, 0, "0.00"),  # D
    ("All", "All"): (1, 6, 6, 2, 3, 1, 3, "170.00"),
}


def _figures(rows):
    return {
        (r.product_group, r.cause): (
            r.outstanding_at_start,
            r.opened,
            r.closed,
            r.closed_within_3_business_days,
            r.closed_after_3_business_days_within_8_weeks,
            r.closed_after_8_weeks,
            r.upheld,
            f"{r.redress_paid_gbp:.2f}",
        )
        for r in rows
    }


def test_the_return_matches_the_figures_worked_by_hand(fca_history):
    rows = fca_return(H1_2026)
    assert _figures(rows) == EXPECTED
    total = rows[-1]
    assert (total.product_group, total.cause) == ("All", "All")
    assert total.upheld_share == Decimal("0.5000")
    assert rows[0].upheld_share == Decimal("0.2500")  # 1 of A C E G
    assert [(r.product_group, r.cause) for r in rows[:-1]] == sorted(
        k for k in EXPECTED if k != ("All", "All")
    )


def test_the_same_return_after_later_changes_gives_the_same_figures(fca_history, book):
    before = fca_return_csv(H1_2026)
    change_everything_after(book, fca_history)
    assert _figures(fca_return(H1_2026)) == EXPECTED
    assert fca_return_csv(H1_2026) == before


def test_the_next_half_year_sees_what_changed(fca_history, book):
    change_everything_after(book, fca_history)
    rows = _figures(fca_return(Period(date(2026, 7, 1), date(2026, 12, 31))))
    total = rows[("All", "All")]
    # D outstanding on 1 July; E re-opened and still open (it closed nothing); D answered 2 July (a month
    # after receipt), A answered again on 3 September (counted from its first receipt: 7 months).
    assert total[:3] == (1, 0, 2)
    assert total[3:6] == (0, 1, 1)
    assert total[7] == "75.00"  # D's refund; C's later compensation belongs to no closure in the period


def test_a_query_reclassified_after_the_period_is_not_counted_then(book):
    from .fixtures import at

    case = book.receive(at(2026, 3, 2, 10, 0), product="Classic current account")
    book.reclassify(case, at(2026, 8, 1, 10, 0), "Tracker mortgage")
    rows = _figures(fca_return(H1_2026))
    assert rows[("Banking and credit cards", "Cause not yet recorded")][1] == 1
    assert ("Home finance", "Cause not yet recorded") not in rows


def test_csv_columns_are_stable(fca_history):
    text = fca_return_csv(H1_2026)
    reader = csv.DictReader(io.StringIO(text))
    assert (
        tuple(reader.fieldnames)
        == FCA_COLUMNS
        == (
            "period_start",
            "period_end",
            "product_group",
            "cause",
            "outstanding_at_start",
            "opened",
            "closed",
            "closed_within_3_business_days",
            "closed_after_3_business_days_within_8_weeks",
            "closed_after_8_weeks",
            "upheld",
            "upheld_share",
            "redress_paid_gbp",
        )
    )
    rows = list(reader)
    assert rows[-1]["product_group"] == "All"
    assert rows[-1]["opened"] == "6" and rows[-1]["redress_paid_gbp"] == "170.00"
    assert rows[-1]["upheld_share"] == "0.5000"
    assert {r["period_start"] for r in rows} == {"2026-01-01"} and {r["period_end"] for r in rows} == {
        "2026-06-30"
    }
    d = next(r for r in rows if r["cause"] == "Cause not yet recorded")
    assert d["upheld_share"] == ""  # nothing closed: no share, not 0
