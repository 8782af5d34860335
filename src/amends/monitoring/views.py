"""The special-review pages: the list (with a review opened by hand), one review with its control chart
(inline SVG and the same numbers as a table) and its course, and how levels are watched. Every change goes
through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.permissions import (
    can_lead_reviews,
    can_record_review_findings,
    can_see_reviews,
    review_owner_scope,
)
from amends.core.web import report, staff_required

from . import services, spc
from .levels import DIMENSIONS
from .models import ServiceReview, SpcSetting
from .selectors import about, possible_owners, review_chart, review_history, reviews_listed


def _allowed(allowed: bool, message: str) -> None:
    """A page this user may not use is not there for them (as the other apps' pages answer)."""
    if not allowed:
        raise Http404(message)


def _review(request, pk: int) -> ServiceReview:
    _allowed(can_see_reviews(request.user), "Special reviews are for those who manage the service")
    review = ServiceReview.objects.select_related("owner", "opened_by", "closed_by").filter(pk=pk).first()
    if review is None:
        raise Http404("No such review")
    return review


def _owner(value: str):
    if not value:
        return None
    owner = (
        get_user_model().objects.filter(review_owner_scope(), pk=value).first() if value.isdigit() else None
    )
    if owner is None:
        raise DomainError("Choose an owner from the list", fields={"owner": "not one who may own a review"})
    return owner


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


@staff_required
def reviews(request):
    _allowed(can_see_reviews(request.user), "Special reviews are for those who manage the service")
    status = request.GET.get("status", "open")
    rows = list(reviews_listed(status=status)[:200])
    return render(
        request,
        "monitoring/reviews.html",
        {
            "reviews": [(r, about(r)) for r in rows],
            "status": status,
            "statuses": [("open", "Open and in review"), *ServiceReview.Status.choices, ("all", "All")],
            "dimensions": [(k, v[1]) for k, v in DIMENSIONS.items()],
            "owners": possible_owners() if can_lead_reviews(request.user) else [],
            "setting": services.settings_current(),
        },
    )


@require_POST
@staff_required
def review_open(request):
    post = request.POST
    try:
        review = services.review_open(
            actor=request.user,
            dimension=post.get("dimension", ""),
            category=post.get("category", ""),
            summary=post.get("summary", ""),
            owner=_owner(post.get("owner", "")),
        )
    except DomainError as exc:
        report(request, exc)
        return redirect("reviews")
    messages.success(request, f"Special review opened: {about(review)}")
    return redirect("review_detail", pk=review.pk)


@staff_required
def review_detail(request, pk: int):
    review = _review(request, pk)
    return render(
        request,
        "monitoring/review.html",
        {
            "review": review,
            "about": about(review),
            "chart": review_chart(review),
            "history": review_history(review),
            "owners": possible_owners() if can_lead_reviews(request.user) else [],
            "may_lead": can_lead_reviews(request.user),
            "may_find": can_record_review_findings(request.user, review),
            "outcomes": ServiceReview.Outcome.choices,
            "method_name": spc.METHOD_NAMES.get(review.method, ""),
        },
    )


def _act(request, pk: int, act, success: str):
    review = _review(request, pk)
    try:
        act(review)
        messages.success(request, success)
    except DomainError as exc:
        report(request, exc)
    return redirect("review_detail", pk=review.pk)


@require_POST
@staff_required
def review_assign(request, pk: int):
    return _act(
        request,
        pk,
        lambda r: services.review_assign(
            review=r,
            owner=_owner(request.POST.get("owner", "")),
            actor=request.user,
            version=_version(request),
        ),
        "Owner saved",
    )


@require_POST
@staff_required
def review_findings(request, pk: int):
    return _act(
        request,
        pk,
        lambda r: services.review_findings(
            review=r, findings=request.POST.get("findings", ""), actor=request.user, version=_version(request)
        ),
        "Findings recorded: the review is in review",
    )


@require_POST
@staff_required
def review_close(request, pk: int):
    return _act(
        request,
        pk,
        lambda r: services.review_close(
            review=r,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            actor=request.user,
            version=_version(request),
        ),
        "Review closed",
    )


NUMBERS = {
    "baseline_periods": int,
    "watch_periods": int,
    "min_count": int,
    "min_categories": int,
    "yearly_false_alarm_rate": float,
    "ewma_lambda": float,
    "ewma_l": float,
    "cusum_shift": float,
    "cusum_h": float,
}


def settings_values(post) -> dict:
    """The settings form's values, typed; a value that is not a number is named."""
    values: dict = {"method": post.get("method", ""), "exposure": post.get("exposure", "")}
    bad = {}
    for name, kind in NUMBERS.items():
        raw = post.get(name, "").strip()
        try:
            values[name] = kind(raw)
        except ValueError:
            bad[name] = "a number"
    if bad:
        raise DomainError("Some settings are not numbers; nothing was changed", fields=bad)
    return values


@staff_required
def review_settings(request):
    _allowed(can_lead_reviews(request.user), "Only complaints leads and administrators change these settings")
    if request.method == "POST":
        try:
            services.settings_save(
                actor=request.user,
                dimensions=request.POST.getlist("dimensions"),
                **settings_values(request.POST),
            )
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, "Settings saved: the next daily check uses them")
            return redirect("review_settings")
    setting = services.settings_current()
    return render(
        request,
        "monitoring/settings.html",
        {
            "setting": setting,
            "dimensions": [(k, v[1], k in setting.dimensions) for k, v in DIMENSIONS.items()],
            "methods": SpcSetting.Method.choices,
            "exposures": SpcSetting.Exposure.choices,
            "alpha": setting.parameters().alpha,
        },
    )
