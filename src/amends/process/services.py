"""Applying a regime to a case and moving it through the regime's stages, with its clocks.

The steps themselves (understanding, evidence, finding, answer, satisfaction) are in steps.py; options,
authority and approvals in authority.py; promises in promises.py; the worker in tasks.py.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.lifecycle import Status, is_reopen
from amends.cases.models import Case, CaseKind
from amends.cases.services import case_event, case_event_record, case_events_record, case_transition
from amends.core.errors import Conflict, DomainError, NotFound
from amends.letters.models import Letter
from amends.letters.services import letter_mark_sent, letter_prepare
from amends.regimes import calendar
from amends.regimes.clocks import compute, compute_extension
from amends.regimes.definition import RegimeDefinition, parse
from amends.regimes.models import RegimeVersion
from amends.regimes.selectors import current_version

from .models import ApprovalRequest, CaseClock, CaseProcess, Finding
from .notices import CLOCK_WARNING, UPDATE_DUE, Note, notify_case_people
from .rules import RESPONSE_LETTERS, clock_events, met_by, next_stage


@functools.lru_cache(maxsize=64)
def _definition_for(version_pk: int) -> RegimeDefinition:
    version = RegimeVersion.objects.select_related("regime").get(pk=version_pk)
    return parse(version.definition, source=f"{version.regime.code} v{version.version}")


def definition_of(process: CaseProcess) -> RegimeDefinition:
    return _definition_for(process.regime_version_id)


def _nation(case: Case) -> str:
    return case.customer.nation


def sync_respond_by(case: Case) -> None:
    """Keep the case's respond-by date on its earliest running deadline.

    Stored on the case (not computed) because the "due soon" queue sorts a million cases by it through an
    index; the clocks stay the record of truth.
    """
    earliest = (
        CaseClock.objects.filter(case=case, status=CaseClock.Status.RUNNING, optional=False)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    if earliest is not None:
        Case.objects.filter(pk=case.pk).update(respond_by=earliest)


def clocks_refresh(process: CaseProcess) -> list[CaseClock]:
    """Create the current stage's clocks whose start event has happened. Idempotent."""
    definition = definition_of(process)
    stage = definition.stage(process.stage)
    existing = set(
        CaseClock.objects.filter(case=process.case, stage=process.stage).values_list("code", flat=True)
    )
    created = []
    for due in compute(definition, process.stage, clock_events(process), _nation(process.case)):
        if due.code in existing:
            continue
        spec = stage.clock(due.code)
        created.append(
            CaseClock(
                case=process.case,
                stage=process.stage,
                code=due.code,
                name=due.name,
                regulatory=due.regulatory,
                pauses=bool(spec.pauses_when) and not due.regulatory,
                optional=spec.optional,
                evidence=due.evidence,
                met_by=met_by(due.code),
                due_at=due.due_at,
                warn_at=due.warn_at,
            )
        )
    CaseClock.objects.bulk_create(created)
    sync_respond_by(process.case)
    return created


def next_update_after(process: CaseProcess, start: datetime) -> datetime:
    """When the customer is next owed a progress update, counting from `start` (WM57 13)."""
    period = definition_of(process).keep_informed
    if period is None:
        return start + timedelta(days=10)
    return calendar.due(start, period.amount, period.unit, _nation(process.case))


@transaction.atomic
def process_start(
    *, case: Case, regime_code: str, actor: Any, received_at: datetime | None = None
) -> CaseProcess:
    """Apply a regime: the case follows its stages, clocks and letter rules from now on (C7 K3, K5)."""
    if case.kind != CaseKind.COMPLAINT:
        raise DomainError(
            "Only a complaint follows a complaints regime; reclassify it first", code="not_a_complaint"
        )
    if CaseProcess.objects.filter(case=case).exists():
        raise Conflict(f"{case.reference} already follows a regime")
    received = received_at or case.opened_at
    version = current_version(regime_code, received.date())
    if version is None:
        raise NotFound(f"No regime {regime_code!r} in force on {received:%d %B %Y}")
    if not version.regime.in_use:
        raise Conflict(
            f"{version.regime.name} is not a regime we work under: the complaints lead switches regimes on "
            "in the regime settings",
            code="regime_not_in_use",
            fields={"regime": "not in use"},
        )
    definition = _definition_for(version.pk)
    process = CaseProcess.objects.create(
        case=case, regime_version=version, stage=definition.stages[0].code, received_at=received
    )
    clocks_refresh(process)
    process.next_update_due = next_update_after(process, received)
    process.save(update_fields=["next_update_due"])
    case_event_record(
        case,
        actor=actor,
        kind=EventKind.REGIME_APPLIED,
        after={"regime": definition.code, "version": version.version, "stage": process.stage},
    )
    return process


