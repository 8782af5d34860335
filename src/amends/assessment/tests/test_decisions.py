"""Sign-off and quality assurance: Ash, Hal's assessor, signs off criteria against the evidence, e-signed;
Ivy, the internal quality assurer, samples the final decisions against the plan. Nobody else can."""

import pytest

from amends.assessment.decisions import (
    criterion_decide,
    learner_enrol,
    sample_record,
    sampling_plan,
    sampling_plan_set,
)
from amends.assessment.evidence import reflective_account_add
from amends.assessment.models import CriterionDecision, EvidenceItem, QualitySample
from amends.assessment.selectors import portfolio, progress, sampling_view
from amends.cases.tests.factories import make_case
from amends.conftest import _person
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification, Role
from amends.process.steps import understanding_confirm, understanding_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(case_handler, assessor, complaints_lead, complaints_team):
    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4", "C4"])
    case = make_case(team=complaints_team, owner=case_handler)
    u = understanding_record(case=case, actor=case_handler, what_happened="x", impact="y", outcome_wanted="z")
    understanding_confirm(understanding=u, via="phone", actor=case_handler)
    return case_handler


def p10_evidence(learner):
    return [i.pk for i in EvidenceItem.objects.filter(learner=learner) if "CFACSC4 P10" in i.criteria]


def decide(learner, assessor, code="CFACSC4 P10", stage="final", evidence=None, **given):
    return criterion_decide(
        assessor=assessor,
        learner=learner,
        code=code,
        stage=stage,
        comment=given.get("comment", "Clear check-back, confirmed by the customer"),
        evidence_ids=p10_evidence(learner) if evidence is None else evidence,
        signed_name=given.get("signed_name", "Ash Assessor"),
    )


def test_the_assessor_signs_off_a_criterion_against_its_evidence(learner, assessor):
    decision = decide(learner, assessor)
    assert (decision.code, decision.stage, decision.signed_name) == ("CFACSC4 P10", "final", "Ash Assessor")
    assert len(decision.evidence_digest) == 64 and decision.evidence == p10_evidence(learner)
    assert AuditEvent.objects.filter(kind="competence.decided", actor=assessor).exists()
    assert Notification.objects.filter(user=learner, text__contains="CFACSC4 P10").exists()
    row = portfolio(learner).row("CFACSC4 P10")
    assert row.status == "final" and row.situations == {"routine"}


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"signed_name": "A. Assessor"}, {"signed_name": "does not match"}),
        ({"signed_name": ""}, {"signed_name": "required"}),
        ({"comment": " "}, {"comment": "required"}),
        ({"code": "WM57 1"}, {"code": "not in their units"}),
        ({"stage": "done"}, {"stage": "working_towards, final"}),
    ],
)
def test_bad_decisions_are_refused_and_change_nothing(learner, assessor, given, fields):
    with pytest.raises(DomainError) as refused:
        decide(learner, assessor, **given)
    assert refused.value.fields == fields
    assert not CriterionDecision.objects.exists()


def test_final_needs_real_work_a_reflective_account_alone_is_not_enough(learner, assessor):
    account = reflective_account_add(learner=learner, criteria="CFACSC4 P11", text="I showed empathy when...")
    with pytest.raises(DomainError) as refused:
        decide(learner, assessor, code="CFACSC4 P11", evidence=[account.pk])
    assert refused.value.code == "insufficient_evidence"
    decide(learner, assessor, code="CFACSC4 P11", evidence=[account.pk], stage="working_towards")
    assert portfolio(learner).row("CFACSC4 P11").status == "working_towards"


def test_evidence_of_another_criterion_or_learner_is_refused(learner, assessor, adviser):
    other = [i.pk for i in EvidenceItem.objects.filter(learner=learner) if "CFACSC4 P10" not in i.criteria]
    with pytest.raises(DomainError) as refused:
        decide(learner, assessor, evidence=other)
    assert refused.value.fields == {"evidence": "not evidence of it"}


