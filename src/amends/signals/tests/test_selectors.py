"""The queue by risk, which the signals set: sorted with keyset pages, and the high-risk filter."""

import pytest

from amends.cases.models import Case
from amends.cases.selectors import QueueFilters, case_queue
from amends.cases.tests.factories import make_case
from amends.conftest import login

pytestmark = pytest.mark.django_db


def test_queue_sorts_by_risk_with_keyset_pages(adviser):
    team = adviser.staff.team
    cases = [make_case(team=team) for _ in range(5)]
    for risk, case in zip([10, 90, 50, 90, 0], cases, strict=True):
        Case.objects.filter(pk=case.pk).update(risk=risk)
    first = case_queue(adviser, QueueFilters(queue="team", sort="risk"), page_size=2)
    assert [c.risk for c in first.rows] == [90, 90]
    assert first.rows[0].pk > first.rows[1].pk
    second = case_queue(
        adviser, QueueFilters(queue="team", sort="risk", after=first.next_cursor), page_size=2
    )
    assert [c.risk for c in second.rows] == [50, 10]
    high = case_queue(adviser, QueueFilters(queue="team", risk="high")).rows
    assert sorted(c.risk for c in high) == [90, 90]
    page = login(adviser).get("/queue/?queue=team&sort=risk").content.decode()
    assert page.index(cases[3].reference) < page.index(cases[2].reference) < page.index(cases[0].reference)
