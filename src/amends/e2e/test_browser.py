"""End to end in Debian's chromium: a customer complains, an adviser finds it, replies, logs a call."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complaint_from_public_form_to_customer_timeline(page, live_server, adviser, settings):
    from amends.conftest import PASSWORD

    settings.SITE_URL = live_server.url
    # The customer files a complaint on the public form.
    page.goto(f"{live_server.url}/complain/")
    page.get_by_label("Your name").fill("Morgan Ellis")
    page.get_by_label("Email address").fill("morgan.ellis@example.com")
    page.get_by_label("What is it about?").fill("Boiler still broken after three visits")
    page.get_by_label("What happened, and how has it affected you?").fill(
        "The engineer has been three times and the boiler is still broken. We have no hot water."
    )
    page.get_by_label("What would you like us to do to put it right?").fill("Replace the boiler")
    page.get_by_role("button", name="Send complaint").click()
    page.wait_for_url(re.compile(r"/status/"))
    heading = page.get_by_role("heading", level=1).inner_text()
    reference = re.search(r"AM-\d{4}-\d{6}", heading).group(0)
    assert "Received" in page.content()

    # An adviser signs in and finds it in the team queue.
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(adviser.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/queue/"))
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(re.compile(reference))
    assert "Boiler still broken after three visits" in page.content()

    # Reply, then log a call.
    page.get_by_label("Message", exact=True).fill(
        "I am sorry about this. An engineer will call you by Friday."
    )
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent").wait_for()
    page.get_by_label("What was said").fill("Customer rang: elderly mother in the house, needs heating.")
    page.get_by_role("button", name="Log contact").click()
    page.get_by_text("Contact logged").wait_for()

    # The customer's timeline shows all of it.
    page.get_by_role("link", name="Morgan Ellis").click()
    page.wait_for_url(re.compile(r"/customers/\d+/"))
    timeline = page.locator(".timeline").inner_text()
    assert "We have no hot water" in timeline
    assert "An engineer will call you by Friday" in timeline
    assert "elderly mother in the house" in timeline
    assert reference in timeline
