"""The demo's team mailbox, and the automatic mail a complaints mailbox gets: a bounce, an out-of-office
reply and a stray bounce, each delivered through intake as any email is (`intake_email`).

The mailbox points at a server that does not exist (imap.example.org) and is switched off: the
administrator's Mailboxes page shows what a configured one looks like, and nothing tries to reach it.
The mail shows what intake does with mail no person wrote: one acknowledgement marked "Not delivered:
bounced" (its case in the "Email not delivered" filter), an automatic reply on another case that changed
nothing there, and a bounce of nobody's email set aside on the Held email page.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime
from typing import Any

from django.db.models import Count

from amends.intake.mailboxes import mailbox_add
from amends.intake.schemas import MailboxIn
from amends.intake.services import intake_email
from amends.messaging.models import Message, OutboxItem

PASSWORD_ENV = "AMENDS_IMAP_PASSWORD_COMPLAINTS"


def demo_mailbox(admin: Any) -> None:
    mailbox_add(
        data=MailboxIn(
            name="Complaints inbox",
            host="imap.example.org",
            port=993,
            security="tls",
            username="complaints@example.org",
            password_env=PASSWORD_ENV,
            team="complaints",
            enabled=False,
        ),
        actor=admin,
    )


def demo_automatic_mail() -> None:
    """Two acknowledgements sent by email (not by SMS or an integration), of cases with room on their
    timeline: the first bounces, the second's customer is away."""
    acks = list(
        Message.objects.filter(
            purpose="acknowledgement",
            delivery=Message.Delivery.SENT,
            outbox__connector=OutboxItem.Connector.EMAIL,
        )
        .annotate(on_case=Count("case__messages"))
        .filter(on_case__lte=4)
        .select_related("outbox", "case")
        .order_by("occurred_at", "pk")[:2]
    )
    if len(acks) < 2:
        return
    bounced, answered = acks
    intake_email(_bounce(bounced, bounced.email_message_id, "1"))
    intake_email(_out_of_office(answered))
    intake_email(_bounce(bounced, "<4f1c9a2e.7731@mail.example.net>", "2"))  # nobody's: set aside


def _bounce(message: Message, returned_id: str, n: str) -> bytes:
    to = message.outbox.destination
    at = format_datetime(message.occurred_at + timedelta(minutes=2))
    return (
        f"Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n"
        f"To: complaints@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: {at}\r\n"
        f"Message-ID: <demo-bounce-{n}.{message.pk}@mx.example.net>\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        f"--b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.example.net.\r\n\r\n"
        f"I'm sorry to have to inform you that your message could not be delivered to one or more "
        f"recipients.\r\n\r\n<{to}>: host mx.example.net said: 550 5.1.1 User unknown\r\n\r\n"
        f"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <{to}>: Recipient address rejected: User unknown\r\n\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: complaints@example.org\r\nTo: {to}\r\n"
        f"Subject: {message.subject}\r\nMessage-ID: {returned_id}\r\n\r\n--b--\r\n"
    ).encode()


def _out_of_office(message: Message) -> bytes:
    customer = message.case.customer
    at = format_datetime(message.occurred_at + timedelta(minutes=1))
    return (
        f"From: {customer.name} <{message.outbox.destination}>\r\nTo: complaints@example.org\r\n"
        f"Subject: Automatic reply: {message.subject}\r\nDate: {at}\r\n"
        f"Message-ID: <demo-away.{message.pk}@example.net>\r\nIn-Reply-To: {message.email_message_id}\r\n"
        f"Auto-Submitted: auto-replied\r\n\r\n"
        f"Thank you for your email. I am away until next Monday with limited access to email, and will "
        f"reply when I am back.\r\n"
    ).encode()
