"""The API's intake answers with the case only to someone who may see it: replaying another team's
external_id must not read their case (a GET of it is a 404, and so is the replay)."""

import json

import pytest
from django.test import Client

from amends.cases.models import Case
from amends.core.services import api_token_create
from amends.messaging.models import Message

pytestmark = pytest.mark.django_db

CONTACT = {
    "channel": "chat",
    "external_id": "chat-4711",
    "text": "My neighbour's repairs complaint, with my address and my phone number in it.",
    "customer": {"name": "Priya Secret", "email": "priya@example.org", "phone": "07700 900123"},
}


def _api(user):
    _, key = api_token_create(user=user, name="tests")
    client = Client()

    def call(method, url, body=None):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if body is None:
            return getattr(client, method)(url, **extra)
        return getattr(client, method)(url, json.dumps(body), content_type="application/json", **extra)

    return call


@pytest.fixture
def complaints_case(complaints_team, adviser):
    """A contact the complaints team's adviser recorded: its case is in the complaints team."""
    response = _api(adviser)("post", "/api/v1/cases", CONTACT)
    assert response.status_code == 201 and response.json()["case"]["customer_name"] == "Priya Secret"
    return Case.objects.get(reference=response.json()["case"]["reference"])


def _says_nothing_of(response, case) -> bool:
    text = response.content.decode()
    return all(secret not in text for secret in (case.reference, "Priya", "priya@", str(case.customer_id)))


def test_replaying_another_teams_external_id_is_a_404_like_a_get(complaints_case, other_team_adviser):
    api = _api(other_team_adviser)
    counts = (Case.objects.count(), Message.objects.count())
    get = api("get", f"/api/v1/cases/{complaints_case.reference}")
    replay = api("post", "/api/v1/cases", CONTACT)
    assert get.status_code == 404
    assert replay.status_code == 404 and replay.json()["error"]["code"] == "not_found"
    assert _says_nothing_of(replay, complaints_case)
    assert (Case.objects.count(), Message.objects.count()) == counts


def test_replaying_it_onto_ones_own_case_does_not_read_the_other(
    complaints_case, other_team_adviser, billing_team
):
    """The external_id names a message on the other case, whichever case the replay says."""
    _api(other_team_adviser)("post", "/api/v1/cases", {**CONTACT, "external_id": "own-1"})
    own_case = Message.objects.get(idempotency_key="chat:own-1").case
    own_case.team = billing_team  # the billing team took it on
    own_case.save(update_fields=["team"])
    api = _api(other_team_adviser)
    message = {key: CONTACT[key] for key in ("channel", "external_id", "text")}
    on_own = api("post", f"/api/v1/cases/{own_case.reference}/messages", message)
    with_reference = api("post", "/api/v1/cases", {**CONTACT, "case_reference": own_case.reference})
    for replay in (on_own, with_reference):
        assert replay.status_code == 404 and _says_nothing_of(replay, complaints_case)


def test_those_who_may_see_the_case_get_it_on_a_replay(complaints_case, team_leader, complaints_lead):
    for user in (team_leader, complaints_lead):
        replay = _api(user)("post", "/api/v1/cases", CONTACT)
        assert replay.status_code == 200 and replay.json()["duplicate"] is True
        assert replay.json()["case"]["reference"] == complaints_case.reference


def test_a_caller_learns_the_reference_of_the_case_they_opened_and_no_more(
    complaints_team, other_team_adviser, adviser
):
    """A new case lands in the intake team's queue: its opener from another team learns its reference,
    the first time and on a retry, but reads the case (and the customer it matched) only if they may."""
    _api(adviser)("post", "/api/v1/cases", {**CONTACT, "external_id": "earlier"})
    api = _api(other_team_adviser)
    mine = {**CONTACT, "external_id": "billing-1", "customer": {"email": "priya@example.org"}}
    first, retry = api("post", "/api/v1/cases", mine), api("post", "/api/v1/cases", mine)
    assert (first.status_code, retry.status_code) == (201, 200)
    reference = first.json()["reference"]
    assert Case.objects.get(reference=reference).team == complaints_team
    for answer in (first, retry):
        assert answer.json()["case"] is None and answer.json()["reference"] == reference
        assert "Priya" not in answer.content.decode()  # the matched customer's stored name
