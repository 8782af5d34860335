"""In chromium: replies on the customer's channel (CFACSC7 K13).

Sam posted a complaint on social media, with no email address: before this, a reply to Sam was kept and
sent nowhere. Ana (administrator) adds the organisation's social inbox as an integration on its page; Ada
(adviser) opens Sam's case, where the reply form says the reply goes through it, and sends; the worker
posts it to the integration, a receiver on loopback started here, which checks the signature itself.
Ada also records a reply she texted herself, and chooses email over the customer's channel.
"""

import pytest
from django.utils import timezone

from amends.e2e.conftest import sign_in, sign_out
from amends.messaging.models import Integration, Message, OutboxItem
from amends.messaging.tasks import send_outbox
from amends.messaging.tests.channels import contact_case
from amends.messaging.tests.receiver import webhook_receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reply_to_a_social_media_customer_goes_out_through_the_webhook(
    page, live_server, complaints_team, adviser, admin_user
):
    case = contact_case("social", "x:1790012345", handle="@sampatel", text="Third week with no hot water.")
    assert Message.objects.get(case=case, purpose="acknowledgement").delivery == "no_address"  # the old fault

    with webhook_receiver(secret="not known yet") as receiver:
        sign_in(page, live_server.url, admin_user)
        page.get_by_role("link", name="Integrations").click()
        add = page.locator("form", has=page.get_by_role("button", name="Add integration"))
        add.get_by_label("Name").fill("Social inbox")
        add.get_by_label("Social media").check()
        add.get_by_label("URL replies are posted to").fill(receiver.url)
        page.get_by_role("button", name="Add integration").click()
        page.get_by_text("Social inbox added").wait_for()
        receiver.secret = page.locator("#made-secret").inner_text()  # shown once, copied into the receiver
        assert Integration.objects.get().secret == receiver.secret
        sign_out(page)

        sign_in(page, live_server.url, adviser)
        page.goto(f"{live_server.url}/cases/{case.reference}/")
        route = page.get_by_label("Social media, through Social inbox, to @sampatel")
        assert route.is_checked()
        assert page.get_by_text("The customer last wrote by social media.").is_visible()
        page.get_by_role("textbox", name="Message").fill("Sorry, Sam. An engineer comes on Tuesday morning.")
        page.get_by_role("button", name="Send reply").click()
        page.get_by_text("Reply sent: it goes by social media").wait_for()

        assert send_outbox(timezone.now()) == 1  # the worker's step
        (posted,) = receiver.received
        assert posted.signed
        assert posted.json["text"] == "Sorry, Sam. An engineer comes on Tuesday morning."
        assert (posted.json["to"], posted.json["in_reply_to"]) == ("@sampatel", "x:1790012345")
        assert posted.json["case_reference"] == case.reference

    page.reload()
    reply = Message.objects.get(case=case, purpose="reply")
    item = page.locator(f"#message-{reply.pk}")
    assert item.locator(".delivery-sent").inner_text() == "Sent"
    assert "Social media" in item.inner_text()
    assert page.get_by_text("Sent the reply by social media").is_visible()


def test_an_adviser_records_a_reply_sent_by_hand_and_chooses_email_over_the_customer_channel(
    page, live_server, complaints_team, adviser, admin_user
):
    case = contact_case("social", "x:42", handle="@jo", email="jo@example.com", text="Where is my refund?")
    Integration.objects.create(
        name="Social inbox",
        channels=["social"],
        url="http://127.0.0.1:9/hook",
        secret="x" * 32,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")

    page.get_by_label("I sent this myself, by").check()
    page.get_by_label("The channel you sent it on yourself").select_option(label="SMS")
    page.get_by_role("textbox", name="Message").fill("Texted Jo from the team phone: refund goes today.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply recorded as sent by you by SMS").wait_for()
    by_hand = Message.objects.get(case=case, purpose="reply")
    assert (by_hand.channel, by_hand.delivery) == ("sms", "by_hand")
    assert not OutboxItem.objects.filter(message=by_hand).exists()
    assert page.locator(f"#message-{by_hand.pk}").get_by_text("Sent by hand").is_visible()
    assert page.get_by_text("Recorded the reply, sent by hand by SMS").is_visible()

    assert page.get_by_label("Social media, through Social inbox, to @jo").is_checked()
    page.get_by_label("Email to jo@example.com").check()
    page.get_by_role("textbox", name="Message").fill(
        "The refund went today; the statement is attached to your account."
    )
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent: it goes by email").wait_for()
    emailed = Message.objects.filter(case=case, purpose="reply").latest("id")
    assert (emailed.channel, emailed.outbox.connector, emailed.outbox.destination) == (
        "email",
        "email",
        "jo@example.com",
    )


def test_an_administrator_switches_an_integration_off_and_makes_it_a_new_secret(
    page, live_server, admin_user
):
    from amends.messaging.tests.channels import integration

    inbox = integration(admin_user, url="https://inbox.example.org/amends")
    old_secret = inbox.secret
    sign_in(page, live_server.url, admin_user)
    page.goto(f"{live_server.url}/integrations/")
    form = page.locator(f"#integration-{inbox.pk} form")
    form.get_by_label("Switched on").uncheck()
    form.get_by_label("Make a new secret (shown once)").check()
    form.get_by_role("button", name="Save Social inbox").click()
    page.get_by_text("Social inbox saved").wait_for()
    inbox.refresh_from_db()
    assert (inbox.enabled, inbox.version) == (False, 2)
    assert inbox.secret != old_secret and page.locator("#made-secret").inner_text() == inbox.secret
    page.goto(f"{live_server.url}/integrations/")
    assert page.locator(f"#integration-{inbox.pk}").get_by_text("Switched off").is_visible()
    assert inbox.secret not in page.content()