def _process(case: Case) -> CaseProcess:
    process = (
        CaseProcess.objects.select_for_update()
        .select_related("case", "case__customer", "regime_version")
        .filter(case=case)
        .first()
    )
    if process is None:
        raise Conflict(f"{case.reference} does not follow a regime yet: apply one first", code="no_regime")
    return process


def clocks_meet(*, case: Case, step: str, at: datetime) -> int:
    """A step that stops clocks happened (understood, satisfied...): meet the current stage's ones."""
    process = CaseProcess.objects.filter(case=case).first()
    return _meet(process, {step}, at) if process else 0


def _meet(process: CaseProcess, kinds: set[str], at: datetime) -> int:
    met = CaseClock.objects.filter(
        case=process.case, stage=process.stage, status=CaseClock.Status.RUNNING, met_by__in=kinds
    ).update(status=CaseClock.Status.MET, met_at=at)
    sync_respond_by(process.case)
    return met


def process_letter_sent(*, case: Case, kind: str, at: datetime, actor: Any) -> None:
    """A letter went out: acknowledgements and responses move the process on and stop their clocks."""
    process = CaseProcess.objects.select_for_update().filter(case=case).first()
    if process is None:
        return
    if kind == "acknowledgement":
        if process.escalated_at and not process.escalation_acknowledged_at:
            process.escalation_acknowledged_at = at
        elif not process.acknowledged_at:
            process.acknowledged_at = at
        process.save(update_fields=["acknowledged_at", "escalation_acknowledged_at"])
        _meet(process, {"acknowledged"}, at)
        clocks_refresh(process)
    elif kind in RESPONSE_LETTERS:
        process.response_sent_at = at
        process.customer_answer = ""
        process.save(update_fields=["response_sent_at", "customer_answer"])
        _meet(process, {"responded", "resolved"} if kind == "summary_resolution" else {"responded"}, at)
        clocks_refresh(process)
        case = Case.objects.get(pk=case.pk)
        if case.status in {Status.NEW, Status.OPEN, Status.AWAITING_CUSTOMER}:
            case_transition(
                case=case, to=Status.RESOLVED, actor=actor, reason=f"{kind.replace('_', ' ')} sent"
            )


def process_send_letter(*, letter: Letter, actor: Any, by: str = "email") -> Letter:
    """Send a composed letter and let the process react to it.

    The letter is rendered first, outside any transaction (WeasyPrint takes up to a second and would
    hold SQLite's write lock all that time); marking it sent and moving the process on is one short
    transaction.
    """
    prepared = letter_prepare(letter=letter, by=by)
    with transaction.atomic():
        sent = letter_mark_sent(prepared=prepared, actor=actor)
        process_letter_sent(case=sent.case, kind=sent.kind, at=sent.sent_at, actor=actor)
    return sent


@transaction.atomic
def clock_extend(
    *, clock: CaseClock, actor: Any, reason: str, new_due_at: datetime | None = None
) -> CaseClock:
    """Move a deadline within the regime's extension rule, with a reason the customer is told (C7 K10)."""
    clock = CaseClock.objects.select_for_update().select_related("case", "case__customer").get(pk=clock.pk)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "An extension needs a reason, which the customer will be told", fields={"reason": "required"}
        )
    if clock.status != CaseClock.Status.RUNNING:
        raise Conflict(f"{clock.name} is {clock.get_status_display().lower()}, not running")
    process = _process(clock.case)
    stage = definition_of(process).stage(clock.stage)
    rule = stage.extension
    if rule is None or rule.extends != clock.code:
        raise DomainError(
            f"{definition_of(process).name} allows no extension of {clock.name.lower()}", code="no_extension"
        )
    extended = compute_extension(
        definition_of(process), clock.stage, clock_events(process), _nation(clock.case)
    )
    limit = extended.due_at if extended else None  # None: the new date is agreed with the customer
    target = new_due_at or limit
    if target is None:
        raise DomainError("Give the new date agreed with the customer", fields={"new_due_at": "required"})
    if limit is not None and target > limit:
        raise DomainError(
            f"The most this regime allows is {timezone.localtime(limit):%A %d %B %Y %H:%M}",
            code="extension_too_long",
            fields={"new_due_at": "beyond the regime's limit"},
        )
    if target <= clock.due_at:
        raise DomainError("An extension must move the deadline later", fields={"new_due_at": "not later"})
    before = clock.due_at
    clock.extended_from = clock.extended_from or before
    clock.due_at, clock.extension_reason = target, reason
    clock.warned_at = None
    clock.warn_at = None
    clock.save(update_fields=["extended_from", "due_at", "extension_reason", "warned_at", "warn_at"])
    sync_respond_by(clock.case)
    case_event_record(
        clock.case,
        actor=actor,
        kind=EventKind.CLOCK_EXTENDED,
        before={"clock": clock.code, "due": before.isoformat()},
        after={"clock": clock.code, "due": target.isoformat()},
        reason=reason,
    )
    return clock


