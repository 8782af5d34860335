"""Texts: how long a text is in segments, and the SMS connector through the provider interface's test double
(a refusal for good gives up, any other failure is tried again and spares the rest of the batch)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from amends.messaging.models import OutboxItem
from amends.messaging.services import message_send
from amends.messaging.sms import FileProvider, MemoryProvider, SmsError, length
from amends.messaging.tasks import send_outbox

from .channels import contact_case

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def provider(settings, time_machine):
    time_machine.move_to(T0, tick=False)
    settings.AMENDS_SMS_PROVIDER = "amends.messaging.sms.MemoryProvider"
    MemoryProvider.reset()
    yield MemoryProvider
    MemoryProvider.reset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("GSM-7", 0, 1)),
        ("a" * 160, ("GSM-7", 160, 1)),
        ("a" * 161, ("GSM-7", 161, 2)),  # joined: 153 a segment
        ("a" * 306, ("GSM-7", 306, 2)),
        ("a" * 307, ("GSM-7", 307, 3)),
        ("£10 refund, café é ñ Ø @", ("GSM-7", 24, 1)),  # all in the GSM alphabet
        ("€" * 80, ("GSM-7", 160, 1)),  # extension characters count two
        ("€" * 81, ("GSM-7", 162, 2)),
        ("b" * 69 + "’", ("UCS-2", 70, 1)),  # a curly quote: the whole text goes as UCS-2
        ("b" * 70 + "’", ("UCS-2", 71, 2)),  # joined: 67 a segment
        ("🙂" * 35, ("UCS-2", 70, 1)),  # an emoji is two UTF-16 units
        ("ç" * 135, ("UCS-2", 135, 3)),  # ç is not in the alphabet (only Ç is)
    ],
)
def test_length_in_segments(text, expected):
    size = length(text)
    assert (size.encoding, size.units, size.segments) == expected


def texts(adviser, count=1):
    cases = [contact_case("sms", f"sms-{n}", phone=f"07700 90012{n}") for n in range(count)]
    return [message_send(case=case, actor=adviser, body="Engineer booked for Tuesday.") for case in cases]


def states(messages):
    rows = OutboxItem.objects.select_related("message").filter(message__in=messages).order_by("pk")
    return [(r.message.delivery, r.attempts, r.last_error) for r in rows]


@pytest.mark.django_db
def test_a_reply_to_a_texter_goes_as_a_text(complaints_team, adviser, provider):
    (reply,) = texts(adviser)
    assert send_outbox(timezone.now()) == 2  # the acknowledgement went as a text too
    ack, sent = provider.sent
    assert ack.to == "+447700900120" and "We have received your complaint" in ack.text
    assert (sent.to, sent.text, sent.reference) == (
        "+447700900120",
        "Engineer booked for Tuesday.",
        str(reply.pk),
    )
    assert states([reply]) == [("sent", 1, "")]


@pytest.mark.django_db
def test_a_refusal_for_good_gives_up_and_a_failure_is_tried_again(complaints_team, adviser, provider):
    replies = texts(adviser, 2)
    send_outbox(timezone.now())  # the acknowledgements and the replies: four texts
    provider.sent.clear()
    OutboxItem.objects.filter(message__in=replies).update(next_attempt_at=T0, attempts=0)
    provider.failures[:] = [SmsError("number cannot take texts", permanent=True)]
    send_outbox(timezone.now())
    assert states(replies) == [("failed", 1, "SMS refused: number cannot take texts"), ("sent", 1, "")]


@pytest.mark.django_db
def test_a_provider_that_fails_is_not_asked_again_in_the_batch(complaints_team, adviser, provider):
    replies = texts(adviser, 2)
    OutboxItem.objects.exclude(message__in=replies).delete()  # the acknowledgements are not the point here
    provider.failures[:] = [TimeoutError("gateway timed out")]
    send_outbox(timezone.now())
    assert states(replies) == [
        ("retrying", 1, "SMS provider failed: TimeoutError: gateway timed out"),
        ("retrying", 1, "SMS provider failed: TimeoutError: gateway timed out"),
    ]
    assert provider.sent == []


@pytest.mark.django_db
def test_with_sms_no_longer_set_up_a_queued_text_waits(complaints_team, adviser, provider, settings):
    (reply,) = texts(adviser)
    settings.AMENDS_SMS_PROVIDER = ""
    send_outbox(timezone.now())
    assert states([reply]) == [("retrying", 1, "SMS is not set up (AMENDS_SMS_PROVIDER)")]


def test_the_file_provider_writes_each_text_to_a_file(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    name = FileProvider().send(to="+447700900123", text="Hello", reference="42")
    assert (tmp_path / "sms" / name).read_text() == "To: +447700900123\nReference: 42\n\nHello\n"
