"""A case's priority (cases.priority): raised with a reason by a source, lowered only by that source, each
change a case event; shown on the queue row and the case page, and a queue filter."""

import pytest

from amends.cases.models import CaseEvent, CasePriority
from amends.cases.priority import case_priority_raise, cases_priority_lower, cases_priority_raise
from amends.cases.tests.factories import make_case
from amends.conftest import login
from amends.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(complaints_team):
    return [make_case(team=complaints_team, summary=f"Case {n}") for n in range(3)]


def test_raise_once_with_its_reason_and_event(cases, team_leader):
    assert case_priority_raise(case=cases[0], source="staff", reason="MP's letter", actor=team_leader)
    assert not case_priority_raise(case=cases[0], source="care", reason="Other", actor=team_leader)
    row = CasePriority.objects.get(case=cases[0])
    assert (row.reason, row.source, row.raised_by) == ("MP's letter", "staff", team_leader)
    assert CaseEvent.objects.filter(case=cases[0], kind="priority_raised").count() == 1


@pytest.mark.parametrize(("source", "reason"), [("gut", "why"), ("staff", "  ")])
def test_a_raise_needs_a_known_source_and_a_reason(cases, team_leader, source, reason):
    with pytest.raises(DomainError):
        cases_priority_raise(cases, source=source, reason=reason, actor=team_leader)
    assert not CasePriority.objects.exists() and not CaseEvent.objects.filter(kind="priority_raised").exists()


def test_a_source_lowers_only_its_own(cases, team_leader):
    cases_priority_raise(cases[:2], source="care", reason="Support needs", actor=None)
    case_priority_raise(case=cases[2], source="staff", reason="Judged so", actor=team_leader)
    lowered = cases_priority_lower(cases, source="care", reason="Ended", actor=team_leader)
    assert sorted(c.pk for c in lowered) == sorted(c.pk for c in cases[:2])
    assert list(CasePriority.objects.values_list("case_id", flat=True)) == [cases[2].pk]
    assert CaseEvent.objects.filter(kind="priority_lowered").count() == 2


def test_the_queue_shows_and_filters_it_and_the_case_page_says_why(cases, adviser):
    case_priority_raise(case=cases[1], source="staff", reason="MP's letter", actor=None)
    client = login(adviser)
    everything = client.get("/queue/").content.decode()
    assert everything.count("priority-raised") == 1 and "Priority raised" in everything  # the filter menu
    filtered = client.get("/queue/?risk=priority").content.decode()
    assert cases[1].reference in filtered and cases[0].reference not in filtered
    page = client.get(f"/cases/{cases[1].reference}/").content.decode()
    assert "Priority raised" in page and "MP&#x27;s letter" in page


def test_the_api_gives_the_reason_or_null(cases, adviser):
    from amends.conftest import api_client

    case_priority_raise(case=cases[0], source="staff", reason="MP's letter", actor=None)
    api = api_client(adviser)
    assert api.get(f"/api/v1/cases/{cases[0].reference}").json()["priority"] == "MP's letter"
    listed = {c["reference"]: c["priority"] for c in api.get("/api/v1/cases").json()["items"]}
    assert listed[cases[0].reference] == "MP's letter" and listed[cases[1].reference] is None
