"""Two people editing one draft letter at once: the second is told, and sees the first one's change."""

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
