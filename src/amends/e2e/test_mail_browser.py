"""In chromium, with the mail server stalled: the public form answers at once (the acknowledgement waits in
the outbox), the team leader finds the undelivered mail from the queue, and once the server recovers the
worker sends it, once."""

import re

import pytest
from django.utils import timezone

from amends.messaging.tasks import send_outbox
from amends.messaging.tests.smtp import connections_waiting, smtp_server, stalled_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stalled_mail_server_never_holds_up_the_form_and_its_mail_goes_once_it_recovers(
    page, live_server, team_leader, settings
):
    from amends.conftest import PASSWORD

    settings.SITE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 0.5
    settings.AMENDS_OUTBOX_RETRY_FIRST_SECONDS = 0  # retry at once: the test runs in real time
    page.set_default_timeout(5000)  # sending in the request would wait on the stalled server
    with stalled_server() as stalled, smtp_server() as (mailbox, port):
        settings.EMAIL_PORT = stalled.getsockname()[1]
        page.goto(f"{live_server.url}/complain/")
        page.get_by_label("Your name").fill("Morgan Ellis")
        page.get_by_label("Email address").fill("morgan.ellis@example.com")
        page.get_by_label("What is it about?").fill("Boiler still broken")
        page.get_by_label("What happened, and how has it affected you?").fill("No hot water for a week.")
        page.get_by_label("What would you like us to do to put it right?").fill("Replace the boiler")
        page.get_by_role("button", name="Send complaint").click()
        page.wait_for_url(re.compile(r"/status/"))
        reference = re.search(r"AM-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)
        assert connections_waiting(stalled) == 0

        assert send_outbox(timezone.now()) == 1  # the worker waits EMAIL_TIMEOUT, then backs off
        assert connections_waiting(stalled) == 1

        page.goto(f"{live_server.url}/")
        page.get_by_label("Username").fill(team_leader.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/queue/"))
        page.get_by_label("Risk").select_option(label="Email not delivered")
        page.get_by_role("button", name="Apply", exact=True).click()
        page.get_by_role("link", name=reference).click()
        page.get_by_text("Not sent yet: retrying").first.wait_for()
        assert "Email to morgan.ellis@example.com: 1 attempt" in page.content()

        settings.EMAIL_PORT = port  # the server is back
        assert send_outbox(timezone.now()) == 1
        assert send_outbox(timezone.now()) == 0
        page.reload()
        assert "Not sent yet: retrying" not in page.content() and "delivery-sent" in page.content()
        assert [e["To"] for e in mailbox.received] == ["morgan.ellis@example.com"]
        assert reference in mailbox.received[0]["Subject"]


def test_an_adviser_sends_again_an_email_the_outbox_gave_up_on(page, live_server, complaints_team, adviser):
    """The customer's mailbox refused the reply for good; once it is sorted, Ada clicks "Send again" on the
    case timeline, and the worker's next step sends it, once."""
    from django.core import mail

    from amends.cases.tests.factories import make_case
    from amends.e2e.conftest import sign_in
    from amends.messaging.mailer import Attempt
    from amends.messaging.models import Message
    from amends.messaging.services import message_send, outbox_record

    case = make_case(team=complaints_team, owner=adviser, email="pat@example.com")
    message = message_send(case=case, actor=adviser, body="We have booked the engineer for Tuesday.")
    outbox_record(
        [Attempt(message.outbox.pk, "SMTPRecipientsRefused: 550 5.1.1 No such mailbox", True)],
        at=timezone.now(),
    )

    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    item = page.locator(f"#message-{message.pk}")
    item.get_by_text("Not sent: gave up").wait_for()
    assert "No such mailbox" in item.inner_text()
    item.get_by_role("button", name="Send again").click()

    page.get_by_text("The email is back in the outbox").wait_for()
    page.get_by_text("Email queued again for pat@example.com").wait_for()
    assert page.locator(f"#message-{message.pk}").get_by_text("Queued").is_visible()
    assert page.get_by_role("button", name="Send again").count() == 0

    assert send_outbox(timezone.now()) == 1 and send_outbox(timezone.now()) == 0
    # The customer's email, once; and the adviser was emailed the urgent "not sent" notification once.
    notices = [e.to for e in mail.outbox if "X-Amends-Notification" in e.extra_headers]
    assert [e.to for e in mail.outbox if "X-Amends-Notification" not in e.extra_headers] == [
        ["pat@example.com"]
    ]
    assert notices == [["ada@staff.example"]]
    assert Message.objects.get(pk=message.pk).delivery == "sent"