@transaction.atomic
def process_escalate(*, case: Case, actor: Any, to: str, reason: str) -> CaseProcess:
    """Escalate: to the regime's next stage, or refer to the independent body (C7 8-9, W 14-15)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why it is being escalated", fields={"reason": "required"})
    process = _process(case)
    definition = definition_of(process)
    now = timezone.now()
    if to == "next_stage":
        following = next_stage(definition, process.stage)
        if following is None:
            raise DomainError(
                f"{definition.name} has no stage after {process.stage}; refer it instead", code="last_stage"
            )
        CaseClock.objects.filter(case=case, stage=process.stage, status=CaseClock.Status.RUNNING).update(
            status=CaseClock.Status.STOPPED
        )
        before = process.stage
        process.stage = following
        process.escalated_at, process.escalation_acknowledged_at = now, None
        process.response_sent_at, process.customer_answer = None, ""
        process.save()
        clocks_refresh(process)
        after = {"stage": process.stage}
        before_state = {"stage": before}
    elif to == "ombudsman":
        if definition.referral is None:
            raise DomainError(f"{definition.name} names no independent body", code="no_referral_body")
        process.referred_to = definition.referral.body
        process.save(update_fields=["referred_to"])
        after, before_state = {"referred_to": process.referred_to}, None
    else:
        raise DomainError(
            "Escalate to the next stage or to the ombudsman", fields={"to": "next_stage or ombudsman"}
        )
    case_event_record(
        case, at=now, actor=actor, kind=EventKind.ESCALATED, before=before_state, after=after, reason=reason
    )
    fresh = Case.objects.get(pk=case.pk)
    if to == "next_stage" and fresh.status not in {Status.NEW, Status.OPEN}:
        case_transition(case=fresh, to=Status.OPEN, actor=actor, reason=f"Escalated: {reason}")
    return process


def closing_problems(case: Case) -> list[str]:
    """Why a complaint under a regime cannot close yet; empty when it can (C7 5, 7-8; regime letters).

    Registered as a close guard on cases.hooks (apps.py): cases asks it before any case closes."""
    process = CaseProcess.objects.filter(case=case).first()
    if process is None:
        return []
    problems = []
    if not Finding.objects.filter(case=case).exists():
        problems.append("there is no finding (justified, partly justified or not justified) with reasons")
    # The current stage's response: sending one sets response_sent_at, escalating to a stage clears it.
    if process.response_sent_at is None:
        wanted = RESPONSE_LETTERS & set(definition_of(process).letters)
        names = ", ".join(sorted(k.replace("_", " ") for k in wanted))
        problems.append(f"no response letter has been sent (one of: {names})")
    if ApprovalRequest.objects.filter(option__case=case, status=ApprovalRequest.Status.PENDING).exists():
        problems.append("an approval request is still waiting for a decision")
    return problems


def clocks_follow_status(*, case: Case, before: str, after: str, at: datetime) -> None:
    """The case's clocks follow its status. Registered as a status listener on cases.hooks (apps.py):
    called for every status change, inside its transaction.

    - Waiting on the customer: internal targets that pause stop and restart with it. Regulatory clocks are
      never created with `pauses`, so they keep running whatever the status.
    - Closed: every clock still running ends now (`_clocks_end`), so a closed case shows no running clock
      and the worker never warns about or breaches one; nor does it ask for progress updates.
    - Re-opened: no clock restarts. A clock ended at closing is the record of that period (restarting it
      would warn or breach at once on a date long past); the time a regime gives a complaint that comes
      back is its next stage's, whose clocks start when the case is escalated (`process_escalate`). The
      customer is owed progress updates again, counted from the re-opening.
    """
    waiting = Status.AWAITING_CUSTOMER.value
    if after == Status.CLOSED.value:
        _clocks_end(case, at)
        CaseProcess.objects.filter(case=case).update(next_update_due=None)
        return
    reopened = is_reopen(before, after)
    if reopened and (
        process := CaseProcess.objects.select_related("case__customer").filter(case=case).first()
    ):
        process.next_update_due = next_update_after(process, at)
        process.save(update_fields=["next_update_due"])
    if after == waiting and before != waiting:
        CaseClock.objects.filter(
            case=case, status=CaseClock.Status.RUNNING, pauses=True, paused_at__isnull=True
        ).update(paused_at=at)
    elif before == waiting and after != waiting:
        for clock in CaseClock.objects.filter(
            case=case, status=CaseClock.Status.RUNNING, pauses=True, paused_at__isnull=False
        ):
            waited = at - clock.paused_at
            clock.due_at += waited
            clock.warn_at = clock.warn_at + waited if clock.warn_at else None
            clock.paused_at = None
            clock.save(update_fields=["due_at", "warn_at", "paused_at"])
        sync_respond_by(case)


def _clocks_end(case: Case, at: datetime) -> None:
    """The case closed: its running clocks end. One already past its due time (the worker had not swept
    it yet) is recorded as what it was, breached or, an optional window, lapsed; the rest stop."""
    running = list(
        CaseClock.objects.select_for_update()
        .select_related("case")
        .filter(case=case, status=CaseClock.Status.RUNNING)
        .order_by("pk")
    )
    overdue = [c for c in running if c.paused_at is None and c.due_at <= at]
    if breached := [c for c in overdue if not c.optional]:
        clocks_breach(clocks=breached, at=at)
    if lapsed := [c for c in overdue if c.optional]:
        clocks_lapse(clocks=lapsed, at=at)
    CaseClock.objects.filter(pk__in=[c.pk for c in running if c not in overdue]).update(
        status=CaseClock.Status.STOPPED, paused_at=None
    )


# --- what the worker finds due (tasks.py claims the rows; these record what happened) ----------------


def _due(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%a %d %b %H:%M}"


def clocks_warn(*, clocks: list[CaseClock], at: datetime) -> None:
    """These running clocks reached their warning time: mark them warned, record a `clock_warning` on
    each case, and tell the owner and team leaders in the same transaction. Rows come locked by the caller."""
    CaseClock.objects.filter(pk__in=[c.pk for c in clocks]).update(warned_at=at)
    case_events_record(
        case_event(
            c.case,
            kind=EventKind.CLOCK_WARNING,
            actor=None,
            at=at,
            after={"clock": c.code, "due": c.due_at.isoformat()},
        )
        for c in clocks
    )
    notify_case_people(
        [
            Note(
                c.case,
                f"{c.case.reference}: {c.name} due {_due(c.due_at)}",
                to_leaders=True,
                topic=CLOCK_WARNING,
                subject=f"{c.case.reference} {c.code}",
            )
            for c in clocks
        ]
    )


def clocks_breach(*, clocks: list[CaseClock], at: datetime) -> None:
    """These required clocks passed their due time still running: breached, recorded and told."""
    CaseClock.objects.filter(pk__in=[c.pk for c in clocks]).update(
        status=CaseClock.Status.BREACHED, breached_at=at
    )
    case_events_record(
        case_event(
            c.case,
            kind=EventKind.CLOCK_BREACHED,
            actor=None,
            at=at,
            after={"clock": c.code, "due": c.due_at.isoformat(), "regulatory": c.regulatory},
        )
        for c in clocks
    )
    notify_case_people(
        [(c.case, f"{c.case.reference}: {c.name} was due and is now breached", True) for c in clocks]
    )


def clocks_lapse(*, clocks: list[CaseClock], at: datetime) -> None:
    """An optional window (FCA summary resolution by the third business day) passing is not a breach."""
    CaseClock.objects.filter(pk__in=[c.pk for c in clocks]).update(status=CaseClock.Status.LAPSED)


def progress_update_check(*, process: CaseProcess, at: datetime) -> bool:
    """Is the customer owed a progress update (WM57 13)? If one has gone out since the last reminder,
    move the due date on; if the case has finished, stop asking; otherwise record `update_due` and remind
    the owner and team leaders. True when a reminder was made. The row comes locked by the caller."""
    case = process.case
    if not case.is_open:
        process.next_update_due = None
        process.save(update_fields=["next_update_due"])
        return False
    last_out = (
        case.messages.filter(direction="out")
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    interval_start = max(filter(None, [last_out, process.next_update_reminded_at, process.received_at]))
    due = next_update_after(process, interval_start)
    if due > at:  # an update went out since: just move the date on
        process.next_update_due = due
        process.save(update_fields=["next_update_due"])
        return False
    process.next_update_reminded_at = at
    process.next_update_due = next_update_after(process, at)
    process.save(update_fields=["next_update_reminded_at", "next_update_due"])
    case_event_record(
        case,
        kind=EventKind.UPDATE_DUE,
        actor=None,
        at=at,
        after={"last_update": last_out.isoformat() if last_out else None},
    )
    notify_case_people(
        [Note(case, f"{case.reference}: the customer is due a progress update", True, topic=UPDATE_DUE)]
    )
    return True
