"""The assessor in Debian's chromium: reads the worked case with no form offered, records an observation of
the case handler's work against the standards' criteria; the case handler reads it on the case."""

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worked(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case
    from amends.process import authority, steps

    case = make_case(team=complaints_team, owner=case_handler, summary="Charged twice for one payment")
    steps.understanding_record(
        case=case,
        actor=case_handler,
        what_happened="The same £120 payment was taken twice.",
        impact="Overdrawn and charged a fee.",
        outcome_wanted="The money and the fee back.",
    )
    steps.finding_record(
        case=case,
        actor=case_handler,
        outcome="justified",
        facts="Two debits of £120 on 1 November",
        reasoning="Our payment retry ran after the first payment succeeded.",
    )
    authority.option_add(
        case=case,
        actor=case_handler,
        title="Refund the duplicate and the fee",
        benefits_customer="Money back",
        remedies=[
            authority.Remedy("refund", "The duplicate payment", "120"),
            authority.Remedy("refund", "The fee", "35"),
        ],
    )
    return case


def test_an_assessor_reads_the_work_and_records_an_observation(
    page, live_server, assessor, case_handler, worked
):
    from amends.assessment.models import Observation

    sign_in(page, live_server.url, assessor)
    page.goto(f"{live_server.url}/cases/{worked.reference}/")
    process = page.locator("#process")
    for seen in (
        "The same £120 payment was taken twice.",
        "Our payment retry ran",
        "Refund the duplicate and the fee",
    ):
        assert seen in process.inner_text()
    assert process.locator("form").count() == 0  # every step read, none offered to change

    observations = page.locator("#observations")
    observations.get_by_label("Whose work").select_option(label="Hal Handler")
    observations.get_by_label("Criteria (such as CFACSC4 P11, WM57 7").fill("CFACSC7 5\nwm57 7, CFACSC4 P12")
    observations.get_by_label("What you saw").fill(
        "Established the facts from the statement before deciding; "
        "weighed a refund against goodwill for both sides."
    )
    observations.get_by_role("button", name="Record observation").click()
    page.locator(".messages").get_by_text("Observation recorded").wait_for()
    recorded = page.locator("#observations article.observation")
    assert recorded.locator(".criteria li").all_inner_texts() == ["CFACSC7 5", "WM57 7", "CFACSC4 P12"]
    assert "Hal Handler" in recorded.inner_text()

    observations = page.locator("#observations")
    observations.locator("summary", has_text="Record an observation").click()  # closed once there is one
    observations.get_by_label("Criteria (such as CFACSC4 P11, WM57 7").fill("WM57 77")
    observations.get_by_label("What you saw").fill("Something")
    observations.get_by_role("button", name="Record observation").click()
    page.locator(".messages").get_by_text("WM57 77 names no criterion").wait_for()
    assert Observation.objects.count() == 1

    sign_out(page)
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{worked.reference}/")
    mine = page.locator("#observations")
    assert "weighed a refund against goodwill" in mine.inner_text()
    assert mine.get_by_role("button", name="Record observation").count() == 0
