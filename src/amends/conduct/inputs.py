"""Checks on what staff type into the conduct forms and API, shared by every conduct service: text within
limits, roles, the case a record is about, a review date never more than a year ahead (regulation.md 3.4:
restrictions are time-limited)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.customers.models import Customer

TEXT_LIMIT = 10_000
# A time-limited decision is reviewed within a year at the latest: never indefinite.
LONGEST_REVIEW = timedelta(days=366)


def name_of(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def clean_text(value: Any, name: str, *, required: bool = True, what: str = "") -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise DomainError(
            f"{name.replace('_', ' ').capitalize()} must be text", fields={name: "text expected"}
        )
    if required and not text:
        raise DomainError(what or f"Say the {name.replace('_', ' ')}", fields={name: "required"})
    if len(text) > TEXT_LIMIT:
        raise DomainError(
            f"{name.replace('_', ' ').capitalize()} is too long", fields={name: f"at most {TEXT_LIMIT}"}
        )
    return text


def review_date(review_due: date | None, name: str = "review_due", *, after: date | None = None) -> date:
    today = timezone.localdate()
    start = after or today
    if review_due is None:
        raise DomainError("Give a review date: never indefinite", fields={name: "required"})
    if review_due <= start:
        raise DomainError("The review date must be in the future", fields={name: "not after it starts"})
    if review_due > start + LONGEST_REVIEW:
        raise DomainError(
            "Review it within a year: never indefinite", fields={name: f"at most {LONGEST_REVIEW.days} days"}
        )
    return review_due


def checked_case(case: Case | None, customer: Customer) -> Case | None:
    if case is not None and case.customer_id != customer.pk:
        raise DomainError("That case is not this customer's", fields={"case": "another customer's"})
    return case


def checked_roles(roles: Any, name: str) -> list[str]:
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        raise DomainError("Name the roles as a list", fields={name: "list of roles"})
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise DomainError(f"Unknown roles: {', '.join(unknown)}", fields={name: "unknown role"})
    return [r for r in Role.values if r in roles]


def latest_case(customer: Customer) -> Case | None:
    return Case.objects.filter(customer=customer).order_by("-opened_at", "-id").first()
