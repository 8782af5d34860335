"""The improvement pages and API: plan an action, move it, see its measure as a chart and a table."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.conftest import api_client, login
from amends.improvement import services
from amends.improvement.models import ImprovementAction, Stage
from amends.improvement.services import ActionPlan
from amends.improvement.tests.conftest import at

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Refund call-backs",
    "change": "Call the customer two days before a refund is due",
    "due_date": "2026-03-31",
    "root_causes": ["delay", "not-kept-informed"],
    "measure": "root_cause",
    "before_start": "2026-02-01",
    "before_end": "2026-02-28",
    "after_start": "2026-04-01",
    "after_end": "2026-04-28",
}


def _action(owner, lead):
    return services.action_plan(
        actor=lead,
        plan=ActionPlan(
            title="Refund call-backs",
            change="Call first",
            owner_id=owner.pk,
            due_date=date(2026, 3, 31),
            before_start=date(2026, 2, 1),
            before_end=date(2026, 2, 28),
            after_start=date(2026, 4, 1),
            after_end=date(2026, 4, 28),
            root_causes=("delay",),
        ),
    )


def test_a_team_leader_plans_and_moves_an_action_on_the_pages(team_leader, case_handler, found):
    found("delay", date(2026, 2, 3))
    case = found("delay", date(2026, 2, 4))
    client = login(team_leader)
    with time_machine.travel(at(date(2026, 3, 1)), tick=False):
        response = client.post("/improvement/new", FORM | {"owner": case_handler.pk, "cases": case.reference})
        action = ImprovementAction.objects.get()
        assert response.url == f"/improvement/{action.pk}/"
        assert sorted(rc.code for rc in action.root_causes.all()) == ["delay", "not-kept-informed"]
        assert list(action.cases.all()) == [case]
        client.post(f"/improvement/{action.pk}/stage", {"to": "check"})  # skipping Do: refused
        action.refresh_from_db()
        assert action.stage == Stage.PLAN
        client.post(f"/improvement/{action.pk}/stage", {"to": "do", "note": "Script changed"})
    with time_machine.travel(at(date(2026, 4, 8)), tick=False):
        client.post(f"/improvement/{action.pk}/stage", {"to": "check"})
        page = client.get(f"/improvement/{action.pk}/").content.decode()
        assert "<svg" in page and 'id="measure-table"' in page
        assert "2 complaints, 0.50 a week" in page  # before: 2 in 4 weeks
        client.post(f"/improvement/{action.pk}/check", {"result": "effective", "note": "None since"})
        client.post(f"/improvement/{action.pk}/stage", {"to": "act", "note": "Keep it"})
    action.refresh_from_db()
    assert (action.stage, action.check_result, action.before_count) == (Stage.ACT, "effective", 2)
    assert action.events.count() == 5


def test_who_may_plan_and_move(adviser, case_handler, team_leader, assessor):
    refused = login(adviser).post("/improvement/new", FORM | {"owner": adviser.pk}, follow=True)
    assert "Team leaders and complaints leads plan" in refused.content.decode()
    action = _action(case_handler, team_leader)
    login(adviser).post(f"/improvement/{action.pk}/stage", {"to": "do"})
    login(assessor).post(f"/improvement/{action.pk}/stage", {"to": "do"})
    action.refresh_from_db()
    assert action.stage == Stage.PLAN
    login(case_handler).post(f"/improvement/{action.pk}/stage", {"to": "do"})  # its owner
    action.refresh_from_db()
    assert action.stage == Stage.DO
    assert login(assessor).get(f"/improvement/{action.pk}/").status_code == 200  # reads it


def test_pages_take_the_same_queries_however_many_actions(team_leader, case_handler):
    client = login(team_leader)
    _action(case_handler, team_leader)
    client.get("/improvement/")
    with CaptureQueriesContext(connection) as one:
        client.get("/improvement/?stage=")
    for _ in range(4):
        _action(case_handler, team_leader)
    with CaptureQueriesContext(connection) as five:
        assert client.get("/improvement/?stage=").content.decode().count("Refund call-backs") == 5
    assert len(five) == len(one)
    action = ImprovementAction.objects.first()
    with CaptureQueriesContext(connection) as detail:
        assert client.get(f"/improvement/{action.pk}/").status_code == 200
    assert len(detail) <= 25


def test_the_api_plans_moves_and_reports_the_measure(team_leader, case_handler, adviser, found):
    found("delay", date(2026, 2, 10))
    api = api_client(team_leader)
    with time_machine.travel(at(date(2026, 3, 1)), tick=False):
        made = api.post(
            "/api/v1/improvement", FORM | {"owner": case_handler.pk}, content_type="application/json"
        )
        assert made.status_code == 200, made.content
        body = made.json()
        assert body["stage"] == "plan" and body["before_now"] == {"count": 1, "per_week": "0.25"}
        assert body["after_now"] is None  # up to today: four weeks before, one between
        assert [w["window"] for w in body["weeks"]] == ["before"] * 4 + ["between"]
        action_id = body["id"]
        skipped = api.post(
            f"/api/v1/improvement/{action_id}/stage",
            {"to": "act", "note": "x"},
            content_type="application/json",
        )
        assert skipped.status_code == 409 and skipped.json()["error"]["code"] == "transition_not_allowed"
        refused = api_client(adviser).post(
            f"/api/v1/improvement/{action_id}/stage", {"to": "do"}, content_type="application/json"
        )
        assert refused.status_code == 403
        moved = api.post(
            f"/api/v1/improvement/{action_id}/stage", {"to": "do"}, content_type="application/json"
        )
        assert moved.json()["stage"] == "do"
        assert [e["kind"] for e in moved.json()["events"]] == ["created", "stage_changed"]
    assert [a["id"] for a in api_client(adviser).get("/api/v1/improvement").json()] == [action_id]
    assert api.get("/api/v1/improvement/999999").status_code == 404
