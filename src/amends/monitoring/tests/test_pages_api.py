"""The review pages and endpoints: the chart and its table show the evidence's numbers, forms and the API
call the same services, and the list and review pages ask a fixed number of queries."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.conftest import api_client, login
from amends.monitoring import services
from amends.monitoring.models import ServiceReview, SpcSetting
from amends.monitoring.tests.conftest import START, store_weeks

pytestmark = pytest.mark.django_db


@pytest.fixture
def triggered(watched_products_and_channels):
    store_weeks(weeks=28, per_week=20, seed=4, spike={27: ("Credit card", 3.0)})
    (review,) = services.reviews_check(now=START + timedelta(weeks=28, days=1))
    return review


def test_the_review_page_draws_the_chart_and_tables_the_same_numbers(triggered, complaints_lead):
    page = login(complaints_lead).get(f"/reviews/{triggered.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Credit card" in html
    ev = triggered.evidence
    rows = re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>(\d+)</td>", html)
    assert [(p, int(c)) for p, c in rows] == list(zip(ev["periods"], ev["counts"], strict=True))
    # every week's point is drawn, the signalling one in red
    assert html.count("<circle") == len(ev["counts"])
    assert html.count('fill="#b00020"><title>') == 1


def test_pages_ask_a_fixed_number_of_queries(triggered, complaints_lead, team_leader):
    client = login(complaints_lead)
    for n in range(3):
        services.review_open(
            actor=complaints_lead, dimension="team", category=f"Team {n}", summary="x", owner=team_leader
        )
    with CaptureQueriesContext(connection) as few:
        assert client.get("/reviews/?status=all").status_code == 200
    for n in range(3, 10):
        services.review_open(
            actor=complaints_lead, dimension="team", category=f"Team {n}", summary="x", owner=team_leader
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get("/reviews/?status=all").status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as detail:
        assert client.get(f"/reviews/{triggered.pk}/").status_code == 200
    assert len(detail) <= 12


def test_the_forms_take_a_review_through_its_course(complaints_lead, team_leader):
    client = login(complaints_lead)
    response = client.post(
        "/reviews/open",
        {"dimension": "product", "category": "Savings", "summary": "Rates letter confused people"},
    )
    review = ServiceReview.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.pk}/"
    client.post(f"/reviews/{review.pk}/assign", {"owner": team_leader.pk, "version": review.version})
    login(team_leader).post(f"/reviews/{review.pk}/findings", {"findings": "The letter omitted the new rate"})
    review.refresh_from_db()
    client.post(
        f"/reviews/{review.pk}/close",
        {"outcome": "offer_changed", "note": "Letter rewritten", "version": review.version},
    )
    review.refresh_from_db()
    assert (review.owner, review.status, review.outcome) == (team_leader, "closed", "offer_changed")
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "The service offer is being changed" in page and "closed by Lee Lead" in page


def test_the_settings_page_saves_and_refuses_bad_numbers(complaints_lead):
    client = login(complaints_lead)
    assert client.get("/reviews/settings/").status_code == 200
    form = {
        "dimensions": ["product", "team"],
        "method": "ewma",
        "exposure": "none",
        "baseline_periods": "26",
        "watch_periods": "4",
        "min_count": "5",
        "yearly_false_alarm_rate": "0.05",
        "min_categories": "20",
        "ewma_lambda": "0.2",
        "ewma_l": "3",
        "cusum_shift": "1.5",
        "cusum_h": "4",
    }
    bad = client.post("/reviews/settings/", {**form, "ewma_l": "wide"}, follow=True)
    assert "not numbers" in bad.content.decode()
    assert SpcSetting.objects.get(pk=1).method == "poisson"
    client.post("/reviews/settings/", form)
    saved = SpcSetting.objects.get(pk=1)
    assert (saved.method, saved.ewma_lambda, saved.exposure, saved.dimensions) == (
        "ewma",
        0.2,
        "none",
        ["product", "team"],
    )


def test_the_api_lists_reads_and_changes_reviews(triggered, complaints_lead, team_leader):
    api = api_client(complaints_lead)
    listed = api.get("/api/v1/reviews?status=open").json()
    assert [r["id"] for r in listed["items"]] == [triggered.pk]
    got = api.get(f"/api/v1/reviews/{triggered.pk}").json()
    assert got["evidence"]["counts"] == triggered.evidence["counts"] and got["probability"] < 1e-4
    made = api.post(
        "/api/v1/reviews",
        json.dumps(
            {
                "dimension": "channel",
                "category": "phone",
                "summary": "Callbacks missed",
                "owner": team_leader.pk,
            }
        ),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["owner"] == team_leader.pk
    again = api.post(
        "/api/v1/reviews",
        json.dumps({"dimension": "channel", "category": "phone", "summary": "Twice"}),
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    rid = made.json()["id"]
    found = api_client(team_leader).post(
        f"/api/v1/reviews/{rid}/findings",
        json.dumps({"findings": "Rota gap on Fridays"}),
        content_type="application/json",
    )
    assert found.status_code == 200 and found.json()["status"] == "in_review"
    closed = api.post(
        f"/api/v1/reviews/{rid}/close",
        json.dumps({"outcome": "delivery_changed"}),
        content_type="application/json",
    )
    assert closed.json()["status"] == "closed"
    refused = api_client(team_leader).put(
        "/api/v1/review-settings",
        json.dumps({"dimensions": ["product"], "method": "ewma"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    changed = api.put(
        "/api/v1/review-settings",
        json.dumps({"dimensions": ["product"], "method": "cusum", "cusum_h": 5}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["method"] == "cusum"
    bad = api.put(
        "/api/v1/review-settings",
        json.dumps({"dimensions": ["product"], "method": "cusum", "baseline_periods": 2}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "baseline_periods" in bad.json()["error"]["fields"]
