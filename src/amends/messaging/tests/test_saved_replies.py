"""Saved replies: a team's kept by its leaders, one's own by oneself, filled in with the case's facts (the
respond-by date from the clocks, as a working day of the customer's nation), unknown placeholders refused.

Tess leads the complaints team, Ada is an adviser in it, Lee the complaints lead, Ash its assessor and Otto an
adviser in billing.
"""

import json
from datetime import UTC, datetime

import pytest

from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import AuditEvent
from amends.messaging.models import Message, SavedReply
from amends.messaging.replies import (
    check_template,
    placeholders,
    saved_replies_for,
    saved_reply_create,
    saved_reply_delete,
    saved_reply_fill,
    saved_reply_update,
)

pytestmark = pytest.mark.django_db

TEMPLATE = (
    "Dear {customer_name},\n\nThank you for your complaint ({reference}). We will reply by {respond_by}.\n\n"
    "{owner_name}, {team}"
)


@pytest.fixture
def case(complaints_team, adviser):
    return make_case(team=complaints_team, owner=adviser, name="Morag Reid", email="morag@example.com")


def test_the_placeholders_are_messagings_and_the_process_date():
    assert list(placeholders()) == ["customer_name", "reference", "owner_name", "team", "respond_by"]


def test_an_unknown_placeholder_is_refused_when_saved(team_leader, complaints_team):
    with pytest.raises(DomainError, match=r"Unknown placeholders \{custmer_name\}, \{Customer Name\}: use"):
        saved_reply_create(
            actor=team_leader,
            title="Hello",
            body="Dear {custmer_name} / {Customer Name}",
            team=complaints_team,
        )
    check_template("A brace on its own { is fine, as is {} or { 1 }")
    assert not SavedReply.objects.exists()


def test_a_reply_is_filled_with_the_cases_facts(team_leader, complaints_team, adviser, time_machine):
    time_machine.move_to(datetime(2026, 12, 1, 10, tzinfo=UTC))
    case = make_case(team=complaints_team, owner=adviser, name="Morag Reid", email="morag@example.com")
    reply = saved_reply_create(actor=team_leader, title="Acknowledge", body=TEMPLATE, team=complaints_team)
    filled = saved_reply_fill(reply, case=case, writer=team_leader)
    # No regime: the case's own target (20 days), Monday 21 December 2026.
    assert filled == (
        f"Dear Morag Reid,\n\nThank you for your complaint ({case.reference}). We will reply by Monday 21 "
        "December 2026.\n\nAda Adviser, Complaints"
    )


def test_the_date_is_the_regimes_told_as_a_working_day_of_the_customers_nation(
    complaints_team, case_handler, time_machine
):
    from amends.customers.models import Customer
    from amends.process.letters import case_response_due
    from amends.process.services import process_start
    from amends.regimes.calendar import customer_date

    time_machine.move_to(datetime(2026, 10, 1, 10, tzinfo=UTC))
    case = make_case(team=complaints_team, name="Eilidh Ross", email="eilidh@example.com")
    Customer.objects.filter(pk=case.customer_id).update(nation="scotland")
    case.refresh_from_db()
    process_start(case=case, regime_code="fca-disp", actor=case_handler)
    reply = saved_reply_create(actor=case_handler, title="Mine", body="By {respond_by}, {owner_name}.")
    due = case_response_due(case)
    assert due != case.respond_by
    expected = customer_date(due, "scotland")
    assert saved_reply_fill(reply, case=case, writer=case_handler) == (
        f"By {expected:%A %-d %B %Y}, Hal Handler."  # nobody owns it: the writer signs
    )


def test_who_keeps_which(
    case, adviser, team_leader, complaints_lead, assessor, complaints_team, billing_team
):
    with pytest.raises(PermissionDenied):
        saved_reply_create(actor=adviser, title="Team", body="Hello", team=complaints_team)
    with pytest.raises(PermissionDenied):
        saved_reply_create(actor=team_leader, title="Billing", body="Hello", team=billing_team)
    with pytest.raises(PermissionDenied):
        saved_reply_create(actor=assessor, title="Mine", body="Hello")
    team = saved_reply_create(actor=team_leader, title="Team", body="Hello", team=complaints_team)
    saved_reply_create(actor=complaints_lead, title="Billing", body="Hello", team=billing_team)
    own = saved_reply_create(actor=adviser, title="Mine", body="Hi {customer_name}")
    with pytest.raises(PermissionDenied):
        saved_reply_update(reply=team, actor=adviser, title="T", body="B", expected_version=1)
    with pytest.raises(PermissionDenied):
        saved_reply_update(reply=own, actor=team_leader, title="T", body="B", expected_version=1)
    # On a complaints case Ada has her own and her team's; never billing's, nor Tess's own.
    saved_reply_create(actor=team_leader, title="Tess's own", body="Hi")
    assert [r.title for r in saved_replies_for(adviser, case)] == ["Mine", "Team"]


def test_an_edit_against_an_old_version_is_refused_and_every_change_audited(team_leader, complaints_team):
    reply = saved_reply_create(actor=team_leader, title="Team", body="Hello", team=complaints_team)
    saved_reply_update(reply=reply, actor=team_leader, title="Team", body="Hello again", expected_version=1)
    with pytest.raises(Conflict):
        saved_reply_update(reply=reply, actor=team_leader, title="Team", body="Stale", expected_version=1)
    with pytest.raises(Conflict):
        saved_reply_delete(reply=reply, actor=team_leader, expected_version=1)
    saved_reply_delete(reply=reply, actor=team_leader, expected_version=2)
    assert not SavedReply.objects.exists()
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == ["saved_reply.created", "saved_reply.updated", "saved_reply.deleted"]


