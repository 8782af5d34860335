"""Composing, checking, rendering and sending letters; versioned prescribed wording."""

import pytest
from django.core import mail
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.errors import Conflict, DomainError, NotFound
from amends.core.models import AuditEvent
from amends.customers.models import ContactPoint
from amends.letters.models import Letter, TextBlock, current_block
from amends.letters.selectors import blocks_needing_attention, case_letters
from amends.letters.services import (
    letter_compose,
    letter_missing,
    letter_render_html,
    letter_render_text,
    letter_send,
    letter_update_fields,
    text_block_update,
)
from amends.messaging.models import Attachment, Message
from amends.messaging.tasks import send_outbox

pytestmark = pytest.mark.django_db

FOS = {
    "body": "Financial Ombudsman Service",
    "website": "https://www.financial-ombudsman.org.uk",
    "customer_time_limit": "6 months from the date of this letter",
    "evidence": "V",
}
FINAL = [
    "reference",
    "decision",
    "reasons",
    "remedy",
    "referral_rights",
    "block:fca.disp1.annex3.waiver",
    "block:fca.fos.leaflet",
]
ACK = ["reference", "complaint_summary", "timescales", "contact_details"]
DECIDED = {"decision": "upheld", "reasons": "The refund was sent late.", "remedy": "We will pay you £50."}
SEEDED = {
    "fca.disp1.annex3.waiver",
    "fca.fos.leaflet",
    "hos.ombudsman.details",
    "energy.ombudsman.details",
    "ofcom.adr.details",
    "spso.details",
    "leo.details",
    "lgsco.details",
    "phso.details",
    "ccw.details",
    "org.contact_details",
    "org.signature",
    "org.apology",
}


@pytest.fixture
def case(complaints_team):
    return make_case(team=complaints_team)


@pytest.fixture
def fca_wording(complaints_lead):
    text_block_update(
        code="fca.disp1.annex3.waiver", body="[Annex 3R case (1) wording]", actor=complaints_lead
    )
    text_block_update(
        code="fca.fos.leaflet", body="We enclose the ombudsman's leaflet.", actor=complaints_lead
    )


def final_response(case, actor, fields=DECIDED):
    return letter_compose(
        case=case, kind="final_response", fields=fields, required=FINAL, referral=FOS, actor=actor
    )


def nothing_sent(letter):
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and not letter.html and letter.pdf is None
    assert not Message.objects.filter(case=letter.case).exists()
    assert not CaseEvent.objects.filter(case=letter.case, kind="letter_sent").exists()
    assert mail.outbox == []


def test_every_block_is_seeded_with_guidance_and_only_the_organisations_own_are_filled():
    blocks = {b.code: b for b in TextBlock.objects.all()}
    assert set(blocks) == SEEDED
    assert all(b.version == 1 and b.title and len(b.guidance) > 40 for b in blocks.values())
    assert "DISP 1 Annex 3R" in blocks["fca.disp1.annex3.waiver"].guidance
    filled = {code for code, b in blocks.items() if not b.is_empty}
    assert filled == {"org.contact_details", "org.signature", "org.apology"}
    assert "Amends demo organisation" in blocks["org.signature"].body
    assert {b.code for b in blocks_needing_attention()} == SEEDED - filled


def test_compose_copies_the_regime_and_records_the_draft(case, adviser):
    letter = final_response(case, adviser)
    assert letter.status == "draft" and letter.required_elements == FINAL
    assert letter.referral == {k: FOS[k] for k in ("body", "website", "customer_time_limit")}
    event = CaseEvent.objects.get(case=case, kind="letter_drafted")
    assert event.after == {"letter": letter.pk, "kind": "final_response"} and event.actor == adviser
    assert list(case_letters(case)) == [letter]


