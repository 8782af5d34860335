"""The competence record in Debian's chromium. Hal, a case handler working towards the qualification,
handles a complaint from receipt to close; the evidence appears in his portfolio against the right criteria
with situation and channel, and he corrects one item's situation with a reason and adds a reflective
account. Ash, his assessor, signs off a criterion (the e-signature refused once, then right); Ivy, the
IQA, samples the decision; the portfolio PDF downloads. A team leader gives a witness statement on the
case; an enrolment is made through the form."""

import pytest

from amends.e2e.conftest import sign_in, sign_out
from amends.e2e.test_process_browser import (
    _add_option,
    _choose,
    _close,
    _draft_and_send,
    _expect_message,
    _investigate,
    _step,
    _submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMPATHY = (
    "I'm so sorry about this, and I understand how worrying it is to be overdrawn. "
    "I will call you by 5pm on Friday with what I have found."
)


@pytest.fixture
def complaint(complaints_team, case_handler):
    from amends.cases.services import case_assign
    from amends.cases.tests.factories import make_contact_case

    case = make_contact_case(
        text="You took the same £120 payment twice and now I'm overdrawn.", email="jordan.reeve@example.com"
    ).case
    return case_assign(case=case, owner=case_handler, team=complaints_team, actor=None)


@pytest.fixture
def learner(case_handler, assessor, complaints_lead):
    from amends.assessment.decisions import learner_enrol

    learner_enrol(
        actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4", "C4", "WM57"]
    )
    return case_handler


def test_a_learner_handles_a_complaint_and_the_assessor_signs_off_from_the_portfolio(
    page, live_server, learner, assessor, iqa, complaints_lead, complaint
):
    from amends.assessment.models import CriterionDecision, EvidenceItem, QualitySample
    from amends.letters.services import text_block_update

    text_block_update(
        code="fca.disp1.annex3.waiver", actor=complaints_lead, body="You may refer your complaint to the FOS."
    )
    text_block_update(code="fca.fos.leaflet", actor=complaints_lead, body="We enclose the FOS leaflet.")

    # Hal handles the complaint end to end.
    sign_in(page, live_server.url, learner)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    page.get_by_label("Regime").select_option("fca-disp")
    _submit(page, "Apply regime", "Regime applied")
    _draft_and_send(page, "Acknowledgement")
    page.get_by_label("Message", exact=True).fill(EMPATHY)
    page.get_by_role("button", name="Send reply").click()
    _expect_message(page, "Reply sent")
    _investigate(page, "justified")
    _add_option(page, "Refund £120 and the £35 fee", "refund", "155")
    _choose(page, "Refund £120 and the £35 fee")
    _draft_and_send(page, "Final response", by="Mark printed and posted")
    _step(page, "5. Customer's answer").get_by_role("button", name="Accepted", exact=True).click()
    page.get_by_text("Answer recorded").first.wait_for()
    _step(page, "5. Customer's answer").get_by_label("Satisfaction").select_option("satisfied")
    _submit(page, "Record", "Satisfaction recorded")
    _close(page, "Refund made; the customer is satisfied")

    # His portfolio: the work is evidence against the right criteria, with situation and channel.
    page.get_by_role("link", name="Competence").click()
    page.get_by_role("heading", name="Portfolio: Hal Handler").wait_for()
    matrix = page.locator("#unit-CFACSC4 table.matrix")
    for reference in ("CFACSC4 P10", "CFACSC4 P11", "CFACSC4 P15"):
        row = matrix.locator("tr", has=page.get_by_role("link", name=reference, exact=True))
        assert "Evidence, not yet assessed" in row.inner_text(), reference
    assert "No evidence yet" in matrix.locator("tr", has_text="CFACSC4 P8").inner_text()
    wm57 = page.locator("#unit-WM57 table.matrix")
    assert "Evidence" in wm57.locator("tr", has_text="WM57 14").inner_text()  # satisfaction checked
    evidence = page.locator("#evidence")
    assert "Checked back with the customer" in evidence.inner_text()
    assert "Written · Routine" in evidence.inner_text()
    assert "jordan" not in evidence.inner_text().lower()

    # He corrects one item's situation, with his reason.
    first = evidence.locator("article.evidence").first
    first.locator("summary", has_text="These tags are wrong").click()
    first.get_by_label("Situation").select_option("busy")
    first.get_by_label("Why").fill("Two of the team were off sick that day")
    first.get_by_role("button", name="Change tags").click()
    _expect_message(page, "Tags changed")
    assert EvidenceItem.objects.filter(situation="busy", changed_reason__contains="off sick").count() == 1

    # And adds a reflective account.
    reflect = page.locator("#reflect")
    reflect.get_by_label("Case (optional)").select_option(complaint.reference)
    reflect.get_by_label("Criteria (such as CFACSC4 K4, C4 2.4)").fill("CFACSC4 K4")
    reflect.get_by_label("Your account").fill("Empathy is showing I understand how they feel without blame.")
    reflect.get_by_role("button", name="Add to my portfolio").click()
    _expect_message(page, "Reflective account added")
    sign_out(page)

    # Ash signs off CFACSC4 P11 from the portfolio.
    sign_in(page, live_server.url, assessor)
    page.goto(f"{live_server.url}/competence/")
    page.get_by_role("link", name="Hal Handler").click()
    page.locator("#unit-CFACSC4").get_by_role("link", name="CFACSC4 P11", exact=True).click()
    decide = page.locator("#decide")
    decide.get_by_label("Final decision: competent").check()
    decide.get_by_label("Comment for the learner").fill("Warm, and did not admit fault before the finding.")
    decide.get_by_label("Sign with your full name (Ash Assessor)").fill("A Assessor")
    decide.get_by_role("button", name="Sign decision").click()
    _expect_message(page, "Sign with your name as your account has it")
    assert not CriterionDecision.objects.exists()
    decide = page.locator("#decide")
    decide.get_by_label("Final decision: competent").check()
    decide.get_by_label("Comment for the learner").fill("Warm, and did not admit fault before the finding.")
    decide.get_by_label("Sign with your full name (Ash Assessor)").fill("Ash Assessor")
    decide.get_by_role("button", name="Sign decision").click()
    _expect_message(page, "Decision on CFACSC4 P11 signed")
    assert "Signed off" in page.locator("p", has_text="State:").inner_text()
    decision = CriterionDecision.objects.get()
    assert decision.code == "CFACSC4 P11" and decision.stage == "final" and decision.evidence

    # The PDF portfolio downloads.
    page.get_by_role("link", name="← Portfolio of Hal Handler").click()
    pdf_link = page.get_by_role("link", name="Download the portfolio (PDF)").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_link)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    sign_out(page)

    # Ivy samples the decision and accepts it.
    sign_in(page, live_server.url, iqa)
    page.goto(f"{live_server.url}/competence/sampling/")
    row = page.locator("#samples tr", has_text="CFACSC4 P11")
    assert "Due" in row.inner_text()
    row.locator("summary", has_text="Sample").click()
    row.get_by_label("Comment for the assessor").fill("Sufficient and authentic")
    row.get_by_label("Sign with your full name").fill("Ivy Quality")
    row.get_by_role("button", name="Record sample").click()
    _expect_message(page, "Sample of CFACSC4 P11 recorded")
    assert QualitySample.objects.get().outcome == "accepted"


