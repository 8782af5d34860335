"""Issue 13's acceptance: a spike injected into otherwise steady data opens exactly one special review;
steady data at the same volume opens none over a simulated year. The worker's daily step runs the check,
with the clock moved by time_machine week by week (and day by day through the spike)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from amends.core.models import Notification
from amends.monitoring.models import ServiceReview
from amends.monitoring.tasks import check_levels
from amends.monitoring.tests.conftest import START, store_weeks
from amends.process.tasks import sweep

pytestmark = pytest.mark.django_db

PER_WEEK = 20  # complaints a week about each of five products: 100 a week, on four channels
BASELINE = 26
YEAR = 52


def _check_on(moment) -> int:
    with time_machine.travel(moment, tick=False):
        from django.utils import timezone

        return check_levels(timezone.now())


def test_steady_data_opens_no_review_over_a_simulated_year(watched_products_and_channels, complaints_lead):
    stored = store_weeks(weeks=BASELINE + YEAR, per_week=PER_WEEK, seed=13)
    assert stored > 7000
    opened = 0
    for week in range(YEAR):
        # the Tuesday after each week ends: its check reads that week against the 26 before it
        opened += _check_on(START + timedelta(weeks=BASELINE + week + 1, days=1, hours=6))
    assert opened == 0
    assert not ServiceReview.objects.exists()
    assert not Notification.objects.filter(user=complaints_lead).exists()


def test_a_spike_opens_exactly_one_review_for_the_right_category(
    watched_products_and_channels, complaints_lead
):
    spike_weeks = {BASELINE + 40: ("Mortgage", 3.0), BASELINE + 41: ("Mortgage", 3.0)}
    store_weeks(weeks=BASELINE + YEAR, per_week=PER_WEEK, seed=13, spike=spike_weeks)
    opened_on = []
    for week in range(YEAR):
        end_of_week = START + timedelta(weeks=BASELINE + week + 1)
        days = range(7) if week in (40, 41, 42) else [1]  # every day around the spike, as the worker does
        for day in days:
            if _check_on(end_of_week + timedelta(days=day, hours=6)):
                opened_on.append((week, day))
    assert opened_on == [(40, 0)]  # the Monday the spike's first week was complete
    review = ServiceReview.objects.get()
    assert (review.dimension, review.category, review.status, review.trigger) == (
        "product",
        "Mortgage",
        "open",
        "spc",
    )
    assert review.first_signal_period == (START + timedelta(weeks=BASELINE + 40)).date()
    # the second spike week went on signalling: the same episode, the same review
    assert review.last_signal_period == (START + timedelta(weeks=BASELINE + 41)).date()
    assert review.current_rate > 2 * review.baseline_rate
    assert review.probability < review.evidence["alpha"]
    assert "Complaints about Mortgage (product) rose from" in review.summary
    assert review.evidence["counts"][review.evidence["signal_at"]] > 40
    assert (
        Notification.objects.filter(user=complaints_lead, text__startswith="Special review opened").count()
        == 1
    )


def test_the_worker_sweep_runs_the_check_once_a_day(watched_products_and_channels):
    store_weeks(weeks=BASELINE + 2, per_week=PER_WEEK, seed=3, spike={BASELINE + 1: ("Savings", 3.0)})
    moment = START + timedelta(weeks=BASELINE + 2, hours=7)
    with time_machine.travel(moment, tick=False):
        first = sweep()
        again = sweep()
    assert first.counts["special_reviews"] == 1
    assert again.counts["special_reviews"] == 0
    assert ServiceReview.objects.get().category == "Savings"
