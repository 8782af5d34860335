"""Agent UI for queues and the case page: parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import can_assign, can_assign_to, can_work_case, case_scope, require
from amends.core.web import form_errors, report, staff_required
from amends.customers.models import Channel, Customer

from . import lifecycle
from .forms import AssignForm, ReclassifyForm, StatusForm
from .hooks import case_page_extras
from .models import Case, CaseKind
from .selectors import (
    QUEUES,
    SORTS,
    STATUS_FILTERS,
    QueueFilters,
    assignable_people,
    case_for,
    case_queue,
    customer_cases,
    default_queue,
    risk_filters,
)
from .services import case_assign, case_reclassify, case_transition


def _filters(request) -> QueueFilters:
    get = request.GET
    queue = get.get("queue") or default_queue(request.user)
    status = get.get("status", "open")
    return QueueFilters(
        queue=queue if queue in QUEUES else "team",
        status=status if status in dict(STATUS_FILTERS) else "open",
        kind=get.get("kind", "") if get.get("kind", "") in CaseKind.values else "",
        channel=get.get("channel", "") if get.get("channel", "") in Channel.values else "",
        q=get.get("q", "")[:200],
        after=get.get("after", "")[:200],
        sort=get.get("sort", "") if get.get("sort", "") in SORTS else "",
        risk=get.get("risk", "") if get.get("risk", "") in risk_filters() else "",
    )


@staff_required
def queue(request):
    filters = _filters(request)
    page = case_queue(request.user, filters)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "page": page,
        "filters": filters,
        "queues": QUEUES,
        "queue_label": QUEUES[filters.queue],
        "statuses": STATUS_FILTERS,
        "kinds": CaseKind.choices,
        "channels": Channel.choices,
        "sorts": SORTS,
        "risk_filters": risk_filters(),
        "base_query": query.urlencode(),
    }
    template = "cases/_queue_rows.html" if request.headers.get("HX-Request") else "cases/queue.html"
    return render(request, template, context)


@staff_required
def case_detail(request, reference: str):
    """The case itself; its timeline, process panel and signals come from the apps that keep them
    (hooks.case_page_context)."""
    case = case_for(request.user, reference)
    owners = assignable_people(case) if can_assign(request.user, case) else None
    context = {
        "case": case,
        "can_work": can_work_case(request.user, case),
        "can_assign": owners is not None,
        "contact_points": list(case.customer.contact_points.all()),
        "other_cases": list(
            case.customer.cases.filter(case_scope(request.user))
            .exclude(pk=case.pk)
            .order_by("-opened_at")[:10]
        ),
        "next_statuses": lifecycle.next_statuses(case.status),
        "assign_form": AssignForm(owners=owners, initial={"owner": case.owner_id, "version": case.version})
        if owners is not None
        else None,
        "reclassify_form": ReclassifyForm(
            initial={
                "kind": case.kind,
                "category": case.category,
                "product": case.product,
                "version": case.version,
            }
        ),
    }
    context.update(case_page_extras(request, case))
    return render(request, "cases/case_detail.html", context)


def customer_page_context(request, customer: Customer) -> dict:
    """The customer page's cases: those of theirs the user may see."""
    return {"cases": customer_cases(request.user, customer)}


def workable_case(request, reference: str) -> Case | None:
    """The case, for a change made on its page. A case the user cannot see is a 404 (NotFound, turned
    into one by staff_required); one they may only read is None, with the page's message about it."""
    try:
        return case_for(request.user, reference, work=True)
    except PermissionDenied as exc:
        report(request, exc)
        return None


def act_on_case(
    request,
    reference: str,
    form_class,
    action: Callable[[Case, dict[str, Any]], object],
    *,
    success: str | Callable[[Any], str],
    form_kwargs: Callable[[Case], dict[str, Any]] | None = None,
):
    """A form posted from the case page: a case the user may work on, a valid form, one service call,
    a message back (`success`, or what it says of the call's result), and back to the page."""
    case = workable_case(request, reference)
    if case is not None:
        try:
            form = form_class(request.POST, **(form_kwargs(case) if form_kwargs else {}))
            if not form.is_valid():
                form_errors(request, form)
            else:
                result = action(case, form.cleaned_data)
                messages.success(request, success(result) if callable(success) else success)
        except DomainError as exc:
            report(request, exc)
    return redirect("case_detail", reference=reference)


@require_POST
@staff_required
def case_change_status(request, reference: str):
    return act_on_case(
        request,
        reference,
        StatusForm,
        lambda case, d: case_transition(
            case=case, to=d["to"], actor=request.user, reason=d["reason"], expected_version=d["version"]
        ),
        success="Status changed",
    )


@require_POST
@staff_required
def case_change_kind(request, reference: str):
    return act_on_case(
        request,
        reference,
        ReclassifyForm,
        lambda case, d: case_reclassify(
            case=case,
            actor=request.user,
            kind=d["kind"],
            reason=d["reason"],
            category=d["category"],
            product=d["product"],
            expected_version=d["version"],
        ),
        success="Case reclassified",
    )


@require_POST
@staff_required
def case_change_owner(request, reference: str):
    """Team leaders and leads assign to anyone who may work the case; others may only take an unassigned
    case. The form offers only `assignable_people`; the service refuses anyone else whoever asks."""

    def assign(case, d):
        require(
            can_assign_to(request.user, case, d["owner"]),
            "You can take an unassigned case yourself; a team leader assigns the rest",
        )
        case_assign(case=case, owner=d["owner"], actor=request.user, expected_version=d["version"])

    return act_on_case(
        request,
        reference,
        AssignForm,
        assign,
        success="Owner changed",
        form_kwargs=lambda c: {"owners": assignable_people(c)},
    )
