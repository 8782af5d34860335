"""An assessor sees the whole case as a complaints lead sees it (signals, understanding, evidence, finding,
options and their remedies, approvals, letters and their PDFs, a problem's agreement and tasks) and is
offered no form; the server refuses what they post whatever the page shows (core/permissions.py).

Ash, the assessor, is in the complaints team, as is the case; Lee, the complaints lead, sees every case.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.tests.factories import make_case, make_contact_case
from amends.conftest import api_client, login
from amends.letters.models import Letter
from amends.process import authority, resolution, services, steps
from amends.process.letters import process_compose_letter
from amends.process.models import Finding, Task, Understanding

pytestmark = pytest.mark.django_db

ANGRY = (
    "This is the third time I have written and you STILL haven't refunded the £120 you took twice. I am "
    "furious. If it isn't sorted today I'm going to the ombudsman."
)
SEEN = [
    "Risk",  # the signals panel
    "Taken twice on 1 November",  # understanding
    "Bank statement shows two debits",  # evidence
    "Our payment retry ran after the first payment succeeded",  # the finding's reasoning
    "Two debits of £120",  # the finding's facts
    "Refund and goodwill",  # an option...
    "The duplicate £120",  # ...and its remedies
    "Compensation for the overdraft",  # an option waiting for approval
    "Approval requested",
    "Holding response",
]


@pytest.fixture
def worked(complaints_team, case_handler, team_leader):
    """A complaint under a regime, worked as far as an approval waiting and a draft letter."""
    case = make_contact_case(text=ANGRY, email="riley.hart@example.com").case
    Case.objects.filter(pk=case.pk).update(team=complaints_team, owner=case_handler)
    case.refresh_from_db()
    services.process_start(case=case, regime_code="hos-2024", actor=case_handler)
    steps.understanding_record(
        case=case,
        actor=case_handler,
        what_happened="Taken twice on 1 November",
        impact="Overdrawn",
        outcome_wanted="Refund",
    )
    steps.evidence_add(
        case=case, actor=case_handler, kind="record", description="Bank statement shows two debits"
    )
    steps.finding_record(
        case=case,
        actor=case_handler,
        outcome="justified",
        facts="Two debits of £120",
        reasoning="Our payment retry ran after the first payment succeeded",
    )
    authority.option_add(
        case=case,
        actor=case_handler,
        title="Refund and goodwill",
        benefits_customer="Money back",
        remedies=[
            authority.Remedy("refund", "The duplicate £120", "120"),
            authority.Remedy("goodwill", amount="20"),
        ],
    )
    big = authority.option_add(
        case=case,
        actor=case_handler,
        title="Compensation for the overdraft",
        remedy_type="compensation",
        amount="900",
        benefits_customer="Covers the distress",
    )
    authority.approval_request(option=big, actor=case_handler, reason="Beyond my limit")
    process_compose_letter(case=case, kind="holding", actor=case_handler, fields={"delay_reasons": "waiting"})
    return case


def _forms(page: str, case) -> list[str]:
    """The forms on the page that would change the case: not the sign-out form in the header, nor an
    assessor's own observation of the work (assessment), which changes nothing on it."""
    forms = re.findall(rf'<form[^>]*action="/cases/{case.reference}/[^"]*"', page)
    return [form for form in forms if not form.endswith('/observations"')]


def test_an_assessor_sees_what_a_complaints_lead_sees_and_no_form(worked, assessor, complaints_lead):
    lead_page = login(complaints_lead).get(f"/cases/{worked.reference}/").content.decode()
    page = login(assessor).get(f"/cases/{worked.reference}/").content.decode()
    for text in SEEN:
        assert text in lead_page, text
        assert text in page, text
    letter = Letter.objects.get(case=worked)
    assert f"/cases/{worked.reference}/letters/{letter.pk}.pdf" in page
    assert _forms(lead_page, worked) != []
    assert _forms(page, worked) == []
    assert "You can read this case but not change it." in page
    pdf = login(assessor).get(f"/cases/{worked.reference}/letters/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_assessor_reads_the_process_over_the_api(worked, assessor):
    out = api_client(assessor).get(f"/api/v1/cases/{worked.reference}/process").json()
    assert (
        out["finding"] == "justified" and len(out["options"]) == 2 and out["letters"][0]["kind"] == "holding"
    )
    assert [r["description"] for r in out["options"][0]["remedies"]] == ["The duplicate £120", ""]


def test_what_an_assessor_posts_is_refused_and_changes_nothing(worked, assessor):
    client = login(assessor)
    base = f"/cases/{worked.reference}/process"
    response = client.post(
        f"{base}/finding",
        {"outcome": "not_justified", "facts": "x", "reasoning": "y", "version": "1"},
        follow=True,
    )
    assert "You can view this case but not work on it" in response.content.decode()
    client.post(f"{base}/understanding", {"what_happened": "a", "impact": "b", "outcome_wanted": "c"})
    assert (
        Finding.objects.filter(case=worked).count() == 1
        and Understanding.objects.filter(case=worked).count() == 1
    )
    api = api_client(assessor)
    refused = api.post(
        f"/api/v1/cases/{worked.reference}/process/satisfaction",
        {"answer": "satisfied"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_an_assessor_sees_a_problems_agreement_and_tasks(complaints_team, case_handler, adviser, assessor):
    problem = make_case(kind="problem", team=complaints_team, owner=case_handler)
    summary = steps.understanding_record(
        case=problem, actor=case_handler, what_happened="No repair", impact="Cold", outcome_wanted="Repair"
    )
    steps.understanding_confirm(understanding=summary, via="phone", actor=case_handler)
    option = authority.option_add(
        case=problem,
        actor=case_handler,
        title="Priority repair",
        remedy_type="put_right",
        benefits_customer="Warm",
    )
    authority.option_choose(option=option, actor=case_handler, reason="Fastest")
    resolution.agreement_record(
        case=problem, actor=case_handler, option=option, agreed_by="Sam Tenant", via="phone"
    )
    resolution.task_add(
        case=problem,
        actor=case_handler,
        title="Book the engineer",
        owner=adviser,
        due_at=timezone.now() + timedelta(days=1),
    )
    page = login(assessor).get(f"/cases/{problem.reference}/").content.decode()
    assert "Sam Tenant" in page and "Book the engineer" in page and "Priority repair" in page
    assert _forms(page, problem) == []
    assert Task.objects.filter(case=problem).count() == 1
