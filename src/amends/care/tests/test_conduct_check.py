"""Care answers conduct's question (conduct.hooks.support_needs): a customer whose support needs are recorded
cannot be restricted without a senior check that adjustments were considered (regulation.md 3.2 (c), 3.5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amends.care.schemas import SupportNeedsIn
from amends.care.services import support_needs_end, support_needs_record
from amends.cases.tests.factories import make_case
from amends.conduct import services as conduct
from amends.conduct.models import ConductDecision
from amends.conduct.services import RestrictionIn
from amends.core.errors import DomainError

pytestmark = pytest.mark.django_db


def _restrict(case, actor, incident, **kw):
    return conduct.decision_make(
        actor=actor,
        customer=case.customer,
        level="L3",
        reasons="Abuse continued after the written warning.",
        incidents=[incident],
        restrictions=[RestrictionIn("one-channel", {"channels": ["email"]})],
        adjustments_considered="Offered phone calls with her son present; written replies in large print.",
        review_due=timezone.localdate() + timedelta(days=90),
        case=case,
        **kw,
    )


def test_recorded_support_needs_ask_for_the_senior_check_and_ended_ones_do_not(
    complaints_team, adviser, team_leader, complaints_lead
):
    case = make_case(team=complaints_team)
    support_needs_record(
        customer=case.customer,
        actor=team_leader,
        data=SupportNeedsIn(extra_time=True, disclosed_via="phone", lawful_basis="explicit_consent"),
    )
    incident = conduct.incident_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        category="abuse-harassment",
        channel="phone",
        description="Swore at me repeatedly when I explained the timescale.",
    )
    with pytest.raises(DomainError) as refused:
        _restrict(case, team_leader, incident)
    assert refused.value.code == "senior_check_required"
    assert not ConductDecision.objects.exists()
    decision = _restrict(case, team_leader, incident, senior_check_by=complaints_lead)
    assert "xtra time" in decision.vulnerability_considered

    support_needs_end(customer=case.customer, actor=team_leader, version=1, reason="No longer needed")
    assert _restrict(case, team_leader, incident).senior_check_by is None
