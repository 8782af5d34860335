"""Internal notes in the browser (issue 11's acceptance): Ada writes a note on a case that @mentions Tess, her
team leader, and ticks Hal; Tess finds it under "For you" in her notifications and it opens the case at the
note; the customer's status page never shows it. Ada also corrects a note and writes one on the customer.
"""

import re

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "@tess the customer sounded very distressed on the phone; please call her back today"


def test_a_note_with_a_mention_tells_the_colleague_and_never_reaches_the_status_page(
    live_server, page, complaints_team, adviser, case_handler, team_leader
):
    from amends.cases.models import Note
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team, owner=adviser, summary="Boiler broken", name="Morgan Ellis")
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_label("Note", exact=True).fill(NOTE)
    page.get_by_label(re.compile(r"^Hal Handler")).check()
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Note added: only colleagues see it").wait_for()
    note = Note.objects.get(case=case)
    card = page.locator(f"#note-{note.pk}")
    assert "Internal note — not shown to the customer" in card.inner_text()
    assert "Told: Hal Handler, Tess Leader" in card.inner_text()

    # A mistake is put right by a new note; the first stays as written.
    card.get_by_text("Correct this note").click()
    card.get_by_label(re.compile("Correction")).fill("She asked for a call after 3pm, not today")
    card.get_by_role("button", name="Add correction").click()
    page.get_by_text("Note added: only colleagues see it").wait_for()
    assert "Put right by" in page.locator(f"#note-{note.pk}").inner_text()
    assert NOTE in page.locator(f"#note-{note.pk}").inner_text()

    # A note on the customer, from their page.
    page.get_by_role("link", name="Morgan Ellis").click()
    page.wait_for_url(re.compile(r"/customers/\d+/"))
    page.get_by_label("Note", exact=True).fill("Hard of hearing: write rather than ring")
    page.get_by_role("button", name="Add note").click()
    notes = page.locator("section.notes-panel")
    notes.get_by_text("Hard of hearing: write rather than ring").wait_for()
    sign_out(page)

    # Tess is told, apart from the routine reminders, and the notification opens the case at the note.
    sign_in(page, live_server.url, team_leader)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Notifications")).click()
    for_you = page.locator("section", has=page.get_by_role("heading", name="For you"))
    told = for_you.get_by_role(
        "link", name=re.compile(f"Ada Adviser mentioned you in a note on {case.reference}")
    )
    told.click()
    page.wait_for_url(re.compile(rf"/cases/{case.reference}/#note-{note.pk}$"))
    assert "distressed" in page.locator(f"#note-{note.pk}").inner_text()
    sign_out(page)

    # The customer's status page shows their case and none of it.
    page.goto(f"{live_server.url}/status/{case.public_token}/")
    page.get_by_role("heading", level=1).wait_for()
    assert case.reference in page.content()
    text = page.content()
    for secret in ("distressed", "after 3pm", "Hard of hearing", "Internal note"):
        assert secret not in text, secret
