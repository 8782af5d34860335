"""Evidence from real work: Hal, a case handler working towards the qualification (assessed by Ash), handles
complaints; what he does becomes evidence against the right criteria, tagged with situation and channel,
minimised. Ada, an adviser who is not a learner, does the same work and gets none.
"""

from datetime import timedelta

import pytest

from amends.assessment.decisions import disruption_record, learner_enrol
from amends.assessment.evidence import (
    evidence_recapture,
    evidence_tags_set,
    minimised,
    reflective_account_add,
    witness_statement_add,
)
from amends.assessment.models import EvidenceItem
from amends.assessment.services import observation_record
from amends.assessment.tests.conftest import NOW
from amends.cases.tests.factories import make_case
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import AuditEvent
from amends.customers.alerts import colleague_alert_raise
from amends.messaging.services import message_send
from amends.process.steps import understanding_confirm, understanding_record

pytestmark = pytest.mark.django_db
EMPATHY = (
    "I'm sorry this has been so frustrating, and I understand why you are upset. "
    "I will call you by 5pm on Thursday 6 November with an update on the refund."
)


@pytest.fixture
def learner(case_handler, assessor, complaints_lead):
    learner_enrol(
        actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4", "WM57", "C4"]
    )
    return case_handler


@pytest.fixture
def case(complaints_team, case_handler):
    return make_case(team=complaints_team, owner=case_handler, summary="Charged twice", name="Priya Shah")


def check_back(case, actor):
    understanding = understanding_record(
        case=case, actor=actor, what_happened="Charged twice", impact="Overdrawn", outcome_wanted="Refund"
    )
    return understanding_confirm(understanding=understanding, via="phone", actor=actor)


def test_a_learners_check_back_becomes_evidence_with_the_same_competence_in_other_units(learner, case):
    check_back(case, learner)

    recorded, confirmed = EvidenceItem.objects.filter(learner=learner).order_by("pk")
    assert recorded.criteria == ["CFACSC7 4", "CFACSC4 P9", "C4 2.2", "WM57 1", "WM57 16"]
    assert confirmed.criteria == ["CFACSC4 P10", "C4 2.3", "WM57 1"]
    assert confirmed.method == "case_event" and confirmed.case == case
    assert confirmed.channel == "written" and confirmed.situation == "routine"
    assert confirmed.rule == "capture v1: understanding_confirmed"
    assert "Priya" not in confirmed.what and "Shah" not in confirmed.what
    assert len(confirmed.content_hash) == 64
    assert AuditEvent.objects.filter(kind="evidence.captured", object_id=str(confirmed.pk)).exists()


def test_nobody_elses_work_is_evidence(adviser, learner, complaints_team):
    check_back(make_case(team=complaints_team, owner=adviser), adviser)
    assert not EvidenceItem.objects.exists()


def test_a_customer_confirming_on_their_status_page_evidences_whoever_wrote_the_summary(learner, case):
    understanding = understanding_record(
        case=case, actor=learner, what_happened="Charged twice", impact="Overdrawn", outcome_wanted="Refund"
    )
    understanding_confirm(understanding=understanding, via="status page", actor=None)
    items = EvidenceItem.objects.filter(learner=learner)
    assert sum("CFACSC4 P10" in i.criteria for i in items) == 1


def test_the_reply_coach_finds_empathy_and_a_dated_next_step_in_a_reply(learner, case):
    message_send(case=case, actor=learner, body=EMPATHY)
    (item,) = EvidenceItem.objects.filter(learner=learner)
    assert item.criteria == ["WM57 13", "WM57 d", "CFACSC4 P11", "C4 2.4", "CFACSC4 P15", "C4 2.8"]
    assert "empathy" in item.what


def test_a_curt_reply_evidences_keeping_informed_only(learner, case):
    message_send(case=case, actor=learner, body="Your refund has been processed.")
    (item,) = EvidenceItem.objects.filter(learner=learner)
    assert "CFACSC4 P11" not in item.criteria


def test_a_phone_case_is_tagged_phone_and_a_disruption_tags_let_down(learner, team_leader, complaints_team):
    disruption_record(
        actor=team_leader,
        team=complaints_team,
        kind="systems",
        what="Billing system down all afternoon",
        started_at=NOW - timedelta(hours=2),
        ended_at=None,
    )
    check_back(make_case(team=complaints_team, owner=learner, channel="phone"), learner)
    item = EvidenceItem.objects.filter(learner=learner).last()
    assert item.channel == "phone" and item.situation == "let_down"
    assert "Billing system down" in item.derived["why"]


def test_a_busy_week_is_tagged_busy(learner, complaints_team):
    for weeks_ago in range(1, 9):  # 4 a week for eight weeks, then 8 this week
        with_time(
            NOW - timedelta(weeks=weeks_ago, days=1),
            lambda: [make_case(team=complaints_team) for _ in range(4)],
        )
    for _ in range(8):
        make_case(team=complaints_team)
    check_back(make_case(team=complaints_team, owner=learner), learner)
    item = EvidenceItem.objects.filter(learner=learner).last()
    assert item.situation == "busy", item.derived


def with_time(at, action):
    import time_machine

    with time_machine.travel(at, tick=False):
        return action()


