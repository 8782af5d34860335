"""A learner practises in Debian's chromium: opens the library from the navigation, starts the furious
double-charge caller, replies through the form, sees the customer calm down and settle, and reads feedback
that names the standards' criteria. The page says throughout that practice is never evidence."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner(case_handler, assessor):
    from amends.core.models import StaffProfile

    StaffProfile.objects.filter(user=case_handler).update(assessor=assessor)
    return case_handler


def test_a_learner_calms_a_simulated_customer_and_reads_the_feedback(page, live_server, learner):
    from amends.practice.library import scenarios

    ideal = scenarios()["angry-double-charge"].ideal
    sign_in(page, live_server.url, learner)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    page.get_by_label("Persona").select_option("angry")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Start “Charged twice and furious”").click()

    assert "never counts as evidence of performance" in page.locator(".practice-notice").inner_text()
    assert page.locator("#mood .mood").inner_text() == "angry"
    page.get_by_label("Your reply").fill(ideal[0])
    page.get_by_role("button", name="Send reply").click()

    page.locator("#mood .mood", has_text="calmer").wait_for()
    last = page.locator(".customer-line").last
    assert "calmer" in last.locator(".tag").inner_text()
    assert "Okay. Okay, that's something." in last.inner_text()
    feedback = page.locator(".turn-feedback").last
    assert "CFACSC4 P11" in feedback.inner_text()
    assert "Shows empathy without admitting fault" in feedback.inner_text()

    page.get_by_label("Your reply").fill(ideal[1])
    page.get_by_role("button", name="Send reply").click()
    page.get_by_role("heading", name="Score: 100 / 100 — passed").wait_for()
    result = page.locator("#result")
    assert "CFACSC4 P15" in result.inner_text()
    assert "Sums up what happens next and why" in result.inner_text()
    assert "never counts as evidence of performance" in page.locator(".practice-notice").inner_text()
    assert "Sorry I shouted" in page.locator("#transcript").inner_text()