@pytest.mark.parametrize(
    ("kind", "fields", "required", "field"),
    [
        ("apology", {}, [], "kind"),
        ("final_response", {"tone": "warm"}, [], "tone"),
        ("final_response", {"reasons": "x" * 20_001}, [], "reasons"),
        ("final_response", {"reasons": 42}, [], "reasons"),
        ("final_response", {"new_date": "2026-02-30"}, [], "new_date"),
        ("final_response", {}, ["reasons", "vibes"], "required"),
    ],
)
def test_compose_refuses_bad_input_and_changes_nothing(case, adviser, kind, fields, required, field):
    with pytest.raises(DomainError) as err:
        letter_compose(case=case, kind=kind, fields=fields, required=required, referral=None, actor=adviser)
    assert field in err.value.fields
    assert not Letter.objects.exists()
    assert not CaseEvent.objects.filter(kind="letter_drafted").exists()


def test_update_fields_replaces_removes_and_records_what_changed(case, adviser):
    letter = final_response(case, adviser)
    letter = letter_update_fields(
        letter=letter, fields={"reasons": "Better reasons.", "remedy": ""}, actor=adviser
    )
    assert letter.fields == {"decision": "upheld", "reasons": "Better reasons."}
    event = CaseEvent.objects.get(case=case, kind="letter_updated")
    assert event.after == {"letter": letter.pk, "fields": ["reasons", "remedy"]}


def test_sending_with_a_missing_element_is_refused_names_it_and_changes_nothing(case, adviser, fca_wording):
    letter = final_response(case, adviser, fields={"decision": "not_upheld"})
    with pytest.raises(DomainError) as err:
        letter_send(letter=letter, actor=adviser)
    assert err.value.code == "letter_incomplete"
    assert "the reasons for the decision" in err.value.message
    assert "the remedy we are offering" in err.value.message
    assert set(err.value.fields) == {"reasons", "remedy"}
    nothing_sent(letter)


def test_an_empty_block_refuses_sending_until_the_compliance_lead_fills_it(
    case, adviser, complaints_lead, django_capture_on_commit_callbacks
):
    text_block_update(code="fca.fos.leaflet", body="We enclose the leaflet.", actor=complaints_lead)
    letter = final_response(case, adviser)
    with pytest.raises(DomainError) as err:
        letter_send(letter=letter, actor=adviser, by="print")
    assert list(err.value.fields) == ["block:fca.disp1.annex3.waiver"]
    assert "fca.disp1.annex3.waiver" in err.value.message and "DISP 1 Annex 3R" in err.value.message
    nothing_sent(letter)

    block = text_block_update(
        code="fca.disp1.annex3.waiver", body="[Annex 3R case (1)]", actor=complaints_lead, reason="FCA text"
    )
    assert block.version == 2 and current_block("fca.disp1.annex3.waiver") == block
    audit = AuditEvent.objects.get(kind="text_block.updated", object_id=str(block.pk))
    assert audit.actor == complaints_lead and audit.reason == "FCA text" and audit.after["version"] == 2
    assert letter_missing(letter) == {}

    with django_capture_on_commit_callbacks(execute=True):
        sent = letter_send(letter=letter, actor=adviser, by="print")
    # Print path: marked printed, frozen, no email.
    assert sent.status == Letter.Status.PRINTED and sent.sent_by == adviser and sent.message is None
    assert sent.block_versions == {
        "fca.disp1.annex3.waiver": 2,
        "fca.fos.leaflet": 2,
        "org.signature": 1,
        "org.contact_details": 1,
    }
    assert bytes(sent.pdf).startswith(b"%PDF") and len(sent.pdf) > 5_000
    assert case.reference in sent.html and "[Annex 3R case (1)]" in sent.html
    assert "DRAFT" not in sent.html
    assert mail.outbox == [] and not Message.objects.filter(case=case).exists()
    event = CaseEvent.objects.get(case=case, kind="letter_sent")
    assert event.after == {"letter": sent.pk, "kind": "final_response", "by": "print"}

    # Frozen: later wording changes never reach a sent letter, and it cannot be sent or edited again.
    text_block_update(code="fca.disp1.annex3.waiver", body="[Annex 3R, revised]", actor=complaints_lead)
    sent.refresh_from_db()
    assert "[Annex 3R case (1)]" in sent.html and "revised" not in sent.html
    assert letter_render_html(sent) == sent.html
    with pytest.raises(Conflict):
        letter_send(letter=sent, actor=adviser)
    with pytest.raises(Conflict):
        letter_update_fields(letter=sent, fields={"reasons": "Changed"}, actor=adviser)


