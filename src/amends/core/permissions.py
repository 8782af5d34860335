"""Who may see and do what. One place, so the permission-matrix test has one thing to check.

- advisers, case handlers, team leaders: their team's cases (and any case they own);
- assessors: the same cases, read-only (they judge work, they do not do it);
- complaints leads and administrators: every case.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .errors import PermissionDenied
from .models import Role, StaffProfile

ALL_CASES_ROLES = {Role.COMPLAINTS_LEAD, Role.ADMIN}
WORKING_ROLES = {Role.ADVISER, Role.CASE_HANDLER, Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}
ASSIGNING_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}
MERGING_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}


def staff_of(user: Any) -> StaffProfile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.staff
    except StaffProfile.DoesNotExist:
        return None


def require_staff(user: Any) -> StaffProfile:
    staff = staff_of(user)
    if staff is None:
        raise PermissionDenied("This account has no role in Amends")
    return staff


def case_scope(user: Any) -> Q:
    """A filter on Case for the cases this user may see. Matches nothing for non-staff."""
    staff = staff_of(user)
    if staff is None:
        return Q(pk__in=[])
    if staff.role in ALL_CASES_ROLES:
        return Q()
    if staff.team_id is None:
        return Q(owner_id=user.pk)
    return Q(team_id=staff.team_id) | Q(owner_id=user.pk)


def can_view_case(user: Any, case: Any) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.role in ALL_CASES_ROLES:
        return True
    return case.owner_id == user.pk or (staff.team_id is not None and case.team_id == staff.team_id)


def can_work_case(user: Any, case: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in WORKING_ROLES and can_view_case(user, case)


def can_assign(user: Any, case: Any) -> bool:
    """Team leaders and leads assign; anyone who works a case may take an unassigned one themselves."""
    staff = staff_of(user)
    return staff is not None and staff.role in ASSIGNING_ROLES and can_view_case(user, case)


def can_merge_customers(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in MERGING_ROLES


def require(allowed: bool, message: str = "You do not have permission to do that") -> None:
    if not allowed:
        raise PermissionDenied(message)
