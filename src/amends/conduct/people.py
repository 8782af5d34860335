"""Who is told about challenging behaviour: a member of staff's team leaders (CFACSC4 K5), the complaints
leads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from amends.core.models import Role
from amends.core.permissions import (
    staff_of,
)


def team_leaders_of(user: Any) -> list[Any]:
    """Who a member of staff turns to at once (CFACSC4 K5): their team's leaders (not themselves); if
    there are none, the complaints leads; if none, the administrators."""
    staff = staff_of(user)
    users = get_user_model().objects.filter(is_active=True, staff__isnull=False).exclude(pk=user.pk)
    leaders = []
    if staff is not None and staff.team_id is not None:
        leaders = list(users.filter(staff__role=Role.TEAM_LEADER, staff__team_id=staff.team_id))
    return (
        leaders
        or list(users.filter(staff__role=Role.COMPLAINTS_LEAD))
        or list(users.filter(staff__role=Role.ADMIN))
    )


def complaints_leads() -> list[Any]:
    return list(get_user_model().objects.filter(is_active=True, staff__role=Role.COMPLAINTS_LEAD))
