"""An administrator adds a team mailbox in the browser, is told when a setting cannot work, and changes it."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_and_changes_a_team_mailbox(page, live_server, admin_user, complaints_team):
    from amends.intake.models import Mailbox

    sign_in(page, live_server.url, admin_user)
    page.get_by_role("link", name="Mailboxes").click()
    page.wait_for_url(re.compile(r"/intake/mailboxes/"))
    form = page.locator("section", has=page.get_by_role("heading", name="Add a mailbox"))
    form.get_by_label("Name", exact=True).fill("Complaints inbox")
    form.get_by_label("Server").fill("imap.example.org")
    form.get_by_label("Security").select_option("none")
    form.get_by_label("Account (user name)").fill("complaints@example.org")
    form.get_by_label("Environment variable holding the password").fill("AMENDS_IMAP_PASSWORD_COMPLAINTS")
    form.get_by_role("button", name="Add the mailbox").click()
    page.locator(".messages").get_by_text("the password would cross the network in clear").wait_for()
    assert not Mailbox.objects.exists()

    form = page.locator("section", has=page.get_by_role("heading", name="Add a mailbox"))
    form.get_by_label("Name", exact=True).fill("Complaints inbox")
    form.get_by_label("Server").fill("imap.example.org")
    form.get_by_label("Security").select_option("tls")
    form.get_by_label("Account (user name)").fill("complaints@example.org")
    form.get_by_label("Environment variable holding the password").fill("AMENDS_IMAP_PASSWORD_COMPLAINTS")
    form.get_by_label("New cases go to").select_option("complaints")
    form.get_by_role("button", name="Add the mailbox").click()
    page.locator(".messages").get_by_text("Added Complaints inbox").wait_for()
    assert page.get_by_text("AMENDS_IMAP_PASSWORD_COMPLAINTS is not set").is_visible()

    page.get_by_text("Change Complaints inbox").click()
    mailbox = Mailbox.objects.get()
    page.locator(f"#after_import-{mailbox.pk}").select_option("move")
    page.locator(f"#move_to-{mailbox.pk}").fill("Imported")
    page.get_by_role("button", name="Save Complaints inbox").click()
    page.locator(".messages").get_by_text("Saved Complaints inbox").wait_for()
    mailbox.refresh_from_db()
    assert (mailbox.after_import, mailbox.move_to, mailbox.version) == ("move", "Imported", 2)
    assert mailbox.team == complaints_team
