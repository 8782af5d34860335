"""The dashboard, the cases behind a figure and team performance, as people with each role see them."""

import json
import re
from datetime import UTC, datetime

import pytest
import time_machine

from amends.cases.models import Case
from amends.cases.services import case_transition
from amends.cases.tests.factories import make_case
from amends.conftest import login
from amends.core.models import AuditEvent
from amends.insights.models import Objective
from amends.process import steps

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def cases(django_capture_on_commit_callbacks, complaints_team, billing_team, adviser, other_team_adviser):
    made = []
    with (
        time_machine.travel(datetime(2026, 10, 5, 10, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for i in range(3):
            made.append(make_case(team=complaints_team, owner=adviser, summary=f"Ours {i}"))
        made.append(make_case(team=billing_team, owner=other_team_adviser, summary="Theirs"))
    with time_machine.travel(datetime(2026, 10, 8, 10, 0, tzinfo=UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            steps.finding_record(case=made[0], actor=adviser, outcome="justified", facts="f", reasoning="r")
            steps.finding_record(
                case=made[1], actor=adviser, outcome="not_justified", facts="f", reasoning="r"
            )
        for case in made[:2]:
            with django_capture_on_commit_callbacks(execute=True):
                case_transition(case=Case.objects.get(pk=case.pk), to="resolved", actor=adviser)
    return made


def _charts(response) -> dict:
    found = re.search(
        rb'<script id="insights-charts" type="application/json">(.*?)</script>', response.content
    )
    return {c["id"]: c for c in json.loads(found.group(1))}


def test_the_dashboard_counts_what_the_user_may_see(cases, complaints_lead, team_leader):
    with time_machine.travel(NOW, tick=False):
        everyone = _charts(login(complaints_lead).get("/insights/"))
        team = _charts(login(team_leader).get("/insights/"))
    october = everyone["volumes"]["labels"].index("Oct 2026")
    assert everyone["volumes"]["datasets"][0]["data"][october] == 4
    assert team["volumes"]["datasets"][0]["data"][october] == 3  # not the billing team's case
    assert team["volumes"]["datasets"][1]["data"][october] == 2  # finished
    assert team["upheld-rate"]["datasets"][0]["data"][october] == 50.0
    link = team["volumes"]["datasets"][0]["links"][october]
    assert "start=2026-10-01" in link and "end=2026-10-31" in link and "on=opened" in link


def test_a_point_lists_its_cases_and_the_table_shows_the_same_numbers(cases, team_leader):
    client = login(team_leader)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/insights/")
        charts = _charts(page)
        october = charts["volumes"]["labels"].index("Oct 2026")
        link = charts["volumes"]["datasets"][1]["links"][october]
        assert f'<a href="{link.replace("&", "&amp;")}">2</a>' in page.content.decode()
        listed = client.get(link).content.decode()
    assert cases[0].reference in listed and cases[1].reference in listed
    assert cases[2].reference not in listed  # still open: not finished
    assert cases[3].reference not in listed  # another team's


def test_the_filters_narrow_every_chart(cases, complaints_lead, billing_team):
    with time_machine.travel(NOW, tick=False):
        response = login(complaints_lead).get(
            f"/insights/?start=2026-09-01&end=2026-11-20&grain=week&team={billing_team.pk}&by=team"
        )
    charts = _charts(response)
    assert sum(charts["volumes"]["datasets"][0]["data"]) == 1
    assert charts["by-dimension"]["labels"] == ["Billing"]


def test_a_bad_period_is_refused_with_a_message(cases, complaints_lead):
    with time_machine.travel(NOW, tick=False):
        response = login(complaints_lead).get("/insights/?start=2026-11-01&end=2026-10-01")
    assert "The period must start before it ends" in response.content.decode()


def test_team_performance_with_objectives(cases, team_leader, adviser, complaints_team):
    client = login(team_leader)
    with time_machine.travel(NOW, tick=False):
        page = client.get("/insights/teams/").content.decode()
        assert "Performance: Complaints" in page
        response = client.post(
            "/insights/teams/objectives/",
            {"team": complaints_team.pk, "measure": "upheld_rate", "target": "40", "note": "Fewer mistakes"},
        )
        assert response.status_code == 302
        objective = Objective.objects.get(team=complaints_team, measure="upheld_rate")
        assert objective.target == 40
        assert AuditEvent.objects.filter(kind="insights.objective_set").count() == 1
        page = client.get(f"/insights/teams/?team={complaints_team.pk}").content.decode()
    assert "Upheld (% of findings): 50.0% over the last three months, target 40%" in page
    # a team leader does not set their own objectives; an adviser sets none
    assert (
        client.post(
            "/insights/teams/objectives/", {"person": team_leader.pk, "measure": "upheld_rate", "target": "1"}
        ).status_code
        == 302
    )
    assert not Objective.objects.filter(person=team_leader).exists()
    adviser_client = login(adviser)
    assert (
        adviser_client.post(
            "/insights/teams/objectives/", {"person": adviser.pk, "measure": "upheld_rate", "target": "1"}
        ).status_code
        == 302
    )
    assert not Objective.objects.filter(person=adviser).exists()


def test_people_see_their_own_and_leaders_their_team(cases, adviser, other_team_adviser, team_leader):
    own = login(adviser)
    assert "Performance: " in own.get("/insights/teams/").content.decode()
    assert own.get(f"/insights/teams/?person={other_team_adviser.pk}").status_code == 404
    assert own.get(f"/insights/teams/?person={team_leader.pk}").status_code == 404
    assert own.get("/insights/").status_code == 404
    leader = login(team_leader)
    assert leader.get(f"/insights/teams/?person={adviser.pk}").status_code == 200
    assert leader.get(f"/insights/teams/?person={other_team_adviser.pk}").status_code == 404


def test_the_pages_read_a_fixed_number_of_queries(
    cases, complaints_lead, complaints_team, adviser, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(complaints_lead)
    urls = [
        "/insights/",
        "/insights/?by=root_cause",
        "/insights/cases/?start=2026-01-01&end=2026-12-31",
        f"/insights/teams/?team={complaints_team.pk}",
    ]

    def queries() -> list[int]:
        counted = []
        with time_machine.travel(NOW, tick=False):
            for url in urls:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counted.append(len(captured))
        return counted

    before = queries()
    with (
        time_machine.travel(datetime(2026, 9, 5, 10, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        for i in range(5):
            make_case(team=complaints_team, owner=adviser, summary=f"More {i}", channel="phone")
    assert queries() == before
    assert max(before) <= 25


def test_the_api_gives_the_same_figures(cases, team_leader, adviser):
    from amends.conftest import api_client

    with time_machine.travel(NOW, tick=False):
        page = _charts(login(team_leader).get("/insights/?grain=week"))
        response = api_client(team_leader).get("/api/v1/insights/figures?grain=week")
        assert response.status_code == 200
        charts = {c["id"]: c for c in response.json()["charts"]}
        assert charts["volumes"]["datasets"][0]["data"] == page["volumes"]["datasets"][0]["data"]
        assert api_client(adviser).get("/api/v1/insights/figures").status_code == 404
        bad = api_client(team_leader).get("/api/v1/insights/figures?start=2026-11-01&end=2026-01-01")
    assert bad.status_code == 400
    assert bad.json()["error"]["message"] == "Some filters are not valid"
