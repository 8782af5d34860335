"""Agent UI for the complaint process: one POST endpoint per step, each calling one service."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from amends.cases.models import Case
from amends.core.errors import DomainError, NotFound
from amends.core.permissions import can_view_case, can_work_case, case_scope, require, staff_of
from amends.core.web import report, staff_required

from . import authority, promises, services, steps
from .models import ApprovalRequest, CaseClock, Option, Promise, RootCause


def _when(value: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise DomainError("Give a date and time", fields={field: "not a date and time"}) from exc
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _root_cause(code: str) -> RootCause | None:
    if not code:
        return None
    cause = RootCause.objects.filter(code=code).first()
    if cause is None:
        raise NotFound(f"No root cause {code!r}")
    return cause


def _letter(case: Case, pk: str):
    from amends.letters.models import Letter

    letter = Letter.objects.filter(case=case, pk=pk if str(pk).isdigit() else 0).first()
    if letter is None:
        raise NotFound("No such letter on this case")
    return letter


def _compose(case, p, user):
    from .letters import process_compose_letter

    return process_compose_letter(
        case=case,
        kind=p.get("kind", ""),
        actor=user,
        fields={k[6:]: v for k, v in p.items() if k.startswith("field_")},
    )


def _update_letter(case, p, user):
    from amends.letters.services import letter_update_fields

    return letter_update_fields(
        letter=_letter(case, p.get("letter")),
        actor=user,
        fields={k[6:]: v for k, v in p.items() if k.startswith("field_")},
    )


ACTIONS: dict[str, tuple[str, Callable]] = {
    "apply-regime": (
        "Regime applied",
        lambda case, p, user: services.process_start(case=case, regime_code=p.get("regime", ""), actor=user),
    ),
    "understanding": (
        "Summary recorded: ask the customer to confirm it",
        lambda case, p, user: steps.understanding_record(
            case=case,
            actor=user,
            what_happened=p.get("what_happened", ""),
            impact=p.get("impact", ""),
            outcome_wanted=p.get("outcome_wanted", ""),
        ),
    ),
    "confirm-understanding": (
        "Summary confirmed",
        lambda case, p, user: steps.understanding_confirm(
            understanding=get_object_or_404(case.understandings, pk=p.get("understanding") or 0),
            via=p.get("via", "phone") or "phone",
            actor=user,
        ),
    ),
    "evidence": (
        "Evidence added",
        lambda case, p, user: steps.evidence_add(
            case=case,
            actor=user,
            kind=p.get("kind", ""),
            description=p.get("description", ""),
            source=p.get("source", ""),
        ),
    ),
    "finding": (
        "Finding recorded",
        lambda case, p, user: steps.finding_record(
            case=case,
            actor=user,
            outcome=p.get("outcome", ""),
            facts=p.get("facts", ""),
            reasoning=p.get("reasoning", ""),
            root_cause=_root_cause(p.get("root_cause", "")),
        ),
    ),
    "option": (
        "Option added",
        lambda case, p, user: authority.option_add(
            case=case,
            actor=user,
            title=p.get("title", ""),
            remedy_type=p.get("remedy_type", ""),
            amount=p.get("amount") or None,
            benefits_customer=p.get("benefits_customer", ""),
            drawbacks_customer=p.get("drawbacks_customer", ""),
            benefits_organisation=p.get("benefits_organisation", ""),
            drawbacks_organisation=p.get("drawbacks_organisation", ""),
            risk_customer=(p.get("risk_customer_likelihood", 1), p.get("risk_customer_impact", 1)),
            risk_organisation=(
                p.get("risk_organisation_likelihood", 1),
                p.get("risk_organisation_impact", 1),
            ),
            cost=p.get("cost") or None,
        ),
    ),
    "choose-option": (
        "Option chosen",
        lambda case, p, user: authority.option_choose(
            option=get_object_or_404(Option, case=case, pk=p.get("option") or 0),
            actor=user,
            reason=p.get("reason", ""),
        ),
    ),
    "request-approval": (
        "Approval requested",
        lambda case, p, user: authority.approval_request(
            option=get_object_or_404(Option, case=case, pk=p.get("option") or 0),
            actor=user,
            reason=p.get("reason", ""),
        ),
    ),
    "decide-approval": (
        "Decision recorded",
        lambda case, p, user: authority.approval_decide(
            request=get_object_or_404(ApprovalRequest, option__case=case, pk=p.get("request") or 0),
            actor=user,
            approve=p.get("decision") == "approve",
            reason=p.get("reason", ""),
        ),
    ),
    "compose-letter": ("Letter drafted: check it, then send", _compose),
    "update-letter": ("Letter updated", _update_letter),
    "send-letter": (
        "Letter sent",
        lambda case, p, user: services.process_send_letter(
            letter=_letter(case, p.get("letter")), actor=user, by=p.get("by", "email")
        ),
    ),
    "promise": (
        "Promise recorded: it will be tracked until kept",
        lambda case, p, user: promises.promise_make(
            case=case,
            actor=user,
            description=p.get("description", ""),
            due_at=_when(p.get("due_at", ""), "due_at"),
        ),
    ),
    "keep-promise": (
        "Promise marked kept",
        lambda case, p, user: promises.promise_keep(
            promise=get_object_or_404(Promise, case=case, pk=p.get("promise") or 0),
            actor=user,
            note=p.get("note", ""),
        ),
    ),
    "renegotiate-promise": (
        "New time agreed",
        lambda case, p, user: promises.promise_renegotiate(
            promise=get_object_or_404(Promise, case=case, pk=p.get("promise") or 0),
            actor=user,
            new_due_at=_when(p.get("due_at", ""), "due_at"),
            note=p.get("note", ""),
        ),
    ),
    "extend-clock": (
        "Deadline extended",
        lambda case, p, user: services.clock_extend(
            clock=get_object_or_404(CaseClock, case=case, pk=p.get("clock") or 0),
            actor=user,
            reason=p.get("reason", ""),
            new_due_at=_when(p["new_due_at"], "new_due_at") if p.get("new_due_at") else None,
        ),
    ),
    "customer-answer": (
        "Answer recorded",
        lambda case, p, user: steps.customer_answer_record(
            case=case,
            actor=user,
            accepted=p.get("accepted") in {"yes", "True", "true"},
            note=p.get("note", ""),
        ),
    ),
    "satisfaction": (
        "Satisfaction recorded",
        lambda case, p, user: steps.satisfaction_record(
            case=case, actor=user, answer=p.get("answer", ""), comment=p.get("comment", "")
        ),
    ),
    "escalate": (
        "Escalated",
        lambda case, p, user: services.process_escalate(
            case=case, actor=user, to=p.get("to", ""), reason=p.get("reason", "")
        ),
    ),
}


@require_POST
@staff_required
def process_action(request, reference: str, action: str):
    case = (
        Case.objects.select_related("customer").filter(case_scope(request.user), reference=reference).first()
    )
    if case is None or action not in ACTIONS:
        raise Http404("No such case or step")
    success, call = ACTIONS[action]
    try:
        require(can_work_case(request.user, case), "You can view this case but not work on it")
        call(case, request.POST, request.user)
        messages.success(request, success)
    except DomainError as exc:
        report(request, exc)
    return redirect(f"/cases/{case.reference}/#process")


@staff_required
def letter_pdf(request, reference: str, pk: int):
    """The letter as the customer gets it (sent), or a draft preview marked as such."""
    from amends.letters.services import letter_render_pdf

    case = Case.objects.filter(case_scope(request.user), reference=reference).first()
    if case is None or not can_view_case(request.user, case):
        raise Http404
    letter = _letter(case, str(pk))
    pdf = bytes(letter.pdf) if letter.pdf else letter_render_pdf(letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-{letter.kind}.pdf"'
    return response


@staff_required
def authority_limits(request):
    """Who may offer what without approval. Complaints leads and administrators change it (audited)."""
    from amends.core.models import Role

    from .models import AuthorityLimit, RemedyType

    editor = staff_of(request.user).role in {Role.COMPLAINTS_LEAD, Role.ADMIN}
    if request.method == "POST":
        try:
            require(editor, "Only complaints leads and administrators change authority limits")
            authority.authority_limit_set(
                role=request.POST.get("role", ""),
                remedy_type=request.POST.get("remedy_type", ""),
                max_amount=request.POST.get("max_amount") or None,
                allowed=request.POST.get("allowed") == "on",
                actor=request.user,
            )
            messages.success(request, "Authority limit changed")
        except DomainError as exc:
            report(request, exc)
        return redirect("authority_limits")
    limits = {(a.role, a.remedy_type): a for a in AuthorityLimit.objects.all()}
    roles = [r for r in Role if r not in {Role.ASSESSOR}]
    rows = [
        (remedy, [(role, limits.get((role.value, remedy.value))) for role in roles]) for remedy in RemedyType
    ]
    return render(request, "process/authority.html", {"rows": rows, "roles": roles, "editor": editor})


@staff_required
def my_promises(request):
    """The promise ledger for one person and their team: what is open, and how often promises are kept."""
    from .promises import kept_rate

    staff = staff_of(request.user)
    mine = Promise.objects.filter(owner=request.user)
    team = (
        Promise.objects.filter(owner__staff__team_id=staff.team_id)
        if staff.team_id
        else Promise.objects.none()
    )
    return render(
        request,
        "process/promises.html",
        {
            "open": list(
                mine.filter(status=Promise.Status.OPEN).select_related("case").order_by("due_at")[:100]
            ),
            "recent_broken": list(
                mine.filter(status=Promise.Status.BROKEN).select_related("case").order_by("-closed_at")[:20]
            ),
            "mine": kept_rate(mine),
            "team": kept_rate(team) if staff.team_id else None,
        },
    )
