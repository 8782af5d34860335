"""The problems endpoints of the JSON API: list, read, open, link cases."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status
from pydantic import BaseModel, ConfigDict

from amends.cases.models import Case
from amends.core.api_errors import errors
from amends.core.api_types import RowId
from amends.core.errors import NotFound, PermissionDenied
from amends.core.permissions import can_manage_problems, can_see_problems, case_scope

from . import selectors, services
from .models import Problem

router = Router(tags=["problems"])


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    status: str = Field(..., description="open, investigating, fixed or closed")
    product: str
    owner: int | None = Field(None, description="The owner's user id")
    root_cause: str | None = Field(None, description="The root cause's code")
    opened_by: str = Field(..., description="grouping (found by Amends) or staff")
    merged_into: int | None
    created_at: datetime
    cases: list[str] = Field(..., description="References of the linked cases the token's user may see")
    customers_affected: int = Field(..., description="Customers of all linked cases")


class ProblemIn(BaseModel):
    # A plain model, not ninja's Schema: Schema reads attributes, so a bare string body would give its
    # str.title() as the title.
    model_config = ConfigDict(extra="forbid")

    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=20_000)
    product: str = Field("", max_length=100)
    cases: list[str] = Field(default_factory=list, max_length=500, description="Case references to link")


class LinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cases: list[str] = Field(..., min_length=1, max_length=500, description="Case references to link")


def _out(problem: Problem, user) -> dict:
    return {
        "id": problem.pk,
        "title": problem.title,
        "description": problem.description,
        "status": problem.status,
        "product": problem.product,
        "owner": problem.owner_id,
        "root_cause": problem.root_cause.code if problem.root_cause_id else None,
        "opened_by": problem.opened_by,
        "merged_into": problem.merged_into_id,
        "created_at": problem.created_at,
        "cases": [c.reference for c in selectors.problem_cases(problem, user)],
        "customers_affected": selectors.customers_affected(problem),
    }


def _cases(user, references: list[str]) -> list[Case]:
    found = {c.reference: c for c in Case.objects.filter(case_scope(user), reference__in=references)}
    missing = [r for r in references if r not in found]
    if missing:
        raise NotFound(f"No case you may see: {', '.join(missing)}")
    return [found[r] for r in references]


def _seeing(user) -> None:
    if not can_see_problems(user):
        raise PermissionDenied("This account has no role in Amends")


def _managing(user) -> None:
    if not can_manage_problems(user):
        raise PermissionDenied("Only team leaders, complaints leads and administrators change problems")


@router.get(
    "/problems", response={200: list[ProblemOut], **errors(403, 422)}, summary="Problem records, newest first"
)
def list_problems(request, status: str = ""):
    _seeing(request.auth)
    return [_out(p, request.auth) for p in selectors.problems_list(status=status, limit=200)]


@router.get(
    "/problems/{problem_id}", response={200: ProblemOut, **errors(403, 404, 422)}, summary="A problem"
)
def get_problem(request, problem_id: RowId):
    _seeing(request.auth)
    problem = Problem.objects.filter(pk=problem_id).first()
    if problem is None:
        raise NotFound("No such problem")
    return _out(problem, request.auth)


@router.post(
    "/problems",
    response={201: ProblemOut, **errors(400, 403, 404, 413, 422)},
    summary="Open a problem seen by staff (with or without cases)",
)
def open_problem(request, payload: ProblemIn):
    _managing(request.auth)
    problem = services.problem_open(
        title=payload.title,
        description=payload.description,
        product=payload.product,
        cases=_cases(request.auth, payload.cases),
        actor=request.auth,
    )
    return Status(201, _out(problem, request.auth))


@router.post(
    "/problems/{problem_id}/cases",
    response={200: ProblemOut, **errors(400, 403, 404, 413, 422)},
    summary="Link cases to a problem",
)
def link_cases(request, problem_id: RowId, payload: LinkIn):
    _managing(request.auth)
    problem = Problem.objects.filter(pk=problem_id).first()
    if problem is None:
        raise NotFound("No such problem")
    services.problem_cases_link(
        problem=problem, cases=_cases(request.auth, payload.cases), actor=request.auth
    )
    return _out(problem, request.auth)
