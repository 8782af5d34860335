"""core.services: staff, API tokens, notifications and the audit trail they leave."""

import pytest

from amends.core.errors import DomainError
from amends.core.models import ApiToken, AuditEvent, Notification, Role
from amends.core.selectors import api_token_user
from amends.core.services import (
    api_token_create,
    api_token_revoke,
    notifications_mark_read,
    notify,
    notify_each,
    staff_create,
)

pytestmark = pytest.mark.django_db


def test_staff_are_created_with_their_role_and_audited(complaints_team, complaints_lead):
    user = staff_create(
        username="sam", password="pw", role=Role.ADVISER, team=complaints_team, actor=complaints_lead
    )
    assert user.staff.role == Role.ADVISER and user.staff.team == complaints_team
    event = AuditEvent.objects.get(kind="staff.created", object_id=str(user.pk))
    assert event.after == {"role": "adviser", "team": complaints_team.slug} and event.actor == complaints_lead


def test_staff_refusals_change_nothing(complaints_team, adviser):
    users_before = type(adviser).objects.count()
    with pytest.raises(DomainError) as err:
        staff_create(username="x", password="pw", role="overlord", team=None)
    assert err.value.fields == {"role": "unknown role"}
    with pytest.raises(DomainError) as err:
        staff_create(username=adviser.username, password="pw", role=Role.ADVISER, team=complaints_team)
    assert err.value.code == "duplicate"
    assert type(adviser).objects.count() == users_before


def test_a_token_works_until_revoked_and_its_key_is_never_stored(adviser, team_leader):
    token, key = api_token_create(user=adviser, name="laptop")
    assert api_token_user(key) == adviser
    assert key not in {t.key_hash for t in ApiToken.objects.all()}
    api_token_revoke(token=token, actor=team_leader)
    assert api_token_user(key) is None
    kinds = list(AuditEvent.objects.filter(object_type__icontains="token").values_list("kind", flat=True))
    assert kinds == ["api_token.created", "api_token.revoked"]


def test_notify_tells_each_person_once(adviser, team_leader):
    notify(users=[adviser, team_leader, adviser], text="x" * 400, link="/cases/", urgent=True)
    rows = Notification.objects.order_by("user_id")
    assert [r.user for r in rows] == sorted([adviser, team_leader], key=lambda u: u.pk)
    assert all(len(r.text) == 300 and r.link == "/cases/" for r in rows)


def test_notify_each_tells_each_their_own_and_marking_read_counts_only_unread(adviser, team_leader):
    notify_each([(adviser, "one", "/a"), (adviser, "two", "/b"), (team_leader, "three", "")], urgent=False)
    assert set(Notification.objects.filter(user=adviser).values_list("text", flat=True)) == {"one", "two"}
    first = Notification.objects.get(text="one")
    assert notifications_mark_read(user=adviser, ids=[first.pk]) == 1
    assert notifications_mark_read(user=adviser) == 1
    assert notifications_mark_read(user=adviser) == 0
    assert Notification.objects.get(text="three").read_at is None
