"""axe-core in chromium on the pages people use most: the queue, a case (with internal notes and saved
replies), a customer, the saved replies page, the public complaint form (empty and with its errors) and the
customer's status page (with the summary to confirm), the customer's view of a long history, and the
competence pages (portfolio, criterion, sampling, practice, knowledge checks). No serious or critical
violation on any of them.

axe-core is the npm package's own build (`axe/axe.min.js`, MPL-2.0, its licence beside it), put into each page
from the tests' files: nothing is fetched from a CDN.
"""

import re
from pathlib import Path

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "axe" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture
def page(browser):
    # The pages' Content-Security-Policy allows only their own scripts; the test's axe is let in by the
    # browser context (as an extension would be), not by loosening the policy the pages are served with.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def violations(page) -> list[str]:
    """axe's serious and critical findings on the page as it is, one line each: rule, impact, where."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]


def test_the_public_form_and_the_status_page(page, live_server, case_handler):
    from amends.cases.models import Case
    from amends.process.steps import understanding_record

    page.goto(f"{live_server.url}/complain/")
    assert violations(page) == []
    page.get_by_role("button", name="Send complaint").click()  # nothing filled in: the errors are shown
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert violations(page) == []
    page.get_by_label("Your name").fill("Robin Ashby")
    page.get_by_label("Email address").fill("robin.ashby@example.com")
    page.get_by_label("What is it about?").fill("Charged twice")
    page.get_by_label("What happened, and how has it affected you?").fill("Charged twice for one order.")
    page.get_by_role("button", name="Send complaint").click()
    page.wait_for_url(re.compile(r"/status/"))
    assert violations(page) == []
    reference = re.search(r"AM-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)
    understanding_record(
        case=Case.objects.get(reference=reference),
        actor=case_handler,
        what_happened="You were charged twice for one order.",
        impact="Your account went overdrawn.",
        outcome_wanted="A refund of the second charge.",
    )
    page.reload()
    page.get_by_role("button", name="Yes, this is right").wait_for()
    assert violations(page) == []


def test_the_queue_a_case_and_a_customer(page, live_server, complaints_lead, complaints_team):
    from amends.cases.notes import note_add
    from amends.cases.tests.factories import make_contact_case
    from amends.messaging.replies import saved_reply_create
    from amends.process.letters import process_compose_letter
    from amends.process.models import CaseProcess
    from amends.process.services import process_start

    text = (
        "Third time I have called about the double charge. I am going to the ombudsman if nobody calls back."
    )
    case = make_contact_case(text=text, email="sam.patel@example.com").case
    if not CaseProcess.objects.filter(case=case).exists():
        process_start(case=case, regime_code="fca-disp", actor=complaints_lead)
    # A draft letter: its form beside the preview the server renders into the page.
    process_compose_letter(case=case, kind="acknowledgement", actor=complaints_lead, fields={})
    make_contact_case(text="Where is my refund?", email="jo.bloggs@example.com")
    # Internal notes on the case and on the customer, and a saved reply to offer: their styles and forms too.
    note = note_add(actor=complaints_lead, case=case, body="Called the bank: second charge confirmed")
    note_add(actor=complaints_lead, case=case, body="It was the third charge", corrects=note)
    note_add(actor=complaints_lead, customer=case.customer, body="Prefers email")
    saved_reply_create(actor=complaints_lead, title="Acknowledge", body="Dear {customer_name}")
    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/queue/?queue=all")
    page.get_by_role("link", name=case.reference).wait_for()
    assert violations(page) == []
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_role("heading", level=1).wait_for()
    page.locator("article.letter-sheet").wait_for()
    assert violations(page) == []
    page.goto(f"{live_server.url}/customers/{case.customer_id}/")
    page.get_by_role("heading", level=1).wait_for()
    page.locator("details.edit-customer summary").click()  # the edit form, open
    page.get_by_label("Address line 1").first.wait_for()
    assert violations(page) == []
    page.goto(f"{live_server.url}/saved-replies/")
    page.get_by_role("heading", level=1).wait_for()
    assert violations(page) == []


def test_a_problem_worked_step_by_step_and_read_by_an_assessor(
    page, live_server, case_handler, adviser, assessor, complaints_team
):
    from datetime import timedelta

    from django.utils import timezone

    from amends.cases.tests.factories import make_case
    from amends.process import authority, resolution, steps

    problem = make_case(kind="problem", team=complaints_team, owner=case_handler)
    summary = steps.understanding_record(
        case=problem, actor=case_handler, what_happened="No repair", impact="Cold", outcome_wanted="Repair"
    )
    steps.understanding_confirm(understanding=summary, via="phone", actor=case_handler)
    option = authority.option_add(
        case=problem,
        actor=case_handler,
        title="Priority repair",
        benefits_customer="Warm",
        remedies=[authority.Remedy("put_right", "Repair"), authority.Remedy("goodwill", amount="20")],
    )
    authority.option_choose(option=option, actor=case_handler, reason="Fastest")
    resolution.agreement_record(case=problem, actor=case_handler, option=option, agreed_by="Sam", via="phone")
    resolution.task_add(
        case=problem,
        actor=case_handler,
        title="Book it",
        owner=adviser,
        due_at=timezone.now() + timedelta(days=1),
    )
    for person in (case_handler, assessor):
        sign_in(page, live_server.url, person)
        page.goto(f"{live_server.url}/cases/{problem.reference}/")
        page.locator("#process details.step").evaluate_all("els => els.forEach(el => { el.open = true; })")
        assert violations(page) == [], person.username
        page.get_by_role("button", name="Sign out").click()


def test_the_customers_view(
    page, live_server, monkeypatch, complaints_team, adviser, case_handler, team_leader
):
    from amends.experience.tests.histories import build_history, no_pdf

    monkeypatch.setattr("amends.letters.rendering.render_pdf", no_pdf)
    cases = build_history(
        email="grace.okafor@example.com",
        cases=2,
        rounds=2,
        team=complaints_team,
        adviser=adviser,
        handler=case_handler,
        leader=team_leader,
    )
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/customers/{cases[0].customer_id}/story")
    page.get_by_role("heading", name="Figures").wait_for()
    assert violations(page) == []


def test_the_competence_pages(
    page, live_server, case_handler, assessor, iqa, complaints_lead, complaints_team
):
    """A learner's portfolio (the matrix, the evidence and their forms), a criterion with the assessor's
    sign-off form, the IQA's sampling page, the practice library and the knowledge checks."""
    from amends.assessment.decisions import learner_enrol
    from amends.cases.tests.factories import make_case
    from amends.e2e.conftest import sign_out
    from amends.process.steps import understanding_confirm, understanding_record

    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4", "WM57"])
    case = make_case(team=complaints_team, owner=case_handler)
    u = understanding_record(case=case, actor=case_handler, what_happened="x", impact="y", outcome_wanted="z")
    understanding_confirm(understanding=u, via="phone", actor=case_handler)
    sign_in(page, live_server.url, case_handler)
    for path in (f"/competence/learners/{case_handler.pk}/", "/practice/", "/knowledge/"):
        page.goto(live_server.url + path)
        assert violations(page) == [], path
    sign_out(page)
    sign_in(page, live_server.url, assessor)
    page.goto(f"{live_server.url}/competence/learners/{case_handler.pk}/criteria/CFACSC4/P10/")
    assert violations(page) == []
    sign_out(page)
    sign_in(page, live_server.url, iqa)
    page.goto(f"{live_server.url}/competence/sampling/")
    assert violations(page) == []
