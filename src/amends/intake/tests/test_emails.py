"""intake_email end to end against the corpus in ./emails: cases, customers, sources, acknowledgements."""

from __future__ import annotations

import hashlib
import random
import re
from datetime import UTC, datetime

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.core.errors import DomainError, InputTooLarge, MalformedInput
from amends.customers.models import ContactPoint, Customer
from amends.intake import emails
from amends.intake.mime import parse_email
from amends.intake.models import HeldEmail
from amends.intake.services import HeldResult, intake_email, split_mbox
from amends.messaging.models import Attachment, Message, MessageSource
from amends.messaging.tasks import send_outbox

from .corpus import EMAILS, deadline, eml

pytestmark = pytest.mark.django_db

# What the reply fixture holds where the real acknowledgement Message-ID and case reference go.
FIXTURE_ACK_ID = b"<176337084512.40123.9051725593815502431@amends.example>"
FIXTURE_REFERENCE = b"AM-2026-000001"

CORPUS = [
    "gmail_alternative.eml",
    "html_only_script.eml",
    "outlook_quoted_printable.eml",
    "android_base64.eml",
    "windows_live_1252.eml",
    "docomo_iso2022jp.eml",
    "apple_mail_encoded_words.eml",
    "thunderbird_latin1.eml",
    "thunderbird_attachments.eml",
    "thunderbird_forwarded.eml",
    "gmail_reply.eml",
    "iphone_reference_subject.eml",
    "outlook_reference_stranger.eml",
    "scanner_no_message_id.eml",
    "unknown_charset.eml",
    "outlook_long_subject.eml",
]


@pytest.fixture
def receive(django_capture_on_commit_callbacks):
    """intake_email as the mailbox runs it, committed, then the worker's outbox step, so the
    acknowledgement really goes out."""

    def run(raw: bytes):
        with django_capture_on_commit_callbacks(execute=True):
            message = intake_email(raw)
        send_outbox(timezone.now())
        return message

    return run


def counts() -> dict[str, int]:
    models = [Customer, ContactPoint, Case, Message, MessageSource, Attachment]
    found = {model.__name__: model.objects.count() for model in models}
    # What the signals analyser finds depends on the words; intake's own events are what is counted here.
    found["CaseEvent"] = CaseEvent.objects.exclude(kind="signals_found").count()
    return found


def header(raw: bytes, name: bytes, value: bytes | None) -> bytes:
    """Replace (or with None remove) one header, folded continuation lines included."""
    pattern = re.compile(rb"^" + re.escape(name) + rb":[^\n]*\n(?:[ \t][^\n]*\n)*", re.I | re.M)
    assert pattern.search(raw), name
    return pattern.sub(b"" if value is None else name + b": " + value + b"\r\n", raw, count=1)


# --- a new email ------------------------------------------------------------------------------------


