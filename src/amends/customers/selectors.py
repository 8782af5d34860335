from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from amends.core.permissions import can_see_every_case, case_scope

from .models import Customer, MergeSuggestion


def visible_customer(user: Any, pk: int) -> Customer | None:
    """A customer is visible to anyone who can see at least one of their cases."""
    customer = Customer.objects.filter(pk=pk).first()
    if customer is None or not customer.cases.filter(case_scope(user)).exists():
        return None
    return customer


def visible_customers(user: Any) -> QuerySet[Customer]:
    """Every customer, for those who see every case; for the others, those with a case they can see."""
    customers = Customer.objects.all()
    if can_see_every_case(user):
        return customers
    # Through the join a customer comes once per case: their ids in a subquery keep each once.
    with_a_visible_case = Customer.objects.filter(case_scope(user, through="cases__")).values("pk")
    return customers.filter(pk__in=with_a_visible_case)


def merge_suggestions_visible(user: Any) -> QuerySet[MergeSuggestion]:
    """Suggestions about two customers this user may both see (each with a case in their scope), as
    cases are scoped: a team leader decides on their team's customers, a complaints lead on everyone's.
    Deciding shows, and changes, both records."""
    suggestions = MergeSuggestion.objects.all()
    if can_see_every_case(user):
        return suggestions
    visible = visible_customers(user).values("pk")
    return suggestions.filter(keep__in=visible, duplicate__in=visible)


def merge_suggestion_for(user: Any, pk: int) -> MergeSuggestion | None:
    return merge_suggestions_visible(user).filter(pk=pk).first()


def open_merge_suggestions(user: Any, *, limit: int = 50) -> list[MergeSuggestion]:
    return list(
        merge_suggestions_visible(user)
        .filter(status=MergeSuggestion.Status.OPEN)
        .select_related("keep", "duplicate")
        .prefetch_related("keep__contact_points", "duplicate__contact_points")
        .order_by("-created_at")[:limit]
    )
