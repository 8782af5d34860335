"""Editing a customer on their page in Debian's chromium: nation, preferred channel, a phone number and a
postal address for letters, saved through the one service; a second editor on an old page is told."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def customer(complaints_team):
    from amends.cases.tests.factories import make_case

    return make_case(team=complaints_team, name="Robin Ashby", email="robin.ashby@example.com").customer


def _edit(page):
    details = page.locator("details.edit-customer")
    if details.get_attribute("open") is None:
        details.locator("summary", has_text="Edit details").click()
    return details


def test_an_adviser_edits_the_customer_and_adds_an_address_for_letters(page, live_server, adviser, customer):
    from amends.core.models import AuditEvent
    from amends.customers.models import Customer, PostalAddress

    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    assert "No postal address: letters go by email." in page.locator("#details").inner_text()
    form = _edit(page)
    form.get_by_label("Nation").select_option(label="Wales")
    form.get_by_label("Preferred channel").select_option("letter")
    form.get_by_label("Add", exact=True).select_option("phone")
    form.get_by_label("New email, phone or handle").fill("07700 900456")
    form.get_by_label("Address line 1").first.fill("Flat 2")
    form.locator("#addr-new-line2").fill("14 Heol y Felin")
    form.locator("#addr-new-town").fill("Cardiff")
    form.locator("#addr-new-postcode").fill("cf10 1aa")
    form.get_by_label("Why (kept in the audit record)").fill("Rang to say they moved")
    form.get_by_role("button", name="Save details").click()

    page.locator(".messages").get_by_text("Customer's details saved").wait_for()
    details = page.locator("#details").inner_text()
    assert re.search(r"Flat 2\s+14 Heol y Felin\s+CARDIFF\s+CF10 1AA \(letters go here\)", details), details
    assert "Phone: 07700 900456" in details and "Wales · prefers letter" in details
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.nation, stored.preferred_channel, stored.version) == ("wales", "letter", 2)
    assert PostalAddress.objects.get(customer=customer).for_letters
    assert AuditEvent.objects.get(kind="customer.updated").reason == "Rang to say they moved"


def test_a_second_editor_on_an_old_page_is_told_and_changes_nothing(
    browser, live_server, adviser, team_leader, customer
):
    from amends.customers.models import Customer

    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    try:
        for page, user in ((first, adviser), (second, team_leader)):
            sign_in(page, live_server.url, user)
            page.goto(f"{live_server.url}/customers/{customer.pk}/")
        _edit(first).get_by_label("Name").fill("Robin Ashby-Cole")
        _edit(first).get_by_role("button", name="Save details").click()
        first.locator(".messages").get_by_text("Customer's details saved").wait_for()
        _edit(second).get_by_label("Nation").select_option("scotland")
        _edit(second).get_by_role("button", name="Save details").click()
        said = second.locator(".messages")
        said.get_by_text("while you were editing them").wait_for()
        assert "Ada Adviser changed this customer's details" in said.inner_text()
        assert "Robin Ashby-Cole" in second.get_by_role("heading", level=1).inner_text()
    finally:
        first.context.close()
        second.context.close()
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.nation) == ("Robin Ashby-Cole", "england")
