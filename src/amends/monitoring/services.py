"""Every change to special reviews and to how levels are watched: one service each, audited.

`reviews_check` is the trigger (the worker runs it daily, tasks.py); `review_open` is a lead's review by
hand; `review_assign`, `review_findings`, `review_close` take a review through open -> in review -> closed.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.permissions import (
    can_lead_reviews,
    can_record_review_findings,
    review_leads_scope,
    review_owner_scope,
)
from amends.core.services import audit_record, notify

from . import spc
from .levels import DIMENSIONS, PERIOD, category_label, last_complete_period, levels
from .models import DEFAULT_DIMENSIONS, ServiceReview, SpcSetting

SUMMARY_MAX = 5_000
TEXT_MAX = 20_000


def settings_current() -> SpcSetting:
    """The settings in force: the stored row, or the defaults where none was stored yet."""
    return SpcSetting.objects.filter(pk=1).first() or SpcSetting(pk=1, dimensions=list(DEFAULT_DIMENSIONS))


SETTING_FIELDS = (
    "method",
    "exposure",
    "baseline_periods",
    "watch_periods",
    "min_count",
    "yearly_false_alarm_rate",
    "min_categories",
    "ewma_lambda",
    "ewma_l",
    "cusum_shift",
    "cusum_h",
)


def _settings_dict(s: SpcSetting) -> dict:
    return {"dimensions": list(s.dimensions), **{f: getattr(s, f) for f in SETTING_FIELDS}}


@transaction.atomic
def settings_save(*, actor: Any, dimensions: list[str], **values: Any) -> SpcSetting:
    """Which dimensions are watched, the method and its parameters. Refused whole when any value is out
    of range (each named), so a half-saved method never runs."""
    if not can_lead_reviews(actor):
        raise PermissionDenied("Only complaints leads and administrators choose how levels are watched")
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise DomainError(f"Unknown settings: {', '.join(sorted(unknown))}", code="validation_error")
    problems = {}
    dims = list(dict.fromkeys(dimensions))
    if any(d not in DIMENSIONS for d in dims):
        problems["dimensions"] = f"among {', '.join(DIMENSIONS)}"
    if values.get("exposure", "cases") not in SpcSetting.Exposure.values:
        problems["exposure"] = "cases or none"
    setting, _ = SpcSetting.objects.select_for_update().get_or_create(
        pk=1, defaults={"dimensions": list(DEFAULT_DIMENSIONS)}
    )
    before = _settings_dict(setting)
    for name, value in values.items():
        setattr(setting, name, value)
    setting.dimensions = dims
    problems |= spc.validate(_unchecked_parameters(setting))
    if not 1 <= setting.min_categories <= 10_000:
        problems["min_categories"] = "between 1 and 10000"
    if problems:
        raise DomainError("Some settings are out of range; nothing was changed", fields=problems)
    after = _settings_dict(setting)
    if after != before:
        setting.updated_at, setting.updated_by = timezone.now(), actor
        setting.save()
        audit_record(actor=actor, kind="monitoring.settings", obj=setting, before=before, after=after)
    return setting


def _unchecked_parameters(s: SpcSetting) -> spc.Parameters:
    """The parameters without Parameters' own check (settings_save names each problem itself)."""
    p = object.__new__(spc.Parameters)
    for f in dataclasses.fields(spc.Parameters):
        value = getattr(s, f.name, None)
        if f.name == "categories":
            value = max(1, s.min_categories)
        elif f.name == "checks_per_year":
            value = 52
        object.__setattr__(p, f.name, value)
    return p


# --- the trigger -----------------------------------------------------------------------------------------


def reviews_check(*, now: datetime | None = None) -> list[ServiceReview]:
    """Check every watched category's last complete week (and the weeks before it, for EWMA and CUSUM)
    and open a review for each that signals, unless its episode already has one. The reviews opened."""
    now = now or timezone.now()
    setting = settings_current()
    last = last_complete_period(now)
    base = setting.parameters()
    periods = base.baseline_periods + base.watch_periods
    found = {d: levels(dimension=d, last=last, periods=periods) for d in setting.dimensions}
    watched = sum(len(lv.series) for lv in found.values())
    params = setting.parameters(categories=watched)
    alpha = params.alpha
    opened = []
    for dimension, lv in found.items():
        exposure = [float(e) for e in lv.exposure] if setting.exposure == SpcSetting.Exposure.CASES else None
        for category, counts in sorted(lv.series.items()):
            signal = spc.check(counts, exposure, params, alpha=alpha)
            if signal is None:
                continue
            review = _review_for_signal(
                dimension=dimension,
                category=category,
                signal=signal,
                lv_starts=lv.starts,
                counts=counts,
                exposure=exposure,
                params=params,
                alpha=alpha,
                now=now,
            )
            if review is not None:
                opened.append(review)
    return opened


