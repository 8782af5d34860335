"""The complaint process in the browser: FCA DISP and Housing Ombudsman paths, and the approval path."""

import re

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def complaint(complaints_team):
    from amends.cases.tests.factories import make_contact_case

    result = make_contact_case(
        text="You took the same £120 payment twice and now I'm overdrawn.", email="jordan.reeve@example.com"
    )
    return result.case


def _step(page, summary: str):
    """Open a <details> step of the process panel by its summary text."""
    details = page.locator("details.step", has=page.locator("summary", has_text=summary)).first
    details.evaluate("el => { el.open = true; }")
    return details


def _submit(page, button: str, expect: str):
    page.get_by_role("button", name=button, exact=True).first.click()
    _expect_message(page, expect)


def _draft_and_send(page, kind_label: str, by: str = "Send by email"):
    letters = _step(page, "4. Letters")
    letters.get_by_label("New letter").select_option(label=kind_label)
    _submit(page, "Draft letter", "Letter drafted")
    letters = _step(page, "4. Letters")
    letters.locator(".letter").last.get_by_role("button", name=by).click()
    _expect_message(page, "Letter sent")


def _expect_message(page, text: str):
    """Wait for a flash message; on failure, say what the page said instead."""
    try:
        page.locator(".messages").get_by_text(text).first.wait_for()
    except Exception as exc:
        said = page.locator(".messages").all_inner_texts()
        raise AssertionError(f"expected {text!r}, the page said {said}") from exc


def _investigate(page, outcome: str):
    understanding = _step(page, "1. Understanding")
    understanding.get_by_label("What happened").fill("The same £120 payment was taken twice on 1 November.")
    understanding.get_by_label("Impact on the customer").fill("Overdrawn; charged a £35 fee.")
    understanding.get_by_label("Outcome the customer wants").fill("Money back and the fee refunded.")
    _submit(page, "Record summary", "Summary recorded")
    _submit(page, "Customer confirmed it by phone", "Summary confirmed")
    investigation = _step(page, "2. Investigation and finding")
    investigation.get_by_label("What it shows").fill("Statement shows two identical debits")
    _submit(page, "Add evidence", "Evidence added")
    investigation = _step(page, "2. Investigation and finding")
    investigation.get_by_label("Finding").select_option(outcome)
    investigation.get_by_label("Facts established").fill("Two debits of £120 on 1 November")
    investigation.get_by_label("Reasoning (internal: never sent to the customer)").fill(
        "Our payment retry ran after the first payment succeeded."
    )
    investigation.get_by_label("Explanation for the customer").fill(
        "We took your payment twice because our system tried again after the first payment went through."
    )
    investigation.get_by_label("Root cause").select_option("system-fault")
    _submit(page, "Record finding", "Finding recorded")


def _add_option(page, title: str, remedy: str, amount: str):
    options = _step(page, "3. Options and decision")
    options.locator("summary", has_text="Add an option").click()
    options.get_by_label("Option", exact=True).fill(title)
    options.get_by_label("Remedy", exact=True).select_option(remedy)
    options.get_by_label("Amount £ (money remedies)").fill(amount)
    options.get_by_label("Benefits for the customer").fill("Puts them back where they were")
    options.get_by_label("Drawbacks for us").fill("The cost")
    _submit(page, "Add option", "Option added")


def _choose(page, title: str):
    option = _step(page, "3. Options and decision").locator("article.option", has_text=title)
    option.get_by_label("Why this option").fill("Fair and what the customer asked for")
    option.get_by_role("button", name="Choose this option").click()
    page.get_by_text("Option chosen").first.wait_for()


def _close(page, reason: str):
    page.get_by_label("Move to").select_option("closed")
    page.get_by_label("Reason (needed to close or re-open)").fill(reason)
    page.get_by_role("button", name="Change status").click()
    page.get_by_text("Status changed").first.wait_for()


def test_fca_complaint_from_receipt_to_close(page, live_server, case_handler, complaints_lead, complaint):
    from amends.letters.services import text_block_update

    # The compliance lead fills the prescribed FCA wording (DISP 1 Annex 3R and the FOS leaflet).
    text_block_update(
        code="fca.disp1.annex3.waiver",
        actor=complaints_lead,
        body="You have the right to refer your complaint to the Financial Ombudsman Service ...",
    )
    text_block_update(code="fca.fos.leaflet", actor=complaints_lead, body="We enclose the FOS leaflet.")
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    page.get_by_label("Regime").select_option("fca-disp")
    _submit(page, "Apply regime", "Regime applied")
    assert "Final response" in page.locator("table.clocks").inner_text()
    _draft_and_send(page, "Acknowledgement")
    _investigate(page, "justified")
    _add_option(page, "Refund £120 and the £35 fee", "refund", "155")
    _choose(page, "Refund £120 and the £35 fee")
    _draft_and_send(page, "Final response", by="Mark printed and posted")
    pdf_link = page.locator(".letter a", has_text="PDF").last.get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_link)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    answer = _step(page, "5. Customer's answer")
    answer.get_by_role("button", name="Accepted", exact=True).click()
    page.get_by_text("Answer recorded").first.wait_for()
    _step(page, "5. Customer's answer").get_by_label("Satisfaction").select_option("satisfied")
    _submit(page, "Record", "Satisfaction recorded")
    _close(page, "Refund made; the customer is satisfied")
    assert "Closed" in page.locator(".case-head").inner_text()