def test_only_the_learners_own_assessor_decides(learner, complaints_team, team_leader, iqa):
    stranger = _person("ora", Role.ASSESSOR, complaints_team, "Ora", "Other")
    for who in (stranger, team_leader, iqa, learner):
        with pytest.raises(PermissionDenied):
            decide(learner, who, signed_name=who.get_full_name())


def test_the_iqa_samples_a_final_decision_and_a_rejection_reopens_it(learner, assessor, iqa):
    decision = decide(learner, assessor)
    plans, rows = sampling_view(sampling_plan())
    (plan,) = plans
    assert (plan.decisions, plan.sampled, plan.required, plan.compliant) == (1, 0, 1, False)
    assert rows[0].due and rows[0].methods == ["case_event"]
    sample_record(
        iqa=iqa, decision=decision, outcome="rejected", comment="Thin: one item", signed_name="Ivy Quality"
    )
    assert portfolio(learner).row("CFACSC4 P10").status == "returned"
    assert Notification.objects.filter(user=assessor, urgency="urgent").exists()
    (sample,) = QualitySample.objects.all()
    assert sample.snapshot["evidence"][0]["method"] == "case_event"
    again = decide(learner, assessor)
    sample_record(iqa=iqa, decision=again, outcome="accepted", comment="Sound", signed_name="Ivy Quality")
    assert portfolio(learner).row("CFACSC4 P10").status == "assured"
    plans, _ = sampling_view(sampling_plan())
    assert plans[0].compliant


def test_sampling_refuses_the_wrong_people_and_stale_decisions(learner, assessor, iqa):
    first = decide(learner, assessor)
    with pytest.raises(PermissionDenied):
        sample_record(
            iqa=assessor, decision=first, outcome="accepted", comment="x", signed_name="Ash Assessor"
        )
    decide(learner, assessor, stage="working_towards")
    with pytest.raises(DomainError) as refused:
        sample_record(iqa=iqa, decision=first, outcome="accepted", comment="x", signed_name="Ivy Quality")
    assert refused.value.fields == {"decision": "not current final"}
    assert not QualitySample.objects.exists()


def test_the_plan_is_set_by_an_iqa_within_bounds(iqa, assessor):
    with pytest.raises(PermissionDenied):
        sampling_plan_set(actor=assessor, percent=50, every_unit=True, every_method=False)
    with pytest.raises(DomainError):
        sampling_plan_set(actor=iqa, percent=0, every_unit=True, every_method=False)
    sampling_plan_set(actor=iqa, percent=50, every_unit=False, every_method=False)
    assert (sampling_plan().percent, sampling_plan().every_unit) == (50, False)


def test_managers_see_counts_in_their_team_only(learner, assessor, team_leader, adviser, other_team_adviser):
    decide(learner, assessor)
    (row,) = progress(team_leader)
    assert row.learner == learner and ("CFACSC4", 1, 27) in row.units and row.evidence == 2
    assert progress(adviser) == [] and progress(other_team_adviser) == []


def test_enrolment_is_for_leads_and_admins_and_checks_its_choices(
    case_handler, assessor, adviser, complaints_lead
):
    with pytest.raises(PermissionDenied):
        learner_enrol(actor=adviser, learner=case_handler, assessor=assessor, units=["C4"])
    with pytest.raises(DomainError) as refused:
        learner_enrol(actor=complaints_lead, learner=case_handler, assessor=adviser, units=["C4"])
    assert refused.value.fields == {"assessor": "not an assessor"}
    with pytest.raises(DomainError) as refused:
        learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["NVQ9"])
    assert refused.value.fields == {"units": "NVQ9"}
    case_handler.staff.refresh_from_db()
    assert case_handler.staff.assessor_id is None


def test_the_ocr_unit_wants_every_situation_and_different_customers_before_it_is_complete(
    learner, assessor, iqa
):
    folio = portfolio(learner)
    ocr = next(u for u in folio.units if u.code == "C4")
    assert any("every situation" in rule for rule in ocr.rules_unmet)
    assert any("3 different customers' cases" in rule for rule in ocr.rules_unmet)
    cfacsc4 = next(u for u in folio.units if u.code == "CFACSC4")
    assert cfacsc4.rules_unmet == []  # the NOS names no situations of its own
