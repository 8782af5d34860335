"""Two customer records become one: the support needs follow (customers.hooks.customer_merged)."""

import pytest

from amends.care.models import SupportNeedsRecord
from amends.care.schemas import SupportNeedsIn
from amends.care.services import support_needs_record
from amends.cases.models import CasePriority
from amends.cases.tests.factories import make_case
from amends.customers.models import MergeSuggestion
from amends.customers.services import customer_merge

pytestmark = pytest.mark.django_db


def _needs(**fields):
    return SupportNeedsIn.model_validate(
        {"disclosed_via": "phone", "lawful_basis": "explicit_consent"} | fields
    )


@pytest.fixture
def pair(complaints_team):
    keep = make_case(team=complaints_team, email="mat@example.com", name="Mat Rix")
    duplicate = make_case(team=complaints_team, email="matrix@example.org", name="Mat Rix")
    return keep, duplicate, MergeSuggestion.objects.get(keep=keep.customer, duplicate=duplicate.customer)


def test_the_duplicates_needs_move_when_the_kept_record_has_none(pair, team_leader):
    keep, duplicate, suggestion = pair
    support_needs_record(customer=duplicate.customer, actor=team_leader, data=_needs(extra_time=True))
    customer_merge(suggestion=suggestion, actor=team_leader, reason="Same person")
    assert SupportNeedsRecord.objects.get().customer == keep.customer


def test_both_records_combine_and_only_the_roles_both_allowed_see_it(pair, team_leader):
    keep, duplicate, suggestion = pair
    support_needs_record(
        customer=keep.customer, actor=team_leader, data=_needs(formats=["audio"], visible_to=["team_leader"])
    )
    support_needs_record(
        customer=duplicate.customer,
        actor=team_leader,
        data=_needs(
            extra_time=True, circumstances="Carer for her mother", visible_to=["team_leader", "adviser"]
        ),
    )
    customer_merge(suggestion=suggestion, actor=team_leader, reason="Same person")
    current = SupportNeedsRecord.objects.get(customer=keep.customer).current
    assert current.number == 2 and current.formats == ["audio"] and current.extra_time
    assert current.circumstances == "Carer for her mother" and current.visible_to == ["team_leader"]
    assert CasePriority.objects.count() == 2  # both cases, now the kept customer's, stay raised
