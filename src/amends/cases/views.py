"""Agent UI for queues and the case page: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import can_assign, can_work_case, case_scope, require
from amends.core.web import form_errors, report, staff_required
from amends.customers.models import Channel
from amends.messaging.services import message_log_contact, message_send

from . import lifecycle
from .forms import AssignForm, LogContactForm, ReclassifyForm, ReplyForm, StatusForm
from .lifecycle import Status
from .models import Case, CaseKind
from .selectors import QUEUES, RISK_FILTERS, SORTS, QueueFilters, case_queue, case_timeline, default_queue
from .services import case_assign, case_reclassify, case_transition


def _filters(request) -> QueueFilters:
    get = request.GET
    queue = get.get("queue") or default_queue(request.user)
    status = get.get("status", "open")
    return QueueFilters(
        queue=queue if queue in QUEUES else "team",
        status=status if status in {"open", "all", *[s.value for s in Status]} else "open",
        kind=get.get("kind", "") if get.get("kind", "") in CaseKind.values else "",
        channel=get.get("channel", "") if get.get("channel", "") in Channel.values else "",
        q=get.get("q", "")[:200],
        after=get.get("after", "")[:200],
        sort=get.get("sort", "") if get.get("sort", "") in SORTS else "",
        risk=get.get("risk", "") if get.get("risk", "") in RISK_FILTERS else "",
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
        "statuses": [(s.value, s.label) for s in Status],
        "kinds": CaseKind.choices,
        "channels": Channel.choices,
        "sorts": SORTS,
        "risk_filters": RISK_FILTERS,
        "base_query": query.urlencode(),
    }
    template = "cases/_queue_rows.html" if request.headers.get("HX-Request") else "cases/queue.html"
    return render(request, template, context)


def _visible_case(request, reference: str) -> Case:
    case = (
        Case.objects.select_related("customer", "owner", "team")
        .filter(case_scope(request.user), reference=reference)
        .first()
    )
    if case is None:
        raise Http404("No such case, or not one you can see")
    return case


@staff_required
def case_detail(request, reference: str):
    case = _visible_case(request, reference)
    timeline, truncated = case_timeline(case)
    can_work = can_work_case(request.user, case)
    owners = None
    if can_assign(request.user, case):
        owners = get_user_model().objects.filter(staff__team=case.team) if case.team_id else None
    context = {
        "case": case,
        "timeline": timeline,
        "truncated": truncated,
        "can_work": can_work,
        "can_assign": owners is not None,
        "contact_points": list(case.customer.contact_points.all()),
        "other_cases": list(
            case.customer.cases.filter(case_scope(request.user))
            .exclude(pk=case.pk)
            .order_by("-opened_at")[:10]
        ),
        "next_statuses": lifecycle.next_statuses(case.status),
        "reply_form": ReplyForm(),
        "log_form": LogContactForm(),
        "assign_form": AssignForm(owners=owners, initial={"owner": case.owner_id, "version": case.version})
        if owners is not None
        else None,
        "reclassify_form": ReclassifyForm(
            initial={"kind": case.kind, "category": case.category, "version": case.version}
        ),
    }
    context.update(_process_context(case, request.user))
    context.update(_signals_context(case))
    return render(request, "cases/case_detail.html", context)


def _signals_context(case: Case) -> dict:
    from amends.signals.selectors import case_signals_summary, signals_by_message

    grouped = signals_by_message(case)
    return {"message_signals": grouped, "case_signals": case_signals_summary(case, grouped)}


def _drafts_missing(case: Case, letters) -> dict[int, list[str]]:
    """What each draft letter still needs, with one query for the wording of all of them."""
    from amends.letters.models import current_blocks
    from amends.letters.rendering import block_codes, find_missing

    drafts = [letter for letter in letters if letter.status == "draft"]
    blocks = current_blocks({code for letter in drafts for code in block_codes(letter)})
    missing = {}
    for letter in drafts:
        letter.case = case  # already loaded: no query per letter
        own = {code: blocks[code] for code in block_codes(letter) if code in blocks}
        missing[letter.pk] = list(find_missing(letter, own).values())
    return missing


def _process_context(case: Case, user) -> dict:
    """The complaint-process panel: the process app's selector plus the choices its forms offer."""
    from amends.letters.elements import FIELD_NAMES
    from amends.process.models import EvidenceItem, Finding, RemedyType, SatisfactionCheck
    from amends.process.selectors import process_panel
    from amends.regimes.models import Regime

    panel = process_panel(case, user)
    stage_name = ""
    if panel.process is not None:
        stage_name = panel.definition.stage(panel.process.stage).name
    return {
        "p": panel,
        "stage_name": stage_name,
        "regimes": list(Regime.objects.order_by("name"))
        if panel.process is None and case.kind == "complaint"
        else [],
        "evidence_kinds": EvidenceItem.Kind.choices,
        "finding_outcomes": Finding.Outcome.choices,
        "remedy_types": RemedyType.choices,
        "satisfaction_answers": SatisfactionCheck.Answer.choices,
        "risk_fields": [
            ("risk_customer_likelihood", "Risk to customer: likelihood"),
            ("risk_customer_impact", "Risk to customer: impact"),
            ("risk_organisation_likelihood", "Risk to us: likelihood"),
            ("risk_organisation_impact", "Risk to us: impact"),
        ],
        "letter_field_names": sorted(FIELD_NAMES - {"reference"}),
        "letters_missing": _drafts_missing(case, panel.letters),
    }


