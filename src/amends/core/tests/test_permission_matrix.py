"""Every view and API endpoint against every persona: who may see, who may change.

A row is (persona, can see the complaints team's case, can work it, can assign, can decide merges).
"""

import json
import re
import typing
from datetime import date, datetime
from decimal import Decimal

import pydantic
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver

from amends.cases.models import Case, CaseEvent, Note
from amends.cases.tests.factories import make_case
from amends.core.services import api_token_create
from amends.customers.models import Customer, MergeSuggestion
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
    # The customer's view: whoever may see the customer (an assessor reads it); a customer never.
    assert client.get(f"/customers/{case.customer_id}/story").status_code == expected_get
    merge_page = client.get("/customers/merge-suggestions/")
    assert merge_page.status_code == (200 if merge else expected_get if not is_staff else 404)
    integrations = client.get("/integrations/")  # an administrator's
    assert integrations.status_code == (
        200 if persona == "admin_user" else expected_get if not is_staff else 404
    )

    messages_before = Message.objects.filter(case=case).count()
    client.post(f"/cases/{case.reference}/reply", {"body": "Hello from the matrix", "version": case.version})
    assert (Message.objects.filter(case=case).count() > messages_before) == work
    client.post(
        f"/cases/{case.reference}/log-contact",
        {
            "channel": "phone",
            "direction": "in",
            "summary": "Rang about it",
            "version": Case.objects.get(pk=case.pk).version,
        },
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
    client.post(f"/cases/{case.reference}/notes", {"body": "A note from the matrix"})
    assert Note.objects.filter(case=case).exists() == work
    client.post(f"/customers/{case.customer_id}/notes", {"body": "About the customer"})
    assert Note.objects.filter(customer=case.customer).exists() == work
    client.post(f"/customers/merge-suggestions/{suggestion.pk}", {"decision": "dismiss"})
    assert (MergeSuggestion.objects.get(pk=suggestion.pk).status == "dismissed") == merge
    # The customer's details: whoever works the customer's case (an assessor only reads them).
    customer = Customer.objects.get(pk=case.customer_id)
    edit = {"version": customer.version, "name": f"Renamed by {persona}", "nation": "wales"}
    edit |= {
        "preferred_channel": "phone",
        "points": "1",
        "cp-0-kind": "email",
        "cp-0-value": "matrix@example.com",
    }
    client.post(f"/customers/{customer.pk}/edit", edit)
    assert (Customer.objects.get(pk=customer.pk).name == f"Renamed by {persona}") == work
    failed = _email_given_up(case, adviser)
    client.post(f"/cases/{case.reference}/messages/{failed.pk}/send-again")
    assert (Message.objects.get(pk=failed.pk).delivery == "queued") == work


@pytest.mark.parametrize(("persona", "see", "work", "assign", "merge"), MATRIX)
def test_colleague_alerts_and_hand_overs(request, world, persona, see, work, assign, merge):
    """Alerts on a customer: raised by whoever works the customer's case, closed by whoever raised it,
    the colleague named, or a leader; a hand-over note is marked read only by the person it was for."""
    from amends.cases.models import HandOver
    from amends.cases.services import case_assign
    from amends.customers.alerts import colleague_alert_raise
    from amends.customers.models import ColleagueAlert

    case, _ = world
    expected_get = 302 if persona == "anonymous" else 403
    handler = request.getfixturevalue("case_handler")
    leader = request.getfixturevalue("team_leader")
    case_assign(case=case, owner=handler, actor=leader)
    case_assign(
        case=case,
        owner=request.getfixturevalue("adviser"),
        actor=leader,
        reason="workload",
        note="Over to Ada",
    )
    handover = HandOver.objects.get(case=case, to_owner__username="ada")
    theirs = colleague_alert_raise(customer=case.customer, actor=handler, kind="may_reopen", text="Said so")
    user = _user(request, persona)
    client = _web(user)
    url = f"/customers/{case.customer_id}/alerts"
    client.post(url, {"kind": "may_contact", "text": f"From {persona}", "expires_on": ""})
    assert ColleagueAlert.objects.filter(text=f"From {persona}").exists() == work
    client.post(f"{url}/{theirs.pk}/close", {"reason": "matrix"})
    closers = {"case_handler"}  # who raised it (the colleague it names and leaders close it too)
    assert (ColleagueAlert.objects.get(pk=theirs.pk).closed_at is not None) == (
        (work and assign) or persona in closers
    )
    client.post(f"/cases/{case.reference}/handovers/{handover.pk}/read")
    assert (HandOver.objects.get(pk=handover.pk).read_at is not None) == (persona == "adviser")

    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    is_staff = persona not in {"anonymous", "outsider"}
    denied = 401 if not is_staff else 404
    # The directory of who can help: everyone with a role reads it; each keeps their own entry, a team
    # leader their team's, a complaints lead or administrator anyone's.
    adviser = request.getfixturevalue("adviser")
    assert client.get("/directory/?q=complaints").status_code == (200 if is_staff else expected_get)
    client.post(f"/directory/{adviser.pk}/edit", {"helps_with": f"Set by {persona}", "reach": ""})
    adviser.staff.refresh_from_db()
    assert (adviser.staff.helps_with == f"Set by {persona}") == (assign or persona == "adviser")
    listed = api.get(f"/api/v1{url}", **headers)
    assert listed.status_code == (200 if see else denied)
    made = api.post(
        f"/api/v1{url}", json.dumps({"kind": "other", "text": "By API"}), "application/json", **headers
    )
    assert made.status_code == (201 if work else 403 if see else denied)


def _email_given_up(case, actor) -> Message:
    from amends.messaging.mailer import Attempt
    from amends.messaging.services import message_send, outbox_record

    failed = message_send(case=case, actor=actor, body="We wrote", subject="Update")
    outbox_record([Attempt(failed.outbox.pk, "550 no such mailbox", permanent=True)], at=failed.recorded_at)
    return failed


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
    assert client.get(f"/api/v1/customers/{case.customer_id}/story", **headers).status_code == (
        200 if see else denied
    )
    customers = client.get("/api/v1/customers", **headers)
    assert customers.status_code == (200 if is_staff else 401)
    if is_staff:
        assert (case.customer_id in [c["id"] for c in customers.json()["items"]]) == see
    patched = client.patch(
        f"/api/v1/customers/{case.customer_id}",
        json.dumps({"version": 1, "preferred_channel": "letter"}),
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == (200 if work else 403 if see else denied)
    assert (Customer.objects.get(pk=case.customer_id).preferred_channel == "letter") == work

    # Who the case can be given to is asked by those who work it (an assessor assigns nothing).
    assignees = client.get(f"/api/v1/cases/{case.reference}/assignees", **headers)
    assert assignees.status_code == (200 if work else 403 if see else denied)
    if work and not assign:  # the case is unassigned: they may take it themselves, and give it to nobody
        assert [row["username"] for row in assignees.json()] == [user.username]

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
    assert post(f"/api/v1/cases/{case.reference}/notes", {"body": "Noted"}).status_code == write_expect
    assert post(f"/api/v1/customers/{case.customer_id}/notes", {"body": "Noted"}).status_code == write_expect
    assert client.get(f"/api/v1/cases/{case.reference}/notes", **headers).status_code == (
        200 if see else denied
    )
    version = Case.objects.get(pk=case.pk).version
    response = post(f"/api/v1/cases/{case.reference}/transition", {"to": "open", "version": version})
    assert response.status_code == (200 if work else 403 if see else denied)
    failed = _email_given_up(case, request.getfixturevalue("adviser"))
    response = post(f"/api/v1/cases/{case.reference}/messages/{failed.pk}/send-again", {})
    assert response.status_code == (200 if work else 403 if see else denied)
    assert (Message.objects.get(pk=failed.pk).delivery == "queued") == work
    new_case = post(
        "/api/v1/cases",
        {
            "channel": "api",
            "external_id": f"new-{persona}",
            "text": "Broken",
            "customer": {"name": "New Person", "email": f"{persona}@example.org"},
        },
    )
    # Opening a case is work: everyone who works cases, any team (the case lands in the intake team's
    # queue); an assessor reads and records nothing.
    opens_cases = is_staff and persona != "assessor"
    assert new_case.status_code == (201 if opens_cases else 403 if is_staff else 401)
    assert (
        Case.objects.filter(customer__contact_points__value=f"{persona}@example.org").exists() == opens_cases
    )
    if not work:
        assert not CaseEvent.objects.filter(case=case, kind="status_changed").exists()
    for response in (listing, customers):
        if response.status_code == 401:
            assert response.json()["error"]["code"] == "unauthenticated"


def test_inbound_email_endpoint_takes_no_staff_token(settings, adviser, admin_user):
    """The mail provider has its own credential (intake/tests/test_endpoint_and_cli.py has the rest)."""
    settings.AMENDS_INBOUND_EMAIL_SECRET = "the-providers-own-secret-0123456789"
    raw = b"From: a@example.com\r\nSubject: hi\r\nMessage-ID: <x1@example.com>\r\n\r\nHello\r\n"
    client = Client()

    def send(auth):
        return client.post("/inbound/email", raw, content_type="message/rfc822", HTTP_AUTHORIZATION=auth)

    assert send("").status_code == 401
    for user in (adviser, admin_user):
        _, key = api_token_create(user=user, name="mail provider")
        assert send(f"Bearer {key}").status_code == 401
        assert client.post(f"/inbound/email?key={key}", raw, content_type="message/rfc822").status_code == 401
    assert not Case.objects.filter(summary="hi").exists()
    assert send(f"Bearer {settings.AMENDS_INBOUND_EMAIL_SECRET}").status_code == 201
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
    # Everyone with a role chooses their own notification emails, and only their own.
    assert client.get("/notifications/settings/").status_code == (200 if is_staff else expected_get)
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


# Every write, through the API and the pages, against the personas who may change nothing on the
# complaints team's case: nobody signed in, an account with no role, and an assessor (who sees it).
# The endpoints and pages are found, not listed, so a new one is checked the day it is added.
READ_ONLY = ["anonymous", "outsider", "assessor"]

# POST endpoints that change nothing: they compute an answer from what is posted.
API_COMPUTATIONS = {"/signals/analyse", "/coach"}
# An assessor's own write: what they observed of the work (assessment). The least body names no criterion,
# so it is refused for that (400) and changes nothing; assessment/tests records one.
# The same for their decision on a learner's criterion (assessment: competence); the matrix's learner id names
# nobody they assess, so it is not found (404).
ASSESSOR_WRITES = {"/cases/{reference}/observations", "/competence/learners/{learner_id}/decisions"}
# Knowledge checks (knowledge/tests): the matrix's world has none, so a check or an answer named by id is
# not found (404) for a persona who is signed in; starting one is for learners only (403).
API_NONE_TO_FIND = {"/knowledge/attempts/{attempt_id}/submit", "/knowledge/answers/{answer_id}/mark"}
# What a type alone does not say a body needs (a validator's rule).
API_BODIES = {
    "/cases": {"customer": {"name": "New Person", "email": "new@example.org"}},
    "/regimes": {"code": "our-own"},
    "/regimes/settings": {"in_use": ["fca-disp"]},
    "/cases/{reference}/signals/{signal_id}/feedback": {"verdict": "dismissed"},
    "/integrations": {"channels": ["social"]},
    "/integrations/{integration_id}": {"channels": ["social"]},
    "/cases/bulk": {"action": "tag", "references": ["AM-2026-000001"], "args": {"tag": "matrix"}},
    "/returns/self-assessment": {"year": 2026},
}
# Pages that are not a staff member's write on the organisation's data, each with the reason.
PAGES_NOT_STAFF_WRITES = {
    "login": "signing in",
    "logout": "signing out",
    "notifications": "marking one's own notifications read",
    "notification_settings": "one's own choice of notification emails",
    "complain": "the public complaint form: anyone may complain",
    "inbound_email": "the mail provider's own credential (test_inbound_email_endpoint_takes_no_staff_token)",
    "confirm_understanding": "the customer, by the private link of their status page",
    "tell_support_needs": "the customer, by the private link of their status page (care's tests)",
    "coach_draft": "the reply coach reads a draft and stores nothing",
}


def _minimal(annotation):
    """The least a value of this type can be, so a body passes validation and reaches the permission
    question (ninja refuses a malformed body with 422 before the endpoint runs)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        return _minimal(args[0])
    if typing.get_origin(annotation) is list:
        # Files may be left out (an empty list); other lists (an option's remedies) need one item.
        item = args[0]
        is_file = (
            isinstance(item, type)
            and issubclass(item, pydantic.BaseModel)
            and "content_base64" in item.model_fields
        )
        return [] if is_file else [_minimal(item)]
    if args and type(None) in args:
        return _minimal(next(a for a in args if a is not type(None)))
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return {
            name: _minimal(field.annotation)
            for name, field in annotation.model_fields.items()
            if field.is_required()
        }
    return {
        str: "x",
        int: 1,
        bool: True,
        Decimal: "1",
        datetime: "2030-01-02T10:00:00Z",
        date: "2030-01-02",
    }.get(annotation, {})


def _api_writes():
    """(method, path, body) of every endpoint that may change something."""
    from amends.api import api

    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in sorted(set(operation.methods) - {"GET", "HEAD"}):
                    payload = typing.get_type_hints(operation.view_func).get("payload")
                    body = _minimal(payload) if payload else {}
                    yield method, prefix + path, body | API_BODIES.get(prefix + path, {})


def _pages(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not str(pattern.pattern).startswith("api/"):
                yield from _pages(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield pattern.name, prefix + str(pattern.pattern)


def _everything() -> dict:
    """Every row of every table but the sessions, without the times a sign-in or a token's use touches."""
    skip = {"last_login", "last_used_at"}
    return {
        model._meta.label: sorted(
            repr({k: v for k, v in row.items() if k not in skip}) for row in model.objects.values()
        )
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


@pytest.fixture
def rich_world(request, world, complaints_team):
    """The matrix's case under a regime, with a letter, a promise, an option and a signal to act on, and
    an email the outbox gave up on (to send again)."""
    from amends.process.services import process_start

    case, suggestion = world
    lead = request.getfixturevalue("complaints_lead")
    process_start(case=case, regime_code="fca-disp", actor=lead)
    _email_given_up(case, lead)
    return case, suggestion


def _a_problem(case):
    """A problem record with the matrix's case linked (problems app), for the pages that name one."""
    from amends.problems.services import problem_open

    return problem_open(title="Matrix problem", actor=None, cases=[case])


def _given_up(case) -> int:
    return Message.objects.get(case=case, delivery="failed").pk


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_personas_write_nothing_through_the_api(request, rich_world, persona):
    case, _ = rich_world
    user = _user(request, persona)
    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client = Client()
    client.get("/api/v1/cases", **headers)  # the token's first use is stamped before the snapshot
    before = _everything()
    writes = list(_api_writes())
    paths = {path for _, path, _ in writes}
    assert len(writes) > 25 and {"/cases", "/customers/{customer_id}"} <= paths
    for method, path, body in writes:
        url = "/api/v1" + path.replace("{reference}", case.reference).replace("{signal_id}", "1")
        url = url.replace("{message_id}", str(_given_up(case))).replace("{integration_id}", "1")
        url = url.replace("{mailbox_id}", "1").replace("{alert_id}", "1").replace("{problem_id}", "1")
        for name in (
            "decision_id",
            "appeal_id",
            "marker_id",
            "follow_up_id",
            "review_id",
            "action_id",
            "lesson_id",
            "attempt_id",
            "answer_id",
            "learner_id",
            "session_id",
        ):
            url = url.replace("{" + name + "}", "1")
        url = url.replace("{customer_id}", str(case.customer_id)).replace("{reply_id}", "1")
        response = client.generic(method, url, json.dumps(body), content_type="application/json", **headers)
        expected = (
            401
            if persona != "assessor"
            else 200
            if path in API_COMPUTATIONS
            else 400
            if path in ASSESSOR_WRITES
            else 404
            if path in API_NONE_TO_FIND
            else 403
        )
        # An assessor may record observations: the dummy body is refused as input (400), or as naming
        # no member of staff (404 on PostgreSQL, whose ids do not restart at 1), never for permission.
        allowed = {400, 404} if expected == 400 else {expected}
        assert response.status_code in allowed, (method, path, body, response.content[:300])
    assert _everything() == before


@pytest.mark.parametrize("persona", READ_ONLY)
def test_read_only_personas_write_nothing_through_the_pages(request, rich_world, persona):
    from amends.process.actions import ACTIONS

    case, suggestion = rich_world
    client = _web(_user(request, persona))
    values = {
        "reference": case.reference,
        "pk": str(suggestion.pk),
        "signal_id": "1",
        "message_id": str(_given_up(case)),
        "letter": "1",
        "code": "fca-disp-referral-rights",
        "token": case.public_token,
        "alert_id": "1",
        "user_id": str(request.getfixturevalue("adviser").pk),  # someone else's directory entry
        "problem_id": str(_a_problem(case).pk),
        "attempt_id": "1",  # no knowledge check in the matrix's world: not found
        "answer_id": "1",
        "learner_id": str(request.getfixturevalue("adviser").pk),  # not a learner: not found
        # The competence record (assessment): a unit, an evidence item, a decision of nobody's.
        "unit": "CFACSC4",
        "item": "1",
        "decision": "1",
    }
    posts = []
    for name, route in _pages(get_resolver().url_patterns):
        if name in PAGES_NOT_STAFF_WRITES:
            continue
        url = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "{" + m.group(1) + "}"), route
        )
        if name == "process_action":
            posts += [
                (url.replace("{action}", action), _minimal(step.input)) for action, step in ACTIONS.items()
            ]
        else:
            posts.append(
                (url, {"decision": "merge", "to": "open", "kind": "query", "reason": "r", "body": "b"})
            )
    assert all("{" not in url for url, _ in posts), posts
    before = _everything()
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code < 500, url
    assert _everything() == before


#            persona               see conduct, report, decide L2-L3, keep markers, configure
CONDUCT_MATRIX = [
    ("anonymous", False, False, False, False, False),
    ("outsider", False, False, False, False, False),
    ("adviser", True, True, False, False, False),
    ("case_handler", True, True, False, False, False),
    ("team_leader", True, True, True, True, False),
    ("complaints_lead", True, True, True, True, True),
    ("assessor", False, False, False, False, False),
    ("admin_user", True, True, True, True, True),
    ("other_team_adviser", False, False, False, False, False),
]


@pytest.mark.parametrize(("persona", "see", "report", "decide", "keep", "configure"), CONDUCT_MATRIX)
def test_conduct_pages_and_endpoints(request, world, persona, see, report, decide, keep, configure):
    """Behaviour incidents, decisions, markers and the policy (amends.conduct): every page and endpoint."""
    from datetime import timedelta

    from django.utils import timezone

    from amends.conduct import services as conduct
    from amends.conduct.models import (
        Appeal,
        BehaviourIncident,
        ConductDecision,
        PolicyLevel,
        WarningMarker,
        WellbeingFollowUp,
    )

    case, _ = world
    lead = request.getfixturevalue("complaints_lead")
    adviser = request.getfixturevalue("adviser")
    safety = conduct.safety_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        channel="phone",
        description="Threats",
        verbatim="I will hurt you",
        immediate_action="ended_call",
        marker=conduct.MarkerRequest(
            reason="Threatened staff", visible_to=["team_leader", "complaints_lead", "admin"]
        ),
    )
    incident, marker, follow_up = safety.incident, safety.marker, safety.follow_up
    decision = conduct.decision_make(
        actor=lead, customer=case.customer, level="L2", reasons="Warning", incidents=[incident], case=case
    )
    user = _user(request, persona)
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}
    sees_customer = persona not in {"anonymous", "outsider", "other_team_adviser"}

    def expect(allowed: bool, *, hidden: bool = False) -> int:
        if persona == "anonymous":
            return 302
        if persona == "outsider":
            return 403
        return 200 if allowed else 404

    customer = case.customer_id
    # The overview lists only what the user may see: another team's adviser sees it empty.
    assert client.get("/conduct/").status_code == expect(see or persona == "other_team_adviser")
    assert client.get(f"/customers/{customer}/conduct/").status_code == expect(see, hidden=not sees_customer)
    assert client.get(f"/conduct/decisions/{decision.pk}/").status_code == expect(see, hidden=True)
    assert client.get(f"/conduct/incidents/{incident.pk}/").status_code == expect(see, hidden=True)
    assert client.get(f"/conduct/report/?customer={customer}").status_code == expect(
        report, hidden=not sees_customer
    )
    assert client.get(f"/conduct/safety/?customer={customer}").status_code == expect(
        report, hidden=not sees_customer
    )
    assert client.get("/conduct/settings/").status_code == expect(configure)
    case_page = client.get(f"/cases/{case.reference}/").content.decode()
    assert ("Threatened staff" in case_page) == keep  # the marker names managers only

    client.post(
        "/conduct/report/",
        {
            "customer": customer,
            "case": case.reference,
            "category": "unreasonable-demands",
            "channel": "email",
            "description": "Demanded a reply within the hour",
            "severity": "low",
            "immediate_action": "none",
        },
    )
    assert BehaviourIncident.objects.filter(category__code="unreasonable-demands").exists() == (
        report and sees_customer
    )
    client.post(
        "/conduct/safety/",
        {
            "customer": customer,
            "channel": "phone",
            "description": "More threats",
            "verbatim": "Watch out",
            "immediate_action": "ended_call",
        },
    )
    assert BehaviourIncident.objects.filter(description="More threats").exists() == (report and sees_customer)
    client.post(
        f"/customers/{customer}/conduct/decide",
        {
            "level": "L3",
            "reasons": "Continued",
            "incidents": [incident.pk],
            "restriction": ["one-channel"],
            "param-one-channel-channels": ["email"],
            "adjustments_considered": "Email suits them",
            "review_due": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
    )
    restricted = ConductDecision.objects.filter(level__code="L3").exists()
    assert restricted == (decide and sees_customer)
    active = ConductDecision.objects.get(status="active")
    client.post(f"/conduct/decisions/{active.pk}/appeal", {"grounds": "I was upset"})
    assert Appeal.objects.exists() == (report and sees_customer)
    client.post(
        f"/conduct/decisions/{active.pk}/review",
        {
            "outcome": "continue",
            "reasons": "Still",
            "next_review_due": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert active.reviews.exists() == (decide and sees_customer)
    client.post(
        f"/conduct/markers/{marker.pk}/review",
        {"reasons": "Still needed", "review_due": (timezone.localdate() + timedelta(days=30)).isoformat()},
    )
    assert (WarningMarker.objects.get(pk=marker.pk).reviewed_at is not None) == keep
    client.post(
        f"/customers/{customer}/conduct/markers",
        {
            "reason": "Another",
            "basis": "HSWA",
            "visible_to": ["admin"],
            "review_due": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert WarningMarker.objects.filter(reason="Another").exists() == (report and sees_customer)
    client.post(f"/conduct/follow-ups/{follow_up.pk}/done", {"note": "Spoke to them"})
    # The follow-up is the team leader's (the reporter's); a manager may close it too.
    assert (WellbeingFollowUp.objects.get(pk=follow_up.pk).done_at is not None) == (keep and sees_customer)
    client.post(
        "/conduct/settings/levels/L2",
        {
            "name": "Formal warning",
            "allows": "x",
            "decided_by": ["admin"],
            "notice_required": "on",
            "review_days": "180",
        },
    )
    assert (PolicyLevel.objects.get(code="L2").decided_by == ["admin"]) == configure
    client.post("/conduct/settings/categories", {"name": "Filming staff", "severity_floor": "L2"})
    client.post("/conduct/settings/restrictions/limit-issues", {"name": "Issue limit", "active": "on"})
    if active.status == "active" and configure is False:
        assert client.post(f"/conduct/decisions/{active.pk}/notice").status_code in {302, 403, 404}

    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    got = api.get(f"/api/v1/customers/{customer}/conduct", **headers)
    assert got.status_code == (
        200 if see and sees_customer else 401 if not is_staff else 403 if sees_customer and not see else 404
    )
    if got.status_code == 200:
        assert bool(got.json()["markers"]) == keep
    made = api.post(
        "/api/v1/incidents",
        json.dumps(
            {
                "customer": customer,
                "category": "excessive-contact",
                "channel": "email",
                "description": "Forty emails today",
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert made.status_code == (
        201 if report and sees_customer else 401 if not is_staff else 403 if persona == "assessor" else 404
    )
    removed = client.post(f"/conduct/markers/{marker.pk}/remove", {"reason": "r"})
    assert removed.status_code in {302, 403, 404}
    assert (WarningMarker.objects.get(pk=marker.pk).removed_at is not None) == keep


# Support needs (care): special category data, read only by the roles the record names; by default those
# who work the customer's cases and their leaders, never an assessor, who sees the case but not this.
@pytest.mark.parametrize(("persona", "see", "work", "assign", "merge"), MATRIX)
def test_support_needs(request, world, persona, see, work, assign, merge):
    from amends.care.models import SupportNeedsVersion
    from amends.care.schemas import SupportNeedsIn
    from amends.care.services import support_needs_record

    case, _ = world
    support_needs_record(
        customer=case.customer,
        actor=request.getfixturevalue("team_leader"),
        data=SupportNeedsIn(extra_time=True, disclosed_via="phone", lawful_basis="explicit_consent"),
    )
    user = _user(request, persona)
    is_staff = persona not in {"anonymous", "outsider"}
    reads = see and persona != "assessor"
    page = _web(user).get(f"/customers/{case.customer_id}/")
    assert ("eeds extra time" in page.content.decode()) == reads
    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    url = f"/api/v1/customers/{case.customer_id}/support-needs"
    denied = 401 if not is_staff else 404
    assert api.get(url, **headers).status_code == (200 if reads else denied)
    body = {"version": 1, "extra_time": True, "formats": ["audio"]}
    body |= {"disclosed_via": "phone", "lawful_basis": "explicit_consent"}
    changed = api.post(url, json.dumps(body), content_type="application/json", **headers)
    assert changed.status_code == (201 if work else 403 if see else denied)
    _web(user).post(f"/customers/{case.customer_id}/support-needs/end", {"version": "2", "reason": "r"})
    _web(user).post(f"/customers/{case.customer_id}/support-needs/end", {"version": "1", "reason": "r"})
    assert SupportNeedsVersion.objects.count() == (3 if work else 1)
    assert SupportNeedsVersion.objects.order_by("-number").first().is_active == (not work)


@pytest.mark.parametrize(("persona", "see", "report", "decide", "keep", "configure"), CONDUCT_MATRIX)
def test_conduct_api_endpoints(
    request, world, complaints_team, persona, see, report, decide, keep, configure
):
    """The conduct endpoints beyond reporting, reading a customer's record and deciding (the test above):
    a decision with its reviews and appeals, its review, an appeal lodged and decided, the notice, the warning
    markers (listed, added, reviewed, removed), a wellbeing follow-up done, the incidents listed. A role that
    may not is refused (403); a record the caller cannot see is not there (404); without a token, 401."""
    from datetime import timedelta

    from django.utils import timezone

    from amends.conduct import services as conduct
    from amends.conduct.models import Appeal, WarningMarker, WellbeingFollowUp
    from amends.core.models import Role
    from amends.core.services import staff_create

    case, suggestion = world
    adviser = request.getfixturevalue("adviser")
    # A team leader who decides (so involved in the decisions): every other manager may decide the appeal.
    decider = staff_create(
        username="dee", password="x", role=Role.TEAM_LEADER, team=complaints_team, first_name="Dee"
    )
    safety = conduct.safety_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        channel="phone",
        description="Threats",
        verbatim="I will hurt you",
        immediate_action="ended_call",
        marker=conduct.MarkerRequest(
            reason="Threatened staff", visible_to=["team_leader", "complaints_lead", "admin"]
        ),
    )
    decision = conduct.decision_make(
        actor=decider,
        customer=case.customer,
        level="L2",
        reasons="Warning",
        incidents=[safety.incident],
        case=case,
    )
    appeal = conduct.appeal_lodge(actor=decider, decision=decision, grounds="The customer disagrees")
    other = suggestion.duplicate  # another customer of the same team, with a decision of their own
    other_incident = conduct.incident_report(
        actor=adviser,
        customer=other,
        category="excessive-contact",
        channel="email",
        description="Forty emails",
    )
    other_decision = conduct.decision_make(
        actor=decider, customer=other, level="L1", reasons="Asked to write less", incidents=[other_incident]
    )
    marker, follow_up = safety.marker, safety.follow_up
    user = _user(request, persona)
    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client(**headers)
    is_staff = persona not in {"anonymous", "outsider"}
    sees_customer = persona not in {"anonymous", "outsider", "other_team_adviser"}

    def expect(allowed: bool, ok: int = 200, *, hidden: bool = False) -> int:
        """401 without a staff token; 403 to a role that may not (an assessor sees the customer, not conduct);
        404 for what the caller cannot see (another team's customer, a marker not naming their role)."""
        if not is_staff:
            return 401
        if persona == "assessor":
            return 403
        if not sees_customer or (hidden and not allowed):
            return 404
        return ok if allowed else 403

    def post(url: str, body: dict | None = None):
        return api.post(url, json.dumps(body or {}), content_type="application/json")

    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    customer = case.customer_id

    got = api.get(f"/api/v1/conduct/decisions/{decision.pk}")
    assert got.status_code == expect(see)
    if got.status_code == 200:
        assert [a["id"] for a in got.json()["appeals"]] == [appeal.pk]
    markers = api.get(f"/api/v1/customers/{customer}/conduct/markers")
    # Markers show wherever the customer does, to the roles each names: an assessor's list is empty.
    assert markers.status_code == (401 if not is_staff else 404 if not sees_customer else 200)
    if markers.status_code == 200:
        assert [m["id"] for m in markers.json()] == ([marker.pk] if keep else [])
    incidents = api.get("/api/v1/incidents")
    assert incidents.status_code == (401 if not is_staff else 403 if persona == "assessor" else 200)
    if incidents.status_code == 200:
        assert bool(incidents.json()["items"]) == (see and sees_customer)

    added = post(
        f"/api/v1/customers/{customer}/conduct/markers", {"reason": "API marker", "visible_to": ["admin"]}
    )
    assert added.status_code == expect(report, 201)
    assert WarningMarker.objects.filter(reason="API marker").exists() == (report and sees_customer)
    reviewed = post(f"/api/v1/conduct/markers/{marker.pk}/review", {"reasons": "Still", "review_due": later})
    assert reviewed.status_code == expect(keep, hidden=True)
    assert (WarningMarker.objects.get(pk=marker.pk).reviewed_at is not None) == keep
    done = post(f"/api/v1/conduct/follow-ups/{follow_up.pk}/done", {"note": "Spoke to them"})
    assert done.status_code == expect(keep)
    assert (WellbeingFollowUp.objects.get(pk=follow_up.pk).done_at is not None) == (keep and sees_customer)

    decided = post(
        f"/api/v1/conduct/appeals/{appeal.pk}/decide", {"outcome": "upheld", "reasons": "It stands"}
    )
    assert decided.status_code == expect(decide)
    assert (Appeal.objects.get(pk=appeal.pk).decided_at is not None) == (decide and sees_customer)
    lodged = post(f"/api/v1/conduct/decisions/{other_decision.pk}/appeals", {"grounds": "Unfair"})
    assert lodged.status_code == expect(report, 201)
    assert other_decision.appeals.exists() == (report and sees_customer)
    review = post(
        f"/api/v1/conduct/decisions/{decision.pk}/review",
        {"outcome": "continue", "reasons": "Still", "next_review_due": later},
    )
    assert review.status_code == expect(decide)
    assert decision.reviews.exists() == (decide and sees_customer)
    notice = post(f"/api/v1/conduct/decisions/{decision.pk}/notice")
    assert notice.status_code == expect(decide, 201)
    decision.refresh_from_db()
    assert (decision.notice_id is not None) == (decide and sees_customer)
    removed = post(f"/api/v1/conduct/markers/{marker.pk}/remove", {"reason": "No longer needed"})
    assert removed.status_code == expect(keep, hidden=True)
    assert (WarningMarker.objects.get(pk=marker.pk).removed_at is not None) == keep


#            persona               see reviews, lead them
REVIEWS_MATRIX = [
    ("anonymous", False, False),
    ("outsider", False, False),
    ("adviser", False, False),
    ("case_handler", False, False),
    ("team_leader", True, False),
    ("complaints_lead", True, True),
    ("assessor", False, False),
    ("admin_user", True, True),
    ("other_team_adviser", False, False),
]


@pytest.mark.parametrize(("persona", "see", "lead"), REVIEWS_MATRIX)
def test_special_review_pages_and_endpoints(request, world, persona, see, lead):
    """Special reviews (amends.monitoring): seen by those who manage the service, opened by hand, given
    an owner, closed and their settings changed by complaints leads and administrators; findings by the
    owner (a team leader here) or a lead."""
    from amends.monitoring import services as monitoring
    from amends.monitoring.models import ServiceReview, SpcSetting

    lead_user = request.getfixturevalue("complaints_lead")
    leader = request.getfixturevalue("team_leader")
    review = monitoring.review_open(
        actor=lead_user, dimension="product", category="Mortgage", summary="Seen by hand", owner=leader
    )
    user = _user(request, persona)
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}

    def expect(allowed: bool) -> int:
        return 200 if allowed else (302 if persona == "anonymous" else 403 if not is_staff else 404)

    assert client.get("/reviews/").status_code == expect(see)
    assert client.get(f"/reviews/{review.pk}/").status_code == expect(see)
    assert client.get("/reviews/settings/").status_code == expect(lead)
    client.post(f"/reviews/{review.pk}/findings", {"findings": f"Found by {persona}"})
    found = ServiceReview.objects.get(pk=review.pk).findings == f"Found by {persona}"
    assert found == (lead or persona == "team_leader")
    client.post(f"/reviews/{review.pk}/assign", {"owner": lead_user.pk})
    assert (ServiceReview.objects.get(pk=review.pk).owner_id == lead_user.pk) == lead
    client.post("/reviews/open", {"dimension": "channel", "category": "phone", "summary": "By hand"})
    assert ServiceReview.objects.filter(category="phone").exists() == lead
    client.post("/reviews/settings/", {"dimensions": ["product"], "method": "ewma", **SPC_FORM})
    assert (SpcSetting.objects.get(pk=1).method == "ewma") == lead
    if not ServiceReview.objects.get(pk=review.pk).findings:
        monitoring.review_findings(review=review, findings="Found", actor=lead_user)
    client.post(f"/reviews/{review.pk}/close", {"outcome": "no_cause"})
    assert (ServiceReview.objects.get(pk=review.pk).status == "closed") == lead

    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    denied = 401 if not is_staff else 403
    assert api.get("/api/v1/reviews", **headers).status_code == (200 if see else denied)
    assert api.get(f"/api/v1/reviews/{review.pk}", **headers).status_code == (200 if see else denied)
    assert api.get("/api/v1/review-settings", **headers).status_code == (200 if lead else denied)
    made = api.post(
        "/api/v1/reviews",
        json.dumps({"dimension": "team", "category": "Billing", "summary": "By the API"}),
        content_type="application/json",
        **headers,
    )
    assert made.status_code == (201 if lead else denied)


SPC_FORM = {
    "exposure": "cases",
    "baseline_periods": "26",
    "watch_periods": "4",
    "min_count": "5",
    "yearly_false_alarm_rate": "0.05",
    "min_categories": "20",
    "ewma_lambda": "0.3",
    "ewma_l": "3",
    "cusum_shift": "1.5",
    "cusum_h": "4",
}
# Insights (amends.insights): the dashboards for team leaders (their team's figures) and those who see every
# case; performance: everyone their own, a team leader their team's, the leads everyone's; objectives set
# by a team leader for their team and by those who see every case.
#            persona               dashboard  own perf  the complaints team's  set its objectives
INSIGHTS_MATRIX = [
    ("anonymous", False, False, False, False),
    ("outsider", False, False, False, False),
    ("adviser", False, True, False, False),
    ("case_handler", False, True, False, False),
    ("team_leader", True, True, True, True),
    ("complaints_lead", True, True, True, True),
    ("assessor", False, True, False, False),
    ("admin_user", True, True, True, True),
    ("other_team_adviser", False, True, False, False),
]


@pytest.mark.parametrize(("persona", "dashboard", "own", "team", "objectives"), INSIGHTS_MATRIX)
def test_insights_pages(request, world, complaints_team, persona, dashboard, own, team, objectives):
    from amends.insights.models import Objective

    case, _ = world
    user = _user(request, persona)
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}
    refused = 302 if persona == "anonymous" else 403 if persona == "outsider" else 404

    assert client.get("/insights/").status_code == (200 if dashboard else refused)
    drill = client.get("/insights/cases/?start=2020-01-01&end=2030-01-01")
    assert drill.status_code == (200 if dashboard else refused)
    assert client.get("/insights/teams/").status_code == (200 if own else refused)
    assert client.get(f"/insights/teams/?team={complaints_team.pk}").status_code == (200 if team else refused)
    response = client.post(
        "/insights/teams/objectives/", {"team": complaints_team.pk, "measure": "upheld_rate", "target": "30"}
    )
    assert response.status_code == (302 if is_staff and team else refused)
    assert Objective.objects.filter(team=complaints_team).exists() == objectives


#            persona               read, plan, move theirs/any, share, acknowledge, keep root causes
IMPROVEMENT_MATRIX = [
    ("anonymous", False, False, False, False, False, False),
    ("outsider", False, False, False, False, False, False),
    ("adviser", True, False, False, False, True, False),
    ("case_handler", True, False, True, False, True, False),  # the action's owner
    ("team_leader", True, True, True, True, True, False),
    ("complaints_lead", True, True, True, True, True, True),
    ("assessor", True, False, False, False, False, False),
    ("admin_user", True, True, True, True, True, True),
    ("other_team_adviser", True, False, False, False, True, False),
]


@pytest.mark.parametrize(
    ("persona", "read", "plan", "move", "share", "acknowledge", "keep"), IMPROVEMENT_MATRIX
)
def test_improvement_pages_and_endpoints(request, world, persona, read, plan, move, share, acknowledge, keep):
    """Root causes, improvement actions and lessons (amends.improvement, process.taxonomy): every page and
    endpoint against every persona."""
    from amends.core.models import Role
    from amends.core.services import staff_create
    from amends.improvement import lessons, services
    from amends.improvement.models import ImprovementAction, Lesson, LessonRecipient
    from amends.process.models import RootCause

    # The action and the lesson are another lead's, so every persona may be among those told.
    lead = staff_create(username="lena", password="x", role=Role.COMPLAINTS_LEAD, team=None)
    owner = request.getfixturevalue("case_handler")
    user = _user(request, persona)
    plan_ = services.ActionPlan(
        title="Call-backs",
        change="Call first",
        owner_id=owner.pk,
        due_date=date(2030, 1, 1),
        before_start=date(2026, 1, 1),
        before_end=date(2026, 1, 31),
        after_start=date(2026, 2, 1),
        after_end=date(2026, 2, 28),
        root_causes=("delay",),
    )
    action = services.action_plan(actor=lead, plan=plan_)
    people = [u.pk for u in (user, owner) if u is not None and getattr(u, "staff", None) and acknowledge]
    lesson = lessons.lesson_share(
        actor=lead,
        title="L",
        what_happened="h",
        what_learned="l",
        what_changes="c",
        people_ids=people or [owner.pk],
    )
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}

    def expect(allowed: bool, *, hidden: bool = False) -> int:
        if persona == "anonymous":
            return 302
        if persona == "outsider":
            return 403
        return 200 if allowed else (404 if hidden else 403)

    assert client.get("/improvement/").status_code == expect(read)
    assert client.get(f"/improvement/{action.pk}/").status_code == expect(read)
    assert client.get("/settings/root-causes/").status_code == expect(is_staff)
    assert client.get("/lessons/").status_code == expect(is_staff)
    assert client.get(f"/lessons/{lesson.pk}/").status_code == expect(acknowledge, hidden=True)

    client.post("/settings/root-causes/delay/rename", {"name": "Backlog"})
    assert RootCause.objects.get(code="delay").name == ("Backlog" if keep else "Delay or backlog")
    client.post(f"/improvement/{action.pk}/stage", {"to": "do"})
    assert ImprovementAction.objects.get(pk=action.pk).stage == ("do" if move else "plan")
    form = {
        "title": "T",
        "change": "C",
        "owner": owner.pk,
        "due_date": "2030-01-01",
        "root_causes": ["delay"],
    }
    form |= {"before_start": "2026-01-01", "before_end": "2026-01-31", "after_start": "2026-02-01"}
    client.post("/improvement/new", form | {"after_end": "2026-02-28"})
    assert ImprovementAction.objects.count() == (2 if plan else 1)
    words = {
        "title": "T2",
        "what_happened": "h",
        "what_learned": "l",
        "what_changes": "c",
        "people": [owner.pk],
    }
    client.post("/lessons/share", words)
    assert Lesson.objects.count() == (2 if share else 1)
    client.post(f"/lessons/{lesson.pk}/acknowledge")
    acknowledged = LessonRecipient.objects.filter(lesson=lesson, acknowledged_at__isnull=False)
    assert acknowledged.filter(user__username=getattr(user, "username", "")).exists() == acknowledge

    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client(**headers)
    unauthorised = 401 if not is_staff else None
    assert api.get("/api/v1/root-causes").status_code == (unauthorised or 200)
    assert api.get("/api/v1/improvement").status_code == (unauthorised or (200 if read else 403))
    assert api.get(f"/api/v1/improvement/{action.pk}").status_code == (unauthorised or (200 if read else 403))
    assert api.get(f"/api/v1/lessons/{lesson.pk}").status_code == (
        unauthorised or (200 if acknowledge else 404)
    )
    closed = api.post(
        f"/api/v1/improvement/{action.pk}/stage",
        json.dumps({"to": "abandoned", "note": "Not needed"}),
        content_type="application/json",
    )
    assert closed.status_code == (unauthorised or (200 if move else 403))
    retired = api.post(
        "/api/v1/root-causes/charges/retire", json.dumps({"reason": "r"}), content_type="application/json"
    )
    assert retired.status_code == (unauthorised or (200 if keep else 403))


#            persona               produce returns, answer the self-assessment and map the return
RETURNS_MATRIX = [
    ("anonymous", False),
    ("outsider", False),
    ("adviser", False),
    ("case_handler", False),
    ("team_leader", False),
    ("complaints_lead", True),
    ("assessor", False),
    ("admin_user", True),
    ("other_team_adviser", False),
]


@pytest.mark.parametrize(("persona", "produce"), RETURNS_MATRIX)
def test_returns_pages_and_endpoints(request, world, persona, produce):
    """Regulatory returns and reports (amends.returns): complaints leads and administrators only."""
    from amends.returns.models import ReturnMapping, ReturnProduced, SelfAssessmentAnswer

    user = _user(request, persona)
    client = _web(user)
    is_staff = persona not in {"anonymous", "outsider"}
    refused = 404 if is_staff else (302 if persona == "anonymous" else 403)
    for url in (
        "/returns/",
        "/returns/?report=hos&preview=1",
        "/returns/self-assessment/",
        "/returns/download/?report=fca&format=csv",
    ):
        assert client.get(url).status_code == (200 if produce else refused), url
    client.post("/returns/self-assessment/", {"year": "2026", "complies-9.1": "yes"})
    client.post("/returns/mapping/", {"kind": "product", "key": "Savings", "value": "Investments"})
    assert SelfAssessmentAnswer.objects.exists() == produce
    assert ReturnMapping.objects.exists() == produce

    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    denied = 401 if not is_staff else 403
    for url in ("/api/v1/returns/fca", "/api/v1/returns/hos", "/api/v1/returns/self-assessment?year=2026"):
        assert api.get(url, **headers).status_code == (200 if produce else denied), url
    response = api.put(
        "/api/v1/returns/mapping",
        json.dumps({"kind": "cause", "key": "", "value": "Other"}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == (200 if produce else denied)
    assert ReturnProduced.objects.count() == (4 if produce else 0)


#            persona               see    manage tell/owners
PROBLEMS_MATRIX = [
    ("anonymous", False, False, False),
    ("outsider", False, False, False),
    ("adviser", True, False, False),
    ("case_handler", True, False, False),
    ("team_leader", True, True, False),
    ("complaints_lead", True, True, True),
    ("assessor", True, False, False),
    ("admin_user", True, True, True),
    ("other_team_adviser", True, False, False),
]


@pytest.mark.parametrize(("persona", "see", "manage", "lead"), PROBLEMS_MATRIX)
def test_problems_pages_and_endpoints(request, world, persona, see, manage, lead):
    """Repeated problems: every member of staff reads them (linked cases only as far as they see cases);
    team leaders and up change them; complaints leads and administrators tell customers and set owners."""
    from amends.problems.models import Problem, ProductOwner
    from amends.problems.services import problem_open

    case, _ = world
    problem = problem_open(title="Matrix problem", actor=None, cases=[case])
    user = _user(request, persona)
    client = _web(user)
    denied = 302 if persona == "anonymous" else 403
    for url in ("/problems/", f"/problems/{problem.pk}/", "/problems/owners/"):
        assert client.get(url).status_code == (200 if see else denied), url
    page = client.get(f"/problems/{problem.pk}/").content.decode() if see else ""
    assert (case.reference in page) == (see and persona != "other_team_adviser")
    assert client.get(f"/problems/{problem.pk}/tell").status_code == (200 if lead else denied)
    client.post(f"/problems/{problem.pk}/edit", {"title": f"Renamed by {persona}", "status": "open"})
    assert (Problem.objects.get(pk=problem.pk).title == f"Renamed by {persona}") == manage
    client.post("/problems/open", {"title": f"Opened by {persona}"})
    assert Problem.objects.filter(title=f"Opened by {persona}").exists() == manage
    client.post(f"/problems/{problem.pk}/cases", {"unlink": case.reference})
    assert (not Problem.objects.get(pk=problem.pk).links.exists()) == manage
    client.post(f"/problems/{problem.pk}/tell", {"body": "Sorry", "expected": "0"})  # nothing to send anyway
    client.post("/problems/owners/", {"product": "Matrix", "owner": request.getfixturevalue("adviser").pk})
    assert ProductOwner.objects.filter(product="Matrix").exists() == lead
    headers = {}
    if user is not None:
        _, key = api_token_create(user=user, name="matrix")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = Client()
    listed = api.get("/api/v1/problems", **headers)
    assert listed.status_code in ({200} if see else {401, 403})
    created = api.post(
        "/api/v1/problems", json.dumps({"title": "By API"}), content_type="application/json", **headers
    )
    assert (created.status_code == 201) == manage
