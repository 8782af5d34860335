"""Agent UI for queues and the case page: parse, call a service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import (
    can_assign,
    can_assign_to,
    can_work_case,
    can_work_cases,
    can_write_notes,
    case_scope,
    require,
)
from amends.core.web import form_errors, report, staff_required
from amends.customers.alerts import alert_panel
from amends.customers.hooks import notices_for
from amends.customers.models import Channel, Customer
from amends.customers.selectors import visible_customer

from . import lifecycle
from .bulk import BULK_LIMIT, BulkOutcome, Selected, cases_bulk
from .forms import AssignForm, NoteForm, ReclassifyForm, StatusForm
from .hooks import bulk_actions, case_page_extras
from .models import Case, CaseKind, HandOver, Note
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
    tags_in_use,
)
from .services import case_assign, case_reclassify, case_transition, handover_read, handovers_unread
from .tags import TAG_MAX, case_tag_add, case_tag_remove, tag_normalised


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
        tag=get.get("tag", "")[:TAG_MAX],
    )


@staff_required
def queue(request):
    filters = _filters(request)
    page = case_queue(request.user, filters)
    notices = notices_for(request.user, (case.customer_id for case in page.rows))
    for case in page.rows:  # markers, restrictions and support needs beside each customer's name
        case.customer_notices = notices.get(case.customer_id, [])
    query = request.GET.copy()
    query.pop("after", None)
    can_bulk = can_work_cases(request.user)
    htmx = request.headers.get("HX-Request")
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
        "can_bulk": can_bulk,
    }
    if not htmx:  # more rows for the page already shown need only the rows
        context["tags"] = tags_in_use()
        context["tag_selected"] = tag_normalised(filters.tag)
        context["bulk_bar"] = _bulk_bar(request.user) if can_bulk else []
        context["bulk_limit"] = BULK_LIMIT
    template = "cases/_queue_rows.html" if htmx else "cases/queue.html"
    return render(request, template, context)


def _bulk_bar(user) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Each registered bulk action with its boxes: a select's options, or a text box's suggestions (worked
    out here: a template would call the functions that give them without the user)."""
    return [
        (
            action,
            [
                {
                    "name": box.name,
                    "label": box.label,
                    "choices": box.choices(user) if box.choices else None,
                    "suggest": box.suggest() if box.suggest else [],
                }
                for box in action.fields
            ],
        )
        for action in bulk_actions
    ]


def _selected(values: list[str]) -> list[Selected]:
    """The rows ticked, each "reference:version" as the queue showed it. A value without a version is
    checked against version 0, which no case has: refused as changed, never changed unchecked."""
    chosen = []
    for value in values:
        reference, _, version = value.strip()[:60].partition(":")
        chosen.append(Selected(reference, int(version) if version.isdigit() and len(version) < 10 else 0))
    return chosen


@require_POST
@staff_required
def queue_bulk(request):
    """The queue's action bar: the button pressed names the action, its boxes its arguments
    (`<action>-<argument>`); then back to the same queue with what happened to each case."""
    post = request.POST
    code = post.get("action", "")
    args = {key.removeprefix(f"{code}-"): value for key, value in post.items() if key.startswith(f"{code}-")}
    try:
        outcome = cases_bulk(
            actor=request.user, action=code, selected=_selected(post.getlist("cases")), args=args
        )
        _report_bulk(request, outcome)
    except DomainError as exc:
        report(request, exc)
    back = QueryDict(post.get("query", "")[:2000]).urlencode()
    return redirect(reverse("queue") + (f"?{back}" if back else ""))


def _report_bulk(request, outcome: BulkOutcome) -> None:
    """One line of totals, then each refusal with its reason: the rows show what was done."""
    done, refused = len(outcome.done), len(outcome.refused)
    totals = f"{outcome.action.label}: {done} done, {refused} refused."
    (messages.success if not refused else messages.warning)(request, totals)
    for result in outcome.refused:
        messages.error(request, f"{result.reference}: {result.message}")


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
        "case_tags": list(case.tags.all()),
        "tag_names": [tag.name for tag in tags_in_use()],
        # The newest notes on the customer (their own page has the rest), and the case's note form.
        "customer_notes": customer_notes(case.customer, limit=3, with_told=False),
        "note_form": NoteForm(people=_colleagues(request, case=case)) if can_work else None,
        "customer_notices": notices_for(request.user, [case.customer_id]).get(case.customer_id, []),
        "handovers": handovers_unread(case, request.user),
        **alert_panel(request.user, case.customer, full=False),
        "handover_reasons": HandOver.Reason.choices,
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
        case_assign(
            case=case,
            owner=d["owner"],
            actor=request.user,
            reason=d["reason"],
            note=d["note"],
            expected_version=d["version"],
        )

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
def case_add_tag(request, reference: str):
    case = workable_case(request, reference)
    if case is not None:
        try:
            name = request.POST.get("tag", "")
            added = case_tag_add(case=case, tag=name, actor=request.user)
            messages.success(request, "Tag added" if added else "The case already has that tag")
        except DomainError as exc:
            report(request, exc)
    return redirect("case_detail", reference=reference)


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
def case_remove_tag(request, reference: str):
    case = workable_case(request, reference)
    if case is not None:
        removed = case_tag_remove(case=case, tag=request.POST.get("tag", ""), actor=request.user)
        messages.success(request, "Tag removed" if removed else "The case no longer had that tag")
    return redirect("case_detail", reference=reference)


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


@require_POST
@staff_required
def case_handover_read(request, reference: str, pk: int):
    """The new owner has read the hand-over note: it leaves the top of the case page."""
    case = case_for(request.user, reference)
    handover = get_object_or_404(HandOver, pk=pk, case=case)
    try:
        handover_read(handover=handover, actor=request.user)
        messages.success(request, "Hand-over note marked read")
    except DomainError as exc:
        report(request, exc)
    return redirect("case_detail", reference=reference)
