"""The stored complaint states give the returns exactly what a replay of every case's events gives
(tests/replay.py, the first implementation), for every period, before and after later changes; the rows
kept after each commit equal a full rebuild; and a return reads a fixed number of queries."""

from datetime import date

import pytest

from amends.returns.models import ComplaintState
from amends.returns.periods import Period
from amends.returns.selectors import fca_return, hos_report
from amends.returns.services import returns_rebuild
from amends.returns.states import FOREVER

from .fixtures import change_everything_after
from .replay import fca_return_replayed, hos_report_replayed

pytestmark = pytest.mark.django_db

PERIODS = [
    Period(date(2026, 1, 1), date(2026, 6, 30)),
    Period(date(2025, 7, 1), date(2025, 12, 31)),
    Period(date(2026, 2, 1), date(2026, 2, 28)),
    Period(date(2026, 5, 6), date(2026, 5, 6)),  # one day: E answered on it
    Period(date(2026, 7, 1), date(2026, 12, 31)),  # the period of the later changes
    Period(date(2025, 4, 1), date(2026, 3, 31)),
]


def _rows():
    return sorted(
        ComplaintState.objects.values_list(
            "case_id", "valid_from", "valid_to", "kind", "product", "finished_since", "bucket",
            "closure_outcome", "closure_root_cause", "closure_redress", "outcome", "root_cause", "redress",
        )
    )  # fmt: skip


def test_the_fca_return_from_the_states_equals_the_replay_for_every_period(fca_history, book):
    for period in PERIODS:
        assert fca_return(period) == fca_return_replayed(period), period
    change_everything_after(book, fca_history)
    for period in PERIODS:
        assert fca_return(period) == fca_return_replayed(period), period


def test_the_annual_report_from_the_states_equals_the_replay_for_every_period(hos_history):
    for period in [*PERIODS, Period(date(2026, 4, 1), date(2027, 3, 31))]:
        assert hos_report(period).as_dict() == hos_report_replayed(period).as_dict(), period


def test_the_states_kept_after_each_commit_equal_a_full_rebuild(fca_history, hos_history, book):
    change_everything_after(book, fca_history)
    kept = _rows()
    assert kept, "the commits kept no states"
    result = returns_rebuild()
    assert _rows() == kept
    assert result.cases == len({row[0] for row in kept})


def test_each_complaint_has_one_row_in_force_at_any_moment_and_one_now(fca_history):
    for case in fca_history.values():
        rows = list(ComplaintState.objects.filter(case=case).order_by("valid_from"))
        assert rows[-1].valid_to == FOREVER
        assert all(a.valid_to == b.valid_from for a, b in zip(rows, rows[1:], strict=False))
        # Merged: neighbours always differ in something a return counts.
        assert len(rows) <= 6


def test_b_closed_with_its_refund_and_its_finding_at_the_time(fca_history, book):
    change_everything_after(book, fca_history)  # B's finding corrected in July: its closure row keeps April's
    row = ComplaintState.objects.get(case=fca_history["B"], valid_to=FOREVER)
    assert (row.closure_outcome, row.closure_root_cause, row.closure_redress) == ("justified", "charges", 120)
    assert (row.outcome, row.root_cause) == ("not_justified", "staff-error")
    assert row.bucket == "closed_after_3_business_days_within_8_weeks"


def test_a_return_reads_a_fixed_number_of_queries(fca_history, hos_history, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        fca_return(PERIODS[0])
    with django_assert_max_num_queries(10):
        hos_report(Period(date(2025, 4, 1), date(2026, 3, 31)))
