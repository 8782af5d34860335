"""Agent UI for queues and the case page: parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import (
    can_assign,
    can_assign_to,
    can_work_case,
    can_write_notes,
    case_scope,
    require,
)
from amends.core.web import form_errors, report, staff_required
from amends.customers.models import Channel, Customer
from amends.customers.selectors import visible_customer

from . import lifecycle
from .forms import AssignForm, NoteForm, ReclassifyForm, StatusForm
from .hooks import case_page_extras
from .models import Case, CaseKind, Note
from .notes import customer_notes, mentionable_people, note_add
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
    can_work = can_work_case(request.user, case)
    context = {
        "case": case,
        "can_work": can_work,
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
        # The newest notes on the customer (their own page has the rest), and the case's note form.
        "customer_notes": customer_notes(case.customer, limit=3, with_told=False),
        "note_form": NoteForm(people=_colleagues(request, case=case)) if can_work else None,
    }
    context.update(case_page_extras(request, case))
    return render(request, "cases/case_detail.html", context)


def customer_page_context(request, customer: Customer) -> dict:
    """The customer page's cases (those of theirs the user may see) and the notes on the customer."""
    writes = can_write_notes(request.user)
    return {
        "cases": customer_cases(request.user, customer),
        "customer_notes": customer_notes(customer),
        "note_form": NoteForm(people=_colleagues(request, customer=customer)) if writes else None,
    }


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
    success: str,
    form_kwargs: Callable[[Case], dict[str, Any]] | None = None,
):
    """A form posted from the case page: a case the user may work on, a valid form, one service call,
    a message back, and back to the page."""
    case = workable_case(request, reference)
    if case is not None:
        try:
            form = form_class(request.POST, **(form_kwargs(case) if form_kwargs else {}))
            if not form.is_valid():
                form_errors(request, form)
            else:
                action(case, form.cleaned_data)
                messages.success(request, success)
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


@require_POST
@staff_required
def case_note_add(request, reference: str):
    """An internal note on the case, telling the colleagues it mentions (never shown to the customer)."""

    def add(case, d):
        note_add(
            actor=request.user,
            body=d["body"],
            case=case,
            mention=d["mention"],
            corrects=_corrected(Note.objects.filter(case=case), d["corrects"]),
        )

    return act_on_case(
        request,
        reference,
        NoteForm,
        add,
        success="Note added: only colleagues see it",
        form_kwargs=lambda c: {"people": _colleagues(request, case=c)},
    )


@require_POST
@staff_required
def customer_note_add(request, pk: int):
    """An internal note on the customer (about them, not one case), telling whom it mentions."""
    customer = visible_customer(request.user, pk)
    if customer is None:
        raise Http404("No such customer, or not one you can see")
    try:
        require(can_write_notes(request.user), "You can read notes but not write them")
        form = NoteForm(request.POST, people=_colleagues(request, customer=customer))
        if not form.is_valid():
            form_errors(request, form)
        else:
            d = form.cleaned_data
            note_add(
                actor=request.user,
                body=d["body"],
                customer=customer,
                mention=d["mention"],
                corrects=_corrected(Note.objects.filter(customer=customer), d["corrects"]),
            )
            messages.success(request, "Note added: only colleagues see it")
    except DomainError as exc:
        report(request, exc)
    return redirect("customer_detail", pk=pk)


def _colleagues(request, **about):
    """Whom a note may tell, for its form: those who may see what it is about, but not its author."""
    return mentionable_people(**about).exclude(pk=request.user.pk)


def _corrected(notes, pk: int | None) -> Note | None:
    """The note a correction puts right, among these notes (the same case's or customer's)."""
    if pk is None:
        return None
    note = notes.filter(pk=pk).first()
    if note is None:
        raise DomainError("There is no such note here to correct", fields={"corrects": "unknown note"})
    return note
