"""The behaviour policy's services: who may decide what, what is refused (nothing saved), what is told."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.conduct import incidents, services
from amends.conduct.models import (
    BehaviourCategory,
    BehaviourIncident,
    ConductDecision,
    PolicyLevel,
    RestrictionType,
    WarningMarker,
    WellbeingFollowUp,
)
from amends.conduct.services import RestrictionIn
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

EMAIL_ONLY = RestrictionIn("one-channel", {"channels": ["email"]})


def _abuse(case, actor, **kw):
    return services.incident_report(
        actor=actor,
        customer=case.customer,
        case=case,
        category=kw.pop("category", "abuse-harassment"),
        channel="phone",
        description="Shouted and swore at me when I explained the refund timescale.",
        **kw,
    )


def _restrict(case, actor, incident, **kw):
    return services.decision_make(
        actor=actor,
        customer=case.customer,
        level=kw.pop("level", "L3"),
        reasons="Abuse continued after the written warning.",
        incidents=[incident],
        restrictions=kw.pop("restrictions", [EMAIL_ONLY]),
        adjustments_considered="Offered a named contact and written replies; no support needs known.",
        review_due=kw.pop("review_due", timezone.localdate() + timedelta(days=90)),
        case=case,
        **kw,
    )


def test_the_policy_is_seeded_as_data():
    assert set(BehaviourCategory.objects.values_list("code", flat=True)) >= {
        "violence-threats",
        "abuse-harassment",
        "unreasonable-demands",
        "unreasonable-persistence",
        "excessive-contact",
        "refusal-to-cooperate",
    }
    assert list(PolicyLevel.objects.values_list("code", flat=True)) == ["L0", "L1", "L2", "L3", "L4", "L5"]
    assert PolicyLevel.objects.get(code="L3").review_days == 90
    assert PolicyLevel.objects.get(code="L4").decided_by == ["complaints_lead", "admin"]
    assert RestrictionType.objects.count() == 9


def test_reporting_abuse_alerts_the_reporters_team_leader_once_urgently(case, adviser, team_leader):
    incident = _abuse(case, adviser)
    alerts = Notification.objects.filter(user=team_leader)
    assert alerts.count() == 1 and alerts.get().urgency == "urgent"
    assert "abuse" in alerts.get().text.lower() and case.reference in alerts.get().text
    assert incident.alerted_at is not None
    assert incidents._alert(incident, adviser) == []  # never twice
    assert Notification.objects.filter(user=team_leader).count() == 1
    assert CaseEvent.objects.filter(case=case, kind="behaviour_reported").count() == 1
    assert AuditEvent.objects.filter(kind="conduct.incident_reported", object_id=str(incident.pk)).exists()


def test_persistence_tells_nobody_at_once(case, adviser, team_leader):
    _abuse(case, adviser, category="unreasonable-persistence")
    assert not Notification.objects.filter(user=team_leader).exists()


def test_a_threat_needs_the_words_said(case, adviser):
    with pytest.raises(DomainError) as refused:
        _abuse(case, adviser, category="violence-threats")
    assert refused.value.fields == {"verbatim": "required"}
    assert not BehaviourIncident.objects.exists()


def test_an_assessor_reports_nothing(case, assessor):
    with pytest.raises(PermissionDenied):
        _abuse(case, assessor)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("adviser", False), ("case_handler", False), ("team_leader", True), ("complaints_lead", True)],
)
def test_only_a_role_the_level_authorises_imposes_a_restriction(request, case, adviser, persona, allowed):
    incident = _abuse(case, adviser)
    user = request.getfixturevalue(persona)
    if allowed:
        assert _restrict(case, user, incident).restrictions.count() == 1
    else:
        with pytest.raises(PermissionDenied) as refused:
            _restrict(case, user, incident)
        assert "team leaders" in refused.value.message
        assert not ConductDecision.objects.exists()


def test_a_severe_level_is_a_complaints_leads(case, adviser, team_leader, complaints_lead):
    incident = _abuse(case, adviser)
    severe = [RestrictionIn("exclusion-from-premises", {"premises": "The Leeds office"})]
    with pytest.raises(PermissionDenied):
        _restrict(case, team_leader, incident, level="L4", restrictions=severe)
    assert _restrict(case, complaints_lead, incident, level="L4", restrictions=severe).level.code == "L4"


def test_a_restriction_that_closes_every_channel_is_refused(case, adviser, team_leader):
    incident = _abuse(case, adviser)
    with pytest.raises(DomainError) as refused:
        _restrict(case, team_leader, incident, restrictions=[RestrictionIn("one-channel", {"channels": []})])
    assert refused.value.code == "every_channel_closed"
    assert "emergencies" in refused.value.message
    only_visits = RestrictionIn("one-channel", {"channels": ["face_to_face"]})
    banned = RestrictionIn("exclusion-from-premises", {"premises": "All offices"})
    with pytest.raises(DomainError) as refused:
        _restrict(case, team_leader, incident, level="L4", restrictions=[only_visits, banned])
    assert not ConductDecision.objects.exists()


def test_a_customer_with_support_needs_is_not_restricted_without_the_senior_check(
    case, adviser, team_leader, complaints_lead, fake_support_needs
):
    fake_support_needs.add(case.customer_id)
    incident = _abuse(case, adviser)
    with pytest.raises(DomainError) as refused:
        _restrict(case, team_leader, incident)
    assert refused.value.code == "senior_check_required" and "Large print" in refused.value.message
    with pytest.raises(DomainError):  # a team leader is not the senior check
        _restrict(case, team_leader, incident, senior_check_by=team_leader)
    assert not ConductDecision.objects.exists()
    decision = _restrict(case, team_leader, incident, senior_check_by=complaints_lead)
    assert decision.senior_check_by == complaints_lead
    assert "Large print" in decision.vulnerability_considered


def test_reasons_incidents_adjustments_and_a_review_date_are_required(case, adviser, team_leader):
    incident = _abuse(case, adviser)
    with pytest.raises(DomainError) as refused:
        services.decision_make(actor=team_leader, customer=case.customer, level="L2", reasons="Abuse")
    assert refused.value.fields == {"incidents": "required"}
    with pytest.raises(DomainError) as refused:
        _restrict(case, team_leader, incident, review_due=None)
    assert refused.value.fields == {"review_due": "required"}
    with pytest.raises(DomainError) as refused:
        _restrict(case, team_leader, incident, review_due=timezone.localdate() + timedelta(days=400))
    assert "never indefinite" in refused.value.message
    with pytest.raises(DomainError) as refused:
        services.decision_make(
            actor=team_leader,
            customer=case.customer,
            level="L3",
            reasons="Abuse",
            incidents=[incident],
            restrictions=[EMAIL_ONLY],
            review_due=timezone.localdate() + timedelta(days=90),
        )
    assert refused.value.fields == {"adjustments_considered": "required"}
    assert not ConductDecision.objects.exists()


def test_immediate_response_is_taken_by_whoever_faced_it(case, adviser, case_handler):
    incident = _abuse(case, adviser, immediate_action="ended_call")
    with pytest.raises(PermissionDenied):
        services.decision_make(
            actor=case_handler, customer=case.customer, level="L5", reasons="Ended", incidents=[incident]
        )
    decision = services.decision_make(
        actor=adviser, customer=case.customer, level="L5", reasons="I ended the call", incidents=[incident]
    )
    assert decision.level.code == "L5"
    with pytest.raises(DomainError):  # L5 restricts nothing
        services.decision_make(
            actor=adviser,
            customer=case.customer,
            level="L5",
            reasons="x",
            incidents=[incident],
            restrictions=[EMAIL_ONLY],
            adjustments_considered="x",
        )


def test_a_restriction_never_stops_the_complaints_clocks(case, adviser, team_leader, complaints_lead):
    from amends.process.models import CaseClock
    from amends.process.services import process_start

    process_start(case=case, regime_code="fca-disp", actor=complaints_lead)
    case.refresh_from_db()
    before = (
        case.respond_by,
        case.status,
        list(CaseClock.objects.filter(case=case).values_list("status", "due_at", "paused_at")),
    )
    incident = _abuse(case, adviser)
    _restrict(case, team_leader, incident)
    case = Case.objects.get(pk=case.pk)
    after = (
        case.respond_by,
        case.status,
        list(CaseClock.objects.filter(case=case).values_list("status", "due_at", "paused_at")),
    )
    assert before == after and before[2] and all(status == "running" for status, _, _ in before[2])


def test_a_new_decision_supersedes_the_last(case, adviser, team_leader):
    incident = _abuse(case, adviser)
    warning = services.decision_make(
        actor=team_leader, customer=case.customer, level="L2", reasons="Written warning", incidents=[incident]
    )
    restriction = _restrict(case, team_leader, incident)
    warning.refresh_from_db()
    assert warning.status == "superseded" and restriction.status == "active"


def test_the_review_reminder_fires_once_per_review_date(case, adviser, team_leader, complaints_lead):
    incident = _abuse(case, adviser)
    decision = _restrict(case, team_leader, incident, review_due=timezone.localdate() + timedelta(days=30))
    Notification.objects.all().delete()
    assert services.reviews_remind(timezone.now()) == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        from amends.process.tasks import sweep

        assert sweep().counts["conduct_reviews"] == 1
        assert sweep().counts["conduct_reviews"] == 0
        told = Notification.objects.filter(text__startswith="Review due")
        assert sorted(n.user_id for n in told) == sorted([team_leader.pk, complaints_lead.pk])
        services.decision_review(
            actor=team_leader,
            decision=decision,
            outcome="continue",
            reasons="Still abusive on the phone last week",
            next_review_due=timezone.localdate() + timedelta(days=60),
        )
    assert services.reviews_remind(timezone.now() + timedelta(days=40)) == 0
    assert services.reviews_remind(timezone.now() + timedelta(days=92)) == 1


def test_a_decision_past_its_review_date_stays_in_force_until_reviewed(case, adviser, team_leader):
    """Nothing lapses by itself: the reminder prompts a review; the restriction still applies meanwhile
    (there is no `expired` status, migration 0003)."""
    from amends.conduct.models import ConductDecision
    from amends.conduct.selectors import arrangements_for

    decision = _restrict(
        case, team_leader, _abuse(case, adviser), review_due=timezone.localdate() + timedelta(days=30)
    )
    assert "expired" not in ConductDecision.Status.values
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        from amends.process.tasks import sweep

        assert sweep().counts["conduct_reviews"] == 1
        decision.refresh_from_db()
        assert decision.status == "active" and decision.ended_at is None
        assert arrangements_for([case.customer_id])[case.customer_id].decision.pk == decision.pk


def test_a_review_lifts_or_varies(case, adviser, team_leader):
    incident = _abuse(case, adviser)
    decision = _restrict(case, team_leader, incident)
    with pytest.raises(DomainError):
        services.decision_review(actor=team_leader, decision=decision, outcome="lift", reasons="")
    review = services.decision_review(
        actor=team_leader,
        decision=decision,
        outcome="vary",
        reasons="Calls are calmer; letters and email now",
        variation=services.Variation(
            level="L3",
            reasons="Calmer, still abusive in writing at times",
            restrictions=[RestrictionIn("one-channel", {"channels": ["email", "letter"]})],
            review_due=timezone.localdate() + timedelta(days=60),
        ),
    )
    decision.refresh_from_db()
    assert decision.status == "superseded" and review.new_decision.status == "active"
    services.decision_review(
        actor=team_leader, decision=review.new_decision, outcome="lift", reasons="Improved"
    )
    assert not ConductDecision.objects.filter(status="active").exists()


def test_an_appeal_is_decided_by_someone_not_involved(
    case, adviser, team_leader, complaints_lead, mailoutbox
):
    incident = _abuse(case, adviser)
    decision = _restrict(case, team_leader, incident)
    appeal = services.appeal_lodge(actor=adviser, decision=decision, grounds="I was upset; I apologise.")
    with pytest.raises(Conflict):
        services.appeal_lodge(actor=adviser, decision=decision, grounds="Again")
    for involved in (team_leader, adviser):
        with pytest.raises(PermissionDenied):
            services.appeal_decide(actor=involved, appeal=appeal, outcome="overturned", reasons="x")
    decided = services.appeal_decide(
        actor=complaints_lead, appeal=appeal, outcome="overturned", reasons="An apology and calmer since"
    )
    decision.refresh_from_db()
    assert decided.outcome == "overturned" and decision.status == "overturned"
    told = case.messages.filter(direction="out", subject__icontains="appeal").get()
    assert "withdrawn" in told.body_text and "ombudsman" in told.body_text
    assert CaseEvent.objects.filter(case=case, kind="appeal_decided").exists()


def test_the_safety_report_in_one_step(case, adviser, team_leader):
    done = services.safety_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        channel="phone",
        description="Threatened to come to the office and hurt someone.",
        verbatim="I will come down there and hurt someone",
        immediate_action="ended_call",
        marker=services.MarkerRequest(reason="Threatened violence to staff on the phone"),
    )
    assert done.incident.category.code == "violence-threats" and done.incident.safety_report
    assert done.told == [team_leader]
    alert = Notification.objects.get(user=team_leader)
    assert alert.urgency == "urgent" and "wellbeing" in alert.text
    follow_up = WellbeingFollowUp.objects.get()
    assert follow_up.owner == team_leader and follow_up.staff_member == adviser
    assert follow_up.due_at - follow_up.created_at <= timedelta(days=3)
    marker = WarningMarker.objects.get()
    assert "Health and Safety at Work" in marker.basis and "assessor" not in marker.visible_to
    services.follow_up_done(actor=team_leader, follow_up=follow_up, note="Spoke to Ada; offered a break")
    with pytest.raises(Conflict):
        services.follow_up_done(actor=team_leader, follow_up=follow_up, note="again")


def test_markers_are_reviewed_and_removed_by_managers(case, adviser, team_leader):
    marker = services.marker_add(
        actor=adviser,
        customer=case.customer,
        reason="Threats",
        basis="HSWA 1974",
        visible_to=["adviser", "team_leader"],
        review_due=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(PermissionDenied):
        services.marker_remove(actor=adviser, marker=marker, reason="x")
    services.marker_review(
        actor=team_leader,
        marker=marker,
        reasons="Still needed",
        review_due=timezone.localdate() + timedelta(days=90),
    )
    services.marker_remove(actor=team_leader, marker=marker, reason="No incidents for a year")
    assert WarningMarker.objects.get().removed_at is not None
    kinds = set(AuditEvent.objects.filter(object_type="conduct.warningmarker").values_list("kind", flat=True))
    assert kinds == {"conduct.marker_added", "conduct.marker_reviewed", "conduct.marker_removed"}


def test_the_policy_is_edited_by_leads_only_and_audited(team_leader, complaints_lead):
    level = PolicyLevel.objects.get(code="L3")
    with pytest.raises(PermissionDenied):
        services.level_save(
            actor=team_leader,
            level=level,
            name="x",
            allows="",
            decided_by=["admin"],
            notice_required=True,
            review_days=90,
        )
    services.level_save(
        actor=complaints_lead,
        level=level,
        name="Time-limited restrictions",
        allows="x",
        decided_by=["complaints_lead", "admin"],
        notice_required=True,
        review_days=60,
    )
    with pytest.raises(DomainError):
        services.level_save(
            actor=complaints_lead,
            level=level,
            name="x",
            allows="",
            decided_by=["admin"],
            notice_required=True,
            review_days=None,
        )
    added = services.category_save(actor=complaints_lead, name="Filming staff", severity_floor="L2")
    assert added.code == "filming-staff"
    assert AuditEvent.objects.filter(kind__in=["conduct.level_saved", "conduct.category_saved"]).count() == 2


def test_a_markers_review_reminder_fires_once(case, adviser, team_leader):
    services.marker_add(
        actor=adviser,
        customer=case.customer,
        reason="Threats",
        basis="HSWA 1974",
        visible_to=["adviser", "team_leader"],
        review_due=timezone.localdate() + timedelta(days=10),
    )
    assert services.markers_remind(timezone.now()) == 0
    later = timezone.now() + timedelta(days=11)
    assert services.markers_remind(later) == 1
    assert services.markers_remind(later) == 0
    told = Notification.objects.filter(text__startswith="Review due: the warning marker")
    assert sorted(n.user_id for n in told) == sorted([adviser.pk, team_leader.pk])
