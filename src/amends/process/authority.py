"""Options, authority limits and approvals (CFACSC4 P14, K5; CFACSC7 6-7, 9, K6; WM57 5-8, j).

Nobody can choose an option beyond their authority without an approval from someone else who holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import Role
from amends.core.permissions import staff_of
from amends.core.services import audit_record, notify

from .models import ApprovalRequest, AuthorityLimit, Option, OptionRemedy, RemedyType
from .rules import MONETARY_REMEDIES, limit_allows

TEXT_LIMIT = 5000


def _event(case: Case, kind: EventKind, actor: Any, *, before=None, after=None, reason: str = "") -> None:
    case_event_record(case, kind=kind, actor=actor, before=before, after=after, reason=reason)


def limits_for(role: str | None) -> dict[str, AuthorityLimit]:
    """Every authority limit of a role, by remedy type: one query, for pages that check many options."""
    if role is None:
        return {}
    return {limit.remedy_type: limit for limit in AuthorityLimit.objects.filter(role=role)}


def within_limit(limit: AuthorityLimit | None, remedy_type: str, amount: Decimal | None) -> bool:
    if limit is None:
        return False
    return limit_allows(
        allowed=limit.allowed, max_amount=limit.max_amount, remedy_type=remedy_type, amount=amount
    )


def option_within(limits: dict[str, AuthorityLimit], option: Option) -> bool:
    """Whether a role with these limits (`limits_for`) may offer the whole option alone: every kind of
    remedy in it, its amounts of that kind added up, within the role's limit for that kind."""
    totals = option.remedy_totals()
    return bool(totals) and all(
        within_limit(limits.get(kind), kind, amount) for kind, amount in totals.items()
    )


def authority_allows(*, role: str | None, remedy_type: str, amount: Decimal | None) -> bool:
    """Whether someone in this role may offer this remedy, of this amount, on their own."""
    if role is None:
        return False
    return within_limit(
        AuthorityLimit.objects.filter(role=role, remedy_type=remedy_type).first(), remedy_type, amount
    )


def _role(user: Any) -> str | None:
    staff = staff_of(user)
    return staff.role if staff else None


def _allowed(user: Any, option: Option) -> bool:
    return option_within(limits_for(_role(user)), option)


def approvers_for(option: Option, *, excluding: Any = None):
    """Active staff whose role's authority covers this option: where an approval request is routed."""
    by_role: dict[str, dict[str, AuthorityLimit]] = {}
    for limit in AuthorityLimit.objects.filter(remedy_type__in=option.remedy_totals()):
        by_role.setdefault(limit.role, {})[limit.remedy_type] = limit
    roles = [role for role, limits in by_role.items() if option_within(limits, option)]
    users = get_user_model().objects.filter(is_active=True, staff__role__in=roles)
    if excluding is not None:
        users = users.exclude(pk=excluding.pk)
    return users