def test_new_email_opens_one_case_keeps_source_and_attachments_and_acknowledges(receive):
    raw = eml("thunderbird_attachments.eml")
    result = receive(raw)

    assert result.created_case is True and result.duplicate is False
    case = Case.objects.get()
    assert result.case == case
    assert case.channel == "email" and case.kind == django_settings.AMENDS_EMAIL_DEFAULT_KIND
    assert case.summary == "You sent my CV to another applicant"
    assert case.customer.name == "Lucie Moreau"
    assert list(case.customer.contact_points.values_list("kind", "normalised")) == [
        ("email", "lucie.moreau@laposte.net")
    ]

    inbound = Message.objects.get(direction=Message.Direction.INBOUND)
    assert inbound == result.message and inbound.case == case and inbound.customer == case.customer
    assert inbound.channel == "email"
    assert inbound.subject == "You sent my CV to another applicant"
    assert inbound.sender == "Lucie Moreau <lucie.moreau@laposte.net>"
    assert inbound.body_text.startswith("Hello,\n\nAnother applicant has told me she received my CV")
    assert inbound.email_message_id == "<b7d1e0c4-3a92-4f1e-9d3b-2c6a8e5f7a10@laposte.net>"
    assert inbound.idempotency_key == "email:<b7d1e0c4-3a92-4f1e-9d3b-2c6a8e5f7a10@laposte.net>"
    assert inbound.occurred_at == datetime(2026, 11, 12, 20, 12, 45, tzinfo=UTC)  # the Date header

    source = MessageSource.objects.get(message=inbound)
    assert bytes(source.raw) == raw
    assert source.content_type == "message/rfc822"

    pdf = (EMAILS / "attachments" / "resume.pdf").read_bytes()
    png = (EMAILS / "attachments" / "receipt.png").read_bytes()
    stored = list(inbound.attachments.order_by("id"))
    assert [(a.filename, a.content_type, a.size, a.sha256) for a in stored] == [
        ("résumé.pdf", "application/pdf", len(pdf), hashlib.sha256(pdf).hexdigest()),
        ("receipt.png", "image/png", len(png), hashlib.sha256(png).hexdigest()),
    ]
    assert bytes(stored[0].content) == pdf and bytes(stored[1].content) == png

    ack = Message.objects.get(direction=Message.Direction.OUTBOUND)
    assert ack.purpose == "acknowledgement" and ack.case == case
    assert ack.delivery == Message.Delivery.SENT
    assert re.fullmatch(r"<[^<>@\s]+@amends\.example>", ack.email_message_id)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["lucie.moreau@laposte.net"]
    assert case.reference in sent.subject and case.reference in sent.body
    assert case.public_token in sent.body  # the status link
    headers = sent.message()
    assert headers["Message-ID"] == ack.email_message_id
    assert headers["In-Reply-To"] == inbound.email_message_id  # threads in the customer's mail client
    # Signals found in the message add their own event (amends.signals); the intake's own are these two.
    kinds = sorted(case.events.exclude(kind="signals_found").values_list("kind", flat=True))
    assert kinds == ["acknowledgement_sent", "opened"]
    assert counts() == {
        "Customer": 1,
        "ContactPoint": 1,
        "Case": 1,
        "CaseEvent": 2,
        "Message": 2,
        "MessageSource": 1,
        "Attachment": 2,
    }


@pytest.mark.parametrize("name", CORPUS)
def test_every_corpus_email_is_stored_as_parsed_with_its_source(receive, name):
    raw = eml(name)
    parsed = parse_email(raw)
    result = receive(raw)
    message = Message.objects.get(pk=result.message.pk)
    assert bytes(message.source.raw) == raw
    assert message.subject == parsed.subject[:300]
    assert message.body_text == parsed.text and message.body_text
    assert message.body_html == parsed.html
    assert message.email_message_id == parsed.message_id
    assert message.attachments.count() == len(parsed.attachments)
    assert result.case.customer.name == (parsed.from_name or parsed.from_address)
    assert [m.to for m in mail.outbox] == [[parsed.from_address]]


def test_decoded_names_and_subjects_reach_the_case():
    result = intake_email(eml("docomo_iso2022jp.eml"))
    assert result.case.customer.name == "佐藤 花子"
    assert result.case.summary == "請求金額の誤りについて"
    assert "５，８００円請求されました" in result.message.body_text
    result = intake_email(eml("apple_mail_encoded_words.eml"))
    assert result.case.customer.name == "Zoë Brückner"
    assert result.message.sender == "Zoë Brückner <zoe.bruckner@icloud.com>"
    assert result.case.summary == "Refund still not received — third request ☹ (order #58213)"


def test_a_date_in_the_future_is_recorded_as_now():
    raw = header(eml("scanner_no_message_id.eml"), b"Date", b"Fri, 01 Jan 2100 00:00:00 +0000")
    before = timezone.now()
    message = intake_email(raw).message
    assert before <= message.occurred_at <= timezone.now()


# --- the same email again ---------------------------------------------------------------------------


def test_the_same_email_twice_is_one_message(receive):
    raw = eml("gmail_alternative.eml")
    first = receive(raw)
    after_first = counts()
    again = receive(raw)
    assert again.duplicate is True and again.created_case is False
    assert again.message == first.message and again.case == first.case
    assert counts() == after_first
    assert len(mail.outbox) == 1  # no second acknowledgement
    # Exported later from a mailbox with Unix line endings: other bytes, same Message-ID, same message.
    lf = receive(raw.replace(b"\r\n", b"\n"))
    assert lf.duplicate is True and lf.message == first.message
    assert counts() == after_first


