"""Support needs on the customer page and the case page: the record, its history, and the form to record,
change or end it, shown only to those allowed (core.permissions.can_see_support_needs)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.permissions import SUPPORT_NEEDS_DEFAULT_ROLES, can_record_support_needs, require
from amends.core.web import invalid_input, report, staff_required
from amends.customers.models import Channel, Customer
from amends.customers.selectors import visible_customer

from .schemas import SupportNeedsEndIn, SupportNeedsIn
from .selectors import (
    characteristic_labels,
    describe,
    may_read_support_needs,
    support_needs_for,
    support_needs_history,
    support_needs_read,
)
from .services import support_needs_end, support_needs_save
from .vocabulary import CHARACTERISTICS, DISCLOSED_VIA, DRIVERS, FORMATS, LAWFUL_BASES, THIRD_PARTY_KINDS

CHOICES = {
    "drivers": list(DRIVERS.items()),
    "characteristics": [(DRIVERS[d], list(group.items())) for d, group in CHARACTERISTICS.items()],
    "formats": list(FORMATS.items()),
    "third_party_kinds": list(THIRD_PARTY_KINDS.items()),
    "disclosed_via": [(k, v) for k, v in DISCLOSED_VIA.items()],
    "lawful_bases": list(LAWFUL_BASES.items()),
    "channels": Channel.choices,
    "roles": Role.choices,
    "default_roles": [r.value for r in SUPPORT_NEEDS_DEFAULT_ROLES],
}


def _context(request, customer: Customer, back: str) -> dict:
    may_read, version = support_needs_read(request.user, customer)
    may_record = can_record_support_needs(request.user) and may_read
    history = support_needs_history(request.user, customer, current=version)[1:] if version else []
    return {
        "support_needs": version,
        "support_needs_line": describe(version) if version is not None else "",
        "support_needs_characteristics": characteristic_labels(version) if version is not None else [],
        "support_needs_history": history,
        "support_needs_may_record": may_record,
        "support_needs_choices": CHOICES if may_record else {},
        "support_needs_customer": customer,
        "support_needs_back": back,
    }


def case_page_context(request, case: Case) -> dict:
    """cases.hooks.case_page_context: the panel beside the case, and the needs above the reply form."""
    return _context(request, case.customer, back=f"case:{case.reference}")


def customer_page_context(request, customer: Customer) -> dict:
    """customers.hooks.customer_page_context: the panel on the customer page."""
    return _context(request, customer, back="")


def _back(customer: Customer, back: str) -> str:
    """Where the form returns: the case page it was on (a reference of this customer's), else the
    customer's page."""
    if back.startswith("case:"):
        reference = back.removeprefix("case:")[:30]
        if Case.objects.filter(reference=reference, customer=customer).exists():
            return reverse("case_detail", args=[reference]) + "#support-needs"
    return reverse("customer_detail", args=[customer.pk]) + "#support-needs"


def _customer(request, pk: int) -> Customer:
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    return customer


def posted_needs(post) -> dict:
    """The page's form as the API's input (SupportNeedsIn)."""
    data = {
        key: post.get(key, "")
        for key in (
            "circumstances",
            "preferred_channel",
            "language",
            "third_party_name",
            "third_party_kind",
            "third_party_contact",
            "other_adjustments",
            "disclosed_via",
            "lawful_basis",
            "lawful_basis_note",
            "reason",
        )
    }
    data |= {key: post.getlist(key) for key in ("drivers", "characteristics", "formats", "visible_to")}
    data["version"] = post.get("version", "0") or "0"
    data["extra_time"] = post.get("extra_time") == "on"
    if post.get("review_on"):
        data["review_on"] = post["review_on"]
    return data


@require_POST
@staff_required
def support_needs_save_view(request, pk: int):
    customer = _customer(request, pk)
    try:
        require(can_record_support_needs(request.user), "You can read support needs but not record them")
        if not may_read_support_needs(request.user, customer):
            raise Http404("No such customer, or not one you can see")
        data = SupportNeedsIn.model_validate(posted_needs(request.POST))
        support_needs_save(customer=customer, actor=request.user, data=data)
        messages.success(request, "Support needs saved: those who handle the customer's cases will see them")
    except ValidationError as exc:
        report(request, invalid_input(exc.errors()))
    except DomainError as exc:
        report(request, exc)
    return redirect(_back(customer, request.POST.get("back", "")))


@require_POST
@staff_required
def support_needs_end_view(request, pk: int):
    customer = _customer(request, pk)
    try:
        require(can_record_support_needs(request.user), "You can read support needs but not end them")
        if support_needs_for(request.user, customer) is None:
            raise Http404("No such customer, or not one you can see")
        data = SupportNeedsEndIn.model_validate(
            {"version": request.POST.get("version", ""), "reason": request.POST.get("reason", "")}
        )
        support_needs_end(customer=customer, actor=request.user, version=data.version, reason=data.reason)
        messages.success(request, "Support needs ended: the history is kept")
    except ValidationError as exc:
        report(request, invalid_input(exc.errors()))
    except DomainError as exc:
        report(request, exc)
    return redirect(_back(customer, request.POST.get("back", "")))
