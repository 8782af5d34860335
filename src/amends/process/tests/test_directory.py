"""The directory of who can help with what and with which authority (CFACSC4 P14, K5): staff by team with
what they help with, their role's authority limits and how to reach them; searchable; kept by the person
or their team leader, audited; linked from the case page.

Hal handles cases in the complaints team, Ada is an adviser in it, Tess leads it, Otto is in billing.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amends.cases.tests.factories import make_case
from amends.core.errors import PermissionDenied
from amends.core.models import AuditEvent
from amends.core.services import staff_directory_set
from amends.process.directory import directory_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(adviser, case_handler, team_leader, other_team_adviser, assessor):
    staff_directory_set(
        user=case_handler,
        helps_with="Mortgages, arrears\nVulnerable customers",
        reach="ext 4417",
        actor=case_handler,
    )
    return {"ada": adviser, "hal": case_handler, "tess": team_leader, "otto": other_team_adviser}


def _names(teams):
    return {team: [e.person.username for e in entries] for team, entries in teams}


def test_everyone_but_assessors_by_team_with_their_authority(staff):
    teams = dict(directory_entries(staff["ada"]))
    assert [e.person.username for e in teams["Complaints"]] == ["ada", "hal", "tess"]
    assert [e.person.username for e in teams["Billing"]] == ["otto"]
    hal = next(e for e in teams["Complaints"] if e.person.username == "hal")
    assert hal.topics == ["Mortgages", "arrears", "Vulnerable customers"]
    assert "Refund up to £500" in hal.authority and "Goodwill payment up to £150" in hal.authority
    ada = next(e for e in teams["Complaints"] if e.person.username == "ada")
    assert "Compensation for loss or distress" not in " ".join(ada.authority)  # advisers may offer none


def test_search_finds_by_what_they_help_with_team_or_role(staff):
    assert _names(directory_entries(staff["ada"], "mortgages")) == {"Complaints": ["hal"]}
    assert _names(directory_entries(staff["ada"], "billing")) == {"Billing": ["otto"]}
    assert _names(directory_entries(staff["ada"], "team leader")) == {"Complaints": ["tess"]}
    assert directory_entries(staff["ada"], "pensions") == []


def test_the_person_and_their_team_leader_keep_the_entry_audited(staff):
    staff_directory_set(user=staff["ada"], helps_with="Card disputes", reach="", actor=staff["tess"])
    with pytest.raises(PermissionDenied):
        staff_directory_set(user=staff["ada"], helps_with="Anything", reach="", actor=staff["hal"])
    with pytest.raises(PermissionDenied):
        staff_directory_set(user=staff["ada"], helps_with="Anything", reach="", actor=staff["otto"])
    staff["ada"].staff.refresh_from_db()
    assert staff["ada"].staff.helps_with == "Card disputes"
    event = AuditEvent.objects.get(kind="staff.directory", object_id=str(staff["ada"].pk))
    assert event.actor == staff["tess"] and event.after["helps_with"] == "Card disputes"


def test_the_page_searches_edits_and_is_linked_from_the_case(staff, complaints_team):
    client = Client()
    client.force_login(staff["hal"])
    page = client.get("/directory/?q=arrears").content.decode()
    assert "Hal Handler" in page and "ext 4417" in page and "Refund up to £500" in page
    assert "Ada Adviser" not in page
    client.post(f"/directory/{staff['hal'].pk}/edit", {"helps_with": "Mortgages", "reach": "ext 4418"})
    staff["hal"].staff.refresh_from_db()
    assert staff["hal"].staff.reach == "ext 4418"
    refused = client.post(f"/directory/{staff['ada'].pk}/edit", {"helps_with": "x", "reach": ""})
    assert refused.status_code == 302
    staff["ada"].staff.refresh_from_db()
    assert staff["ada"].staff.helps_with == ""
    case = make_case(team=complaints_team, owner=staff["hal"])
    case_page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Ask someone who can help" in case_page and 'href="/directory/' in case_page


def test_the_page_takes_a_fixed_number_of_queries(staff, complaints_team):
    from amends.core.services import staff_create

    client = Client()
    client.force_login(staff["ada"])
    with CaptureQueriesContext(connection) as few:
        client.get("/directory/")
    for n in range(10):
        staff_create(username=f"p{n}", password="x", role="adviser", team=complaints_team)
    with CaptureQueriesContext(connection) as many:
        client.get("/directory/")
    assert len(many) == len(few)
