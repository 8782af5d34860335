"""The demo's special review (demo/reviews.py) against a background like the full demo's: a hundred cases a
week on other products for the half year before. The day's check opens exactly one review, for the
Rewards credit card, which the lead gives the team leader; the lead is told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amends.core.models import Notification, Role
from amends.core.services import staff_create, team_create
from amends.demo import reviews
from amends.monitoring.levels import last_complete_period
from amends.monitoring.models import ServiceReview
from amends.monitoring.tests.conftest import store_weeks

pytestmark = pytest.mark.django_db


def test_the_spike_opens_one_review_for_the_product(settings):
    now = timezone.now()
    team = team_create(name="Complaints", slug="complaints")
    users = {
        name: staff_create(username=name, password="x", role=role, team=team, first_name=name.title())
        for name, role in (("lead", Role.COMPLAINTS_LEAD), ("leader", Role.TEAM_LEADER))
    }
    start = last_complete_period(now) - timedelta(weeks=29)
    store_weeks(weeks=30, per_week=20, seed=11, start=start, team=team)
    review = reviews.demo_special_review(users, {"complaints": team}, now=now)
    assert review is not None and list(ServiceReview.objects.all()) == [review]
    assert (review.category, review.owner, review.trigger) == (reviews.SPIKE_PRODUCT, users["leader"], "spc")
    assert review.evidence["counts"][-1] == reviews.SPIKE[-1]
    assert review.summary.startswith("Complaints about Rewards credit card (product) rose from")
    assert (
        Notification.objects.filter(user=users["lead"], text__startswith="Special review opened").count() == 1
    )
    assert (
        Notification.objects.filter(user=users["leader"], text__contains="You own special review").count()
        == 1
    )
