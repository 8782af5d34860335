"""Internal notes: written once, corrected by a later note, telling only colleagues who may see the case, and
never reaching the customer (status page, messages, letters).

Ada is an adviser in the complaints team, Tess leads it, Lee is the complaints lead (every team), Ash the
team's assessor (reads only) and Otto an adviser in billing (cannot see the complaints team's cases).
"""

import json

import pytest

from amends.cases.models import CaseEvent, Note
from amends.cases.notes import case_notes, customer_notes, mentioned_logins, note_add
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import DomainError, InputTooLarge, PermissionDenied
from amends.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(complaints_team, adviser):
    return make_case(team=complaints_team, owner=adviser, summary="Charged twice", email="pat@example.com")


def test_mentions_are_logins_not_email_addresses():
    body = "Ask @tess. Copy @jo.smith and @tess again; the customer is pat@example.com (@lee)"
    assert mentioned_logins(body) == ["tess", "jo.smith", "lee"]


def test_a_note_tells_whom_it_mentions_and_its_event_holds_no_words(case, adviser, team_leader):
    note = note_add(actor=adviser, case=case, body="@tess the refund went to an old account. Can you check?")

    assert list(note.mentioned.all()) == [team_leader]
    told = Notification.objects.get(user=team_leader)
    assert told.urgency == Notification.Urgency.ROUTINE and told.topic == ""  # its own line, not a digest
    assert told.text.startswith(f"Ada Adviser mentioned you in a note on {case.reference}: @tess the refund")
    assert told.link == f"/cases/{case.reference}/#note-{note.pk}"
    event = CaseEvent.objects.get(case=case, kind="note_added")
    assert event.after == {"note": note.pk, "mentioned": [team_leader.pk]}
    assert "refund" not in json.dumps([event.before, event.after, event.reason])
    assert not Notification.objects.filter(user=adviser).exists()  # nobody is told of their own note


def test_a_colleague_picked_from_the_list_is_told_too(case, adviser, case_handler, team_leader):
    note_add(actor=adviser, case=case, body="Handing over: see the call log", mention=[case_handler, adviser])
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["hal"]


def test_nobody_who_cannot_see_the_case_is_told(case, adviser, other_team_adviser, team_leader):
    with pytest.raises(DomainError, match="Otto Other cannot see AM-"):
        note_add(actor=adviser, case=case, body="@otto could billing look? @tess too")
    with pytest.raises(DomainError, match="Otto Other cannot see"):
        note_add(actor=adviser, case=case, body="Billing, please", mention=[other_team_adviser])
    assert not Note.objects.exists() and not Notification.objects.exists()
    assert not CaseEvent.objects.filter(kind="note_added").exists()


def test_a_login_nobody_has_is_refused_rather_than_told_to_nobody(case, adviser, team_leader):
    with pytest.raises(DomainError, match="Nobody signs in as @tesss"):
        note_add(actor=adviser, case=case, body="@tesss please look")
    assert not Note.objects.exists()


def test_a_note_needs_words_and_has_a_limit(case, adviser):
    with pytest.raises(DomainError, match="Write the note"):
        note_add(actor=adviser, case=case, body="   ")
    with pytest.raises(InputTooLarge):
        note_add(actor=adviser, case=case, body="x" * 10_001)
    assert not Note.objects.exists()


def test_an_assessor_reads_notes_and_writes_none(case, assessor, adviser):
    with pytest.raises(PermissionDenied):
        note_add(actor=assessor, case=case, body="Looks fine")
    note_add(actor=adviser, case=case, body="Called the bank @ash")  # an assessor sees it, so may be told
    assert Notification.objects.get().user == assessor


