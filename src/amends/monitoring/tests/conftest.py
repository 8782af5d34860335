"""Weeks of complaints, stored straight into the cases table (as test factories may: thousands of cases
through case_open would make a simulated year slow), for the levels the daily check reads."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest

from amends.cases.models import Case
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.monitoring.tests.test_spc import poisson_draw

PRODUCTS = ["Current account", "Credit card", "Mortgage", "Savings", "Home insurance"]
CHANNELS = ["email", "phone", "web_form", "letter"]
# The simulated year's first Monday: 26 weeks of baseline before it, 52 weekly checks after.
START = datetime(2025, 1, 6, tzinfo=UTC)
_numbers = itertools.count(1)


def store_weeks(
    *, weeks: int, per_week: float, seed: int, spike: dict | None = None, start=START, team=None
) -> int:
    """Steady Poisson complaints for each product (mean `per_week` a week), on channels at random, over
    `weeks` weeks from `start`; `spike` ({week index: (product, factor)}) multiplies one product's mean in
    those weeks. The number of cases stored."""
    rng = random.Random(seed)
    customer, _ = customer_match_or_create(
        details=ContactDetails(name="Sam Steady", email="steady@example.com")
    )
    rows = []
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        for product in PRODUCTS:
            mean = per_week
            if spike and week in spike and spike[week][0] == product:
                mean *= spike[week][1]
            for _ in range(poisson_draw(rng, mean)):
                at = monday + timedelta(seconds=rng.randrange(7 * 86400))
                n = next(_numbers)
                rows.append(
                    Case(
                        reference=f"AM-T-{n:07d}",
                        public_token=f"steady-{n}",
                        customer=customer,
                        team=team,
                        kind="complaint",
                        channel=rng.choice(CHANNELS),
                        product=product,
                        summary=f"About my {product.lower()}",
                        opened_at=at,
                        updated_at=at,
                        last_activity_at=at,
                    )
                )
    Case.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@pytest.fixture
def watched_products_and_channels(db):
    """Watch products and channels only (no team, regime or root cause in this data)."""
    from amends.monitoring.models import SpcSetting

    SpcSetting.objects.filter(pk=1).update(dimensions=["product", "channel"])
