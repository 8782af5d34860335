"""Where a reply goes (CFACSC7 K13): the channel the customer last wrote on when a connector serves it and
we have their contact point there, else email, else nowhere with the reason; the writer's own choice among
those open; a reply sent by hand, recorded and not sent.

Ana administers; Ada advises in the complaints team, where contacts land.
"""

from __future__ import annotations

import pytest

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.errors import DomainError
from amends.customers.models import ContactPoint
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contacts
from amends.messaging.models import Message, OutboxItem
from amends.messaging.routes import case_routes, mobile
from amends.messaging.services import AttachmentFile, message_log_contact, message_send
from amends.messaging.sms import MemoryProvider

from .channels import contact_case, integration

pytestmark = pytest.mark.django_db
SMS = "amends.messaging.sms.MemoryProvider"


@pytest.fixture(autouse=True)
def _sms_memory():
    MemoryProvider.reset()
    yield
    MemoryProvider.reset()


def routes_of(case):
    routes = case_routes(case)
    return (routes.default and routes.default.channel), [r.channel for r in routes.offered]


def test_a_social_customer_is_answered_through_the_integration_to_their_handle(
    complaints_team, admin_user, adviser
):
    social = integration(admin_user)
    case = contact_case("social", "x:1790012345", handle="@sampatel", email="sam@example.com")

    routes = case_routes(case)
    assert routes_of(case) == ("social", ["social", "email"])
    assert routes.default.label == "Social media, through Social inbox, to @sampatel"
    assert routes.reason == "The customer last wrote by social media."

    reply = message_send(case=case, actor=adviser, body="We have booked the engineer for Tuesday.")
    assert (reply.channel, reply.delivery, reply.email_message_id, reply.sender) == (
        "social",
        "queued",
        "",
        "",
    )
    outbox = OutboxItem.objects.get(message=reply)
    assert (outbox.connector, outbox.integration, outbox.destination) == ("webhook", social, "@sampatel")
    assert outbox.headers == {"In-Reply-To": "x:1790012345"}
    event = CaseEvent.objects.get(case=case, kind="reply_sent")
    assert event.after == {"message": reply.pk, "channel": "social"}


def test_the_acknowledgement_of_a_social_complaint_goes_the_same_way_from_a_batch(
    complaints_team, admin_user
):
    """Intake's batch routes the acknowledgement as message_send would route it one at a time."""
    social = integration(admin_user)
    contacts = [
        ContactIn(
            channel="social",
            external_id=f"post-{n}",
            customer={"name": f"P{n}", "handle": f"@p{n}"},
            text="Hi",
        )
        for n in range(2)
    ]
    results = intake_contacts(contacts)
    for n, result in enumerate(results):
        ack = Message.objects.get(case=result.case, purpose="acknowledgement")
        assert (ack.channel, ack.delivery) == ("social", "queued")
        assert (ack.outbox.connector, ack.outbox.integration, ack.outbox.destination) == (
            "webhook",
            social,
            f"@p{n}",
        )
        assert ack.outbox.headers == {"In-Reply-To": f"post-{n}"}
        one_by_one = case_routes(result.case, body=ack.body_text).default
        assert (one_by_one.connector, one_by_one.destination, one_by_one.in_reply_to) == (
            "webhook",
            f"@p{n}",
            f"post-{n}",
        )


def test_a_chat_customer_is_answered_in_their_conversation(complaints_team, admin_user, adviser):
    integration(admin_user, channels=["chat"], name="Web chat")
    case = contact_case("chat", "conv-77", phone="07700 900123")
    routes = case_routes(case)
    assert routes.default.label == "Chat, through Web chat, in their conversation"
    reply = message_send(case=case, actor=adviser, body="Sorry for the wait.")
    assert (reply.outbox.destination, reply.outbox.headers) == ("conv-77", {"In-Reply-To": "conv-77"})


def test_without_a_connector_for_their_channel_the_reply_goes_by_email_and_says_why(complaints_team, adviser):
    case = contact_case("social", "x:1", handle="@sampatel", email="sam@example.com")
    routes = case_routes(case)
    assert routes_of(case) == ("email", ["email"])
    assert routes.reason == (
        "The customer last wrote by social media, but no integration is switched on for social media: "
        "by email instead."
    )
    assert message_send(case=case, actor=adviser, body="Hello").outbox.destination == "sam@example.com"


def test_with_no_way_to_reach_them_the_reply_is_kept_not_sent_with_the_reason(complaints_team, adviser):
    """The fault this fixes: a social customer with no email got `no_address` and nothing else."""
    case = contact_case("social", "x:2", handle="@nomail")
    routes = case_routes(case)
    assert routes.default is None and routes.offered == ()
    assert routes.reason == (
        "Amends cannot send it: no integration is switched on for social media, and we have no email "
        "address for them. It is kept on the case; reach them another way."
    )
    reply = message_send(case=case, actor=adviser, body="Hello")
    assert (reply.channel, reply.delivery) == ("social", "no_address")
    assert not OutboxItem.objects.filter(message=reply).exists()