def test_a_note_is_never_changed_only_corrected(case, adviser, team_leader, complaints_team):
    wrong = note_add(actor=adviser, case=case, body="Refund of £40 agreed")
    wrong.body = "Refund of £45 agreed"
    with pytest.raises(ValueError, match="append-only"):
        wrong.save()
    with pytest.raises(ValueError, match="append-only"):
        wrong.delete()
    right = note_add(actor=team_leader, case=case, body="It was £45, not £40", corrects=wrong)
    event = CaseEvent.objects.get(case=case, kind="note_added", actor=team_leader)
    assert event.after["corrects"] == wrong.pk
    other = make_case(team=complaints_team)
    with pytest.raises(DomainError, match="same case"):
        note_add(actor=adviser, case=other, body="Misplaced", corrects=wrong)
    page = login(adviser).get(f"/cases/{case.reference}/").content.decode()
    assert "Refund of £40 agreed" in page and "It was £45, not £40" in page
    assert f'Put right by <a href="#note-{right.pk}">' in page
    assert f'Corrects <a href="#note-{wrong.pk}">' in page


def test_a_customer_note_is_audited_and_tells_those_who_see_their_cases(
    case, adviser, team_leader, complaints_lead, other_team_adviser
):
    note = note_add(actor=adviser, customer=case.customer, body="Hard of hearing: write, do not ring. @lee")
    audit = AuditEvent.objects.get(kind="note.added")
    assert audit.object_id == str(note.pk) and audit.after["customer"] == case.customer_id
    assert Notification.objects.get().link == f"/customers/{case.customer_id}/#note-{note.pk}"
    with pytest.raises(DomainError, match="Otto Other cannot see this customer's cases"):
        note_add(actor=adviser, customer=case.customer, body="@otto fyi")
    assert [n.pk for n in customer_notes(case.customer)] == [note.pk]
    assert case_notes(case) == []  # a customer's notes are not any one case's


def test_a_customers_notes_follow_them_when_records_merge(case, adviser, team_leader, complaints_team):
    from amends.customers.models import MergeSuggestion
    from amends.customers.services import customer_merge

    twin = make_case(team=complaints_team, name="Pat Customer", email="pat.other@example.com")
    note = note_add(actor=adviser, customer=twin.customer, body="Prefers letters")
    suggestion = MergeSuggestion.objects.get(duplicate=twin.customer)
    customer_merge(suggestion=suggestion, actor=team_leader, reason="Same person")
    note.refresh_from_db()
    assert note.customer_id == suggestion.keep_id and note.body == "Prefers letters"


# --- never shown to the customer ----------------------------------------------------------------------------


def test_the_status_page_and_the_messages_never_show_a_note(case, adviser, client):
    from amends.messaging.services import message_send

    message_send(case=case, actor=adviser, body="We are looking into the double charge.")
    note_add(actor=adviser, case=case, body="SECRET-NOTE: customer was rude on the phone")
    note_add(actor=adviser, customer=case.customer, body="SECRET-CUSTOMER-NOTE: vulnerable")

    status = client.get(f"/status/{case.public_token}/")
    assert status.status_code == 200
    page = status.content.decode()
    assert "We are looking into the double charge." in page  # the page does show correspondence
    assert "SECRET" not in page and "Internal note" not in page
    messages = api_client(adviser).get(f"/api/v1/cases/{case.reference}/messages").json()["items"]
    assert messages and not any("SECRET" in m["body_text"] for m in messages)


def test_a_letter_never_carries_a_note(case, case_handler):
    from amends.letters.services import letter_render_html
    from amends.process.letters import process_compose_letter
    from amends.process.services import process_start

    process_start(case=case, regime_code="fca-disp", actor=case_handler)
    note_add(actor=case_handler, case=case, body="SECRET-NOTE: do not offer more than £50")
    letter = process_compose_letter(case=case, kind="acknowledgement", actor=case_handler, fields={})
    assert "SECRET" not in json.dumps(letter.fields) and "SECRET" not in letter_render_html(letter)


# --- the pages and the API ----------------------------------------------------------------------------------


