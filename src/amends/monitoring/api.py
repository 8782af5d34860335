"""Special reviews over the API: list and read them (with the evidence), open one by hand, give it an
owner, record its findings, close it with its outcome; read and change how levels are watched. The same
services and permission questions as the pages: a role that may not is refused (403)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from ninja import Field, Query, Router, Schema, Status

from amends.core.api_errors import errors
from amends.core.api_types import RowId
from amends.core.cursors import decode_id_cursor, encode_id_cursor
from amends.core.errors import DomainError, NotFound, PermissionDenied
from amends.core.permissions import can_lead_reviews, can_see_reviews, review_owner_scope

from . import services
from .models import ServiceReview
from .selectors import reviews_listed

router = Router(tags=["monitoring"])

Dimension = Literal["product", "root_cause", "channel", "team", "regime"]


class ServiceReviewOut(Schema):
    id: int
    dimension: str
    category: str
    status: str = Field(..., description="open, in_review or closed")
    trigger: str = Field(..., description="spc (opened by the trigger) or manual")
    summary: str = Field(..., description="What moved, from what to what, and how unlikely by chance")
    method: str
    baseline_rate: float | None
    current_rate: float | None
    per_exposure: bool = Field(
        ..., description="Rates are per case opened (x100: per 100 cases), else a week"
    )
    probability: float | None = Field(None, description="The chance of so many or more at the usual rate")
    first_signal_period: date | None
    last_signal_period: date | None
    opened_at: datetime
    opened_by: int | None
    owner: int | None
    findings: str
    outcome: str
    outcome_note: str
    closed_at: datetime | None
    version: int


class ServiceReviewDetailOut(ServiceReviewOut):
    evidence: dict = Field(
        ..., description="periods, counts, exposure, centre, upper, lower, signal_from, signal_at, alpha..."
    )


class ServiceReviewPage(Schema):
    items: list[ServiceReviewOut]
    next_cursor: str | None


class ServiceReviewListQuery(Schema):
    status: Literal["", "open", "in_review", "closed"] = Field(
        "", description="open: open and in review; empty: all"
    )
    cursor: str = Field("", max_length=20)
    limit: int = Field(25, ge=1, le=100)


class ServiceReviewIn(Schema):
    dimension: Dimension
    category: str = Field(..., max_length=200)
    summary: str = Field(..., max_length=5_000, description="What was seen, and why it needs a review")
    owner: RowId | None = None


class ReviewOwnerIn(Schema):
    owner: RowId | None = Field(
        ..., description="A team leader, complaints lead or administrator; null: none"
    )
    version: int | None = None


class ReviewFindingsIn(Schema):
    findings: str = Field(..., max_length=20_000)
    version: int | None = None


class ReviewCloseIn(Schema):
    outcome: Literal["offer_changed", "delivery_changed", "improvement", "explained", "no_cause"]
    note: str = Field("", max_length=20_000)
    version: int | None = None


class ReviewSettingsOut(Schema):
    dimensions: list[str]
    method: str
    exposure: str
    baseline_periods: int
    watch_periods: int
    min_count: int
    yearly_false_alarm_rate: float
    min_categories: int
    ewma_lambda: float
    ewma_l: float
    cusum_shift: float
    cusum_h: float
    alpha: float = Field(..., description="The chance of a false alarm at one check, at min_categories")


class ReviewSettingsIn(Schema):
    dimensions: list[Dimension] = Field(..., max_length=5)
    method: Literal["poisson", "ewma", "cusum"]
    exposure: Literal["cases", "none"] = "cases"
    baseline_periods: int = 26
    watch_periods: int = 4
    min_count: int = 5
    yearly_false_alarm_rate: float = 0.05
    min_categories: int = 20
    ewma_lambda: float = 0.3
    ewma_l: float = 3.0
    cusum_shift: float = 1.5
    cusum_h: float = 4.0


def _out(r: ServiceReview) -> dict:
    return {
        "id": r.pk,
        "dimension": r.dimension,
        "category": r.category,
        "status": r.status,
        "trigger": r.trigger,
        "summary": r.summary,
        "method": r.method,
        "baseline_rate": r.baseline_rate,
        "current_rate": r.current_rate,
        "per_exposure": r.per_exposure,
        "probability": r.probability,
        "first_signal_period": r.first_signal_period,
        "last_signal_period": r.last_signal_period,
        "opened_at": r.opened_at,
        "opened_by": r.opened_by_id,
        "owner": r.owner_id,
        "findings": r.findings,
        "outcome": r.outcome,
        "outcome_note": r.outcome_note,
        "closed_at": r.closed_at,
        "version": r.version,
    }


def _seeing(user) -> None:
    if not can_see_reviews(user):
        raise PermissionDenied("Special reviews are for team leaders, complaints leads and administrators")


def _review(user, review_id: int) -> ServiceReview:
    _seeing(user)
    review = ServiceReview.objects.filter(pk=review_id).first()
    if review is None:
        raise NotFound("No such review")
    return review


def _owner(pk: int | None):
    if pk is None:
        return None
    owner = get_user_model().objects.filter(review_owner_scope(), pk=pk).first()
    if owner is None:
        raise NotFound("No such person who may own a review", fields={"owner": "not found"})
    return owner


@router.get(
    "/reviews",
    response={200: ServiceReviewPage, **errors(400, 403, 422)},
    summary="Special reviews, newest first",
)
def list_reviews(request, params: Query[ServiceReviewListQuery]):
    _seeing(request.auth)
    reviews = reviews_listed(status=params.status)
    if params.cursor:
        after = decode_id_cursor(params.cursor)
        if after is None:
            raise DomainError("That cursor is not one this API gave out", fields={"cursor": "invalid"})
        reviews = reviews.filter(id__lt=after)
    rows = list(reviews.order_by("-id")[: params.limit + 1])
    more = len(rows) > params.limit
    return {
        "items": [_out(r) for r in rows[: params.limit]],
        "next_cursor": encode_id_cursor(rows[params.limit - 1].pk) if more else None,
    }


@router.post(
    "/reviews",
    response={201: ServiceReviewDetailOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Open a special review by hand (complaints leads and administrators)",
)
def open_review(request, payload: ServiceReviewIn):
    if not can_lead_reviews(request.auth):
        raise PermissionDenied("Only complaints leads and administrators open special reviews")
    review = services.review_open(
        actor=request.auth,
        dimension=payload.dimension,
        category=payload.category,
        summary=payload.summary,
        owner=_owner(payload.owner),
    )
    return Status(201, {**_out(review), "evidence": review.evidence})


@router.get(
    "/reviews/{review_id}",
    response={200: ServiceReviewDetailOut, **errors(403, 404, 422)},
    summary="A special review with its evidence: the series, the limits, the probability",
)
def get_review(request, review_id: int):
    review = _review(request.auth, review_id)
    return {**_out(review), "evidence": review.evidence}


@router.post(
    "/reviews/{review_id}/owner",
    response={200: ServiceReviewOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Give a special review its owner",
)
def assign_review(request, review_id: int, payload: ReviewOwnerIn):
    review = _review(request.auth, review_id)
    if not can_lead_reviews(request.auth):
        raise PermissionDenied("Only complaints leads and administrators give a review an owner")
    return _out(
        services.review_assign(
            review=review, owner=_owner(payload.owner), actor=request.auth, version=payload.version
        )
    )


@router.post(
    "/reviews/{review_id}/findings",
    response={200: ServiceReviewOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Record what a special review found (its owner or a complaints lead)",
)
def record_findings(request, review_id: int, payload: ReviewFindingsIn):
    review = _review(request.auth, review_id)
    return _out(
        services.review_findings(
            review=review, findings=payload.findings, actor=request.auth, version=payload.version
        )
    )


@router.post(
    "/reviews/{review_id}/close",
    response={200: ServiceReviewOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Close a special review with its outcome",
)
def close_review(request, review_id: int, payload: ReviewCloseIn):
    review = _review(request.auth, review_id)
    return _out(
        services.review_close(
            review=review,
            outcome=payload.outcome,
            note=payload.note,
            actor=request.auth,
            version=payload.version,
        )
    )


def _settings_out() -> dict:
    s = services.settings_current()
    return {
        "dimensions": list(s.dimensions),
        **{f: getattr(s, f) for f in services.SETTING_FIELDS},
        "alpha": s.parameters().alpha,
    }


@router.get(
    "/review-settings",
    response={200: ReviewSettingsOut, **errors(403)},
    summary="How complaint levels are watched: the dimensions, the method and its parameters",
)
def get_settings(request):
    if not can_lead_reviews(request.auth):
        raise PermissionDenied("Only complaints leads and administrators see these settings")
    return _settings_out()


@router.put(
    "/review-settings",
    response={200: ReviewSettingsOut, **errors(400, 403, 413, 422)},
    summary="Change how complaint levels are watched (audited)",
)
def put_settings(request, payload: ReviewSettingsIn):
    if not can_lead_reviews(request.auth):
        raise PermissionDenied("Only complaints leads and administrators change these settings")
    values = payload.dict()
    services.settings_save(actor=request.auth, dimensions=values.pop("dimensions"), **values)
    return _settings_out()
