"""Pages: the problems list (with "open a problem" and early warnings), a problem (edit, link and unlink
cases, merge, split, tell every affected customer with a preview and a count), product owners."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.permissions import (
    can_manage_problems,
    can_see_problems,
    can_set_product_owners,
    can_tell_problem_customers,
    case_scope,
    require,
)
from amends.core.web import report, staff_required
from amends.process.models import RootCause

from . import selectors, services
from .models import Problem, ProblemStatus, ProductOwner

MANAGE = "Only team leaders, complaints leads and administrators change problems"


def _staff():
    return (
        get_user_model()
        .objects.filter(is_active=True, staff__isnull=False)
        .exclude(staff__role=Role.ASSESSOR)
        .order_by("first_name", "username")
    )


def _user(pk: str):
    if not pk:
        return None
    found = _staff().filter(pk=pk).first() if pk.isdigit() else None
    if found is None:
        raise DomainError("No such member of staff")
    return found


def _problem(problem_id: int) -> Problem:
    return get_object_or_404(Problem, pk=problem_id)


def _cases(request, references: str) -> list[Case]:
    wanted = [r.strip().upper() for r in references.replace(",", " ").split() if r.strip()]
    found = {c.reference: c for c in Case.objects.filter(case_scope(request.user), reference__in=wanted)}
    missing = [r for r in wanted if r not in found]
    if missing:
        raise DomainError(f"No case you may see: {', '.join(missing)}")
    return [found[r] for r in wanted]


@require_safe
@staff_required
def problems(request):
    if not can_see_problems(request.user):
        raise DjangoPermissionDenied("This account has no role in Amends")
    status = request.GET.get("status", "")
    return render(
        request,
        "problems/list.html",
        {
            "problems": selectors.problems_list(status=status),
            "status": status,
            "statuses": ProblemStatus.choices,
            "warnings": selectors.warnings_recent(),
            "manager": can_manage_problems(request.user),
            "staff": _staff(),
            "root_causes": RootCause.objects.filter(active=True),
        },
    )


@require_POST
@staff_required
def problem_new(request):
    try:
        require(can_manage_problems(request.user), MANAGE)
        problem = services.problem_open(
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            product=request.POST.get("product", ""),
            owner=_user(request.POST.get("owner", "")),
            root_cause=request.POST.get("root_cause") or None,
            cases=_cases(request, request.POST.get("cases", "")),
            actor=request.user,
        )
    except DomainError as exc:
        report(request, exc)
        return redirect("problems")
    messages.success(request, "Problem opened")
    return redirect("problem", problem_id=problem.pk)


@require_safe
@staff_required
def problem(request, problem_id: int):
    if not can_see_problems(request.user):
        raise DjangoPermissionDenied("This account has no role in Amends")
    found = _problem(problem_id)
    return render(
        request,
        "problems/detail.html",
        {
            "problem": found,
            "cases": selectors.problem_cases(found, request.user),
            "customers": selectors.customers_affected(found),
            "manager": can_manage_problems(request.user) and not found.merged_into_id,
            "teller": can_tell_problem_customers(request.user) and not found.merged_into_id,
            "statuses": ProblemStatus.choices,
            "staff": _staff(),
            "root_causes": RootCause.objects.filter(active=True),
            "others": selectors.problems_list(exclude=found.pk, limit=100),
        },
    )


@require_POST
@staff_required
def problem_edit(request, problem_id: int):
    found = _problem(problem_id)
    try:
        require(can_manage_problems(request.user), MANAGE)
        services.problem_update(
            problem=found,
            actor=request.user,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            status=request.POST.get("status", ""),
            product=request.POST.get("product", ""),
            owner=_user(request.POST.get("owner", "")),
            root_cause=request.POST.get("root_cause") or None,
        )
        messages.success(request, "Problem saved")
    except DomainError as exc:
        report(request, exc)
    return redirect("problem", problem_id=found.pk)


@require_POST
@staff_required
def problem_cases(request, problem_id: int):
    found = _problem(problem_id)
    try:
        require(can_manage_problems(request.user), MANAGE)
        if request.POST.get("unlink"):
            (case,) = _cases(request, request.POST["unlink"])
            services.problem_case_unlink(problem=found, case=case, actor=request.user)
            messages.success(request, f"{case.reference} unlinked")
        else:
            count = services.problem_cases_link(
                problem=found, cases=_cases(request, request.POST.get("cases", "")), actor=request.user
            )
            messages.success(request, f"{count} case{'s' if count != 1 else ''} linked")
    except DomainError as exc:
        report(request, exc)
    return redirect("problem", problem_id=found.pk)


@require_POST
@staff_required
def problem_merge(request, problem_id: int):
    found = _problem(problem_id)
    try:
        require(can_manage_problems(request.user), MANAGE)
        ids = [int(x) for x in request.POST.getlist("others") if x.isdigit()]
        others = list(Problem.objects.filter(pk__in=ids))
        services.problems_merge(keep=found, others=others, actor=request.user)
        messages.success(
            request, f"Merged {len(others)} problem{'s' if len(others) != 1 else ''} into this one"
        )
    except DomainError as exc:
        report(request, exc)
    return redirect("problem", problem_id=found.pk)


@require_POST
@staff_required
def problem_split(request, problem_id: int):
    found = _problem(problem_id)
    try:
        require(can_manage_problems(request.user), MANAGE)
        cases = _cases(request, " ".join(request.POST.getlist("cases")))
        new = services.problem_split(
            problem=found, cases=cases, title=request.POST.get("title", ""), actor=request.user
        )
    except DomainError as exc:
        report(request, exc)
        return redirect("problem", problem_id=found.pk)
    messages.success(request, "Split into a new problem")
    return redirect("problem", problem_id=new.pk)


@staff_required
def problem_tell(request, problem_id: int):
    """GET: the preview (the message, how many customers, which cases); POST: send, one per customer."""
    found = _problem(problem_id)
    if not can_tell_problem_customers(request.user):
        raise DjangoPermissionDenied("Only complaints leads and administrators tell every affected customer")
    subject = request.POST.get("subject", "") or request.GET.get("subject", "") or found.title
    body = request.POST.get("body", "") or request.GET.get("body", "")
    if request.method == "POST":
        try:
            sent = services.problem_tell_customers(
                problem=found,
                actor=request.user,
                subject=subject,
                body=body,
                expected=int(request.POST.get("expected", "-1") or -1),
            )
            messages.success(request, f"Sent to {sent} customer{'s' if sent != 1 else ''}")
            return redirect("problem", problem_id=found.pk)
        except (DomainError, ValueError) as exc:
            report(request, exc if isinstance(exc, DomainError) else DomainError("The count is not a number"))
    cases = services.affected_cases(found)
    return render(
        request,
        "problems/tell.html",
        {"problem": found, "cases": cases, "count": len(cases), "subject": subject, "body": body},
    )


@staff_required
def product_owners(request):
    """Who owns each product or service: told when a problem about it opens (else the complaints leads)."""
    editor = can_set_product_owners(request.user)
    if request.method == "POST":
        try:
            require(editor, "Only complaints leads and administrators say who owns a product")
            services.product_owner_set(
                product=request.POST.get("product", ""),
                owner=_user(request.POST.get("owner", "")),
                actor=request.user,
            )
            messages.success(request, "Product owner saved")
        except DomainError as exc:
            report(request, exc)
        return redirect("product_owners")
    return render(
        request,
        "problems/owners.html",
        {"owners": ProductOwner.objects.select_related("owner"), "editor": editor, "staff": _staff()},
    )
