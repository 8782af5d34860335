"""Complaints with findings at known moments, for the measures and the stages."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.process.models import RootCause
from amends.process.steps import finding_record


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def complaint_found(*, team, cause_code: str | None, on: date, actor, product: str = ""):
    """A complaint opened and found on `on` (10:00 local), its finding naming the root cause."""
    with time_machine.travel(at(on), tick=False):
        case = make_case(team=team)
        if product:
            type(case).objects.filter(pk=case.pk).update(product=product)
        cause = RootCause.objects.get(code=cause_code) if cause_code else None
        finding_record(
            case=case, actor=actor, outcome="justified", facts="f", reasoning="r", root_cause=cause
        )
    return case


@pytest.fixture
def found(complaints_team, case_handler):
    def make(cause_code, on, product=""):
        return complaint_found(
            team=complaints_team, cause_code=cause_code, on=on, actor=case_handler, product=product
        )

    return make
