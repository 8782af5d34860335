"""The API answers in its one error shape whatever goes wrong, its own faults included."""

import logging

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from amends.cases.tests.factories import make_case
from amends.core.services import api_token_create
from amends.messaging.models import Message
from amends.process.services import process_start

pytestmark = pytest.mark.django_db


def test_an_unexpected_error_is_logged_and_answered_as_a_json_500(adviser, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("amends.regimes.api.current_version", broken)
    _, key = api_token_create(user=adviser, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="amends.api"):
        response = client.get("/api/v1/regimes/hos-2024/due", {"received": "2026-12-23T15:30:00+00:00"})
    assert response.status_code == 500 and response["Content-Type"] == "application/json; charset=utf-8"
    error = response.json()["error"]
    assert error["code"] == "server_error" and error["fields"] == {}
    assert "database went away" not in error["message"]  # the detail is for the log, not the caller
    assert "RuntimeError: the database went away" in caplog.text


# Python reads these, but UTC cannot hold the first two (an OverflowError where they are stored or compared)
# and the bank-holiday calendars cannot count to the last.
UNHELD = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z"]


@pytest.mark.parametrize("moment", UNHELD)
def test_a_moment_no_database_can_hold_is_a_422_naming_the_field(
    case_handler, complaints_team, complaints_lead, moment
):
    case = make_case(team=complaints_team, owner=case_handler)
    process_start(case=case, regime_code="fca-disp", actor=case_handler)
    _, key = api_token_create(user=case_handler, name="t")
    handler = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    _, key = api_token_create(user=complaints_lead, name="t")
    lead = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    base = f"/api/v1/cases/{case.reference}"
    contact = {"channel": "social", "external_id": "x:1", "text": "Hello", "received_at": moment}
    calls = {
        "due_at": handler.post(
            f"{base}/process/promises", {"description": "Call back", "due_at": moment}, "application/json"
        ),
        "received": handler.get("/api/v1/regimes/fca-disp/due", {"received": moment}),
        "received_at": handler.post(
            "/api/v1/cases", {**contact, "customer": {"name": "Sam", "handle": "@sam"}}, "application/json"
        ),
        "occurred_at": handler.post(
            f"{base}/contacts",
            {"channel": "phone", "direction": "in", "summary": "Rang", "occurred_at": moment},
            "application/json",
        ),
        "since": lead.get("/api/v1/signals/feedback", {"since": moment}),
        "received_at ": handler.post(f"{base}/messages", contact, "application/json"),
    }
    for field, response in calls.items():
        assert response.status_code == 422, (field, response.content)
        assert any(field.strip() in name for name in response.json()["error"]["fields"]), response.json()


def test_the_log_contact_form_refuses_a_time_utc_cannot_hold(adviser, complaints_team):
    case = make_case(team=complaints_team)
    page = Client()
    page.force_login(adviser)
    response = page.post(
        f"/cases/{case.reference}/log-contact",
        {
            "channel": "phone",
            "direction": "in",
            "summary": "Rang",
            "occurred_at": UNHELD[0],
            "version": case.version,
        },
    )
    assert response.status_code in {200, 302}
    assert any("1970" in str(m) for m in get_messages(response.wsgi_request))
    assert not Message.objects.filter(case=case, channel="phone").exists()


def test_the_nul_character_is_refused_in_a_body_and_a_query_and_nothing_is_stored(adviser, complaints_team):
    # PostgreSQL refuses NUL in text: before the parser refused it, this was a server error there.
    case = make_case(team=complaints_team)
    _, key = api_token_create(user=adviser, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    before = Message.objects.count()
    response = client.post(
        f"/api/v1/cases/{case.reference}/messages",
        {"channel": "email", "external_id": "nul-1", "text": "About\x00 the refund"},
        content_type="application/json",
    )
    assert response.status_code == 400  # django-ninja answers any refusal by the body parser so
    assert response.json()["error"] == {
        "code": "http_error",
        "message": "Cannot parse request body",
        "fields": {},
    }
    assert Message.objects.count() == before
    response = client.get("/api/v1/cases", {"q": "refund\x00"})
    assert response.status_code == 422 and response.json()["error"]["fields"] == {
        "q": "must not contain the NUL character"
    }
