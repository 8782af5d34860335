"""Agent UI for customers: one customer's page, and deciding which records are the same person."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.core.errors import DomainError
from amends.core.permissions import can_edit_customers, can_merge_customers, require
from amends.core.web import invalid_input, report, staff_required

from .alerts import alert_contacts, alert_panel, colleague_alert_close, colleague_alert_raise
from .details import EDITABLE_KINDS
from .hooks import customer_page_extras, notices_for
from .models import Channel, ColleagueAlert, ContactPoint, Nation
from .schemas import CustomerPatchIn, customer_edit
from .selectors import merge_suggestion_for, open_merge_suggestions, visible_customer
from .services import customer_merge, merge_suggestion_dismiss


@staff_required
def customer_detail(request, pk: int):
    """The customer's record; their cases, timeline and promises come from the apps that keep them
    (hooks.customer_page_context)."""
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    addresses = list(customer.postal_addresses.all())
    context = {
        "customer": customer,
        "contact_points": list(customer.contact_points.all()),
        "postal_addresses": addresses,
        # The edit form's rows: each address with its three line boxes, the empty ones too.
        "address_rows": [{"address": a, "lines": [*a.lines, "", "", ""][:3]} for a in addresses],
        "nations": Nation.choices,
        "channels": Channel.choices,
        "point_kinds": [(k, ContactPoint.Kind(k).label) for k in EDITABLE_KINDS],
        "customer_notices": notices_for(request.user, [customer.pk]).get(customer.pk, []),
        **alert_panel(request.user, customer),
    }
    context.update(customer_page_extras(request, customer))
    return render(request, "customers/customer_detail.html", context)


def _posted_points(post) -> list[dict]:
    """The contact point rows of the edit form: each kept unless ticked for removal, and a new one."""
    points = []
    count = int(post["points"]) if post.get("points", "").isdigit() else 0
    for i in range(min(count, 20)):
        if post.get(f"cp-{i}-remove"):
            continue
        kind, value = post.get(f"cp-{i}-kind", ""), post.get(f"cp-{i}-value", "")
        points.append({"kind": kind, "value": value, "is_primary": post.get(f"primary-{kind}") == str(i)})
    if post.get("cp-new-value", "").strip():
        kind = post.get("cp-new-kind", "")
        points.append(
            {"kind": kind, "value": post["cp-new-value"], "is_primary": post.get(f"primary-{kind}") == "new"}
        )
    return points


def _posted_address(post, prefix: str, for_letters: bool) -> dict:
    lines = [post.get(f"{prefix}-line{n}", "") for n in (1, 2, 3)]
    return {
        "lines": [line for line in lines if line.strip()] or [""],
        "town": post.get(f"{prefix}-town", ""),
        "postcode": post.get(f"{prefix}-postcode", ""),
        "country": post.get(f"{prefix}-country", "") or "United Kingdom",
        "for_letters": for_letters,
    }


def _posted_addresses(post) -> list[dict]:
    count = int(post["addresses"]) if post.get("addresses", "").isdigit() else 0
    chosen = post.get("for_letters", "")
    addresses = [
        _posted_address(post, f"addr-{i}", chosen == str(i))
        for i in range(min(count, 10))
        if not post.get(f"addr-{i}-remove")
    ]
    if post.get("addr-new-line1", "").strip():
        addresses.append(_posted_address(post, "addr-new", chosen == "new"))
    return addresses


@require_POST
@staff_required
def customer_edit_view(request, pk: int):
    """The customer page's "Edit details" form: the same typed input, and service, as the API's PATCH."""
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    post = request.POST
    try:
        require(can_edit_customers(request.user), "Assessors read customers' records; they change nothing")
        data = CustomerPatchIn.model_validate(
            {
                "version": post.get("version", ""),
                "name": post.get("name", ""),
                "nation": post.get("nation", ""),
                "preferred_channel": post.get("preferred_channel", ""),
                "contact_points": _posted_points(post),
                "postal_addresses": _posted_addresses(post),
                "reason": post.get("reason", ""),
            }
        )
        customer_edit(customer=customer, actor=request.user, data=data)
        messages.success(request, "Customer's details saved")
    except ValidationError as exc:
        report(request, invalid_input(exc.errors()))
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("customer_detail", args=[pk]) + "#details")


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


def _back(request, customer) -> str:
    """Back to the page the form was on: the customer's, or a case page it was posted from."""
    back = request.POST.get("back", "")
    if back.startswith("/cases/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    return reverse("customer_detail", args=[customer.pk]) + "#alerts-h"


@require_POST
@staff_required
def customer_alert_raise(request, pk: int):
    """Raise a colleague alert from the customer page or a case page's customer panel."""
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    post = request.POST
    try:
        expires_on = date.fromisoformat(post["expires_on"]) if post.get("expires_on") else None
    except ValueError:
        messages.error(request, "Expires on: give a date")
        return redirect(_back(request, customer))
    contact = None
    if post.get("contact", "").isdecimal():
        contact = next((p for p in alert_contacts() if p.pk == int(post["contact"])), None)
    try:
        colleague_alert_raise(
            customer=customer,
            actor=request.user,
            kind=post.get("kind", ""),
            text=post.get("text", ""),
            expires_on=expires_on,
            contact=contact,
        )
        messages.success(request, "Alert raised: whoever deals with this customer next will see it")
    except DomainError as exc:
        report(request, exc)
    return redirect(_back(request, customer))


@require_POST
@staff_required
def customer_alert_close(request, pk: int, alert_id: int):
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    alert = ColleagueAlert.objects.filter(pk=alert_id, customer=customer).first()
    if alert is None:
        raise Http404("No such alert on this customer")
    try:
        colleague_alert_close(alert=alert, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "Alert closed")
    except DomainError as exc:
        report(request, exc)
    return redirect(_back(request, customer))
