import json

import pytest
from django.test import Client
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.tests.factories import make_case
from amends.core.services import api_token_create
from amends.customers.models import Customer
from amends.messaging.models import Message
from amends.messaging.tasks import send_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(team_leader):
    _, key = api_token_create(user=team_leader, name="tests")
    client = Client()

    def call(method, url, body=None, raw=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if body is not None or raw is not None:
            kwargs["content_type"] = "application/json"
            kwargs["data"] = raw if raw is not None else json.dumps(body)
        return getattr(client, method)(url, **kwargs)

    return call


def _counts():
    return Case.objects.count(), Message.objects.count(), Customer.objects.count()


CONTACT = {
    "channel": "social",
    "external_id": "x:1",
    "text": "Third week without hot water",
    "customer": {"name": "Sam Patel", "handle": "@sampatel"},
    "category": "Repairs",
}


def test_create_is_idempotent_by_external_id(api, complaints_team):
    first = api("post", "/api/v1/cases", CONTACT)
    assert first.status_code == 201
    body = first.json()
    assert body["created_case"] is True and body["duplicate"] is False
    assert body["case"]["reference"].startswith("AM-") and body["case"]["team"] == "complaints"
    counts = _counts()
    again = api("post", "/api/v1/cases", CONTACT)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert again.json()["case"]["reference"] == body["case"]["reference"]
    assert _counts() == counts


def test_create_takes_the_product_and_the_case_shows_it(api, complaints_team):
    body = api("post", "/api/v1/cases", {**CONTACT, "product": "General needs tenancy"}).json()
    assert body["case"]["product"] == "General needs tenancy" and body["case"]["category"] == "Repairs"
    reference = body["case"]["reference"]
    assert Case.objects.get(reference=reference).product == "General needs tenancy"
    assert api("get", f"/api/v1/cases/{reference}").json()["product"] == "General needs tenancy"
    listed = api("get", "/api/v1/cases?queue=all").json()["items"]
    assert [c["product"] for c in listed if c["reference"] == reference] == ["General needs tenancy"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**CONTACT, "channel": "carrier-pigeon"}, "channel"),
        ({**CONTACT, "text": ""}, "text"),
        ({**CONTACT, "text": 42}, "text"),
        ({**CONTACT, "subject": "s" * 301}, "subject"),
        ({**CONTACT, "product": "p" * 101}, "product"),
        ({**CONTACT, "customer": {}}, "customer"),
        ({**CONTACT, "customer": {"email": "not-an-email"}}, "email"),
        ({**CONTACT, "received_at": "yesterday"}, "received_at"),
        ({**CONTACT, "kind": "rant"}, "kind"),
        ({**CONTACT, "surprise": True}, "surprise"),
        ({**CONTACT, "case_reference": "AM-1999-000001"}, "AM-1999-000001"),
    ],
)
def test_bad_input_gets_the_error_shape_and_changes_nothing(api, payload, field):
    counts = _counts()
    response = api("post", "/api/v1/cases", payload)
    assert response.status_code in {400, 404, 422}
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert any(field in key for key in error["fields"]) or field in error["message"], error
    assert _counts() == counts


def test_malformed_json_and_unknown_ids(api):
    response = api("post", "/api/v1/cases", raw="{not json")
    assert response.status_code in {400, 422} and "error" in response.json()
    for url in ["/api/v1/cases/AM-2026-999999", "/api/v1/customers/999999", "/api/v1/customers/abc"]:
        response = api("get", url)
        assert response.status_code in {404, 422} and "error" in response.json(), url
    assert api("get", "/api/v1/cases?cursor=garbage").json()["error"]["fields"] == {"cursor": "invalid"}
    assert api("get", "/api/v1/cases?limit=1000").status_code == 422
    nope = api("get", "/api/v1/cases?queue=nope")  # an enumeration in the document: a 422 naming it
    assert nope.status_code == 422 and list(nope.json()["error"]["fields"]) == ["queue"]


@pytest.mark.parametrize(
    "cursor",
    [
        "%C2%B2",  # "²": str.isdigit() says yes, int() raises
        "%D9%A3",  # "٣": int() reads 3
        "9223372036854775808",  # past a 64-bit id
        "wrJ8wrI",  # "²|²"
        "MDAwMS0wMS0wMVQwMDowMDowMCsxNDowMHw1",  # "0001-01-01T00:00:00+14:00|5": before UTC's year 1
    ],
)
def test_a_cursor_of_unicode_digits_or_past_any_id_or_time_is_a_400_on_every_list(
    api, complaints_team, cursor
):
    case = make_case(team=complaints_team)
    for url in ["/api/v1/cases", "/api/v1/customers", f"/api/v1/cases/{case.reference}/messages"]:
        response = api("get", f"{url}?cursor={cursor}")
        assert response.status_code in {400, 422}, url  # 422: longer than that list's cursors can be
        assert list(response.json()["error"]["fields"]) == ["cursor"], url


