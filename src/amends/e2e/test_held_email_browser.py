"""Held email in Debian's chromium: a team leader reads why an email was held and releases it as a case."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SENDER = (
    b"From: Cron Daemon\r\nSubject: My boiler is still broken\r\n\r\nNobody has come for three weeks.\r\n"
)


def test_a_team_leader_releases_a_held_email_as_a_case(page, live_server, team_leader, complaints_team):
    from amends.cases.models import Case
    from amends.intake.services import intake_email

    held = intake_email(NO_SENDER).held
    sign_in(page, live_server.url, team_leader)
    page.get_by_role("link", name="Held email").click()
    page.wait_for_url(re.compile(r"/intake/held/"))
    section = page.get_by_role("region", name="My boiler is still broken")
    assert "no readable sender address" in section.inner_text()
    section.get_by_label("Sender's name").fill("Robin Ashby")
    section.get_by_label("Sender's email address").fill("robin.ashby@example.com")
    section.get_by_role("button", name="Release as a case").click()
    page.wait_for_url(re.compile(r"/cases/AM-"))
    case = Case.objects.get()
    assert case.reference in page.content() and f"Released as {case.reference}" in page.content()
    assert case.customer.name == "Robin Ashby"
    held.refresh_from_db()
    assert held.status == "released" and held.released_by == team_leader