def test_the_writer_chooses_among_the_ways_open_and_not_another(
    complaints_team, admin_user, adviser, settings
):
    settings.AMENDS_SMS_PROVIDER = SMS
    integration(admin_user)
    case = contact_case("social", "x:3", handle="@sam", email="sam@example.com", phone="07700 900123")
    assert routes_of(case) == ("social", ["social", "email", "sms"])

    by_email = message_send(case=case, actor=adviser, body="By email, as you asked.", send_by="email")
    assert (by_email.channel, by_email.outbox.connector, by_email.outbox.destination) == (
        "email",
        "email",
        "sam@example.com",
    )
    by_text = message_send(case=case, actor=adviser, body="On our way.", send_by="sms")
    assert (by_text.channel, by_text.subject, by_text.outbox.destination) == ("sms", "", "+447700900123")

    before = Message.objects.count()
    with pytest.raises(DomainError) as refused:
        message_send(case=case, actor=adviser, body="Hello", send_by="chat")
    assert refused.value.code == "channel_unavailable"
    assert refused.value.message == (
        "This reply cannot go by Chat: there is no chat conversation of theirs on this case."
    )
    assert Message.objects.count() == before  # nothing kept, nothing sent


def test_sms_needs_a_provider_a_mobile_number_and_a_reply_that_fits(complaints_team, adviser, settings):
    case = contact_case("sms", "sms-1", phone="07700 900123")
    assert case_routes(case).missing["sms"] == "SMS is not set up"

    settings.AMENDS_SMS_PROVIDER = SMS
    settings.AMENDS_SMS_MAX_SEGMENTS = 2
    assert routes_of(case) == ("sms", ["sms"])
    assert case_routes(case).reason == "The customer last wrote by SMS."
    long_reply = "x" * 307  # three segments of 153
    too_long = case_routes(case, body=long_reply)
    assert too_long.default is None
    assert too_long.missing["sms"] == "it is too long for a text (3 parts; at most 2)"

    landline = contact_case("sms", "sms-2", phone="020 7946 0000")
    assert case_routes(landline).missing["sms"] == "we have no mobile number for them"


def test_mobile_numbers():
    assert mobile("07700 900123") == "+447700900123"  # Ofcom's drama range: unknown to the plan, still 07
    assert mobile("+44 7911 123456") == "+447911123456"
    assert mobile("020 7946 0000") is None
    assert mobile("not a number") is None


def test_files_go_by_email_only(complaints_team, admin_user, adviser):
    integration(admin_user)
    case = contact_case("social", "x:4", handle="@sam", email="sam@example.com")
    pdf = [AttachmentFile("letter.pdf", "application/pdf", b"%PDF-1.7")]
    assert case_routes(case, files=True).default.channel == "email"
    sent = message_send(case=case, actor=adviser, body="Our letter is attached.", attachments=pdf)
    assert (sent.channel, sent.outbox.connector) == ("email", "email")
    with pytest.raises(DomainError, match="files go by email only"):
        message_send(case=case, actor=adviser, body="Attached.", attachments=pdf, send_by="social")


def test_a_call_is_not_writing_and_the_case_without_any_message_goes_by_email(complaints_team, adviser):
    case = make_case(team=complaints_team, email="pat@example.com", channel="phone")
    message_log_contact(case=case, actor=adviser, channel="phone", direction="in", summary="Rang")
    routes = case_routes(case)
    assert routes_of(case) == ("email", ["email"])
    assert routes.reason == "The customer has not written on this case: email is the way to reach them."


def test_the_latest_message_decides_and_its_own_post_is_answered(complaints_team, admin_user, adviser):
    from amends.intake.services import intake_contact

    integration(admin_user)
    case = contact_case("email", "e-1", email="sam@example.com", handle="@sam")
    assert routes_of(case)[0] == "email"
    intake_contact(
        ContactIn(
            channel="social",
            external_id="x:99",
            customer={"name": "Sam Patel"},
            text="Any news?",
            case_reference=case.reference,
        )
    )
    route = case_routes(case).default
    assert (route.channel, route.destination, route.in_reply_to) == ("social", "@sam", "x:99")


def test_a_reply_sent_by_hand_is_recorded_and_never_sent(
    complaints_team, adviser, django_capture_on_commit_callbacks
):
    case = contact_case("sms", "sms-9", phone="07700 900123")
    with django_capture_on_commit_callbacks(execute=True):
        reply = message_send(
            case=case, actor=adviser, body="Texted from the team phone: engineer Tuesday.", sent_by_hand="sms"
        )
    assert (reply.channel, reply.delivery, reply.direction, reply.author) == (
        "sms",
        "by_hand",
        "out",
        adviser,
    )
    assert reply.get_delivery_display() == "Sent by hand"
    assert not OutboxItem.objects.filter(message=reply).exists()
    event = CaseEvent.objects.get(case=case, kind="reply_sent")
    assert event.after == {"message": reply.pk, "channel": "sms", "by_hand": True}
    with pytest.raises(DomainError, match="Say how you sent it"):
        message_send(case=case, actor=adviser, body="By pigeon", sent_by_hand="pigeon")
    with pytest.raises(DomainError, match="not both"):
        message_send(case=case, actor=adviser, body="Both", sent_by_hand="sms", send_by="email")
    assert Message.objects.filter(case=case, purpose="reply").count() == 1


def test_the_primary_email_is_the_one_used(complaints_team, adviser):
    customer, _ = customer_match_or_create(details=ContactDetails(name="Pat", email="old@example.com"))
    ContactPoint.objects.filter(customer=customer).update(is_primary=False)
    customer_match_or_create(
        details=ContactDetails(name="Pat", email="old@example.com", phone="07700 900555")
    )
    ContactPoint.objects.create(
        customer=customer,
        kind="email",
        value="new@example.com",
        normalised="new@example.com",
        is_primary=True,
        created_at=customer.created_at,
    )
    case = make_case(team=complaints_team, email="old@example.com")
    assert case_routes(case).default.destination == "new@example.com"