def test_without_message_id_the_same_bytes_are_deduplicated_by_hash(receive):
    raw = eml("scanner_no_message_id.eml")
    first = receive(raw)
    assert first.message.email_message_id == ""
    assert first.message.idempotency_key == f"sha256:{hashlib.sha256(raw).hexdigest()}"
    after_first = counts()
    again = receive(raw)
    assert again.duplicate is True and again.message == first.message
    assert counts() == after_first
    assert len(mail.outbox) == 1
    # A different email without a Message-ID is not mistaken for it.
    other = receive(raw.replace(b"three different dates", b"four different dates"))
    assert other.duplicate is False and other.message != first.message
    assert Message.objects.filter(direction="in").count() == 2


# --- threading --------------------------------------------------------------------------------------


def _sent_message_id(index: int = 0) -> bytes:
    """The Message-ID header of an email Amends sent, as the customer's mail client saw it."""
    return mail.outbox[index].message()["Message-ID"].encode()


def test_a_reply_to_the_acknowledgement_joins_the_case(receive):
    first = receive(eml("gmail_alternative.eml"))
    ack = Message.objects.get(purpose="acknowledgement")
    assert _sent_message_id() == ack.email_message_id.encode()
    reply = (
        eml("gmail_reply.eml")
        .replace(FIXTURE_ACK_ID, _sent_message_id())
        .replace(FIXTURE_REFERENCE, first.case.reference.encode())
    )
    result = receive(reply)
    assert result.case == first.case
    assert result.created_case is False and result.duplicate is False
    assert Case.objects.count() == 1 and Customer.objects.count() == 1
    assert list(first.case.messages.filter(direction="in").order_by("occurred_at")) == [
        first.message,
        result.message,
    ]
    assert result.message.body_text.startswith("Here is the meter reading you asked for: 04412.")
    assert len(mail.outbox) == 1  # a reply is not acknowledged again


def test_in_reply_to_alone_threads_even_from_another_address(receive):
    first = receive(eml("gmail_alternative.eml"))
    # Only In-Reply-To links this reply: no References, no usable reference, and sent from a work account.
    reply = header(eml("gmail_reply.eml"), b"References", None)
    reply = reply.replace(FIXTURE_REFERENCE, b"AM-1999-000042")
    reply = reply.replace(b"sarah.oneill@gmail.com", b"s.oneill@northwind-legal.example")
    linked = receive(reply.replace(FIXTURE_ACK_ID, _sent_message_id()))
    assert linked.case == first.case and linked.created_case is False
    assert linked.message.customer == first.case.customer
    # The same email answering a Message-ID Amends never sent opens a case of its own.
    unlinked = header(reply, b"Message-ID", b"<CAJ7qL0other@mail.gmail.com>")
    result = receive(unlinked)
    assert result.created_case is True and result.case != first.case


def test_a_case_reference_in_the_subject_from_the_customer_joins_the_case(receive):
    first = receive(eml("gmail_alternative.eml"))
    raw = eml("iphone_reference_subject.eml")
    assert b"In-Reply-To" not in raw and b"References" not in raw
    # Typed by hand from her phone, with her address capitalised differently: still her.
    assert b"From: Sarah O'Neill <Sarah.ONeill@gmail.com>" in raw
    result = receive(raw.replace(FIXTURE_REFERENCE, first.case.reference.encode()))
    assert result.case == first.case and result.created_case is False
    assert Case.objects.count() == 1 and Customer.objects.count() == 1
    assert first.case.messages.filter(direction="in").count() == 2


def test_a_case_reference_from_a_different_address_opens_a_new_case(receive):
    first = receive(eml("gmail_alternative.eml"))
    messages_before = list(first.case.messages.values_list("pk", flat=True))
    raw = eml("outlook_reference_stranger.eml").replace(FIXTURE_REFERENCE, first.case.reference.encode())
    assert first.case.reference.encode() in raw
    result = receive(raw)
    assert result.created_case is True
    assert result.case != first.case
    assert result.case.customer != first.case.customer
    assert result.case.customer.name == "Dave Smith"
    assert list(first.case.messages.values_list("pk", flat=True)) == messages_before
    assert result.case.summary == "add this to the case please"
    # The stranger hears about his own new case and nothing about Sarah's.
    assert len(mail.outbox) == 2
    to_stranger = mail.outbox[1]
    assert to_stranger.to == ["dave.smith@hotmail.co.uk"]
    assert result.case.reference in to_stranger.subject
    assert first.case.reference not in to_stranger.subject + to_stranger.body
    assert first.case.public_token not in to_stranger.body


