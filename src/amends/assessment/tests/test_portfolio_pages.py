"""The competence pages: who sees what, and every form posting to its service."""

import pytest

from amends.assessment.decisions import learner_enrol
from amends.assessment.models import CriterionDecision, Disruption, EvidenceItem, QualitySample
from amends.cases.tests.factories import make_case
from amends.conftest import login
from amends.messaging.services import message_send

pytestmark = pytest.mark.django_db
EMPATHY = (
    "I'm so sorry about this, I understand how frustrating it is. "
    "I will call you by 5pm on Friday 6 November."
)


@pytest.fixture
def learner(case_handler, assessor, complaints_lead, complaints_team):
    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4", "WM57"])
    case = make_case(team=complaints_team, owner=case_handler, name="Priya Shah")
    message_send(case=case, actor=case_handler, body=EMPATHY)
    return case_handler


def url(learner, tail=""):
    return f"/competence/learners/{learner.pk}/{tail}"


def test_the_learner_reads_their_portfolio_with_the_matrix_and_gaps(learner):
    page = login(learner).get("/competence/", follow=True)
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == url(learner)
    assert "CFACSC4 P11" in html and "Shows empathy without admitting fault" in html
    assert "Situations with no performance evidence yet" in html and "Busy time" in html
    assert "Priya" not in html  # minimised


def test_who_may_read_a_portfolio(learner, assessor, iqa, adviser, team_leader):
    for who, status in ((assessor, 200), (iqa, 200), (adviser, 404), (team_leader, 404)):
        assert login(who).get(url(learner)).status_code == status, who
    assert login(team_leader).get("/competence/").status_code == 200  # progress summary only
    assert "Hal Handler" in login(team_leader).get("/competence/").content.decode()


def test_the_assessor_signs_off_through_the_form_and_the_iqa_samples_it(learner, assessor, iqa):
    item = EvidenceItem.objects.get(learner=learner)
    page = login(assessor).get(url(learner, "criteria/CFACSC4/P11/"))
    assert b"Sign decision" in page.content
    login(assessor).post(
        url(learner, "criteria/CFACSC4/P11/decide"),
        {"evidence": [item.pk], "stage": "final", "comment": "Warm and clear", "signed_name": "Ash Assessor"},
    )
    decision = CriterionDecision.objects.get()
    assert decision.code == "CFACSC4 P11" and decision.evidence == [item.pk]
    assert b"Due" in login(iqa).get("/competence/sampling/").content
    login(iqa).post(
        f"/competence/sampling/{decision.pk}",
        {"outcome": "accepted", "comment": "Sound", "signed_name": "Ivy Quality"},
    )
    assert QualitySample.objects.get().outcome == "accepted"
    assert b"Signed off and quality assured" in login(learner).get(url(learner)).content


def test_a_refused_decision_is_shown_and_changes_nothing(learner, assessor):
    page = login(assessor).post(
        url(learner, "criteria/CFACSC4/P11/decide"),
        {"stage": "final", "comment": "x", "signed_name": "Someone Else"},
        follow=True,
    )
    assert "Sign with your name as your account has it" in page.content.decode()
    assert not CriterionDecision.objects.exists()


def test_the_learner_adds_a_reflective_account_and_corrects_tags(learner):
    client = login(learner)
    client.post(url(learner, "reflect"), {"criteria": "CFACSC4 K4", "text": "Empathy means..."})
    assert EvidenceItem.objects.filter(method="reflective_account", criteria__icontains="K4").exists()
    item = EvidenceItem.objects.get(method="case_event")
    client.post(
        f"/competence/evidence/{item.pk}/tags", {"situation": "busy", "channel": "written", "reason": "Rush"}
    )
    item.refresh_from_db()
    assert item.situation == "busy"


def test_the_pdf_downloads_for_the_learner_and_assessor(learner, assessor):
    for who in (learner, assessor):
        response = login(who).get(url(learner, "portfolio.pdf"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


def test_leads_enrol_and_team_leaders_record_disruptions(
    complaints_lead, adviser, assessor, team_leader, complaints_team
):
    login(complaints_lead).post(
        "/competence/enrol", {"learner": adviser.pk, "assessor": assessor.pk, "units": ["C4"]}
    )
    adviser.staff.refresh_from_db()
    assert adviser.staff.assessor == assessor
    login(team_leader).post(
        "/competence/disruptions/add",
        {
            "team": complaints_team.pk,
            "kind": "people",
            "what": "Two off sick",
            "started_at": "2026-11-04T09:00",
        },
    )
    assert Disruption.objects.get().what == "Two off sick"


def test_a_team_leader_gives_a_witness_statement_on_the_case_page(learner, team_leader):
    case = EvidenceItem.objects.get(learner=learner).case
    page = login(team_leader).get(f"/cases/{case.reference}/")
    assert b"Give a witness statement" in page.content
    login(team_leader).post(
        f"/cases/{case.reference}/witness",
        {"learner": learner.pk, "criteria": "CFACSC4 P14", "text": "Asked me to approve it"},
    )
    assert EvidenceItem.objects.get(method="witness").author == team_leader


def test_a_team_leader_who_is_a_learner_keeps_the_team_view_and_a_link_to_their_portfolio(
    team_leader, assessor, complaints_lead
):
    learner_enrol(actor=complaints_lead, learner=team_leader, assessor=assessor, units=["C4"])
    page = login(team_leader).get("/competence/")
    assert page.status_code == 200 and b"My portfolio" in page.content and b"Progress" in page.content