def test_email_sends_the_letter_text_with_the_pdf_attached_through_the_outbox(
    case, adviser, django_capture_on_commit_callbacks
):
    letter = letter_compose(
        case=case,
        kind="acknowledgement",
        fields={"timescales": "We will reply within 8 weeks.", "complaint_summary": "Late refund <b>now</b>"},
        required=ACK,
        referral=None,
        actor=adviser,
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = letter_send(letter=letter, actor=adviser, by="email")
    assert sent.status == Letter.Status.SENT and mail.outbox == []
    send_outbox(timezone.now())
    message = Message.objects.get(case=case)
    assert sent.message == message
    assert (message.direction, message.purpose, message.delivery) == ("out", "letter", "sent")
    assert case.reference in message.subject and "We will reply within 8 weeks." in message.body_text
    # Customer text: escaped in the letter, and kept as written in the plain-text email.
    assert "Late refund &lt;b&gt;now&lt;/b&gt;" in sent.html and "Late refund <b>now</b>" in message.body_text
    attachment = Attachment.objects.get(message=message)
    assert attachment.content_type == "application/pdf" and bytes(attachment.content) == bytes(sent.pdf)
    assert attachment.size == len(sent.pdf) and bytes(attachment.content).startswith(b"%PDF")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [case.customer.contact_points.get(kind="email").value]
    [(filename, content, mimetype)] = email.attachments
    assert filename == f"{case.reference}-acknowledgement.pdf" and mimetype == "application/pdf"
    assert content.startswith(b"%PDF") and case.reference in email.body


def test_customer_text_is_escaped_in_the_letter(case, adviser):
    letter = final_response(case, adviser, fields={**DECIDED, "reasons": "<script>alert(1)</script> & more"})
    html = letter_render_html(letter)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_a_draft_preview_shows_what_is_still_needed(case, adviser):
    letter = final_response(case, adviser, fields={"decision": "upheld"})
    html = letter_render_html(letter)
    assert "DRAFT" in html and "the reasons for the decision" in html
    assert "Wording still to be filled in by the compliance team" in html
    text = letter_render_text(letter)
    assert case.reference in text and "@page" not in text and "Our decision" in text


@pytest.mark.parametrize("kind", Letter.Kind.values)
def test_every_kind_renders_its_subject_and_referral_rights(case, adviser, kind):
    letter = letter_compose(
        case=case,
        kind=kind,
        fields=DECIDED,
        required=["reference", "referral_rights"],
        referral=FOS,
        actor=adviser,
    )
    html = letter_render_html(letter)
    assert case.reference in html and "Financial Ombudsman Service" in html
    assert "6 months from the date of this letter" in html and "Pat Customer" in html


def test_email_to_a_customer_without_an_address_is_refused(case, adviser):
    ContactPoint.objects.filter(customer=case.customer).delete()
    letter = letter_compose(
        case=case,
        kind="acknowledgement",
        fields={"timescales": "8 weeks"},
        required=ACK,
        referral=None,
        actor=adviser,
    )
    with pytest.raises(DomainError) as err:
        letter_send(letter=letter, actor=adviser, by="email")
    assert err.value.code == "no_email_address"
    nothing_sent(letter)


def test_wording_is_versioned_never_edited(complaints_lead):
    block = current_block("leo.details")
    with pytest.raises(ValueError):
        block.save()
    with pytest.raises(DomainError) as err:
        text_block_update(code="leo.details", body="", actor=complaints_lead)
    assert err.value.code == "unchanged"
    with pytest.raises(NotFound):
        text_block_update(code="no.such.block", body="x", actor=complaints_lead)
    new = text_block_update(code="leo.details", body="Legal Ombudsman ...", actor=complaints_lead)
    assert new.version == 2 and new.updated_by == complaints_lead and new.guidance == block.guidance
    assert "leo.details" not in {b.code for b in blocks_needing_attention()}
    assert TextBlock.objects.filter(code="leo.details").count() == 2