def test_one_address_is_one_customer_across_separate_emails(receive):
    first = receive(eml("gmail_alternative.eml"))
    raw = eml("iphone_reference_subject.eml").replace(
        b"Subject: Still waiting - AM-2026-000001", b"Subject: Another problem: my meter"
    )
    second = receive(raw.replace(b"From: Sarah O'Neill", b"From: S O'Neill"))
    assert second.created_case is True and second.case != first.case
    assert Customer.objects.count() == 1
    assert second.case.customer == first.case.customer
    assert ContactPoint.objects.filter(kind="email").count() == 1
    assert [m.to for m in mail.outbox] == [["sarah.oneill@gmail.com"], ["sarah.oneill@gmail.com"]]


# --- refused, or held for review ---------------------------------------------------------------------


def test_an_empty_email_is_refused_and_changes_nothing(receive):
    receive(eml("gmail_alternative.eml"))
    before = counts()
    with pytest.raises(MalformedInput) as caught:
        receive(b" \r\n")
    assert caught.value.code == "malformed" and "empty" in caught.value.message
    assert counts() == before and HeldEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(random.Random(7).randbytes(2048), "no header lines", id="random-bytes"),
        pytest.param((EMAILS / "pasted_letter.txt").read_bytes(), "no header lines", id="no-header-lines"),
        pytest.param((EMAILS / "cron_no_sender.eml").read_bytes(), "no readable sender", id="no-sender"),
        pytest.param(
            b"From: " + b"j" * 250 + b"@example.com\r\n\r\nx\r\n", "does not look valid", id="bad-address"
        ),
    ],
)
def test_an_email_that_cannot_be_read_is_held_raw_not_lost(receive, raw, reason):
    receive(eml("gmail_alternative.eml"))
    before = counts()
    result = receive(raw)
    assert isinstance(result, HeldResult) and not result.duplicate
    assert reason in result.reason
    assert counts() == before  # no case, customer or message: nothing half-stored
    assert len(mail.outbox) == 1  # and nobody acknowledged
    held = HeldEmail.objects.get()
    assert bytes(held.raw) == raw and held.status == HeldEmail.Status.HELD and held.reason == result.reason
    again = receive(raw)
    assert isinstance(again, HeldResult) and again.duplicate and again.held == held


def test_over_the_size_limit_is_refused_and_changes_nothing(receive, settings):
    receive(eml("gmail_alternative.eml"))
    before = counts()
    raw = eml("thunderbird_attachments.eml")
    settings.AMENDS_MAX_EMAIL_BYTES = len(raw) - 1
    with pytest.raises(InputTooLarge) as caught:
        receive(raw)
    assert caught.value.code == "too_large" and caught.value.http_status == 413
    assert counts() == before
    settings.AMENDS_MAX_EMAIL_BYTES = len(raw)  # exactly at the limit is fine
    assert receive(raw).created_case is True


def test_a_50_mb_email_is_refused_before_it_is_parsed(receive, monkeypatch):
    receive(eml("gmail_alternative.eml"))
    before = counts()
    huge = eml("scanner_no_message_id.eml") + b"x" * 50_000_000
    assert len(huge) > django_settings.AMENDS_MAX_EMAIL_BYTES

    def must_not_parse(raw):
        raise AssertionError("a too-large email was parsed")

    monkeypatch.setattr(emails, "parse_email", must_not_parse)
    with pytest.raises(InputTooLarge, match="50,000,"):
        receive(huge)
    assert counts() == before
    assert len(mail.outbox) == 1


def test_hostile_mime_never_escapes_as_anything_but_a_domain_error():
    """Corpus emails with their MIME headers mangled: each is stored or refused, never a crash or a hang."""
    rng = random.Random(20261122)
    seeds = [eml(name) for name in ("thunderbird_attachments.eml", "thunderbird_forwarded.eml")]
    tokens = b"=? ?= \" ; *= '' \x00 \xff < @ : name* filename* charset=utf-\x00 boundary= %".split(b" ")
    tokens += [b"\r\n", b"\r\n ", b"x" * 120]
    header_field = re.compile(rb"^(Content-Type|Content-Disposition|From|To|Subject):", re.M)
    outcomes = {"stored": 0, "refused": 0, "held": 0}
    for _ in range(150):
        raw = bytearray(rng.choice(seeds))
        fields = [m.end() for m in header_field.finditer(raw)]
        for _ in range(rng.randint(1, 4)):
            at = min(rng.choice(fields) + rng.randrange(80), len(raw))
            raw[at:at] = rng.choice(tokens)
        try:
            with deadline(5):
                result = intake_email(bytes(raw))
        except DomainError:
            outcomes["refused"] += 1
        else:
            outcomes["held" if isinstance(result, HeldResult) else "stored"] += 1
    assert outcomes["stored"] > 0 and sum(outcomes.values()) == 150