def test_keyset_pagination_visits_each_case_once(api, complaints_team):
    made = {make_case(team=complaints_team).reference for _ in range(7)}
    seen, cursor = [], ""
    while True:
        page = api("get", f"/api/v1/cases?queue=all&limit=3&cursor={cursor}").json()
        seen += [c["reference"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)


def test_transition_with_a_stale_version_is_409(api, complaints_team):
    case = make_case(team=complaints_team)
    ok = api("post", f"/api/v1/cases/{case.reference}/transition", {"to": "open", "version": case.version})
    assert ok.status_code == 200 and ok.json()["version"] == case.version + 1
    stale = api(
        "post", f"/api/v1/cases/{case.reference}/transition", {"to": "resolved", "version": case.version}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    bad = api(
        "post", f"/api/v1/cases/{case.reference}/transition", {"to": "new", "version": case.version + 1}
    )
    assert bad.status_code == 409 and bad.json()["error"]["code"] == "transition_not_allowed"
    assert Case.objects.get(pk=case.pk).status == "open"


def test_reply_contact_and_messages(api, complaints_team, mailoutbox, django_capture_on_commit_callbacks):
    case = make_case(team=complaints_team, email="reply@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        sent = api(
            "post",
            f"/api/v1/cases/{case.reference}/replies",
            {"body": "We are on it.", "version": case.version},
        )
    assert sent.status_code == 201 and sent.json()["direction"] == "out"
    assert sent.json()["delivery"] == "queued" and mailoutbox == []  # the worker sends it
    send_outbox(timezone.now())
    assert mailoutbox[-1].to == ["reply@example.com"]
    note = api(
        "post",
        f"/api/v1/cases/{case.reference}/contacts",
        {"channel": "phone", "direction": "in", "summary": "Rang to chase"},
    )
    assert note.status_code == 201
    wrong = api(
        "post",
        f"/api/v1/cases/{case.reference}/contacts",
        {"channel": "email", "direction": "in", "summary": "x"},
    )
    # an enumeration in the OpenAPI document, so refused by validation and named
    assert wrong.status_code == 422 and list(wrong.json()["error"]["fields"]) == ["channel"]
    listing = api("get", f"/api/v1/cases/{case.reference}/messages").json()
    assert [m["body_text"] for m in listing["items"]] == ["We are on it.", "Rang to chase"]


def test_assign_by_username(api, complaints_team, adviser, other_team_adviser):
    case = make_case(team=complaints_team)
    ok = api("post", f"/api/v1/cases/{case.reference}/assign", {"owner": "ada", "version": case.version})
    assert ok.status_code == 200 and ok.json()["owner"] == "ada"
    wrong_team = api(
        "post", f"/api/v1/cases/{case.reference}/assign", {"owner": "otto", "version": case.version + 1}
    )
    assert wrong_team.status_code == 400
    unknown = api(
        "post", f"/api/v1/cases/{case.reference}/assign", {"owner": "ghost", "version": case.version + 1}
    )
    assert unknown.json()["error"]["fields"] == {"owner": "unknown user"}


def test_customer_lookup_by_email(api, complaints_team):
    case = make_case(team=complaints_team, email="Find.Me@Example.com")
    found = api("get", "/api/v1/customers?email=find.me@example.com").json()["items"]
    assert [c["id"] for c in found] == [case.customer_id]
    detail = api("get", f"/api/v1/customers/{case.customer_id}").json()
    assert detail["contact_points"][0]["value"] == "Find.Me@Example.com"


def test_revoked_token_is_refused(team_leader):
    from amends.core.services import api_token_revoke

    token, key = api_token_create(user=team_leader, name="old")
    api_token_revoke(token=token, actor=team_leader)
    response = Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401


def test_openapi_document_is_committed_and_current():
    from pathlib import Path

    from amends.core.management.commands.openapi import COMMITTED, render

    assert Path(COMMITTED).read_text() == render(), "run `make openapi` and commit docs/openapi.json"


def test_received_at_dates_the_case_and_needs_a_time_zone(api, complaints_team):
    body = {
        **CONTACT,
        "external_id": "dated",
        "received_at": "2026-01-05T09:30:00Z",
        "customer": {"name": "Acme Lettings Ltd", "email": "office@acme.example.com", "kind": "organisation"},
    }
    response = api("post", "/api/v1/cases", body)
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["case"]["reference"])
    assert case.opened_at.isoformat() == "2026-01-05T09:30:00+00:00"
    assert case.customer.kind == "organisation"
    counts = _counts()
    naive = api(
        "post", "/api/v1/cases", {**CONTACT, "external_id": "naive", "received_at": "2026-01-05T09:30:00"}
    )
    assert naive.status_code == 400 and naive.json()["error"]["fields"] == {"received_at": "no time zone"}
    assert _counts() == counts
