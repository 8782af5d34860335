"""Assigning a case: only to someone who may work it, chosen by name and team with their open workload."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.cases import selectors
from amends.cases.models import Case, CaseEvent
from amends.cases.selectors import assignable_people
from amends.cases.services import case_assign, case_transition
from amends.cases.tests.factories import make_case
from amends.conftest import _person, login
from amends.core import permissions
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(
    adviser, case_handler, team_leader, complaints_lead, assessor, admin_user, other_team_adviser, outsider
):
    return {
        "adviser": adviser,
        "case_handler": case_handler,
        "team_leader": team_leader,
        "complaints_lead": complaints_lead,
        "assessor": assessor,
        "admin_user": admin_user,
        "other_team_adviser": other_team_adviser,
        "outsider": outsider,
    }


@pytest.mark.parametrize(
    ("persona", "code"),
    [("assessor", "may not work cases"), ("outsider", "no role"), ("other_team_adviser", "not in team")],
)
def test_the_service_refuses_an_owner_who_may_not_work_the_case_whoever_asks(
    request, complaints_team, complaints_lead, persona, code
):
    owner = request.getfixturevalue(persona)
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError) as refused:
        case_assign(case=case, owner=owner, actor=complaints_lead)
    assert refused.value.fields == {"owner": code}
    case.refresh_from_db()
    assert case.owner is None and case.version == 1
    assert not CaseEvent.objects.filter(case=case, kind="assigned").exists()


def test_the_service_refuses_a_deactivated_person(complaints_team, team_leader, adviser):
    adviser.is_active = False
    adviser.save()
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError):
        case_assign(case=case, owner=adviser, actor=team_leader)
    assert Case.objects.get(pk=case.pk).owner is None


def test_a_case_goes_to_its_team_or_to_someone_who_sees_every_team(
    complaints_team, team_leader, case_handler, complaints_lead, admin_user
):
    for owner in (case_handler, team_leader, complaints_lead, admin_user):
        case = make_case(team=complaints_team)
        case_assign(case=case, owner=owner, actor=team_leader)
        assert Case.objects.get(pk=case.pk).owner == owner


def test_a_team_leader_may_not_assign_to_an_assessor(complaints_team, team_leader, assessor, adviser):
    case = make_case(team=complaints_team)
    assert permissions.can_assign_to(team_leader, case, adviser)
    assert not permissions.can_assign_to(team_leader, case, assessor)
    assert not permissions.can_own_case(assessor, case)


def test_the_assignable_list_is_who_may_work_the_case_by_name_with_open_workload(
    complaints_team, billing_team, staff
):
    adviser, handler = staff["adviser"], staff["case_handler"]
    for _ in range(2):
        make_case(team=complaints_team, owner=adviser)
    closed = make_case(team=complaints_team, owner=adviser)
    case_transition(case=closed, to="closed", actor=adviser, reason="done")
    make_case(team=complaints_team, owner=handler)
    case = make_case(team=complaints_team)

    with CaptureQueriesContext(connection) as queries:
        people = list(assignable_people(case))
    assert len(queries) == 1
    # The same people the permission question allows, sorted by name (Ana Admin first, Tess Leader last).
    allowed = [u for u in staff.values() if permissions.can_own_case(u, case)]
    assert sorted(p.pk for p in people) == sorted(u.pk for u in allowed)
    assert [p.get_full_name() for p in people] == [
        "Ada Adviser",
        "Ana Admin",
        "Hal Handler",
        "Lee Lead",
        "Tess Leader",
    ]
    workload = {p.username: p.open_cases for p in people}
    assert workload == {"ada": 2, "root": 0, "hal": 1, "lee": 0, "tess": 0}

    # A case of another team: its team and those who see every team.
    billing = make_case(team=billing_team)
    assert {p.username for p in assignable_people(billing)} == {"otto", "lee", "root"}


def test_workload_is_counted_up_to_a_cap_so_the_count_costs_the_same_for_a_huge_owner(
    complaints_team, adviser, monkeypatch
):
    monkeypatch.setattr(selectors, "WORKLOAD_CAP", 3)
    for _ in range(5):
        make_case(team=complaints_team, owner=adviser)
    closed = make_case(team=complaints_team, owner=adviser)
    Case.objects.filter(pk=closed.pk).update(status="closed")
    case = make_case(team=complaints_team)
    ada = next(p for p in selectors.assignable_people(case) if p.username == "ada")
    assert ada.open_cases == 3
    assert selectors.assignee_label(ada).endswith(" · 3+ open cases")
    monkeypatch.setattr(selectors, "WORKLOAD_CAP", 10)
    ada = next(p for p in selectors.assignable_people(case) if p.username == "ada")
    assert ada.open_cases == 5  # the closed one is not workload
    assert selectors.assignee_label(ada).endswith(" · 5 open cases")


def test_the_case_page_lists_people_by_name_team_and_workload_never_an_assessor(
    complaints_team, team_leader, adviser, assessor, complaints_lead
):
    make_case(team=complaints_team, owner=adviser)
    case = make_case(team=complaints_team)
    page = login(team_leader).get(f"/cases/{case.reference}/").content.decode()
    # The assign list (the internal note's "Tell" list is of everyone who sees the case, an assessor too).
    assign = page.split('id="owner-h"')[1].split("</section>")[0]
    assert "Ada Adviser · Complaints · 1 open case<" in assign
    assert "Lee Lead · Complaints lead, every team · 0 open cases<" in assign
    assert "Ash Assessor" not in assign
    assert ">ada<" not in page  # no bare logins


def test_the_case_page_refuses_an_assessor_posted_as_owner(complaints_team, team_leader, assessor):
    case = make_case(team=complaints_team)
    client = login(team_leader)
    response = client.post(
        f"/cases/{case.reference}/owner", {"owner": assessor.pk, "version": case.version}, follow=True
    )
    assert "Select a valid choice" in response.content.decode()
    assert Case.objects.get(pk=case.pk).owner is None


def test_a_team_less_case_can_be_assigned_on_its_page(team_leader, complaints_lead, adviser):
    case = make_case(team=None)
    page = login(complaints_lead).get(f"/cases/{case.reference}/").content.decode()
    assert "Ada Adviser · Complaints · 0 open cases" in page
    login(complaints_lead).post(
        f"/cases/{case.reference}/owner", {"owner": adviser.pk, "version": case.version}
    )
    assert Case.objects.get(pk=case.pk).owner == adviser


def test_the_case_page_query_count_does_not_grow_with_the_people_listed(complaints_team, team_leader):
    case = make_case(team=complaints_team)
    client = login(team_leader)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/cases/{case.reference}/").status_code == 200
        return len(queries)

    few = count()
    for i in range(15):
        person = _person(f"p{i}", Role.ADVISER, complaints_team, f"P{i}", "Person")
        make_case(team=complaints_team, owner=person)
    assert count() == few


def _api(user):
    _, key = api_token_create(user=user, name="tests")
    client = login(user)
    client.logout()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def call(method, url, body=None):
        if body is None:
            return getattr(client, method)(url, **headers)
        return getattr(client, method)(url, body, content_type="application/json", **headers)

    return call


def test_the_api_lists_who_a_case_can_be_assigned_to(complaints_team, staff):
    make_case(team=complaints_team, owner=staff["case_handler"])
    case = make_case(team=complaints_team)
    url = f"/api/v1/cases/{case.reference}/assignees"

    listed = _api(staff["team_leader"])("get", url)
    assert listed.status_code == 200
    rows = {row["username"]: row for row in listed.json()}
    assert set(rows) == {"ada", "root", "hal", "lee", "tess"}
    assert rows["hal"] == {
        "username": "hal",
        "name": "Hal Handler",
        "role": "case_handler",
        "team": "complaints",
        "team_name": "Complaints",
        "open_cases": 1,
        "label": "Hal Handler · Complaints · 1 open case",
    }
    assert rows["lee"]["team"] is None
    # Someone who works the case but does not assign may only take it while nobody has it.
    assert [r["username"] for r in _api(staff["adviser"])("get", url).json()] == ["ada"]
    owned = make_case(team=complaints_team, owner=staff["case_handler"])
    assert _api(staff["adviser"])("get", f"/api/v1/cases/{owned.reference}/assignees").json() == []
    assert _api(staff["assessor"])("get", url).status_code == 403
    assert _api(staff["other_team_adviser"])("get", url).status_code == 404


def test_the_api_refuses_to_assign_to_an_assessor(complaints_team, team_leader, assessor):
    case = make_case(team=complaints_team)
    response = _api(team_leader)(
        "post", f"/api/v1/cases/{case.reference}/assign", {"owner": "ash", "version": case.version}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"owner": "may not work cases"}
    assert "Ash Assessor is an assessor" in response.json()["error"]["message"]
    assert Case.objects.get(pk=case.pk).owner is None
