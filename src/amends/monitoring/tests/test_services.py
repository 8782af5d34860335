"""Special reviews' course (open by hand, owner, findings, close) and the settings: who may, what is
refused, what is audited."""

from __future__ import annotations

import pytest

from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification
from amends.monitoring import services
from amends.monitoring.models import ServiceReview, SpcSetting

pytestmark = pytest.mark.django_db


def _audit(review) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="monitoring.servicereview", object_id=str(review.pk))
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_a_review_by_hand_runs_its_course_with_events(complaints_lead, team_leader):
    review = services.review_open(
        actor=complaints_lead,
        dimension="product",
        category="Mortgage",
        summary="Three branches tell us mortgage offers are arriving late",
        owner=team_leader,
    )
    assert (review.status, review.trigger, review.owner) == ("open", "manual", team_leader)
    assert Notification.objects.filter(user=team_leader, text__contains="You own special review").count() == 1
    services.review_findings(
        review=review, findings="Offers wait for a manual valuation check", actor=team_leader
    )
    review.refresh_from_db()
    assert review.status == "in_review" and review.findings_at is not None
    services.review_close(
        review=review, outcome="delivery_changed", note="Valuations automated", actor=complaints_lead
    )
    review.refresh_from_db()
    assert (review.status, review.outcome, review.closed_by) == (
        "closed",
        "delivery_changed",
        complaints_lead,
    )
    assert _audit(review) == ["review.opened", "review.findings", "review.closed"]
    assert Notification.objects.filter(user=team_leader, text__contains="was closed").count() == 1


def test_one_open_review_per_category(complaints_lead):
    services.review_open(
        actor=complaints_lead, dimension="channel", category="phone", summary="Calls dropped"
    )
    with pytest.raises(Conflict):
        services.review_open(actor=complaints_lead, dimension="channel", category="phone", summary="Again")
    assert ServiceReview.objects.count() == 1


@pytest.mark.parametrize("persona", ["adviser", "team_leader", "assessor"])
def test_only_leads_open_assign_and_close(request, persona, complaints_lead):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.review_open(actor=user, dimension="product", category="Savings", summary="x")
    review = services.review_open(actor=complaints_lead, dimension="product", category="Savings", summary="x")
    with pytest.raises(PermissionDenied):
        services.review_assign(review=review, owner=complaints_lead, actor=user)
    services.review_findings(review=review, findings="Found", actor=complaints_lead)
    with pytest.raises(PermissionDenied):
        services.review_close(review=review, outcome="no_cause", note="", actor=user)
    assert ServiceReview.objects.get().status == "in_review"


def test_the_owner_records_findings_and_others_may_not(complaints_lead, team_leader, case_handler):
    review = services.review_open(actor=complaints_lead, dimension="team", category="Complaints", summary="x")
    with pytest.raises(PermissionDenied):
        services.review_findings(review=review, findings="Mine", actor=team_leader)  # not its owner yet
    services.review_assign(review=review, owner=team_leader, actor=complaints_lead)
    services.review_findings(review=review, findings="Mine", actor=team_leader)
    with pytest.raises(DomainError, match="may not own"):
        services.review_assign(review=review, owner=case_handler, actor=complaints_lead)
    assert ServiceReview.objects.get().owner == team_leader


def test_bad_input_changes_nothing(complaints_lead):
    with pytest.raises(DomainError) as err:
        services.review_open(actor=complaints_lead, dimension="colour", category="Red", summary="x")
    assert "dimension" in err.value.fields
    with pytest.raises(DomainError):
        services.review_open(actor=complaints_lead, dimension="product", category="  ", summary="x")
    review = services.review_open(actor=complaints_lead, dimension="product", category="ISA", summary="x")
    with pytest.raises(DomainError, match="found before closing"):
        services.review_close(review=review, outcome="no_cause", note="", actor=complaints_lead)
    services.review_findings(review=review, findings="Nothing special", actor=complaints_lead)
    with pytest.raises(DomainError):
        services.review_close(review=review, outcome="shrug", note="", actor=complaints_lead)
    stale = review.version
    services.review_assign(review=review, owner=complaints_lead, actor=complaints_lead)
    with pytest.raises(Conflict):
        services.review_findings(review=review, findings="Overwrite", actor=complaints_lead, version=stale)
    services.review_close(review=review, outcome="no_cause", note="", actor=complaints_lead)
    with pytest.raises(DomainError, match="closed"):
        services.review_findings(review=review, findings="Late", actor=complaints_lead)
    assert ServiceReview.objects.get().findings == "Nothing special"


def test_settings_are_validated_whole_and_audited(complaints_lead, team_leader):
    setting = SpcSetting.objects.get(pk=1)
    assert setting.method == "poisson" and len(setting.dimensions) == 5
    with pytest.raises(PermissionDenied):
        services.settings_save(actor=team_leader, dimensions=["product"], method="ewma")
    with pytest.raises(DomainError) as err:
        services.settings_save(
            actor=complaints_lead, dimensions=["product", "weather"], method="ewma", ewma_lambda=5
        )
    assert set(err.value.fields) == {"dimensions", "ewma_lambda"}
    assert SpcSetting.objects.get(pk=1).method == "poisson"
    services.settings_save(actor=complaints_lead, dimensions=["product"], method="cusum", cusum_h=5.0)
    saved = SpcSetting.objects.get(pk=1)
    assert (saved.method, saved.cusum_h, saved.dimensions) == ("cusum", 5.0, ["product"])
    event = AuditEvent.objects.get(kind="monitoring.settings")
    assert event.before["method"] == "poisson" and event.after["method"] == "cusum"