@transaction.atomic
def _review_for_signal(
    *, dimension, category, signal: spc.Signal, lv_starts, counts, exposure, params, alpha, now
) -> ServiceReview | None:
    period = lv_starts[signal.period_index].date()
    first = lv_starts[signal.first_period_index].date()
    ongoing = (
        ServiceReview.objects.select_for_update()
        .filter(dimension=dimension, category=category)
        .order_by("-opened_at", "-id")
    )
    latest = ongoing.first()
    if latest is not None and (
        latest.is_open
        or (latest.last_signal_period is not None and latest.last_signal_period >= period - PERIOD)
    ):
        # The same episode (the signal goes on), or a review already open: no second one.
        if latest.last_signal_period is None or latest.last_signal_period < period:
            latest.last_signal_period = period
            latest.save(update_fields=["last_signal_period"])
        return None
    what = f"{category_label(dimension, category)} ({DIMENSIONS[dimension][1].lower()})"
    limits = spc.chart(counts, exposure, params, alpha=alpha)
    review = ServiceReview.objects.create(
        dimension=dimension,
        category=category,
        trigger=ServiceReview.Trigger.SPC,
        summary=signal.describe(what),
        method=signal.method,
        baseline_rate=signal.baseline_rate,
        current_rate=signal.current_rate,
        per_exposure=signal.per_exposure,
        probability=signal.probability,
        evidence={
            "periods": [s.date().isoformat() for s in lv_starts],
            "counts": list(counts),
            "exposure": [int(e) for e in exposure] if exposure is not None else None,
            "centre": _finite(limits.centre),
            "upper": _finite(limits.upper),
            "lower": _finite(limits.lower),
            "signal_from": signal.first_period_index,
            "signal_at": signal.period_index,
            "count": signal.count,
            "expected": round(signal.expected, 3),
            "alpha": alpha,
            "over_dispersed": signal.over_dispersed,
            "parameters": dataclasses.asdict(params),
        },
        first_signal_period=first,
        last_signal_period=period,
        opened_at=now,
    )
    audit_record(
        actor=None,
        kind="review.opened",
        obj=review,
        after={
            "dimension": dimension,
            "category": category,
            "trigger": "spc",
            "probability": signal.probability,
        },
        reason=review.summary,
    )
    leads = get_user_model().objects.filter(review_leads_scope())
    notify(
        users=leads,
        text=f"Special review opened: {review.summary.split(':')[0].lower()}"[:300],
        link=reverse("review_detail", args=[review.pk]),
        urgent=False,
    )
    return review


def _finite(values: list[float]) -> list[float | None]:
    """JSON (and PostgreSQL's jsonb) holds no infinity: a limit there is none of is None."""
    return [round(v, 3) if math.isfinite(v) else None for v in values]


# --- a review by hand, and its course --------------------------------------------------------------------


def _owner(owner: Any) -> Any:
    if owner is None:
        return None
    if not get_user_model().objects.filter(review_owner_scope(), pk=owner.pk).exists():
        name = owner.get_full_name() or owner.get_username()
        raise DomainError(
            f"{name} may not own a special review: a team leader, complaints lead or administrator may",
            fields={"owner": "not one who sees reviews"},
        )
    return owner


def _tell_owner(review: ServiceReview, actor: Any) -> None:
    if review.owner_id and review.owner_id != getattr(actor, "pk", None):
        notify(
            users=[review.owner],
            text=f"You own special review {review.pk}: {review.category}",
            link=reverse("review_detail", args=[review.pk]),
            urgent=False,
        )


