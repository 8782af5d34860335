"""A case handler raises a "may re-open the matter" alert from the customer page; a colleague dealing with
the customer's next contact sees it on the queue and the case page; the handler closes it."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_alert_is_raised_seen_by_the_next_colleague_and_closed(
    page, browser, live_server, complaints_team, case_handler, adviser
):
    from amends.cases.tests.factories import make_case
    from amends.customers.models import ColleagueAlert

    case = make_case(team=complaints_team, owner=case_handler, email="pat@example.com")
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/customers/{case.customer_id}/")
    page.get_by_text("Raise an alert").click()
    page.get_by_label("What to expect").select_option(label="May re-open the matter")
    page.get_by_label("Why, and what to do").fill("Will come back if the refund is not paid by Friday.")
    page.get_by_label("Colleague it names (optional)").select_option(label="Hal Handler")
    page.get_by_role("button", name="Raise alert").click()
    page.get_by_text("Alert raised").wait_for()
    assert ColleagueAlert.objects.get().contact == case_handler

    context = browser.new_context()
    ada = context.new_page()
    sign_in(ada, live_server.url, adviser)
    ada.goto(f"{live_server.url}/queue/?queue=all")
    ada.get_by_text("May re-open the matter").first.wait_for()
    ada.goto(f"{live_server.url}/cases/{case.reference}/")
    ada.get_by_text("Will come back if the refund is not paid by Friday.").first.wait_for()
    context.close()

    page.get_by_label("Why close it (optional)").fill("Refund arrived")
    page.get_by_role("button", name="Close alert").click()
    page.get_by_text("Alert closed").wait_for()
    assert ColleagueAlert.objects.get().close_reason == "Refund arrived"