def test_a_team_leader_witnesses_and_a_lead_enrols_through_the_forms(
    page, live_server, learner, team_leader, complaints_lead, adviser, assessor, complaint
):
    from amends.assessment.models import EvidenceItem

    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/cases/{complaint.reference}/")
    witness = page.locator("#observations")
    witness.locator("summary", has_text="Give a witness statement").click()
    witness.get_by_label("Whose work").last.select_option(label="Hal Handler")
    witness.get_by_label("Criteria (such as CFACSC4 P14, WM57 b)").fill("CFACSC4 P14")
    witness.get_by_label("What you saw").last.fill("Asked me to approve the refund, with his reasons")
    witness.get_by_role("button", name="Give witness statement").click()
    _expect_message(page, "Witness statement added")
    assert EvidenceItem.objects.get(method="witness").criteria == ["CFACSC4 P14", "C4 2.7"]

    page.goto(f"{live_server.url}/competence/disruptions/")
    page.get_by_label("What happened").fill("Phones down all morning")
    page.get_by_role("button", name="Record disruption").click()
    _expect_message(page, "Disruption recorded")
    sign_out(page)

    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/competence/")
    enrol = page.locator("#enrol")
    enrol.get_by_label("Learner").select_option(label="Ada Adviser (Adviser)")
    enrol.get_by_label("Assessor").select_option(label="Ash Assessor")
    enrol.get_by_role("button", name="Enrol").click()
    _expect_message(page, "Enrolled")
    adviser.staff.refresh_from_db()
    assert adviser.staff.assessor == assessor
    assert "Ada Adviser" in page.locator("#progress").inner_text()


def test_a_passed_practice_session_never_reaches_the_portfolio(page, live_server, learner):
    """UI level: a learner passes a practice scenario; their portfolio has no evidence from it, and no page
    offers to add it (the portfolio's only form for evidence is the reflective account, which names no
    practice)."""
    from amends.assessment.models import EvidenceItem
    from amends.practice.library import scenarios

    ideal = scenarios()["angry-double-charge"].ideal
    sign_in(page, live_server.url, learner)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    page.get_by_role("button", name="Start “Charged twice and furious”").click()
    for reply in ideal:
        page.get_by_label("Your reply").fill(reply)
        page.get_by_role("button", name="Send reply").click()
    page.get_by_role("heading", name="Score: 100 / 100 — passed").wait_for()
    assert "never counts as evidence of performance" in page.locator(".practice-notice").inner_text()
    assert page.get_by_role("button", name="Add to my portfolio").count() == 0

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Competence").click()
    page.get_by_role("heading", name="Portfolio: Hal Handler").wait_for()
    assert "No evidence yet" in page.locator("#evidence").inner_text()
    assert EvidenceItem.objects.count() == 0
    forms = page.locator("main form")
    actions = [forms.nth(i).get_attribute("action") for i in range(forms.count())]
    assert all("practice" not in (a or "") for a in actions)