def _text(value: str, name: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{name.replace('_', ' ').capitalize()} is needed", fields={name: "required"})
    if len(value) > limit:
        raise DomainError(
            f"{name.replace('_', ' ').capitalize()} is too long", fields={name: f"at most {limit}"}
        )
    return value


@transaction.atomic
def review_open(
    *, actor: Any, dimension: str, category: str, summary: str, owner: Any = None
) -> ServiceReview:
    """A complaints lead opens a review by hand: what they saw, and why it needs one."""
    if not can_lead_reviews(actor):
        raise PermissionDenied("Only complaints leads and administrators open special reviews")
    if dimension not in DIMENSIONS:
        raise DomainError(
            "Choose what the review is about", fields={"dimension": f"among {', '.join(DIMENSIONS)}"}
        )
    category = _text(category, "category", 200)
    summary = _text(summary, "summary", SUMMARY_MAX)
    owner = _owner(owner)
    if ServiceReview.objects.filter(dimension=dimension, category=category).exclude(status="closed").exists():
        raise Conflict(f"A review of {category} is already open", fields={"category": "already open"})
    try:
        with transaction.atomic():
            review = ServiceReview.objects.create(
                dimension=dimension,
                category=category,
                trigger=ServiceReview.Trigger.MANUAL,
                summary=summary,
                opened_at=timezone.now(),
                opened_by=actor,
                owner=owner,
            )
    except IntegrityError as exc:  # opened by someone else meanwhile
        raise Conflict(f"A review of {category} is already open") from exc
    audit_record(
        actor=actor,
        kind="review.opened",
        obj=review,
        after={
            "dimension": dimension,
            "category": category,
            "trigger": "manual",
            "owner": owner and owner.pk,
        },
        reason=summary,
    )
    _tell_owner(review, actor)
    return review


def _locked(review: ServiceReview, version: int | None) -> ServiceReview:
    fresh = ServiceReview.objects.select_for_update().get(pk=review.pk)
    if version is not None and fresh.version != version:
        raise Conflict("Someone changed this review since you opened it; nothing was changed")
    if fresh.status == ServiceReview.Status.CLOSED:
        raise DomainError("This review is closed", code="closed")
    return fresh


@transaction.atomic
def review_assign(
    *, review: ServiceReview, owner: Any, actor: Any, version: int | None = None
) -> ServiceReview:
    if not can_lead_reviews(actor):
        raise PermissionDenied("Only complaints leads and administrators give a review an owner")
    review = _locked(review, version)
    owner = _owner(owner)
    before = review.owner_id
    if before == getattr(owner, "pk", None):
        return review
    review.owner = owner
    review.version += 1
    review.save(update_fields=["owner", "version"])
    audit_record(
        actor=actor,
        kind="review.assigned",
        obj=review,
        before={"owner": before},
        after={"owner": review.owner_id},
    )
    _tell_owner(review, actor)
    return review


@transaction.atomic
def review_findings(
    *, review: ServiceReview, findings: str, actor: Any, version: int | None = None
) -> ServiceReview:
    """What the review found about the service offer and its delivery; the review is then in review."""
    review = _locked(review, version)  # its owner as it is now, not as the caller read it
    if not can_record_review_findings(actor, review):
        raise PermissionDenied("The review's owner or a complaints lead records its findings")
    findings = _text(findings, "findings", TEXT_MAX)
    before = {"findings": review.findings, "status": review.status}
    review.findings, review.findings_at = findings, timezone.now()
    review.status = ServiceReview.Status.IN_REVIEW
    review.version += 1
    review.save(update_fields=["findings", "findings_at", "status", "version"])
    audit_record(
        actor=actor,
        kind="review.findings",
        obj=review,
        before=before,
        after={"findings": findings, "status": review.status},
    )
    return review


@transaction.atomic
def review_close(
    *, review: ServiceReview, outcome: str, note: str, actor: Any, version: int | None = None
) -> ServiceReview:
    """Close a review with its outcome; it needs its findings first."""
    if not can_lead_reviews(actor):
        raise PermissionDenied("Only complaints leads and administrators close special reviews")
    review = _locked(review, version)
    if outcome not in ServiceReview.Outcome.values:
        raise DomainError(
            "Choose the review's outcome", fields={"outcome": ", ".join(ServiceReview.Outcome.values)}
        )
    if not review.findings:
        raise DomainError("Record what the review found before closing it", fields={"findings": "required"})
    note = _text(note, "note", TEXT_MAX, required=False)
    review.status, review.outcome, review.outcome_note = ServiceReview.Status.CLOSED, outcome, note
    review.closed_at, review.closed_by = timezone.now(), actor
    review.version += 1
    review.save(update_fields=["status", "outcome", "outcome_note", "closed_at", "closed_by", "version"])
    audit_record(actor=actor, kind="review.closed", obj=review, after={"outcome": outcome, "note": note})
    if review.owner_id and review.owner_id != actor.pk:
        notify(
            users=[review.owner],
            text=f"Special review {review.pk} ({review.category}) was closed: {review.get_outcome_display()}",
            link=reverse("review_detail", args=[review.pk]),
            urgent=False,
        )
    return review