# --- size of fields ---------------------------------------------------------------------------------


def test_a_2000_character_subject_is_stored_cut_to_300_and_kept_whole_in_the_source(receive):
    raw = eml("outlook_long_subject.eml")
    subject = parse_email(raw).subject
    assert len(subject) == 2000
    result = receive(raw)
    message = Message.objects.get(pk=result.message.pk)
    assert len(message.subject) == 300 and message.subject == subject[:300]
    assert len(result.case.summary) <= 300 and subject.startswith(result.case.summary)
    source = bytes(message.source.raw)
    assert source == raw
    assert b"nobody ever does.\r\n I have now called" in source  # a fold well past character 300


def test_a_script_in_html_never_reaches_body_html(receive):
    raw = eml("html_only_script.eml")
    result = receive(raw)
    message = Message.objects.get(pk=result.message.pk)
    html = message.body_html.lower()
    assert "<script" not in html and "onclick" not in html and "<img" not in html
    assert "javascript:" not in html and "tracker.example" not in html
    assert "<b>12 november</b>" in html
    assert "alert" not in message.body_text and "document.cookie" not in message.body_text
    assert b"<script>alert('xss')</script>" in bytes(message.source.raw)  # the original is evidence


# --- mbox -------------------------------------------------------------------------------------------


def test_split_mbox_gives_three_messages_with_from_lines_unquoted():
    data = eml("three.mbox")
    messages = split_mbox(data)
    assert len(messages) == 3
    assert [parse_email(m).subject for m in messages] == [
        "Direct debit taken twice",
        "Heating",
        "Rude call handler",
    ]
    assert not any(m.startswith(b"From ") for m in messages)
    assert messages[0].endswith(b"My direct debit was taken twice on 1 November.\n")
    heating = messages[1]
    assert b"\nFrom the day I moved in, the heating has not worked.\n" in heating
    assert b">From the day" not in heating
    assert b"\n>From now on, repairs take 28 days.\n" in heating  # mboxrd: one level of quoting removed
    assert b">>From" not in heating
    # The same mailbox with Windows line endings splits the same way.
    assert [m.replace(b"\r\n", b"\n") for m in split_mbox(data.replace(b"\n", b"\r\n"))] == messages


def test_an_mbox_imports_as_three_cases(receive):
    results = [receive(m) for m in split_mbox(eml("three.mbox"))]
    assert [r.created_case for r in results] == [True, True, True]
    assert Case.objects.count() == 3 and len(mail.outbox) == 3
    assert results[1].message.body_text.startswith("Hello,\n\nFrom the day I moved in")


def _many_attachments(n: int) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Ana Lopez <ana@example.org>"
    msg["To"] = "complaints@example.com"
    msg["Subject"] = "Photos of the damp"
    msg["Message-ID"] = f"<many-{n}@example.org>"
    msg.set_content("Here are the photos.")
    for i in range(n):
        msg.add_attachment(f"photo {i}".encode(), maintype="image", subtype="jpeg", filename=f"p{i}.jpg")
    return msg.as_bytes()


def test_attachments_past_the_cap_stay_in_the_raw_email_and_the_message_says_so(receive, settings):
    settings.AMENDS_MAX_ATTACHMENTS = 5
    raw = _many_attachments(12)
    result = receive(raw)
    message = result.message
    assert Attachment.objects.filter(message=message).count() == 5
    assert "7 more attachments than Amends extracts (5)" in message.body_text
    assert bytes(MessageSource.objects.get(message=message).raw) == raw  # nothing lost
    parsed = parse_email(raw, max_attachments=5)
    assert [a.filename for a in parsed.attachments] == [f"p{i}.jpg" for i in range(5)]
    assert parsed.attachments_left_out == 7


def test_under_the_cap_nothing_is_said(receive, settings):
    settings.AMENDS_MAX_ATTACHMENTS = 5
    result = receive(_many_attachments(5))
    assert Attachment.objects.filter(message=result.message).count() == 5
    assert "more attachment" not in result.message.body_text
