"""Every change the returns app makes: the return's mapping, the self-assessment's answers, and the record
of each return produced. Each audited (core.audit_record)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.permissions import can_edit_self_assessment, can_produce_returns, require
from amends.core.services import audit_record

from . import mapping
from .hos_code import PROVISION_CODES
from .models import ReturnMapping, ReturnProduced, SelfAssessmentAnswer
from .periods import Period
from .states import RebuildResult, states_rebuild

TEXT_LIMIT = 5000
FIRST_YEAR, LAST_YEAR = 2000, 2100


@transaction.atomic
def returns_rebuild(*, progress=None) -> RebuildResult:
    """Rebuild every complaint's stored states from its events (after an import or a restore, or to put
    right anything the incremental rebuild after a commit missed). Not audited: the states are derived
    data, and a rebuild changes nothing anyone recorded."""
    return states_rebuild(progress=progress)


def return_mapping_set(*, kind: str, key: str, value: str, actor: Any) -> ReturnMapping | None:
    """Count our product (or root cause) `key` under the return's `value` from now on; an empty value
    goes back to the default (mapping.py). Audited."""
    require(can_edit_self_assessment(actor), "Only complaints leads and administrators change the mapping")
    if kind not in ReturnMapping.Kind.values:
        raise DomainError("Map a product or a cause", fields={"kind": "product or cause"})
    key, value = (key or "").strip(), (value or "").strip()
    allowed = (
        mapping.PRODUCT_GROUPS if kind == ReturnMapping.Kind.PRODUCT else (*mapping.CAUSES, mapping.NO_CAUSE)
    )
    if value and value not in allowed:
        raise DomainError(
            f"{value!r} is not one of the return's {kind}s", fields={"value": "; ".join(allowed)}
        )
    if kind == ReturnMapping.Kind.PRODUCT and not key:
        raise DomainError("Name the product", fields={"key": "required"})
    if len(key) > 100:
        raise DomainError("The product is longer than 100 characters", fields={"key": "at most 100"})
    row = ReturnMapping.objects.select_for_update().filter(kind=kind, key=key).first()
    before = {"value": row.value} if row else None
    if not value:
        if row is None:
            return None
        audit_record(actor=actor, kind="returns.mapping_cleared", obj=row, before=before, after={"key": key})
        row.delete()
        return None
    if row is None:
        row = ReturnMapping(kind=kind, key=key)
    elif row.value == value:
        return row
    row.value, row.updated_by, row.updated_at = value, actor, timezone.now()
    row.save()
    audit_record(
        actor=actor, kind="returns.mapping_set", obj=row, before=before, after={"key": key, "value": value}
    )
    return row


def _year(year: int) -> int:
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise DomainError("Choose a year between 2000 and 2100", fields={"year": "out of range"})
    return int(year)


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_LIMIT:
        raise DomainError(
            f"{field.capitalize()} is too long", fields={field: f"at most {TEXT_LIMIT} characters"}
        )
    return value


@transaction.atomic
def self_assessment_save(
    *, year: int, answers: Mapping[str, Mapping[str, Any]], actor: Any
) -> list[SelfAssessmentAnswer]:
    """Record the organisation's answers for `year`: provision -> {complies, how, evidence, actions,
    version}. `version` is the answer's version the person read (0 for none): if someone answered since,
    nothing is saved (Conflict). An answer unchanged is not recorded again. Each new version audited."""
    require(
        can_edit_self_assessment(actor), "Only complaints leads and administrators answer the self-assessment"
    )
    year = _year(year)
    unknown = set(answers) - PROVISION_CODES
    if unknown:
        raise DomainError(
            f"No provision {', '.join(sorted(unknown))} in the Code", fields={"provision": "unknown"}
        )
    saved = []
    now = timezone.now()
    for provision, given in sorted(answers.items()):
        complies = str(given.get("complies") or "")
        how, evidence = _text(given.get("how", ""), "how"), _text(given.get("evidence", ""), "evidence")
        actions = _text(given.get("actions", ""), "actions")
        if not complies and not (how or evidence or actions):
            continue  # left blank
        if complies not in SelfAssessmentAnswer.Complies.values:
            raise DomainError(
                f"Say whether we comply with {provision}: yes, partly or no",
                fields={provision: "yes, partly or no"},
            )
        current = (
            SelfAssessmentAnswer.objects.select_for_update()
            .filter(year=year, provision=provision)
            .order_by("-version")
            .first()
        )
        have = current.version if current else 0
        expected = given.get("version")
        if expected is not None and int(expected) != have:
            raise Conflict(
                f"Someone answered {provision} while you were editing: reload to see their answer",
                fields={provision: f"version {have}"},
            )
        if current and (current.complies, current.how, current.evidence, current.actions) == (
            complies,
            how,
            evidence,
            actions,
        ):
            continue
        answer = SelfAssessmentAnswer.objects.create(
            year=year,
            provision=provision,
            version=have + 1,
            complies=complies,
            how=how,
            evidence=evidence,
            actions=actions,
            recorded_by=actor,
            recorded_at=now,
        )
        audit_record(
            actor=actor,
            kind="returns.self_assessment_answered",
            obj=answer,
            before={"complies": current.complies, "version": have} if current else None,
            after={"year": year, "provision": provision, "complies": complies, "version": answer.version},
        )
        saved.append(answer)
    return saved


@transaction.atomic
def return_produced(*, report: str, fmt: str, period: Period, figures: Any, actor: Any) -> ReturnProduced:
    """Record that `actor` produced a return or report for `period` (every download, page or API),
    keeping the figures it gave. Audited."""
    require(can_produce_returns(actor), "Only complaints leads and administrators produce returns")
    if report not in ReturnProduced.Report.values:
        raise DomainError("Unknown return", fields={"report": "; ".join(ReturnProduced.Report.values)})
    produced = ReturnProduced.objects.create(
        report=report,
        format=fmt,
        period_start=period.first,
        period_end=period.last,
        figures=figures,
        produced_by=actor,
        produced_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        kind="returns.produced",
        obj=produced,
        after={
            "report": report,
            "format": fmt,
            "period": [period.first.isoformat(), period.last.isoformat()],
        },
    )
    return produced
