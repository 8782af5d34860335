"""The problems pages and API: who sees, who changes, the preview and count before telling customers."""

import json

import pytest
from django.test import Client

from amends.cases.tests.factories import make_case
from amends.core.services import api_token_create
from amends.messaging.models import Message
from amends.problems import services
from amends.problems.models import Problem, ProductOwner

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_team_leader_opens_edits_and_links_an_adviser_only_reads(team_leader, adviser, complaints_team):
    case = make_case(team=complaints_team, summary="App down")
    lead = _client(team_leader)
    response = lead.post(
        "/problems/open", {"title": "App outage", "product": "Mobile app", "cases": case.reference}
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/problems/{problem.pk}/"
    assert list(problem.links.values_list("case_id", flat=True)) == [case.pk]
    page = lead.get(f"/problems/{problem.pk}/").content.decode()
    assert case.reference in page and "Change the problem" in page and "Customers affected" in page
    lead.post(f"/problems/{problem.pk}/edit", {"title": "App outage 6 Dec", "status": "investigating"})
    problem.refresh_from_db()
    assert problem.title == "App outage 6 Dec" and problem.status == "investigating"
    reader = _client(adviser)
    assert "App outage 6 Dec" in reader.get("/problems/").content.decode()
    assert "Change the problem" not in reader.get(f"/problems/{problem.pk}/").content.decode()
    reader.post(f"/problems/{problem.pk}/edit", {"title": "Changed by an adviser", "status": "closed"})
    problem.refresh_from_db()
    assert problem.title == "App outage 6 Dec"


def test_telling_customers_shows_a_preview_and_count_then_sends(complaints_lead, complaints_team):
    problem = services.problem_open(title="Statements late", actor=complaints_lead)
    cases = [make_case(team=complaints_team, email=f"t{i}@example.org") for i in range(2)]
    services.problem_cases_link(problem=problem, cases=cases, actor=complaints_lead)
    client = _client(complaints_lead)
    preview = client.get(f"/problems/{problem.pk}/tell", {"body": "Your statement is on its way."})
    assert "2 customers" in preview.content.decode()
    assert not Message.objects.filter(direction="out").exists()
    client.post(f"/problems/{problem.pk}/tell", {"body": "Your statement is on its way.", "expected": "2"})
    assert Message.objects.filter(direction="out", body_text="Your statement is on its way.").count() == 2


def test_product_owners_page(complaints_lead, adviser, team_leader):
    _client(team_leader).post("/problems/owners/", {"product": "Boilers", "owner": adviser.pk})
    assert not ProductOwner.objects.exists()  # a team leader may not
    _client(complaints_lead).post("/problems/owners/", {"product": "Boilers", "owner": adviser.pk})
    assert ProductOwner.objects.get().owner == adviser


def test_the_api_lists_opens_and_links(team_leader, assessor, complaints_team):
    case = make_case(team=complaints_team)
    _, key = api_token_create(user=team_leader, name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    created = client.post(
        "/api/v1/problems", json.dumps({"title": "Outage"}), content_type="application/json", **headers
    )
    assert created.status_code == 201 and created.json()["opened_by"] == "staff"
    pk = created.json()["id"]
    linked = client.post(
        f"/api/v1/problems/{pk}/cases",
        json.dumps({"cases": [case.reference]}),
        content_type="application/json",
        **headers,
    )
    assert linked.json()["cases"] == [case.reference] and linked.json()["customers_affected"] == 1
    assert [p["id"] for p in client.get("/api/v1/problems", **headers).json()] == [pk]
    _, key = api_token_create(user=assessor, name="a")
    refused = client.post(
        "/api/v1/problems",
        json.dumps({"title": "No"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert refused.status_code == 403 and Problem.objects.count() == 1
