"""Every view and API endpoint against every persona: who may see, who may change.

A row is (persona, can see the complaints team's case, can work it, can assign, can decide merges).
"""

import json

import pytest
from django.test import Client

from amends.cases.models import Case, CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.services import api_token_create
from amends.customers.models import MergeSuggestion
from amends.messaging.models import Message

pytestmark = pytest.mark.django_db

#            persona               see    work   assign merge
MATRIX = [
    ("anonymous", False, False, False, False),
    ("outsider", False, False, False, False),
    ("adviser", True, True, False, False),
    ("case_handler", True, True, False, False),
    ("team_leader", True, True, True, True),
    ("complaints_lead", True, True, True, True),
    ("assessor", True, False, False, False),
    ("admin_user", True, True, True, True),
    ("other_team_adviser", False, False, False, False),
]


@pytest.fixture
def world(request, complaints_team, billing_team, adviser):
    case = make_case(team=complaints_team, email="matrix@example.com", name="Mat Rix")
    other = make_case(team=complaints_team, email="other@example.com", name="Mat Rix")
    suggestion = MergeSuggestion.objects.get(keep=case.customer, duplicate=other.customer)
    return case, suggestion


def _user(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def _web(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(("persona", "see", "work", "assign", "merge"), MATRIX)
def test_agent_ui(request, world, persona, see, work, assign, merge):
    case, suggestion = world
    user = _user(request, persona)
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}
    expected_get = 200 if see else (302 if persona == "anonymous" else 403 if persona == "outsider" else 404)

    queue = client.get("/queue/?queue=all")
    assert queue.status_code == (200 if is_staff else expected_get)
    if is_staff:
        assert (case.reference in queue.content.decode()) == see
    assert client.get(f"/cases/{case.reference}/").status_code == expected_get
    assert client.get(f"/customers/{case.customer_id}/").status_code == expected_get
    merge_page = client.get("/customers/merge-suggestions/")
    assert merge_page.status_code == (200 if merge else expected_get if not is_staff else 404)

    messages_before = Message.objects.filter(case=case).count()
    client.post(f"/cases/{case.reference}/reply", {"body": "Hello from the matrix", "version": case.version})
    assert (Message.objects.filter(case=case).count() > messages_before) == work
    client.post(
        f"/cases/{case.reference}/log-contact",
        {"channel": "phone", "direction": "in", "summary": "Rang about it"},
    )
    assert Message.objects.filter(case=case, purpose="contact_note").exists() == work
    client.post(
        f"/cases/{case.reference}/status", {"to": "open", "version": Case.objects.get(pk=case.pk).version}
    )
    assert (Case.objects.get(pk=case.pk).status == "open") == work
    client.post(
        f"/cases/{case.reference}/kind",
        {"kind": "query", "reason": "Only a question", "version": Case.objects.get(pk=case.pk).version},
    )
    assert (Case.objects.get(pk=case.pk).kind == "query") == work
    adviser = request.getfixturevalue("adviser")
    client.post(
        f"/cases/{case.reference}/owner",
        {"owner": adviser.pk, "version": Case.objects.get(pk=case.pk).version},
    )
    assigned_to_adviser = Case.objects.get(pk=case.pk).owner_id == adviser.pk
    # Anyone who works a case may take an unassigned one themselves; only assigners give it to others.
    assert assigned_to_adviser == (assign or (work and user == adviser))
    client.post(f"/customers/merge-suggestions/{suggestion.pk}", {"decision": "dismiss"})
    assert (MergeSuggestion.objects.get(pk=suggestion.pk).status == "dismissed") == merge


@pytest.mark.parametrize(("persona", "see", "work", "assign", "merge"), MATRIX)
def test_api(request, world, persona, see, work, assign, merge):
    case, _ = world
    user = _user(request, persona)
    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    is_staff = persona not in {"anonymous", "outsider"}
    denied = 401 if not is_staff else 404

    listing = client.get("/api/v1/cases?queue=all", **headers)
    assert listing.status_code == (200 if is_staff else 401)
    if is_staff:
        refs = [c["reference"] for c in listing.json()["items"]]
        assert (case.reference in refs) == see
    assert client.get(f"/api/v1/cases/{case.reference}", **headers).status_code == (200 if see else denied)
    assert client.get(f"/api/v1/cases/{case.reference}/messages", **headers).status_code == (
        200 if see else denied
    )
    assert client.get(f"/api/v1/customers/{case.customer_id}", **headers).status_code == (
        200 if see else denied
    )
    customers = client.get("/api/v1/customers", **headers)
    assert customers.status_code == (200 if is_staff else 401)
    if is_staff:
        assert (case.customer_id in [c["id"] for c in customers.json()["items"]]) == see

    write_expect = 201 if work else (403 if see else denied)
    post = lambda url, body: client.post(url, json.dumps(body), content_type="application/json", **headers)  # noqa: E731
    assert (
        post(f"/api/v1/cases/{case.reference}/replies", {"body": "Hi", "version": case.version}).status_code
        == write_expect
    )
    assert (
        post(
            f"/api/v1/cases/{case.reference}/contacts",
            {"channel": "phone", "direction": "in", "summary": "Rang"},
        ).status_code
        == write_expect
    )
    assert (
        post(
            f"/api/v1/cases/{case.reference}/messages",
            {"channel": "chat", "external_id": f"m-{persona}", "text": "More"},
        ).status_code
        == write_expect
    )
    version = Case.objects.get(pk=case.pk).version
    response = post(f"/api/v1/cases/{case.reference}/transition", {"to": "open", "version": version})
    assert response.status_code == (200 if work else 403 if see else denied)
    new_case = post(
        "/api/v1/cases",
        {
            "channel": "api",
            "external_id": f"new-{persona}",
            "text": "Broken",
            "customer": {"name": "New Person", "email": f"{persona}@example.org"},
        },
    )
    assert new_case.status_code == (201 if is_staff else 401)
    if not work:
        assert not CaseEvent.objects.filter(case=case, kind="status_changed").exists()
    for response in (listing, customers):
        if response.status_code == 401:
            assert response.json()["error"]["code"] == "unauthenticated"


def test_inbound_email_endpoint_needs_a_staff_token(adviser, outsider):
    raw = b"From: a@example.com\r\nSubject: hi\r\nMessage-ID: <x1@example.com>\r\n\r\nHello\r\n"
    client = Client()
    assert client.post("/inbound/email", raw, content_type="message/rfc822").status_code == 403
    _, bad_key = api_token_create(user=outsider, name="x")
    assert (
        client.post(
            "/inbound/email", raw, content_type="message/rfc822", HTTP_AUTHORIZATION=f"Bearer {bad_key}"
        ).status_code
        == 403
    )
    _, key = api_token_create(user=adviser, name="mail provider")
    assert client.post(f"/inbound/email?key={key}", raw, content_type="message/rfc822").status_code == 201
    assert Case.objects.filter(summary="hi").count() == 1


def test_status_page_shows_one_case_only(world):
    case, _ = world
    client = Client()
    page = client.get(f"/status/{case.public_token}/")
    assert page.status_code == 200 and case.reference in page.content.decode()
    assert client.get("/status/not-a-real-token/").status_code == 404
    assert client.get(f"/status/{case.public_token[:-1]}/").status_code == 404
    assert client.get("/status/" + "a" * 200 + "/").status_code == 404


#            persona               see    work   edit wording
PROCESS_MATRIX = [
    ("anonymous", False, False, False),
    ("outsider", False, False, False),
    ("adviser", True, True, False),
    ("case_handler", True, True, False),
    ("team_leader", True, True, False),
    ("complaints_lead", True, True, True),
    ("assessor", True, False, False),
    ("admin_user", True, True, True),
    ("other_team_adviser", False, False, False),
]


@pytest.mark.parametrize(("persona", "see", "work", "wording"), PROCESS_MATRIX)
def test_process_pages_and_endpoints(request, world, persona, see, work, wording):
    from amends.process.models import CaseProcess, Understanding
    from amends.process.services import process_start

    case, _ = world
    lead = request.getfixturevalue("complaints_lead")
    process_start(case=case, regime_code="fca-disp", actor=lead)
    user = _user(request, persona)
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}
    expected_get = 200 if see else (302 if persona == "anonymous" else 403 if persona == "outsider" else 404)

    assert client.get("/notifications/").status_code == (200 if is_staff else expected_get)
    blocks = client.get("/letters/wording/").status_code
    assert blocks == (200 if wording else (expected_get if not is_staff else 404))
    client.post(
        f"/cases/{case.reference}/process/understanding",
        {"what_happened": "x", "impact": "y", "outcome_wanted": "z"},
    )
    assert Understanding.objects.filter(case=case).exists() == work
    assert CaseProcess.objects.filter(case=case).count() == 1

    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    denied = 401 if not is_staff else 404
    assert api.get(f"/api/v1/cases/{case.reference}/process", **headers).status_code == (
        200 if see else denied
    )
    response = api.post(
        f"/api/v1/cases/{case.reference}/process/evidence",
        json.dumps({"kind": "record", "description": "Statement"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == (200 if work else 403 if see else denied)
