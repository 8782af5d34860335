"""Two people never silently overwrite each other: a draft letter's fields, a case's finding, a reply, a
logged contact and the prescribed wording each check the version the person read, on the service, the API
(409) and the page (a message saying what happened, with the other person's change)."""

import pytest
from django.contrib.messages import get_messages

from amends.cases.models import Case, CaseEvent
from amends.conftest import api_client, login
from amends.core.errors import Conflict
from amends.core.models import AuditEvent
from amends.letters.models import Letter, TextBlock, current_block
from amends.letters.services import letter_update_fields, text_block_update
from amends.messaging.models import Message
from amends.messaging.services import message_log_contact, message_send
from amends.process import steps
from amends.process.letters import process_compose_letter
from amends.process.models import Finding
from amends.process.services import process_start

pytestmark = pytest.mark.django_db


def _api(user):
    client = api_client(user)
    return lambda url, body: client.post(url, body, content_type="application/json")


_page = login


def _said(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(complaint, case_handler):
    process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    process_compose_letter(case=complaint, kind="holding", actor=case_handler, fields={"delay_reasons": "x"})
    return Letter.objects.get(case=complaint, kind="holding")


# --- draft letters ------------------------------------------------------------------------------------------


def test_a_letter_edit_made_on_an_old_version_is_refused_and_names_who_changed_it(
    draft, case_handler, team_leader
):
    read = draft.version
    letter_update_fields(
        letter=draft, actor=case_handler, fields={"delay_reasons": "Awaiting a report"}, expected_version=read
    )
    with pytest.raises(Conflict) as refused:
        letter_update_fields(
            letter=draft, actor=team_leader, fields={"delay_reasons": "Mine"}, expected_version=read
        )
    assert refused.value.code == "letter_changed" and refused.value.http_status == 409
    assert refused.value.message.startswith("Hal Handler changed this letter at ")
    assert "(delay reasons) while you were editing it" in refused.value.message
    saved = Letter.objects.get(pk=draft.pk)
    assert saved.fields["delay_reasons"] == "Awaiting a report" and saved.version == read + 1
    assert CaseEvent.objects.filter(kind="letter_updated").count() == 1


def test_an_unchanged_save_keeps_the_version(draft, case_handler):
    letter_update_fields(letter=draft, actor=case_handler, fields={"delay_reasons": "x"}, expected_version=1)
    assert Letter.objects.get(pk=draft.pk).version == 1


def test_the_api_refuses_a_stale_letter_edit_with_409(draft, complaint, case_handler, team_leader):
    url = f"/api/v1/cases/{complaint.reference}/process/letters/update"
    body = {"letter": draft.pk, "fields": {"delay_reasons": "First"}, "version": 1}
    saved = _api(case_handler)(url, body)
    assert saved.status_code == 200
    (letter,) = saved.json()["letters"]
    assert letter["version"] == 2 and letter["fields"] == {"delay_reasons": "First"}
    stale = _api(team_leader)(url, {**body, "fields": {"delay_reasons": "Second"}})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "letter_changed"
    assert stale.json()["error"]["fields"] == {"version": "you read version 1; it is now 2"}
    missing = _api(team_leader)(url, {"letter": draft.pk, "fields": {"delay_reasons": "Third"}})
    assert missing.status_code == 422 and "version" in missing.json()["error"]["fields"]
    assert Letter.objects.get(pk=draft.pk).fields["delay_reasons"] == "First"


def test_the_case_page_says_the_letter_changed_and_shows_the_new_text(
    draft, complaint, case_handler, team_leader
):
    url = f"/cases/{complaint.reference}/process/update-letter"
    _page(case_handler).post(url, {"letter": draft.pk, "field_delay_reasons": "First", "version": 1})
    client = _page(team_leader)
    response = client.post(url, {"letter": draft.pk, "field_delay_reasons": "Second", "version": 1})
    (said,) = _said(response)
    assert said.startswith("Hal Handler changed this letter") and "Your changes were not saved" in said
    page = client.get(f"/cases/{complaint.reference}/").content.decode()
    assert ">First</textarea>" in page and 'name="version" value="2"' in page


# --- findings -----------------------------------------------------------------------------------------------


def _finding(case, actor, reasoning, version):
    return steps.finding_record(
        case=case,
        actor=actor,
        outcome="justified",
        facts="Two debits",
        reasoning=reasoning,
        expected_version=version,
    )


def test_a_finding_recorded_over_one_the_investigator_did_not_see_is_refused(
    complaint, case_handler, team_leader
):
    first = _finding(complaint, case_handler, "Our retry ran twice", 0)
    assert first.version == 1
    with pytest.raises(Conflict) as refused:
        _finding(complaint, team_leader, "The bank's error", 0)
    assert refused.value.code == "finding_changed"
    assert refused.value.message.startswith("Hal Handler recorded a finding at ")
    assert "Justified. Our retry ran twice" in refused.value.message
    assert list(Finding.objects.values_list("reasoning", flat=True)) == ["Our retry ran twice"]
    # Having read it, the second investigator may replace it.
    assert _finding(complaint, team_leader, "The bank's error after all", 1).version == 2
    with pytest.raises(Conflict):
        _finding(complaint, case_handler, "Stale again", 1)


def test_the_api_and_the_page_refuse_a_stale_finding(complaint, case_handler, team_leader):
    process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    body = {"outcome": "justified", "facts": "Two debits", "reasoning": "Retry bug", "version": 0}
    url = f"/api/v1/cases/{complaint.reference}/process/finding"
    saved = _api(case_handler)(url, body)
    assert saved.status_code == 200 and saved.json()["finding_version"] == 1
    stale = _api(team_leader)(url, {**body, "reasoning": "Something else"})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "finding_changed"

    form = {k: v for k, v in body.items() if k != "reasoning"} | {"reasoning": "On the page"}
    response = _page(team_leader).post(f"/cases/{complaint.reference}/process/finding", form)
    (said,) = _said(response)
    assert "recorded a finding" in said and "Retry bug" in said
    assert Finding.objects.filter(case=complaint).count() == 1


# --- replies ------------------------------------------------------------------------------------------------


def test_a_second_reply_written_before_the_first_went_out_is_not_sent(complaint, adviser, case_handler):
    read = complaint.version
    message_send(case=complaint, actor=adviser, body="We have refunded the £120.", expected_version=read)
    with pytest.raises(Conflict) as refused:
        message_send(
            case=complaint, actor=case_handler, body="We are looking into it.", expected_version=read
        )
    assert refused.value.code == "case_changed"
    assert "Ada Adviser sent the customer a message at " in refused.value.message
    assert "\u201cWe have refunded the \u00a3120.\u201d" in refused.value.message
    assert list(Message.objects.filter(direction="out").values_list("body_text", flat=True)) == [
        "We have refunded the £120."
    ]


def test_a_reply_is_not_sent_when_the_customer_wrote_meanwhile(complaint, adviser):
    from django.utils import timezone

    from amends.cases.services import case_record_contact

    read = complaint.version
    case_record_contact(case=complaint, inbound=True, at=timezone.now())
    with pytest.raises(Conflict):
        message_send(case=complaint, actor=adviser, body="Hello", expected_version=read)
    assert not Message.objects.filter(direction="out").exists()


def test_the_api_refuses_a_stale_reply_with_409(complaint, adviser, case_handler):
    url = f"/api/v1/cases/{complaint.reference}/replies"
    read = Case.objects.get(pk=complaint.pk).version
    assert _api(adviser)(url, {"body": "First", "version": read}).status_code == 201
    stale = _api(case_handler)(url, {"body": "Second", "version": read})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "case_changed"
    assert Message.objects.filter(direction="out").count() == 1


def test_the_page_keeps_a_reply_it_did_not_send_and_says_why(complaint, adviser, case_handler):
    url = f"/cases/{complaint.reference}/reply"
    read = Case.objects.get(pk=complaint.pk).version
    _page(adviser).post(url, {"body": "We have refunded you.", "version": read})
    client = _page(case_handler)
    response = client.post(url, {"subject": "Update", "body": "Still looking into it.", "version": read})
    (said,) = _said(response)
    assert "Ada Adviser sent the customer a message" in said and "Your reply was not sent" in said
    page = client.get(f"/cases/{complaint.reference}/").content.decode()
    assert ">Still looking into it.</textarea>" in page and 'value="Update"' in page
    assert "We have refunded you." in page  # their reply, in the timeline
    assert Message.objects.filter(direction="out").count() == 1


# --- logged contacts ----------------------------------------------------------------------------------------


def _log(case, actor, summary, version, channel="phone"):
    return message_log_contact(
        case=case, actor=actor, channel=channel, direction="in", summary=summary, expected_version=version
    )


def test_a_contact_logged_on_a_case_that_changed_since_it_was_read_is_refused(
    complaint, adviser, case_handler
):
    read = Case.objects.get(pk=complaint.pk).version
    _log(complaint, adviser, "Customer rang: the refund has arrived.", read)
    with pytest.raises(Conflict) as refused:
        _log(complaint, case_handler, "Customer rang: still no refund.", read, channel="face_to_face")
    assert refused.value.code == "case_changed" and refused.value.http_status == 409
    assert "Ada Adviser logged a phone call at " in refused.value.message
    assert "\u201cCustomer rang: the refund has arrived.\u201d" in refused.value.message
    assert "Your note was not logged" in refused.value.message
    notes = Message.objects.filter(purpose="contact_note")
    assert list(notes.values_list("body_text", flat=True)) == ["Customer rang: the refund has arrived."]
    assert Case.objects.get(pk=complaint.pk).version == read + 1
    assert CaseEvent.objects.filter(case=complaint, kind="contact_logged").count() == 1


def test_a_contact_is_not_logged_when_the_customer_wrote_meanwhile(complaint, adviser):
    from django.utils import timezone

    from amends.cases.services import case_record_contact

    read = Case.objects.get(pk=complaint.pk).version
    case_record_contact(case=complaint, inbound=True, at=timezone.now())
    with pytest.raises(Conflict):
        _log(complaint, adviser, "Called back", read)
    assert not Message.objects.filter(purpose="contact_note").exists()


def test_the_api_refuses_a_stale_contact_with_409_and_logs_one_without_a_version(
    complaint, adviser, case_handler
):
    url = f"/api/v1/cases/{complaint.reference}/contacts"
    read = Case.objects.get(pk=complaint.pk).version
    body = {"channel": "phone", "direction": "in", "summary": "First call", "version": read}
    assert _api(adviser)(url, body).status_code == 201
    stale = _api(case_handler)(url, {**body, "summary": "Second call"})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "case_changed" and "Ada Adviser logged a phone call" in error["message"]
    assert error["fields"] == {"version": f"you read version {read}; the case is now at {read + 1}"}
    assert Message.objects.filter(purpose="contact_note").count() == 1
    # The version is optional over the API: a client that sends none logs as before.
    unversioned = {k: v for k, v in body.items() if k != "version"} | {"summary": "Third call"}
    assert _api(case_handler)(url, unversioned).status_code == 201
    assert Message.objects.filter(purpose="contact_note").count() == 2


def test_the_page_keeps_a_note_it_did_not_log_and_says_why(complaint, adviser, case_handler):
    url = f"/cases/{complaint.reference}/log-contact"
    read = Case.objects.get(pk=complaint.pk).version
    form = {
        "channel": "phone",
        "direction": "in",
        "occurred_at": "",
        "summary": "Refund arrived",
        "version": read,
    }
    _page(adviser).post(url, form)
    client = _page(case_handler)
    mine = {**form, "channel": "letter", "direction": "out", "summary": "Wrote to say sorry"}
    response = client.post(url, mine)
    (said,) = _said(response)
    assert "Ada Adviser logged a phone call" in said and "Your note was not logged" in said
    page = client.get(f"/cases/{complaint.reference}/").content.decode()
    assert ">Wrote to say sorry</textarea>" in page
    assert '<option value="letter" selected>' in page and '<option value="out" selected>' in page
    assert f'name="version" value="{read + 1}"' in page
    assert Message.objects.filter(purpose="contact_note").count() == 1
    # Kept once: the next visit shows an empty form.
    assert (
        ">Wrote to say sorry</textarea>" not in client.get(f"/cases/{complaint.reference}/").content.decode()
    )


def test_the_case_page_refuses_a_note_without_the_version_it_read(complaint, adviser):
    form = {"channel": "phone", "direction": "in", "summary": "No version"}
    response = _page(adviser).post(f"/cases/{complaint.reference}/log-contact", form)
    assert any("Version" in said for said in _said(response))
    assert not Message.objects.filter(purpose="contact_note").exists()


# --- prescribed wording -------------------------------------------------------------------------------------

LEAFLET = "fca.fos.leaflet"


def test_wording_saved_over_a_version_the_editor_did_not_read_is_refused(complaints_lead, admin_user):
    read = current_block(LEAFLET).version
    text_block_update(
        code=LEAFLET, body="We enclose the FOS leaflet.", actor=complaints_lead, expected_version=read
    )
    with pytest.raises(Conflict) as refused:
        text_block_update(code=LEAFLET, body="Mine", actor=admin_user, expected_version=read)
    assert refused.value.code == "wording_changed" and refused.value.http_status == 409
    name = complaints_lead.get_full_name()
    assert refused.value.message.startswith(f"{name} saved version {read + 1} of this wording at ")
    assert "\u201cWe enclose the FOS leaflet.\u201d Yours was not saved" in refused.value.message
    assert refused.value.fields == {"version": f"you read version {read}; it is now {read + 1}"}
    assert list(TextBlock.objects.filter(code=LEAFLET, version__gt=read).values_list("body", flat=True)) == [
        "We enclose the FOS leaflet."
    ]
    assert AuditEvent.objects.filter(kind="text_block.updated").count() == 1
    # Having read it, the other editor may replace it.
    assert (
        text_block_update(code=LEAFLET, body="Mine", actor=admin_user, expected_version=read + 1).body
        == "Mine"
    )


def test_the_wording_page_keeps_what_was_typed_and_says_who_saved_first(complaints_lead, admin_user):
    read = current_block(LEAFLET).version
    url = f"/letters/wording/{LEAFLET}"
    _page(complaints_lead).post(url, {"body": "Theirs", "reason": "New leaflet", "version": read})
    client = _page(admin_user)
    response = client.post(url, {"body": "Mine", "reason": "Typo", "version": read})
    (said,) = _said(response)
    assert "saved version" in said and "\u201cTheirs\u201d" in said and "Yours was not saved" in said
    page = client.get("/letters/wording/").content.decode()
    assert ">Mine</textarea>" in page and 'value="Typo"' in page
    assert f'name="version" value="{read + 1}"' in page
    assert current_block(LEAFLET).body == "Theirs"
    # Without the version it read, a save is refused too.
    refused = client.post(url, {"body": "Mine", "reason": "Typo"})
    assert any("Version" in said for said in _said(refused)) and current_block(LEAFLET).body == "Theirs"
