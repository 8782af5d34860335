"""The worker reminds about a support-needs record's review date once it comes (process.hooks.worker_steps):
whoever handles the customer's open cases, only those the record may be shown to, once per review date."""

from datetime import date

import pytest
import time_machine

from amends.care.schemas import SupportNeedsIn
from amends.care.services import support_needs_record, support_needs_update
from amends.cases.tests.factories import make_case
from amends.core.models import Notification
from amends.process.tasks import sweep

pytestmark = pytest.mark.django_db


def _needs(**fields):
    base = {"extra_time": True, "disclosed_via": "phone", "lawful_basis": "explicit_consent"}
    return SupportNeedsIn.model_validate(base | fields)


@time_machine.travel("2026-12-01 09:00:00Z", tick=False)
def test_a_review_date_reminds_the_owner_once_and_a_new_date_again(
    complaints_team, adviser, team_leader, assessor
):
    case = make_case(team=complaints_team, owner=adviser, name="Grace Okafor")
    unowned = make_case(team=complaints_team, name="Ivan Petrov")
    support_needs_record(customer=case.customer, actor=adviser, data=_needs(review_on="2026-12-10"))
    support_needs_record(
        customer=unowned.customer, actor=adviser, data=_needs(review_on="2026-12-10", visible_to=["adviser"])
    )
    assert sweep().counts["support_needs_reviews"] == 0
    with time_machine.travel("2026-12-10 09:00:00Z", tick=False):
        assert sweep().counts["support_needs_reviews"] == 2
        assert sweep().counts["support_needs_reviews"] == 0  # once
    told = Notification.objects.get(topic="support_needs_review")
    assert told.user == adviser and told.text == "Review the support needs of Grace Okafor (due 10 Dec 2026)"
    assert told.link == f"/customers/{case.customer_id}/#support-needs"
    # The unowned case's team leader is not among the roles that record allows; the assessor never is.
    assert not Notification.objects.filter(user__in=[team_leader, assessor]).exists()
    with time_machine.travel("2026-12-11 09:00:00Z", tick=False):
        support_needs_update(
            customer=case.customer, actor=adviser, data=_needs(version=1, review_on=date(2027, 3, 1))
        )
    with time_machine.travel("2027-03-01 09:00:00Z", tick=False):
        assert sweep().counts["support_needs_reviews"] == 1


@time_machine.travel("2026-12-01 09:00:00Z", tick=False)
def test_an_unowned_case_tells_its_team_leader(complaints_team, adviser, team_leader):
    case = make_case(team=complaints_team, name="Ivan Petrov")
    support_needs_record(customer=case.customer, actor=adviser, data=_needs(review_on="2026-12-01"))
    sweep()
    assert Notification.objects.get(topic="support_needs_review").user == team_leader
