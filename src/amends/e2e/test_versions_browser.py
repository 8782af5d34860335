"""Two people editing one thing at once (a draft letter, a case they log a contact on, the prescribed
wording): the second is told what the first did, and nothing of either is lost."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft(complaints_team, case_handler):
    from amends.cases.tests.factories import make_contact_case
    from amends.letters.models import Letter
    from amends.process.letters import process_compose_letter
    from amends.process.services import process_start

    case = make_contact_case(text="The boiler has been broken for three weeks.", email="sam@example.com").case
    process_start(case=case, regime_code="hos-2024", actor=case_handler)
    process_compose_letter(case=case, kind="holding", actor=case_handler, fields={"delay_reasons": "x"})
    return Letter.objects.get(case=case, kind="holding")


def _open_letter(page, base_url, user, draft):
    sign_in(page, base_url, user)
    page.goto(f"{base_url}/cases/{draft.case.reference}/")
    letters = page.locator("details.step", has=page.locator("summary", has_text="4. Letters")).first
    letters.evaluate("el => { el.open = true; }")
    return letters.locator(".letter").first  # a draft stays open beside its preview


def test_the_second_editor_of_a_draft_letter_is_told_and_shown_the_first_ones_change(
    browser, live_server, case_handler, team_leader, draft
):
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    try:
        mine = _open_letter(first, live_server.url, case_handler, draft)
        theirs = _open_letter(second, live_server.url, team_leader, draft)
        box = f"#lf-{draft.pk}-delay_reasons"

        mine.locator(box).fill("We are waiting for the engineer's report.")
        theirs.locator(box).fill("The contractor has not replied.")
        mine.get_by_role("button", name="Save letter").click()
        first.locator(".messages").get_by_text("Letter updated").wait_for()
        theirs.get_by_role("button", name="Save letter").click()

        said = second.locator(".messages")
        said.get_by_text("while you were editing it").wait_for()
        text = said.inner_text()
        assert "Hal Handler changed this letter" in text and "delay reasons" in text
        assert "Your changes were not saved" in text and "Letter updated" not in text
        # The page now shows the first editor's text, to work from.
        assert second.locator(box).input_value() == "We are waiting for the engineer's report."
    finally:
        first.context.close()
        second.context.close()
    draft.refresh_from_db()
    assert draft.fields["delay_reasons"] == "We are waiting for the engineer's report." and draft.version == 2


def test_the_second_of_two_contacts_logged_from_open_pages_is_told_and_kept(
    browser, live_server, adviser, case_handler, complaints_team
):
    from amends.cases.tests.factories import make_contact_case
    from amends.messaging.models import Message

    case = make_contact_case(text="Nobody has called me back.", email="sam@example.com").case
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    try:
        for page, user in ((first, adviser), (second, case_handler)):
            sign_in(page, live_server.url, user)
            page.goto(f"{live_server.url}/cases/{case.reference}/")
            page.locator("#id_summary").fill(f"{user.first_name}'s note of the call")
        second.locator("#id_channel").select_option("letter")
        first.get_by_role("button", name="Log contact").click()
        first.locator(".messages").get_by_text("Contact logged").wait_for()
        second.get_by_role("button", name="Log contact").click()

        said = second.locator(".messages")
        said.get_by_text("Your note was not logged").wait_for()
        text = said.inner_text()
        assert "Ada Adviser logged a phone call" in text and "Ada's note of the call" in text
        assert "Contact logged" not in text
        # The note is still in the form as it was typed, the first one's in the timeline.
        assert second.locator("#id_summary").input_value() == "Hal's note of the call"
        assert second.locator("#id_channel").input_value() == "letter"
        assert second.locator(".timeline").get_by_text("Ada's note of the call").count() == 1
    finally:
        first.context.close()
        second.context.close()
    notes = Message.objects.filter(case=case, purpose="contact_note")
    assert list(notes.values_list("body_text", flat=True)) == ["Ada's note of the call"]


def test_the_second_editor_of_the_prescribed_wording_is_told_and_keeps_their_text(
    browser, live_server, complaints_lead, admin_user
):
    from amends.letters.models import current_block

    read = current_block("fca.fos.leaflet").version
    first, second = browser.new_context().new_page(), browser.new_context().new_page()
    try:
        for page, user in ((first, complaints_lead), (second, admin_user)):
            sign_in(page, live_server.url, user)
            page.goto(f"{live_server.url}/letters/wording/")
            block = page.locator('[id="block-fca.fos.leaflet"]')
            block.get_by_label("Wording").fill(f"{user.first_name}'s leaflet wording")
            block.get_by_label("Why it changed").fill(f"{user.first_name}'s reason")
        first.locator('[id="block-fca.fos.leaflet"]').get_by_role("button", name="Save new version").click()
        first.locator(".messages").get_by_text("saved as a new version").wait_for()
        second.locator('[id="block-fca.fos.leaflet"]').get_by_role("button", name="Save new version").click()

        said = second.locator(".messages")
        said.get_by_text("Yours was not saved").wait_for()
        text = said.inner_text()
        assert (
            f"Lee Lead saved version {read + 1} of this wording" in text and "Lee's leaflet wording" in text
        )
        block = second.locator('[id="block-fca.fos.leaflet"]')
        assert block.get_by_label("Wording").input_value() == "Ana's leaflet wording"
        assert block.get_by_label("Why it changed").input_value() == "Ana's reason"
        assert f"version {read + 1}" in block.locator("h2").inner_text()
    finally:
        first.context.close()
        second.context.close()
    assert current_block("fca.fos.leaflet").body == "Lee's leaflet wording"
