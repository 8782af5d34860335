"""Bounces and automatic replies (automatic.py): recognised by each signal, and never a case, whichever way
they arrive (the inbound endpoint, `amends intake`, a team mailbox: one path, `intake_email`)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

import pytest
from django.core.management import call_command
from django.test import Client

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_transition
from amends.intake.automatic import automatic_of
from amends.intake.models import HeldEmail
from amends.intake.services import HeldResult, held_email_release, intake_email
from amends.messaging.models import Message

from .test_imap import bounce_of, email

pytestmark = pytest.mark.django_db


def classify(raw: bytes):
    return automatic_of(BytesParser(policy=policy.default).parsebytes(raw))


@pytest.mark.parametrize(
    ("headers", "subject", "sender", "kind", "reason"),
    [
        ("Auto-Submitted: auto-replied\r\n", "", "", "auto_reply", "Auto-Submitted: auto-replied"),
        ("Auto-Submitted: auto-generated; owner-email=x@example.org\r\n", "", "", "auto_reply", ""),
        ("X-Autoreply: yes\r\n", "", "", "auto_reply", "X-Autoreply: yes"),
        ("X-Autorespond: Out of office\r\n", "", "", "auto_reply", "X-Autorespond"),
        ("Precedence: bulk\r\n", "", "", "auto_reply", "Precedence: bulk"),
        ("Precedence: auto_reply\r\n", "", "", "auto_reply", ""),
        ("Precedence: junk\r\n", "", "", "auto_reply", ""),
        ("Precedence: list\r\n", "", "", "auto_reply", ""),
        ("Return-Path: <>\r\n", "Thanks for your email", "", "auto_reply", "empty return path"),
        ("", "Automatic reply: Your complaint", "", "auto_reply", "out-of-office subject"),
        ("", "Out of Office: Your complaint", "", "auto_reply", ""),
        ("", "Out of office", "", "auto_reply", ""),
        ("", "Réponse automatique : votre réclamation", "", "auto_reply", ""),
        ("Return-Path: <>\r\n", "Undeliverable: Your complaint", "", "bounce", "delivery failure subject"),
        ("", "Mail delivery failed", "MAILER-DAEMON@mx.example.org", "bounce", "mail system (mailer-daemon)"),
        ("", "Returned mail", "Postmaster <postmaster@example.org>", "bounce", "(postmaster)"),
    ],
)
def test_each_signal_is_recognised(headers, subject, sender, kind, reason):
    found = classify(email(1, headers=headers, subject=subject, sender=sender))
    assert found is not None and found.kind == kind
    assert reason in found.reason


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ("", "Out of office hours service was terrible"),  # a complaint, not an autoresponder
        ("", "Undelivered parcel, third time"),  # a bounce's words, but from a person
        ("Auto-Submitted: no\r\n", ""),
        ("X-Autoreply: no\r\n", ""),
        ("Precedence: first-class\r\n", ""),
        ("Return-Path: <jo@example.org>\r\n", "Mail delivery failed"),
    ],
)
def test_a_person_writing_is_not_automatic(headers, subject):
    assert classify(email(1, headers=headers, subject=subject)) is None


def test_a_delivery_status_report_names_the_returned_email_and_why():
    case = intake_email(email(1)).case
    ack = Message.objects.get(case=case, purpose="acknowledgement")
    found = classify(bounce_of(ack, 1))
    assert found.kind == "bounce" and found.failed
    assert found.original_ids == (ack.email_message_id,)
    assert found.diagnostic.startswith("5.1.1 550 5.1.1")
    assert ack.outbox.headers["Auto-Submitted"] == "auto-replied"  # ours says it is automatic too
    delayed = bounce_of(ack, 2).replace(b"Action: failed", b"Action: delayed")
    assert classify(delayed).failed is False  # a delay returns nothing: the email is not marked


def test_a_bounce_without_a_report_is_matched_by_the_message_id_it_quotes():
    case = intake_email(email(1)).case
    ack = Message.objects.get(case=case, purpose="acknowledgement")
    qmail = email(
        2,
        sender="MAILER-DAEMON@mail.example.net",
        subject="failure notice",
        body=f"Sorry, I couldn't deliver it.\r\n\r\n--- Below this line is a copy of the message.\r\n\r\n"
        f"From: complaints@amends.example\r\nMessage-ID: {ack.email_message_id}\r\n",
    )
    result = intake_email(qmail)
    assert result.case == case and result.message.purpose == "bounce" and not result.created_case
    ack.refresh_from_db()
    assert ack.delivery == Message.Delivery.BOUNCED


def test_the_case_page_says_where_a_bounced_email_went_and_why_it_came_back(complaints_team, team_leader):
    case = intake_email(email(1)).case
    ack = Message.objects.get(case=case, purpose="acknowledgement")
    intake_email(bounce_of(ack, 1))
    client = Client()
    client.force_login(team_leader)

    page = client.get(f"/cases/{case.reference}/").content.decode()

    assert "Email to customer1@example.org came back undelivered (Bounced: 5.1.1" in page


def test_an_automatic_reply_on_a_resolved_case_neither_reopens_it_nor_answers(
    complaints_team, complaints_lead
):
    opened = intake_email(email(1))
    ack = Message.objects.get(case=opened.case, purpose="acknowledgement")
    case = case_transition(case=opened.case, to="resolved", actor=complaints_lead, reason="Sorted")
    events, messages = CaseEvent.objects.count(), Message.objects.count()
    reply = email(
        2,
        sender="Customer 1 <customer1@example.org>",
        subject="Out of office",
        headers=f"In-Reply-To: {ack.email_message_id}\r\nX-Autoreply: yes\r\n",
        body="I am on holiday.",
    )

    result = intake_email(reply)

    assert result.case == case and not result.created_case
    assert result.message.purpose == "auto_reply"
    case.refresh_from_db()
    assert case.status == "resolved"  # a person writing back would have reopened it
    assert CaseEvent.objects.count() == events  # no reopening, no signals, no acknowledgement
    assert Message.objects.count() == messages + 1


def test_the_endpoint_and_the_import_set_aside_automatic_mail_that_answers_no_case(
    inbound_secret, complaints_team, tmp_path, capsys
):
    out_of_office = email(1, subject="Automatic reply: Hello", headers="Auto-Submitted: auto-replied\r\n")
    response = Client().post(
        "/inbound/email",
        out_of_office,
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Bearer {inbound_secret}",
    )
    assert response.status_code == 202  # accepted, so the provider neither retries nor bounces it
    assert response.json()["reason"].startswith("An automatic reply (Auto-Submitted: auto-replied)")
    (tmp_path / "bounce.eml").write_bytes(email(2, sender="MAILER-DAEMON@mx.example.org", subject="Failed"))
    call_command("intake", "eml", str(tmp_path / "bounce.eml"))
    assert "held for review: A bounce (sent by the mail system (mailer-daemon))" in capsys.readouterr().out
    assert not Case.objects.exists()
    assert set(HeldEmail.objects.values_list("status", flat=True)) == {HeldEmail.Status.SET_ASIDE}


def test_set_aside_mail_is_listed_apart_and_a_person_may_still_release_it(complaints_team, team_leader):
    held = intake_email(email(1, subject="Out of office"))
    assert isinstance(held, HeldResult) and held.held.status == HeldEmail.Status.SET_ASIDE
    client = Client()
    client.force_login(team_leader)
    page = client.get("/intake/held/").content.decode()
    waiting, set_aside = page.split("Automatic mail set aside")
    assert "No email waiting for review" in waiting and "Out of office" in set_aside

    result = held_email_release(held=held.held, actor=team_leader, email="customer1@example.org")

    assert result.created_case and result.message.purpose == "message"  # a person said it is a customer's
    assert HeldEmail.objects.get().status == HeldEmail.Status.RELEASED
