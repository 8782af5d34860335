"""Agent UI for customers: one customer's page, and deciding which records are the same person."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.permissions import can_merge_customers, require
from amends.core.web import report, staff_required

from .hooks import customer_page_extras
from .selectors import merge_suggestion_for, open_merge_suggestions, visible_customer
from .services import customer_merge, merge_suggestion_dismiss


@staff_required
def customer_detail(request, pk: int):
    """The customer's record; their cases, timeline and promises come from the apps that keep them
    (hooks.customer_page_context)."""
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    context = {"customer": customer, "contact_points": list(customer.contact_points.all())}
    context.update(customer_page_extras(request, customer))
    return render(request, "customers/customer_detail.html", context)


@staff_required
def merge_suggestions(request):
    if not can_merge_customers(request.user):
        raise Http404("Only team leaders and complaints leads decide merges")
    suggestions = open_merge_suggestions(request.user)
    return render(request, "customers/merge_suggestions.html", {"suggestions": suggestions})


@require_POST
@staff_required
def merge_decide(request, pk: int):
    suggestion = merge_suggestion_for(request.user, pk)
    if suggestion is None:
        raise Http404("No such suggestion about customers you can see")
    try:
        require(can_merge_customers(request.user), "Only team leaders and complaints leads decide merges")
        reason = request.POST.get("reason", "")[:1000]
        if request.POST.get("decision") == "merge":
            customer_merge(suggestion=suggestion, actor=request.user, reason=reason)
            messages.success(request, "Records merged")
        elif request.POST.get("decision") == "dismiss":
            merge_suggestion_dismiss(suggestion=suggestion, actor=request.user, reason=reason)
            messages.success(request, "Suggestion dismissed: they are different people")
        else:
            raise DomainError("Choose merge or dismiss", fields={"decision": "merge or dismiss"})
    except DomainError as exc:
        report(request, exc)
    return redirect("merge_suggestions")