def test_the_case_page_shows_notes_apart_and_adds_them(case, adviser, team_leader, other_team_adviser):
    client = login(adviser)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    tell = page.split('<fieldset class="mention-list">')[1].split("</fieldset>")[0]
    assert "Tess Leader" in tell and "Ada Adviser" not in tell and "Otto" not in tell

    response = client.post(
        f"/cases/{case.reference}/notes", {"body": "Customer rang, upset", "mention": [team_leader.pk]}
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert list(note.mentioned.all()) == [team_leader]
    page = client.get(f"/cases/{case.reference}/").content.decode()
    card = page.split(f'id="note-{note.pk}"')[1].split("</article>")[0]
    assert "Internal note — not shown to the customer" in card and "Customer rang, upset" in card
    assert "Told: Tess Leader" in card

    client.post(f"/cases/{case.reference}/notes", {"body": "@otto look", "mention": []})
    assert Note.objects.count() == 1
    assert "cannot see" in client.get(f"/cases/{case.reference}/").content.decode()


def test_the_customer_page_shows_and_adds_customer_notes(case, adviser, assessor):
    client = login(adviser)
    client.post(f"/customers/{case.customer_id}/notes", {"body": "Prefers a call after 3pm"})
    page = client.get(f"/customers/{case.customer_id}/").content.decode()
    assert "Prefers a call after 3pm" in page.split('id="notes-h"')[1]
    assert "Prefers a call after 3pm" in client.get(f"/cases/{case.reference}/").content.decode()

    reader = login(assessor)
    reader.post(f"/customers/{case.customer_id}/notes", {"body": "Assessor's view"})
    assert Note.objects.count() == 1
    shown = reader.get(f"/customers/{case.customer_id}/").content.decode()
    assert "Prefers a call after 3pm" in shown and 'action="/customers/' not in shown  # read, no form


def test_notes_over_the_api(case, adviser, team_leader, assessor, other_team_adviser):
    api = api_client(adviser)
    post = lambda url, body: api.post(url, json.dumps(body), content_type="application/json")  # noqa: E731
    made = post(f"/api/v1/cases/{case.reference}/notes", {"body": "Chased the bank", "mention": ["tess"]})
    assert made.status_code == 201, made.content
    assert made.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "case": case.reference,
        "customer_id": None,
        "author": "ada",
        "body": "Chased the bank",
        "created_at": "",
        "corrects": None,
        "mentioned": ["tess"],
    }
    fix = post(
        f"/api/v1/cases/{case.reference}/notes", {"body": "The other bank", "corrects": made.json()["id"]}
    )
    assert fix.status_code == 201 and fix.json()["corrects"] == made.json()["id"]
    listed = api.get(f"/api/v1/cases/{case.reference}/notes?limit=1").json()
    assert [n["body"] for n in listed["items"]] == ["The other bank"] and listed["next_cursor"]
    older = api.get(f"/api/v1/cases/{case.reference}/notes?limit=1&cursor={listed['next_cursor']}").json()
    assert [n["body"] for n in older["items"]] == ["Chased the bank"] and older["next_cursor"] is None

    refused = post(f"/api/v1/cases/{case.reference}/notes", {"body": "x", "mention": ["otto"]})
    assert refused.status_code == 400 and "cannot see" in refused.json()["error"]["message"]
    assert post(f"/api/v1/cases/{case.reference}/notes", {"body": "x", "mention": ["zed"]}).status_code == 400
    assert post(f"/api/v1/cases/{case.reference}/notes", {"body": "x", "corrects": 999999}).status_code == 400

    customer = post(f"/api/v1/customers/{case.customer_id}/notes", {"body": "Prefers email"})
    assert customer.status_code == 201 and customer.json()["customer_id"] == case.customer_id
    assert [n["body"] for n in api.get(f"/api/v1/customers/{case.customer_id}/notes").json()["items"]] == [
        "Prefers email"
    ]

    reader = api_client(assessor)
    assert reader.get(f"/api/v1/cases/{case.reference}/notes").status_code == 200
    for url in (f"/api/v1/cases/{case.reference}/notes", f"/api/v1/customers/{case.customer_id}/notes"):
        assert reader.post(url, json.dumps({"body": "x"}), content_type="application/json").status_code == 403
    outsider = api_client(other_team_adviser)
    assert outsider.get(f"/api/v1/cases/{case.reference}/notes").status_code == 404
    assert outsider.get(f"/api/v1/customers/{case.customer_id}/notes").status_code == 404
    assert Note.objects.count() == 3
