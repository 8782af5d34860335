"""Merge suggestions are scoped as cases are: a team leader lists and decides only suggestions about
customers with a case in their team (both records, since deciding shows and changes both); the
complaints lead and the administrator see them all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.cases.tests.factories import make_case
from amends.conftest import login
from amends.core.models import Role
from amends.core.services import staff_create
from amends.customers.models import Customer, MergeSuggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing_leader(billing_team):
    return staff_create(username="bea", password="x" * 12, role=Role.TEAM_LEADER, team=billing_team)


@pytest.fixture
def suggestions(complaints_team, billing_team):
    """One suggestion in each team, and one across the two (a customer in each)."""

    def pair(team_a, team_b, name, tag):
        make_case(team=team_a, email=f"{tag}-a@example.org", name=name)
        make_case(team=team_b, email=f"{tag}-b@example.org", name=name)
        return MergeSuggestion.objects.get(keep__name=name)

    return {
        "complaints": pair(complaints_team, complaints_team, "Carla Complaints", "c"),
        "billing": pair(billing_team, billing_team, "Bilal Billing", "b"),
        "across": pair(complaints_team, billing_team, "Ada Across", "x"),
    }


_client = login


def _listed(client) -> set[str]:
    page = client.get("/customers/merge-suggestions/").content.decode()
    names = {"complaints": "Carla Complaints", "billing": "Bilal Billing", "across": "Ada Across"}
    return {team for team, name in names.items() if name in page}


def test_each_team_leader_lists_their_teams_suggestions_only(
    suggestions, team_leader, billing_leader, complaints_lead, admin_user
):
    assert _listed(_client(team_leader)) == {"complaints"}
    assert _listed(_client(billing_leader)) == {"billing"}
    assert _listed(_client(complaints_lead)) == {"complaints", "billing", "across"}
    assert _listed(_client(admin_user)) == {"complaints", "billing", "across"}


def test_a_team_leader_cannot_decide_another_teams_suggestion(suggestions, team_leader):
    client = _client(team_leader)
    for team in ("billing", "across"):
        for decision in ("merge", "dismiss"):
            response = client.post(
                f"/customers/merge-suggestions/{suggestions[team].pk}", {"decision": decision}
            )
            assert response.status_code == 404
        assert MergeSuggestion.objects.get(pk=suggestions[team].pk).status == "open"
    assert Customer.objects.filter(merged_into__isnull=False).count() == 0
    mine = suggestions["complaints"]
    client.post(f"/customers/merge-suggestions/{mine.pk}", {"decision": "merge"})
    assert MergeSuggestion.objects.get(pk=mine.pk).status == "merged"


def test_the_complaints_lead_decides_any(suggestions, complaints_lead):
    across = suggestions["across"]
    _client(complaints_lead).post(f"/customers/merge-suggestions/{across.pk}", {"decision": "dismiss"})
    assert MergeSuggestion.objects.get(pk=across.pk).status == "dismissed"


def test_the_list_takes_the_same_queries_however_many_suggestions(complaints_team, team_leader):
    client = _client(team_leader)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/customers/merge-suggestions/").status_code == 200
        return len(captured)

    make_case(team=complaints_team, email="one-a@example.org", name="Olive One")
    make_case(team=complaints_team, email="one-b@example.org", name="Olive One")
    few = queries()
    for n in range(5):
        make_case(team=complaints_team, email=f"m{n}-a@example.org", name=f"Many {n}")
        make_case(team=complaints_team, email=f"m{n}-b@example.org", name=f"Many {n}")
    assert MergeSuggestion.objects.count() == 6
    assert queries() == few