def test_capture_is_idempotent_and_recapture_finds_work_before_enrolment(
    case_handler, assessor, complaints_lead, case
):
    check_back(case, case_handler)  # before enrolment: nothing
    assert not EvidenceItem.objects.exists()
    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4"])
    assert EvidenceItem.objects.filter(learner=case_handler).count() == 2  # enrolment captured it
    assert evidence_recapture(case_handler, since=NOW - timedelta(days=30)) == 0


def test_the_learner_changes_the_tags_with_a_reason_and_the_hash_follows(learner, case, adviser):
    check_back(case, learner)
    item = EvidenceItem.objects.filter(learner=learner).last()
    was = item.content_hash
    with pytest.raises(DomainError) as refused:
        evidence_tags_set(evidence=item, actor=learner, situation="busy", channel="written", reason=" ")
    assert refused.value.fields == {"reason": "required"}
    with pytest.raises(PermissionDenied):
        evidence_tags_set(evidence=item, actor=adviser, situation="busy", channel="written", reason="x")
    evidence_tags_set(
        evidence=item, actor=learner, situation="busy", channel="written", reason="Two off sick"
    )
    item.refresh_from_db()
    assert (item.situation, item.changed_reason, item.derived["situation"]) == (
        "busy",
        "Two off sick",
        "routine",
    )
    assert item.content_hash != was
    assert AuditEvent.objects.filter(kind="evidence.tags_changed", reason="Two off sick").exists()


def test_observation_witness_reflective_and_alert_are_evidence(learner, case, assessor, team_leader):
    observation_record(
        case=case, assessor=assessor, learner=learner, criteria="CFACSC4 P8", seen="Let Priya talk"
    )
    witness_statement_add(
        witness=team_leader,
        learner=learner,
        case=case,
        criteria="CFACSC4 P14",
        text="Asked me to approve a refund",
    )
    reflective_account_add(
        learner=learner, criteria="CFACSC4 K4", text="Empathy is... email priya@example.com"
    )
    colleague_alert_raise(
        customer=case.customer, actor=learner, kind="may_reopen", text="May call back about fees"
    )
    items = {i.method: i for i in EvidenceItem.objects.filter(learner=learner)}
    assert (
        items["observation"].criteria == ["CFACSC4 P8", "C4 2.1"]
        and items["observation"].what == "Let [customer] talk"
    )
    assert items["witness"].author == team_leader
    assert items["reflective_account"].what == "Empathy is... email [email]"
    assert EvidenceItem.objects.get(source__startswith="alert:").criteria[:2] == ["CFACSC4 P16", "C4 2.9"]


def test_people_added_evidence_refuses_bad_input_and_changes_nothing(learner, case, adviser, team_leader):
    with pytest.raises(DomainError) as refused:
        reflective_account_add(learner=learner, criteria="CFACSC4 P99", text="x")
    assert refused.value.fields == {"criteria": "CFACSC4 P99"}
    with pytest.raises(DomainError):
        reflective_account_add(learner=adviser, criteria="CFACSC4 K4", text="x")  # not a learner
    with pytest.raises(PermissionDenied):
        witness_statement_add(witness=adviser, learner=learner, case=case, criteria="CFACSC4 P8", text="x")
    with pytest.raises(DomainError) as refused:
        witness_statement_add(witness=team_leader, learner=learner, case=case, criteria="CFACSC4 P8", text="")
    assert refused.value.fields == {"text": "required"}
    assert not EvidenceItem.objects.exclude(method="case_event").exists()


def test_minimising_takes_out_the_customers_name_email_and_phone(case):
    said = "Priya Shah rang from 07700 900123, then wrote from p.shah@example.com; I told priya to wait"
    assert (
        minimised(said, case)
        == "[customer] rang from [phone], then wrote from [email]; I told [customer] to wait"
    )


def test_a_disruption_recorded_afterwards_retags_evidence_in_its_window_but_not_the_learners_own_tags(
    learner, team_leader, complaints_team
):
    check_back(make_case(team=complaints_team, owner=learner), learner)
    first, second = EvidenceItem.objects.filter(learner=learner).order_by("pk")
    evidence_tags_set(
        evidence=second, actor=learner, situation="quiet", channel="written", reason="Empty office"
    )
    disruption = disruption_record(
        actor=team_leader,
        team=complaints_team,
        kind="people",
        what="Half the team off sick",
        started_at=NOW - timedelta(hours=1),
        ended_at=NOW,
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.situation == "let_down" and "Half the team off sick" in first.derived["why"]
    assert second.situation == "quiet"
    audit = AuditEvent.objects.get(kind="competence.disruption", object_id=str(disruption.pk))
    assert audit.after["retagged"] == [first.pk]


def test_a_capture_fault_never_stops_the_work_and_is_logged(learner, case, monkeypatch, caplog):
    from amends.assessment import evidence

    def broken(**_kwargs):
        raise RuntimeError("portfolio unavailable")

    monkeypatch.setattr(evidence, "_captured", broken)
    understanding = check_back(case, learner)
    assert understanding.confirmed_at is not None  # the customer's case saved
    assert case.events.filter(kind="understanding_confirmed").exists()
    assert not EvidenceItem.objects.exists()
    assert "Evidence capture failed for case event" in caplog.text
    monkeypatch.undo()
    assert evidence_recapture(learner, since=NOW - timedelta(days=1)) == 2  # and recapture finds it
