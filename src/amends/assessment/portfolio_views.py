"""The competence pages: a learner's portfolio (the coverage matrix, evidence, reflective accounts), a
criterion with its evidence and the assessor's sign-off, the IQA's sampling view, managers' progress
summaries, enrolment and disruptions, and the portfolio as a PDF for the awarding body.

Who sees what (core.permissions): learners their own; assessors their learners; an IQA every learner;
managers progress summaries only. Every form posts to one service; a refusal is shown and changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from amends.cases.models import Case
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import Role, Team
from amends.core.permissions import (
    can_assess_learner,
    can_quality_assure,
    can_read_portfolio,
    can_see_progress,
    can_view_case,
    is_learner,
    staff_of,
)
from amends.core.web import report, staff_required
from amends.standards.criteria import SEPARATORS, catalogue, criterion

from . import decisions as decide
from . import documents, evidence, portable, selectors
from .models import CriterionDecision, Disruption, EvidenceChannel, EvidenceItem, Method, Situation, Stage

EVIDENCE_PER_PAGE = 25
# The methods a decision can rest on, as the sampling view filters and names them.
METHODS = [*Method.choices, ("knowledge_check", "Knowledge check")]


def _learner(request, pk: int):
    learner = get_user_model().objects.filter(pk=pk, is_active=True).select_related("staff").first()
    if learner is None or not can_read_portfolio(request.user, learner):
        raise Http404("No such learner")
    return learner


def _portfolio_url(learner_pk: int) -> str:
    return reverse("competence_learner", args=[learner_pk])


def _criterion_url(learner_pk: int, reference: str) -> str:
    unit, code = reference.split(" ", 1)
    return reverse("competence_criterion", args=[learner_pk, unit, code])


@staff_required
def competence(request):
    """Where the competence record starts: a learner goes to their portfolio; everyone else sees the
    learners they may read, progress summaries, and what their role does here."""
    user = request.user
    staff = staff_of(user)
    enrolling = staff.role in decide.ENROLLING_ROLES
    learner = is_learner(user)
    if learner and not (can_see_progress(user) or enrolling or staff.role in decide.DISRUPTION_ROLES):
        return redirect(_portfolio_url(user.pk))  # a learner with nothing else here goes to their portfolio
    people = get_user_model().objects.filter(is_active=True).select_related("staff").order_by("first_name")
    return render(
        request,
        "assessment/competence.html",
        {
            "learners": selectors.learners_for(user)
            if (staff.role == Role.ASSESSOR or can_quality_assure(user))
            else [],
            "progress": selectors.progress(user) if can_see_progress(user) else [],
            "enrolling": enrolling,
            "candidates": [
                p for p in people if p.staff.role in {Role.ADVISER, Role.CASE_HANDLER, Role.TEAM_LEADER}
            ]
            if enrolling
            else [],
            "assessors": [p for p in people if p.staff.role == Role.ASSESSOR] if enrolling else [],
            "units": list(catalogue().values()),
            "iqa": can_quality_assure(user),
            "my_portfolio": _portfolio_url(user.pk) if learner else "",
            "records_disruptions": staff.role in decide.DISRUPTION_ROLES,
        },
    )


@staff_required
def competence_learner(request, pk: int):
    learner = _learner(request, pk)
    folio = selectors.portfolio(learner)
    own = learner.pk == request.user.pk
    # Evidence grows by the day (hundreds a year): the list pages; the matrix and criterion pages count all.
    evidence_page = Paginator(folio.evidence, EVIDENCE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/portfolio.html",
        {
            "folio": folio,
            "evidence_page": evidence_page,
            "learner": learner,
            "own": own,
            "assessing": can_assess_learner(request.user, learner),
            "situations": Situation.choices,
            "channels": EvidenceChannel.choices,
            "my_cases": Case.objects.filter(owner=learner).order_by("-opened_at")[:50] if own else [],
            "units": [catalogue()[u] for u in (folio.enrolment.units if folio.enrolment else [])],
        },
    )


@staff_required
def competence_criterion(request, pk: int, unit: str, code: str):
    learner = _learner(request, pk)
    named = criterion(f"{unit} {code}")
    if named is None:
        raise Http404("No such criterion")
    folio = selectors.portfolio(learner)
    row = folio.row(named.reference)
    if row is None:
        raise Http404("Not one of the learner's units")
    return render(
        request,
        "assessment/criterion.html",
        {
            "learner": learner,
            "row": row,
            "named": named,
            "same": [criterion(ref) for ref in named.same_as],
            "history": selectors.decisions_of(learner, named.reference),
            "assessing": can_assess_learner(request.user, learner),
            "stages": Stage.choices,
            "iqa": can_quality_assure(request.user),
        },
    )


def _back(request, fallback: str):
    return redirect(request.POST.get("next") or fallback)


@require_POST
@staff_required
def competence_decide(request, pk: int, unit: str, code: str):
    learner = _learner(request, pk)
    reference = f"{unit} {code}"
    try:
        decide.criterion_decide(
            assessor=request.user,
            learner=learner,
            code=reference,
            stage=request.POST.get("stage", ""),
            comment=request.POST.get("comment", ""),
            evidence_ids=[int(v) for v in request.POST.getlist("evidence") if v.isdigit()],
            signed_name=request.POST.get("signed_name", ""),
        )
        messages.success(request, f"Decision on {reference} signed")
    except DomainError as exc:
        report(request, exc)
    return redirect(_criterion_url(learner.pk, reference))


@require_POST
@staff_required
def competence_reflect(request, pk: int):
    learner = _learner(request, pk)
    case = None
    try:
        if request.POST.get("case"):
            case = Case.objects.filter(reference=request.POST["case"].strip()).first()
            if case is None or not can_view_case(request.user, case):
                raise DomainError("No such case of yours", fields={"case": "not found"})
        if learner.pk != request.user.pk:
            raise PermissionDenied("Learners write their own reflective accounts")
        evidence.reflective_account_add(
            learner=learner,
            criteria=[c for c in SEPARATORS.split(request.POST.get("criteria", "")) if c.strip()],
            text=request.POST.get("text", ""),
            case=case,
            occurred_on=_date(request.POST.get("occurred_on")),
        )
        messages.success(request, "Reflective account added to your portfolio")
    except DomainError as exc:
        report(request, exc)
    return redirect(_portfolio_url(learner.pk) + "#reflect")


def _date(value: str | None):
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise DomainError("Give the day as a date", fields={"occurred_on": "not a date"}) from exc


@require_POST
@staff_required
def competence_tags(request, item: int):
    found = get_object_or_404(EvidenceItem.objects.filter(selectors.evidence_scope(request.user)), pk=item)
    try:
        evidence.evidence_tags_set(
            evidence=found,
            actor=request.user,
            situation=request.POST.get("situation", ""),
            channel=request.POST.get("channel", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "Tags changed; your reason is kept with them")
    except DomainError as exc:
        report(request, exc)
    return redirect(_portfolio_url(found.learner_id) + f"#evidence-{found.pk}")


@require_POST
@staff_required
def competence_enrol(request):
    people = get_user_model().objects.filter(is_active=True)
    try:
        decide.learner_enrol(
            actor=request.user,
            learner=people.filter(pk=_int(request.POST.get("learner"))).first(),
            assessor=people.filter(pk=_int(request.POST.get("assessor"))).first(),
            units=request.POST.getlist("units"),
            started_on=_date(request.POST.get("started_on")),
        )
        messages.success(request, "Enrolled: their work since the start is already captured as evidence")
    except DomainError as exc:
        report(request, exc)
    return redirect("competence")


def _int(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


@staff_required
def competence_sampling(request):
    if not can_quality_assure(request.user):
        raise DjangoPermissionDenied("Internal quality assurers sample assessors' decisions")
    get = request.GET
    plan = decide.sampling_plan()
    plans, rows = selectors.sampling_view(
        plan,
        assessor_id=_int(get.get("assessor")) or None,
        unit=get.get("unit", ""),
        learner_id=_int(get.get("learner")) or None,
        method=get.get("method", ""),
    )
    return render(
        request,
        "assessment/sampling.html",
        {
            "plan": plan,
            "plans": plans,
            "rows": rows,
            "filters": get,
            "units": list(catalogue()),
            "learners": selectors.learners_for(request.user),
            "methods": METHODS,
            "method_words": dict(METHODS),
        },
    )


@require_POST
@staff_required
def competence_plan(request):
    try:
        decide.sampling_plan_set(
            actor=request.user,
            percent=_int(request.POST.get("percent")),
            every_unit=request.POST.get("every_unit") == "on",
            every_method=request.POST.get("every_method") == "on",
        )
        messages.success(request, "Sampling plan saved")
    except DomainError as exc:
        report(request, exc)
    return redirect("competence_sampling")


@require_POST
@staff_required
def competence_sample(request, decision: int):
    found = get_object_or_404(CriterionDecision.objects.select_related("learner"), pk=decision)
    try:
        decide.sample_record(
            iqa=request.user,
            decision=found,
            outcome=request.POST.get("outcome", ""),
            comment=request.POST.get("comment", ""),
            signed_name=request.POST.get("signed_name", ""),
        )
        messages.success(request, f"Sample of {found.code} recorded")
    except DomainError as exc:
        report(request, exc)
    return _back(request, reverse("competence_sampling"))


@staff_required
def competence_disruptions(request):
    staff = staff_of(request.user)
    if staff.role not in decide.DISRUPTION_ROLES:
        raise DjangoPermissionDenied("Team leaders and complaints leads record disruptions")
    teams = Team.objects.order_by("name")
    if staff.role == Role.TEAM_LEADER:
        teams = teams.filter(pk=staff.team_id)
    return render(
        request,
        "assessment/disruptions.html",
        {
            "disruptions": Disruption.objects.select_related("team", "recorded_by").order_by("-started_at")[
                :100
            ],
            "teams": teams,
            "kinds": Disruption.Kind.choices,
            "now": timezone.localtime(),
        },
    )


@require_POST
@staff_required
def competence_disruption_add(request):
    post = request.POST
    try:
        started = _moment(post.get("started_at"), "started_at")
        if started is None:
            raise DomainError("Say when it started", fields={"started_at": "required"})
        decide.disruption_record(
            actor=request.user,
            team=Team.objects.filter(pk=_int(post.get("team"))).first(),
            kind=post.get("kind", ""),
            what=post.get("what", ""),
            started_at=started,
            ended_at=_moment(post.get("ended_at"), "ended_at"),
        )
        messages.success(request, "Disruption recorded: work in its window is tagged \u201clet down\u201d")
    except DomainError as exc:
        report(request, exc)
    return redirect("competence_disruptions")


def _moment(value: str | None, name: str):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise DomainError("Give a date and time", fields={name: "not a date and time"})
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@staff_required
def competence_pdf(request, pk: int):
    learner = _learner(request, pk)
    pdf = documents.portfolio_pdf(selectors.portfolio(learner), produced_for=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = learner.get_username()
    response["Content-Disposition"] = f'attachment; filename="portfolio-{name}.pdf"'
    return response


def _json_download(data, name: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def competence_xapi(request, pk: int):
    """Every evidence item, decision and sample of the learner as xAPI statements (validated), to load
    into a learning record store."""
    learner = _learner(request, pk)
    return _json_download(portable.learner_statements(learner), f"xapi-{learner.get_username()}.json")


@staff_required
def competence_badge(request, pk: int, unit: str):
    """The centre's record of a unit signed off after IQA, as an Open Badges 3.0 credential."""
    learner = _learner(request, pk)
    folio = selectors.portfolio(learner)
    found = next((u for u in folio.units if u.code == unit), None)
    if found is None or not found.complete:
        raise Http404("This unit is not signed off and quality assured yet")
    return _json_download(portable.unit_badge(folio, found), f"badge-{unit}-{learner.get_username()}.json")


@staff_required
def competence_case(request, unit: str):
    """A unit's criteria as an IMS CASE 1.1 package."""
    if unit not in catalogue():
        raise Http404("No such unit")
    return _json_download(portable.case_package(unit), f"case-{unit}.json")
