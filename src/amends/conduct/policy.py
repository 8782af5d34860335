"""The unacceptable-behaviour policy as data (regulation.md 3.3-3.5): categories, levels with the roles that
may decide them, the restriction catalogue. Each change audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from amends.core.errors import DomainError
from amends.core.permissions import (
    require,
)
from amends.core.services import audit_record

from .inputs import LONGEST_REVIEW, checked_roles, clean_text
from .models import (
    BehaviourCategory,
    PolicyLevel,
    RestrictionType,
)

# --- the policy, as data ------------------------------------------------------------------------------


@transaction.atomic
def category_save(
    *,
    actor: Any,
    name: str,
    category: BehaviourCategory | None = None,
    examples: str = "",
    severity_floor: str = "L1",
    alerts_team_leader: bool = False,
    verbatim_required: bool = False,
    active: bool = True,
) -> BehaviourCategory:
    """Add a behaviour category (organisations may add their own) or change one; audited."""
    from .selectors import can_configure

    require(can_configure(actor), "Only complaints leads and administrators change the behaviour policy")
    name = clean_text(name, "name")[:120]
    if not PolicyLevel.objects.filter(code=severity_floor).exists():
        raise DomainError(
            "The floor must be one of the policy's levels", fields={"severity_floor": "unknown"}
        )
    before = None
    if category is None:
        code = _slug(name)
        if BehaviourCategory.objects.filter(code=code).exists():
            raise DomainError("There is already a category of that name", fields={"name": "exists"})
        category = BehaviourCategory(code=code, position=1000)
    else:
        before = _category_state(category)
    category.name, category.examples = name, clean_text(examples, "examples", required=False)
    category.severity_floor, category.alerts_team_leader = severity_floor, bool(alerts_team_leader)
    category.verbatim_required, category.active = bool(verbatim_required), bool(active)
    category.save()
    audit_record(
        actor=actor,
        kind="conduct.category_saved",
        obj=category,
        before=before,
        after=_category_state(category),
    )
    return category


def _category_state(c: BehaviourCategory) -> dict:
    return {
        "name": c.name,
        "severity_floor": c.severity_floor,
        "alerts_team_leader": c.alerts_team_leader,
        "verbatim_required": c.verbatim_required,
        "active": c.active,
    }


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:40] or "category"


@transaction.atomic
def level_save(
    *,
    actor: Any,
    level: PolicyLevel,
    name: str,
    allows: str,
    decided_by: list[str],
    notice_required: bool,
    review_days: int | None,
) -> PolicyLevel:
    """Change what a level allows and who may decide it; audited. Time-limited levels keep a review
    period: a decision there is never indefinite."""
    from .selectors import can_configure

    require(can_configure(actor), "Only complaints leads and administrators change the behaviour policy")
    roles = checked_roles(decided_by, "decided_by")
    if not roles:
        raise DomainError("Say who may decide at this level", fields={"decided_by": "required"})
    if review_days is not None and not 1 <= review_days <= LONGEST_REVIEW.days:
        raise DomainError(
            f"A review period is 1 to {LONGEST_REVIEW.days} days", fields={"review_days": "out of range"}
        )
    if level.review_required and review_days is None:
        raise DomainError(
            "A time-limited level needs a review period: never indefinite", fields={"review_days": "required"}
        )
    before = _level_state(level)
    level.name, level.allows = clean_text(name, "name")[:120], clean_text(allows, "allows", required=False)
    level.decided_by, level.notice_required, level.review_days = roles, bool(notice_required), review_days
    level.save()
    audit_record(actor=actor, kind="conduct.level_saved", obj=level, before=before, after=_level_state(level))
    return level


def _level_state(level: PolicyLevel) -> dict:
    return {
        "name": level.name,
        "decided_by": level.decided_by,
        "notice_required": level.notice_required,
        "review_days": level.review_days,
    }


@transaction.atomic
def restriction_type_save(
    *, actor: Any, rtype: RestrictionType, name: str, description: str, active: bool
) -> RestrictionType:
    """Rename, describe, switch on or off a restriction of the catalogue; audited."""
    from .selectors import can_configure

    require(can_configure(actor), "Only complaints leads and administrators change the behaviour policy")
    before = {"name": rtype.name, "active": rtype.active}
    rtype.name = clean_text(name, "name")[:120]
    rtype.description = clean_text(description, "description", required=False)
    rtype.active = bool(active)
    rtype.save()
    audit_record(
        actor=actor,
        kind="conduct.restriction_type_saved",
        obj=rtype,
        before=before,
        after={"name": rtype.name, "active": rtype.active},
    )
    return rtype