def test_housing_ombudsman_two_stages(page, live_server, case_handler, team_leader, complaint):
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    page.get_by_label("Regime").select_option("hos-2024")
    _submit(page, "Apply regime", "Regime applied")
    _draft_and_send(page, "Acknowledgement")
    assert "Stage 1 response" in page.locator("table.clocks").inner_text()
    _investigate(page, "partly_justified")
    _add_option(page, "Apologise and fix the repair", "put_right", "")
    _choose(page, "Apologise and fix the repair")
    letters = _step(page, "4. Letters")
    letters.get_by_label("New letter").select_option(label="Stage1 response")
    _submit(page, "Draft letter", "Letter drafted")
    # The Code asks for the outstanding actions: the letter refuses to go until they are written.
    letters = _step(page, "4. Letters")
    letters.locator(".letter").last.get_by_role("button", name="Send by email").click()
    page.get_by_text("cannot be sent yet").first.wait_for()
    letters = _step(page, "4. Letters")
    letter = letters.locator(".letter").last
    letter.get_by_label("Outstanding actions").fill("The boiler will be replaced by 4 December.")
    letter.get_by_role("button", name="Save letter").click()
    page.get_by_text("Letter updated").first.wait_for()
    _step(page, "4. Letters").locator(".letter").last.get_by_role("button", name="Send by email").click()
    page.get_by_text("Letter sent").first.wait_for()
    # The resident is not satisfied: stage 2.
    answer = _step(page, "5. Customer's answer")
    answer.get_by_role("button", name="Not accepted", exact=True).click()
    page.get_by_text("Answer recorded").first.wait_for()
    escalate = _step(page, "5. Customer's answer")
    escalate.get_by_label("Escalate").select_option("next_stage")
    escalate.get_by_label("Reason for escalating").fill("The resident wants a review of the decision")
    _submit(page, "Escalate", "Escalated")
    assert "Stage 2" in page.locator("#process").inner_text()
    _draft_and_send(page, "Acknowledgement")
    letters = _step(page, "4. Letters")
    letters.get_by_label("New letter").select_option(label="Stage2 response")
    _submit(page, "Draft letter", "Letter drafted")
    letter = _step(page, "4. Letters").locator(".letter").last
    letter.get_by_label("Outstanding actions").fill("None: the boiler was replaced on 3 December.")
    letter.get_by_role("button", name="Save letter").click()
    page.get_by_text("Letter updated").first.wait_for()
    _step(page, "4. Letters").locator(".letter").last.get_by_role("button", name="Send by email").click()
    page.get_by_text("Letter sent").first.wait_for()
    _step(page, "5. Customer's answer").get_by_label("Satisfaction").select_option("partly")
    _submit(page, "Record", "Satisfaction recorded")
    _close(page, "Final stage 2 response sent with the Housing Ombudsman's details")
    assert "Closed" in page.locator(".case-head").inner_text()


def test_offer_beyond_authority_goes_to_an_approver(page, live_server, adviser, team_leader, complaint):
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    page.get_by_label("Regime").select_option("fca-disp")
    _submit(page, "Apply regime", "Regime applied")
    _add_option(page, "Goodwill payment for the distress", "goodwill", "300")
    option = _step(page, "3. Options and decision").locator("article.option", has_text="Goodwill payment")
    assert "Beyond your authority" in option.inner_text()
    option.get_by_label("Note for the approver").fill("Customer is overdrawn because of our error")
    option.get_by_role("button", name="Ask for approval").click()
    page.get_by_text("Approval requested").first.wait_for()
    sign_out(page)
    sign_in(page, live_server.url, team_leader)
    page.get_by_role("link", name=re.compile("Notifications")).click()
    page.get_by_role("link", name=re.compile("Approval needed")).click()
    _step(page, "3. Options and decision").get_by_label("Reason for your decision").fill(
        "Proportionate to the harm"
    )
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Decision recorded").first.wait_for()
    sign_out(page)
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    _choose(page, "Goodwill payment for the distress")
    chosen = _step(page, "3. Options and decision").locator("article.option", has_text="Goodwill payment")
    assert "Chosen" in chosen.inner_text()
