"""The permission questions views, the API and templates ask (core.permissions), per persona."""

import pytest
from django.test import Client

from amends.cases.tests.factories import make_case
from amends.core import permissions

pytestmark = pytest.mark.django_db

#            persona               wording/limits/regimes/feedback  merge, review held email
POLICY = [
    ("adviser", False, False),
    ("case_handler", False, False),
    ("team_leader", False, True),
    ("complaints_lead", True, True),
    ("admin_user", True, True),
    ("assessor", False, False),
    ("outsider", False, False),
]


@pytest.mark.parametrize(("persona", "policy", "merge"), POLICY)
def test_policy_questions_and_the_navigation_that_follows_them(request, persona, policy, merge):
    user = request.getfixturevalue(persona)
    for question in (
        permissions.can_edit_wording,
        permissions.can_set_authority_limits,
        permissions.can_add_regimes,
        permissions.can_export_feedback,
    ):
        assert question(user) == policy, question.__name__
    assert permissions.can_merge_customers(user) == merge
    assert permissions.can_review_held_email(user) == merge
    if persona == "outsider":
        return
    client = Client()
    client.force_login(user)
    nav = client.get("/notifications/").content.decode()
    assert ("Letter wording" in nav) == policy
    assert ("Possible duplicates" in nav) == merge
    assert ("Held email" in nav) == merge


def test_who_may_assign_a_case_to_whom(complaints_team, adviser, case_handler, team_leader, assessor):
    unassigned = make_case(team=complaints_team)
    owned = make_case(team=complaints_team, owner=case_handler)
    # A team leader gives any case to anyone, or to nobody.
    for case in (unassigned, owned):
        for owner in (adviser, case_handler, None):
            assert permissions.can_assign_to(team_leader, case, owner)
        # ...who may work it: never to an assessor, who reads only.
        assert not permissions.can_assign_to(team_leader, case, assessor)
    # Someone who works the case may take it if nobody has it, and do nothing else.
    assert permissions.can_assign_to(adviser, unassigned, adviser)
    assert not permissions.can_assign_to(adviser, unassigned, case_handler)
    assert not permissions.can_assign_to(adviser, unassigned, None)
    assert not permissions.can_assign_to(adviser, owned, adviser)
    # An assessor reads; they take nothing.
    assert not permissions.can_assign_to(assessor, unassigned, assessor)


def test_authority_limits_are_held_by_the_roles_that_work_cases():
    assert [role.value for role in permissions.authority_roles()] == [
        "adviser",
        "case_handler",
        "team_leader",
        "complaints_lead",
        "admin",
    ]
