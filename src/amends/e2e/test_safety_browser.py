"""Safety in the browser (issue 12): Ada logs a phone call in which the customer threatened to come down and
hurt someone; Tess, her team leader, has an urgent notification that opens the case, where the alert box
says what to do."""

import re

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "He rang about the missed repair and said he will come down there and hurt someone."


def test_a_threat_said_on_the_phone_alerts_the_team_leader_with_what_to_do(
    live_server, page, complaints_team, adviser, team_leader
):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team, owner=adviser, summary="Repair missed", name="Morgan Ellis")
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_label("What was said").fill(NOTE)
    page.get_by_role("button", name="Log contact").click()
    page.get_by_text("Contact logged").wait_for()
    box = page.locator(".urgent-alert")
    assert "Threat to staff" in box.inner_text()
    sign_out(page)

    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/notifications/")
    alert = page.get_by_role("link", name=f"Urgent on {case.reference}").first
    assert "Make sure colleagues are safe" in page.content()
    alert.click()
    page.wait_for_url(re.compile(rf"/cases/{case.reference}/"))
    steps = page.locator(".urgent-alert .safety-steps").inner_text()
    assert "Tell your team leader now" in steps and "Call 999 if there is immediate danger" in steps
    sign_out(page)