def _act(request, reference, form_class, action, *, success: str, form_kwargs=None):
    """Shared POST handling: visible case, permission, valid form, one service call, a message back."""
    case = _visible_case(request, reference)
    try:
        require(can_work_case(request.user, case), "You can view this case but not work on it")
        form = form_class(request.POST, **(form_kwargs(case) if form_kwargs else {}))
        if not form.is_valid():
            form_errors(request, form)
        else:
            action(case, form.cleaned_data)
            messages.success(request, success)
    except DomainError as exc:
        report(request, exc)
    return redirect("case_detail", reference=case.reference)


@require_POST
@staff_required
def case_reply(request, reference: str):
    return _act(
        request,
        reference,
        ReplyForm,
        lambda case, d: message_send(case=case, actor=request.user, body=d["body"], subject=d["subject"]),
        success="Reply sent",
    )


@require_POST
@staff_required
def case_log_contact(request, reference: str):
    return _act(
        request,
        reference,
        LogContactForm,
        lambda case, d: message_log_contact(
            case=case,
            actor=request.user,
            channel=d["channel"],
            direction=d["direction"],
            summary=d["summary"],
            occurred_at=d["occurred_at"],
        ),
        success="Contact logged",
    )


@require_POST
@staff_required
def case_change_status(request, reference: str):
    return _act(
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
    return _act(
        request,
        reference,
        ReclassifyForm,
        lambda case, d: case_reclassify(
            case=case,
            actor=request.user,
            kind=d["kind"],
            reason=d["reason"],
            category=d["category"],
            expected_version=d["version"],
        ),
        success="Case reclassified",
    )


@require_POST
@staff_required
def case_change_owner(request, reference: str):
    """Team leaders and leads assign to anyone in the case's team; others may only take an unassigned case."""
    users = get_user_model().objects

    def assign(case, d):
        owner = d["owner"]
        if not can_assign(request.user, case) and (owner != request.user or case.owner_id is not None):
            raise PermissionDenied("You can take an unassigned case yourself; a team leader assigns the rest")
        case_assign(case=case, owner=owner, actor=request.user, expected_version=d["version"])

    return _act(
        request,
        reference,
        AssignForm,
        assign,
        success="Owner changed",
        form_kwargs=lambda c: {
            "owners": users.filter(staff__team=c.team) if c.team_id else users.filter(staff__isnull=False)
        },
    )