def test_the_case_page_offers_and_fills_saved_replies_without_javascript(
    case, adviser, team_leader, complaints_team
):
    reply = saved_reply_create(actor=team_leader, title="Acknowledge", body=TEMPLATE, team=complaints_team)
    client = login(adviser)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert (
        f'<option value="{reply.pk}" data-text-url="/cases/{case.reference}/saved-replies/{reply.pk}">'
        in page
    )
    filled = client.get(f"/cases/{case.reference}/?saved_reply={reply.pk}").content.decode()
    box = filled.split('id="id_body"')[1].split("</textarea>")[0]
    assert "Dear Morag Reid," in box and case.reference in box
    assert 'hx-trigger="load, input changed' in box  # the coach reads the filled draft at once
    assert (
        "not one you can use" in client.get(f"/cases/{case.reference}/?saved_reply=999999").content.decode()
    )
    assert "not one you can use" in client.get(f"/cases/{case.reference}/?saved_reply=x").content.decode()

    text = client.get(f"/cases/{case.reference}/saved-replies/{reply.pk}").json()
    assert text["title"] == "Acknowledge" and text["body"].startswith("Dear Morag Reid,")


def test_the_saved_replies_page(case, adviser, team_leader, assessor, complaints_team):
    leader = login(team_leader)
    leader.post(
        "/saved-replies/add",
        {"title": "Team ack", "body": "Dear {customer_name}", "team": complaints_team.pk},
    )
    leader.post("/saved-replies/add", {"title": "Bad", "body": "Dear {name}", "team": complaints_team.pk})
    reply = SavedReply.objects.get()
    assert reply.team == complaints_team and reply.owner is None
    page = leader.get("/saved-replies/").content.decode()
    assert "Unknown placeholder {name}" in page and "Complaints team" in page
    assert "<dt><code>{respond_by}</code></dt><dd>The date we will respond by" in page
    leader.post(
        f"/saved-replies/{reply.pk}/edit",
        {"title": "Team ack", "body": "Hello {customer_name}", "version": 1},
    )
    leader.post(f"/saved-replies/{reply.pk}/edit", {"title": "Stale", "body": "x", "version": 1})
    reply.refresh_from_db()
    assert (reply.title, reply.body, reply.version) == ("Team ack", "Hello {customer_name}", 2)

    ada = login(adviser)
    ada.post(
        "/saved-replies/add", {"title": "Mine", "body": "Hi", "team": complaints_team.pk}
    )  # not hers to keep
    ada.post("/saved-replies/add", {"title": "Mine", "body": "Hi", "team": ""})
    ada.post(f"/saved-replies/{reply.pk}/delete", {"version": 2})
    assert sorted(SavedReply.objects.values_list("title", "owner__username")) == [
        ("Mine", "ada"),
        ("Team ack", None),
    ]
    page = ada.get("/saved-replies/").content.decode()
    assert "Team ack" in page and f'action="/saved-replies/{reply.pk}/edit"' not in page
    assert login(assessor).get("/saved-replies/").status_code == 404


def test_saved_replies_over_the_api(case, adviser, team_leader, assessor, complaints_team):
    leader = api_client(team_leader)
    post = lambda c, url, body: c.post(url, json.dumps(body), content_type="application/json")  # noqa: E731
    made = post(
        leader,
        "/api/v1/saved-replies",
        {"title": "Ack", "body": "Dear {customer_name}", "team": "complaints"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["team"] == "complaints" and made.json()["owner"] is None
    reply_id = made.json()["id"]
    bad = post(leader, "/api/v1/saved-replies", {"title": "Bad", "body": "Dear {nme}"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"body": "unknown placeholder: {nme}"}
    changed = post(
        leader, f"/api/v1/saved-replies/{reply_id}", {"title": "Ack", "body": "Hi {reference}", "version": 1}
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert (
        post(
            leader, f"/api/v1/saved-replies/{reply_id}", {"title": "A", "body": "B", "version": 1}
        ).status_code
        == 409
    )

    ada = api_client(adviser)
    assert [r["title"] for r in ada.get("/api/v1/saved-replies").json()] == ["Ack"]
    assert (
        post(ada, f"/api/v1/saved-replies/{reply_id}", {"title": "A", "body": "B", "version": 2}).status_code
        == 403
    )
    filled = ada.get(f"/api/v1/cases/{case.reference}/saved-replies/{reply_id}")
    assert filled.status_code == 200 and filled.json() == {"title": "Ack", "body": f"Hi {case.reference}"}
    names = [p["name"] for p in ada.get("/api/v1/saved-replies/placeholders").json()]
    assert "respond_by" in names

    reader = api_client(assessor)
    assert reader.get("/api/v1/saved-replies").status_code == 403
    assert reader.get(f"/api/v1/cases/{case.reference}/saved-replies/{reply_id}").status_code == 403
    assert post(leader, f"/api/v1/saved-replies/{reply_id}/delete", {"version": 2}).status_code == 204
    assert not SavedReply.objects.exists()


def test_a_filled_reply_is_sent_like_any_other(case, adviser, team_leader, complaints_team):
    reply = saved_reply_create(actor=team_leader, title="Ack", body=TEMPLATE, team=complaints_team)
    client = login(adviser)
    body = client.get(f"/cases/{case.reference}/saved-replies/{reply.pk}").json()["body"] + "\nEdited by Ada."
    client.post(f"/cases/{case.reference}/reply", {"body": body, "version": case.version})
    assert Message.objects.get(case=case, direction="out", purpose="reply").body_text.endswith(
        "Edited by Ada."
    )
