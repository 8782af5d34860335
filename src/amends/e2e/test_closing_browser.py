"""A closed complaint in the browser: no clock still running, a next step that knows, a refusal said once."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answered_fca_complaint(case, handler, lead):
    """Investigated, answered by final response, accepted and the customer satisfied, through the services."""
    from amends.letters.services import text_block_update
    from amends.process import authority, services, steps
    from amends.process.letters import process_compose_letter

    text_block_update(code="fca.disp1.annex3.waiver", body="You may refer it to the FOS ...", actor=lead)
    text_block_update(code="fca.fos.leaflet", body="We enclose the FOS leaflet.", actor=lead)
    understanding = steps.understanding_record(
        case=case, actor=handler, what_happened="Charged twice", impact="Overdrawn", outcome_wanted="Refund"
    )
    steps.understanding_confirm(understanding=understanding, via="phone", actor=handler)
    steps.finding_record(
        case=case,
        actor=handler,
        outcome="justified",
        facts="Two debits",
        reasoning="Retry",
        customer_explanation="We took the payment twice.",
    )
    option = authority.option_add(
        case=case,
        actor=handler,
        title="Refund £120",
        remedy_type="refund",
        amount="120",
        benefits_customer="Money",
    )
    authority.option_choose(option=option, actor=handler, reason="Puts them back where they were")
    final = process_compose_letter(case=case, kind="final_response", actor=handler, fields={})
    services.process_send_letter(letter=final, actor=handler, by="email")
    steps.customer_answer_record(case=case, actor=handler, accepted=True)
    steps.satisfaction_record(case=case, actor=handler, answer="satisfied")


def _close(page, reason: str):
    page.get_by_label("Move to").select_option("closed")
    page.get_by_label("Reason (needed to close or re-open)").fill(reason)
    page.get_by_role("button", name="Change status").click()


def test_a_closed_complaint_shows_nothing_still_running(page, live_server, case_handler, complaints_lead):
    from amends.cases.tests.factories import make_contact_case
    from amends.process import services

    case = make_contact_case(text="You took the same £120 payment twice.", email="sam.reed@example.com").case
    services.process_start(case=case, regime_code="fca-disp", actor=case_handler)
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    # Refused while there is no finding and no response letter: each reason said once.
    _close(page, "Sorted on the phone")
    page.locator(".messages").get_by_text("cannot close yet").wait_for()
    said = page.locator(".messages").inner_text()
    assert said.count("there is no finding") == 1 and said.count("no response letter") == 1

    _answered_fca_complaint(case, case_handler, complaints_lead)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    assert "Running" in page.locator("table.clocks").inner_text()  # the summary resolution window
    _close(page, "Refunded; the customer is satisfied")
    page.locator(".messages").get_by_text("Status changed").wait_for()
    assert "Closed" in page.locator(".case-head").inner_text()
    clocks = page.locator("table.clocks").inner_text()
    assert "Running" not in clocks and "Stopped" in clocks
    next_step = page.locator("#process .next-step").inner_text()
    assert "the case is closed" in next_step and "Close the case" not in next_step
