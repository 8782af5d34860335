"""A team leader chooses, from their notifications, which of them also reach them by email."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_chooses_every_notification_by_email(page, live_server, team_leader):
    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_role("link", name="Choose which notifications reach you by email").click()
    page.get_by_text("Urgent safety alerts (a threat to staff").wait_for()
    assert page.get_by_label("Email me urgent ones too").is_checked()  # the default
    page.get_by_label("Email me every one (a digest at most once)").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your email choice is saved.").wait_for()
    team_leader.staff.refresh_from_db()
    assert team_leader.staff.notify_email == "all"
    assert page.get_by_label("Email me every one (a digest at most once)").is_checked()