def _money(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError(f"{field} must be an amount of money", fields={field: "not a number"}) from exc
    if amount < 0 or amount > Decimal("10000000"):
        raise DomainError(f"{field} must be between 0 and 10,000,000", fields={field: "out of range"})
    return amount.quantize(Decimal("0.01"))


def _score(value: Any, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(f"{field} must be 1 to 5", fields={field: "1 to 5"}) from exc
    if not 1 <= number <= 5:
        raise DomainError(f"{field} must be 1 to 5", fields={field: "1 to 5"})
    return number


@dataclass(frozen=True)
class Remedy:
    """One remedy of an option as it is asked for: its kind, what it is in words, an amount for money."""

    kind: str
    description: str = ""
    amount: Any = None


MAX_REMEDIES = 10


def _remedies(remedies: Sequence[Remedy]) -> list[OptionRemedy]:
    """The option's remedies, checked: a known kind each, an amount for money, at most MAX_REMEDIES."""
    if not remedies:
        raise DomainError(
            "Say what the option gives the customer: at least one remedy", fields={"remedies": "required"}
        )
    if len(remedies) > MAX_REMEDIES:
        raise DomainError(
            f"An option gives at most {MAX_REMEDIES} remedies", fields={"remedies": f"at most {MAX_REMEDIES}"}
        )
    rows = []
    for position, remedy in enumerate(remedies):
        if remedy.kind not in RemedyType.values:
            raise DomainError(f"Unknown remedy {remedy.kind!r}", fields={"remedy_type": "unknown remedy"})
        description = (remedy.description or "").strip()
        if len(description) > 300:
            raise DomainError(
                "Describe each remedy in up to 300 characters", fields={"description": "too long"}
            )
        money = _money(remedy.amount, "amount")
        if remedy.kind in MONETARY_REMEDIES and money is None:
            raise DomainError("A money remedy needs an amount", fields={"amount": "required"})
        rows.append(OptionRemedy(kind=remedy.kind, description=description, amount=money, position=position))
    return rows


@transaction.atomic
def option_add(
    *,
    case: Case,
    actor: Any,
    title: str,
    benefits_customer: str,
    remedy_type: str = "",
    amount: Any = None,
    remedies: Sequence[Remedy] = (),
    drawbacks_customer: str = "",
    benefits_organisation: str = "",
    drawbacks_organisation: str = "",
    risk_customer: tuple[Any, Any] = (1, 1),
    risk_organisation: tuple[Any, Any] = (1, 1),
    cost: Any = None,
) -> Option:
    """Record one way to put things right, weighed for both sides (C7 6, K4, K11; W 5-7). What it gives
    the customer is `remedies`; an option of one remedy may give it as `remedy_type` and `amount`."""
    if remedy_type:
        remedies = [Remedy(remedy_type, amount=amount), *remedies]
    rows = _remedies(remedies)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise DomainError(
            "Give the option a short title (up to 200 characters)", fields={"title": "required"}
        )
    if not (benefits_customer or "").strip():
        raise DomainError(
            "Say what the customer gains from this option", fields={"benefits_customer": "required"}
        )
    for name, text in [
        ("benefits_customer", benefits_customer),
        ("drawbacks_customer", drawbacks_customer),
        ("benefits_organisation", benefits_organisation),
        ("drawbacks_organisation", drawbacks_organisation),
    ]:
        if len(text or "") > TEXT_LIMIT:
            raise DomainError(f"{name} is too long", fields={name: f"at most {TEXT_LIMIT} characters"})
    option = Option.objects.create(
        case=case,
        title=title,
        benefits_customer=benefits_customer.strip(),
        drawbacks_customer=(drawbacks_customer or "").strip(),
        benefits_organisation=(benefits_organisation or "").strip(),
        drawbacks_organisation=(drawbacks_organisation or "").strip(),
        risk_customer_likelihood=_score(risk_customer[0], "risk_customer_likelihood"),
        risk_customer_impact=_score(risk_customer[1], "risk_customer_impact"),
        risk_organisation_likelihood=_score(risk_organisation[0], "risk_organisation_likelihood"),
        risk_organisation_impact=_score(risk_organisation[1], "risk_organisation_impact"),
        cost=_money(cost, "cost"),
        created_by=actor,
        created_at=timezone.now(),
    )
    for row in rows:
        row.option = option
    OptionRemedy.objects.bulk_create(rows)
    _event(
        case,
        EventKind.OPTION_ADDED,
        actor,
        after={
            "option": option.pk,
            "title": title,
            "remedies": [
                {"kind": r.kind, "amount": str(r.amount) if r.amount is not None else None} for r in rows
            ],
        },
    )
    return option


def _lock_option(option: Option) -> Option:
    return (
        Option.objects.select_for_update()
        .select_related("case")
        .prefetch_related("remedies")
        .get(pk=option.pk)
    )


@transaction.atomic
def option_choose(*, option: Option, actor: Any, reason: str) -> Option:
    """Decide on this option. Within the chooser's authority, or approved by someone who holds it."""
    option = _lock_option(option)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why this option is the right one", fields={"reason": "required"})
    if option.status in {Option.Status.CHOSEN, Option.Status.SET_ASIDE, Option.Status.DECLINED}:
        raise Conflict(f"This option is already {option.get_status_display().lower()}")
    if not _allowed(actor, option) and option.status != Option.Status.APPROVED:
        raise PermissionDenied(
            f"{option.title} is beyond your authority. Ask for approval from someone who holds it.",
            code="approval_required",
        )
    if option.status == Option.Status.AWAITING_APPROVAL:
        _settle_pending_request(option, actor, reason)
    option.status = Option.Status.CHOSEN
    option.chosen_reason = reason
    option.save(update_fields=["status", "chosen_reason"])
    Option.objects.filter(case=option.case, status__in=[Option.Status.PROPOSED]).exclude(pk=option.pk).update(
        status=Option.Status.SET_ASIDE
    )
    _event(
        option.case,
        EventKind.OPTION_CHOSEN,
        actor,
        after={"option": option.pk, "title": option.title},
        reason=reason,
    )
    return option


def _settle_pending_request(option: Option, actor: Any, reason: str) -> None:
    """Someone who holds the authority chose an option that was waiting for approval: that is the
    approval. The request is decided by them, so it neither blocks closing nor can be decided again."""
    now = timezone.now()
    for request in ApprovalRequest.objects.select_for_update().filter(
        option=option, status=ApprovalRequest.Status.PENDING
    ):
        request.status = ApprovalRequest.Status.APPROVED
        request.decided_by, request.decided_at = actor, now
        request.decision_reason = f"Chosen within their own authority: {reason}"[:TEXT_LIMIT]
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _event(
            option.case,
            EventKind.APPROVAL_DECIDED,
            actor,
            after={"option": option.pk, "approved": True, "request": request.pk},
            reason=request.decision_reason,
        )


@transaction.atomic
def approval_request(*, option: Option, actor: Any, reason: str = "") -> ApprovalRequest:
    option = _lock_option(option)
    if option.status != Option.Status.PROPOSED:
        raise Conflict(f"This option is {option.get_status_display().lower()}, not waiting for a decision")
    if _allowed(actor, option):
        raise DomainError("This is within your own authority: choose it directly", code="no_approval_needed")
    approvers = list(approvers_for(option, excluding=actor))
    if not approvers:
        raise DomainError(
            "Nobody holds the authority for this option; change the authority limits first",
            code="no_approver",
        )
    request = ApprovalRequest.objects.create(
        option=option,
        requested_by=actor,
        requested_at=timezone.now(),
        reason=(reason or "").strip()[:TEXT_LIMIT],
    )
    option.status = Option.Status.AWAITING_APPROVAL
    option.save(update_fields=["status"])
    _event(
        option.case,
        EventKind.APPROVAL_REQUESTED,
        actor,
        after={"option": option.pk, "request": request.pk},
        reason=request.reason,
    )
    link = reverse("case_detail", args=[option.case.reference])
    notify(
        users=approvers,
        text=f"Approval needed on {option.case.reference}: {option.title}",
        link=link,
        urgent=True,
    )
    return request


@transaction.atomic
def approval_decide(*, request: ApprovalRequest, actor: Any, approve: bool, reason: str) -> ApprovalRequest:
    request = (
        ApprovalRequest.objects.select_for_update()
        .select_related("option", "option__case")
        .get(pk=request.pk)
    )
    option = _lock_option(request.option)
    if request.status != ApprovalRequest.Status.PENDING:
        raise Conflict("This request has already been decided")
    if option.status != Option.Status.AWAITING_APPROVAL:
        raise Conflict(f"This option is already {option.get_status_display().lower()}")
    if request.requested_by_id == actor.pk:
        raise PermissionDenied("Nobody approves their own request")
    if not _allowed(actor, option):
        raise PermissionDenied("This is beyond your authority too; it needs someone with a higher limit")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give a reason for the decision", fields={"reason": "required"})
    now = timezone.now()
    request.status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.DECLINED
    request.decided_by, request.decided_at, request.decision_reason = actor, now, reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    option.status = Option.Status.APPROVED if approve else Option.Status.DECLINED
    option.save(update_fields=["status"])
    _event(
        option.case,
        EventKind.APPROVAL_DECIDED,
        actor,
        after={"option": option.pk, "approved": approve},
        reason=reason,
    )
    link = reverse("case_detail", args=[option.case.reference])
    verdict = "approved" if approve else "declined"
    notify(
        users=[request.requested_by],
        text=f"{option.title} on {option.case.reference} was {verdict}: {reason}",
        link=link,
        urgent=True,
    )
    return request


@transaction.atomic
def authority_limit_set(
    *, role: str, remedy_type: str, max_amount: Any, allowed: bool, actor: Any
) -> AuthorityLimit:
    """Configuration change, audited: who may offer what."""
    if role not in Role.values or remedy_type not in RemedyType.values:
        raise DomainError("Unknown role or remedy", fields={"role": "unknown", "remedy_type": "unknown"})
    limit, _ = AuthorityLimit.objects.get_or_create(role=role, remedy_type=remedy_type)
    before = {
        "max_amount": str(limit.max_amount) if limit.max_amount is not None else None,
        "allowed": limit.allowed,
    }
    limit.max_amount, limit.allowed = _money(max_amount, "max_amount"), allowed
    limit.save()
    audit_record(
        actor=actor,
        kind="authority_limit.set",
        obj=limit,
        before=before,
        after={
            "max_amount": str(limit.max_amount) if limit.max_amount is not None else None,
            "allowed": allowed,
        },
    )
    return limit
