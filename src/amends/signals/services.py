"""Use cases: analyse an inbound message and keep what was found; confirm or dismiss a signal."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.services import notify
from amends.messaging.models import Message

from . import analyser, classifiers, context, rules
from .analyser import POSITIVE, SIGNAL_TYPES, Analysis, analyse, risk_of
from .models import MessageAnalysis, MessageSignal, SignalFeedback
from .rules import Signal
from .selectors import history_for


@cache
def analyser_version() -> str:
    """Stored beside each analysis: a digest of the code that decides (rules, combination, context) and
    the models' version, so a score can be traced to what produced it. Computed from the files, so a
    changed rule can never keep an old version."""
    digest = hashlib.sha256()
    for module in (rules, analyser, context):
        digest.update(Path(module.__file__ or "").read_bytes())
    return f"rules-{digest.hexdigest()[:10]}+{classifiers.model_version()}"


def _label(kind: str) -> str:
    return SIGNAL_TYPES[kind][0]


def _alert_people(case: Case) -> list[Any]:
    """The owner, the team's leaders (every team leader when the case has no team yet) and the
    complaints leads: who must know at once."""
    leaders = Q(staff__role=Role.TEAM_LEADER)
    if case.team_id:
        leaders &= Q(staff__team_id=case.team_id)
    people = list(
        get_user_model().objects.filter(leaders | Q(staff__role=Role.COMPLAINTS_LEAD), is_active=True)
    )
    if case.owner_id:
        people.append(case.owner)
    return people


def _raise_alerts(case: Case, message: Message, analysis: Analysis) -> None:
    if not analysis.urgent:
        return
    link = reverse("case_detail", args=[case.reference]) + f"#message-{message.pk}"
    people = _alert_people(case)
    for signal in analysis.urgent:
        words = ", ".join(f"“{message.body_text[a:b]}”" for a, b in signal.spans[:3])
        notify(
            users=people,
            text=f"Urgent on {case.reference}: {_label(signal.type).lower()} ({words})",
            link=link,
        )
        case_event_record(
            case,
            kind="safety_alert",
            actor=None,
            at=message.recorded_at,
            after={"type": signal.type, "message": message.pk},
            reason=signal.explanation,
        )


def _set_case_risk(case: Case, risk: int | None = None) -> int:
    """The case's risk is the highest of its messages'. Derived from the stored analyses, so it is not a
    change anyone makes: it does not bump the case's version (an adviser's open form stays valid), and
    the analyses and events are its audit trail. `risk` given: a new message can only raise it."""
    if risk is None:
        risk = MessageAnalysis.objects.filter(case=case).aggregate(m=Max("risk"))["m"] or 0
        Case.objects.filter(pk=case.pk).update(risk=risk)
    elif risk > case.risk:
        # Conditional, so a stale copy of the case can never lower a risk set meanwhile.
        Case.objects.filter(pk=case.pk, risk__lt=risk).update(risk=risk)
    else:
        return case.risk
    case.risk = risk
    return risk


@transaction.atomic
def signals_record(message: Message) -> MessageAnalysis:
    """Analyse one inbound message against the customer's history and store what was found.

    Called by messaging.message_record_inbound inside its transaction (in a savepoint), so a message
    and its analysis land together; if the analyser fails, the message is kept unanalysed and the fault
    logged. Threats and self-harm words raise alerts at once; a query that reads like a complaint is
    flagged on the case page for the adviser to decide (the regime's definition decides).
    """
    case = message.case
    analysis = analyse(message.body_text, history_for(case, message.occurred_at))
    stored = MessageAnalysis.objects.create(
        message=message,
        case=case,
        risk=analysis.risk,
        analyser_version=analyser_version(),
        analysed_at=timezone.now(),
    )
    MessageSignal.objects.bulk_create(
        MessageSignal(
            analysis=stored,
            case=case,
            message=message,
            type=s.type,
            score=round(s.score, 3),
            spans=[list(span) for span in s.spans],
            explanation=s.explanation[:300],
        )
        for s in analysis.positives
    )
    if analysis.positives:
        case_event_record(
            case,
            kind="signals_found",
            actor=None,
            at=message.recorded_at,
            after={
                "types": [s.type for s in analysis.positives],
                "risk": analysis.risk,
                "message": message.pk,
            },
        )
    _raise_alerts(case, message, analysis)
    _set_case_risk(case, analysis.risk)
    return stored


@transaction.atomic
def signal_feedback(*, signal: MessageSignal, actor: Any, verdict: str, note: str = "") -> SignalFeedback:
    """An adviser confirms or dismisses a signal. Kept for retraining; a dismissal lowers the risk."""
    if verdict not in SignalFeedback.Verdict.values:
        raise DomainError(
            "The verdict is confirmed or dismissed", fields={"verdict": "confirmed or dismissed"}
        )
    if len(note) > 300:
        raise DomainError("The note is longer than 300 characters", fields={"note": "too long"})
    signal = MessageSignal.objects.select_for_update().select_related("case").get(pk=signal.pk)
    now = timezone.now()
    feedback = SignalFeedback.objects.create(signal=signal, verdict=verdict, note=note, by=actor, at=now)
    before = signal.verdict
    signal.verdict = verdict
    signal.save(update_fields=["verdict"])
    _rescore(signal.analysis_id)
    _set_case_risk(signal.case)
    case_event_record(
        signal.case,
        kind="signal_feedback",
        actor=actor,
        at=now,
        before={"verdict": before, "type": signal.type},
        after={"verdict": verdict, "type": signal.type, "message": signal.message_id},
        reason=note,
    )
    return feedback


def _rescore(analysis_id: int) -> None:
    """The message's risk from the signals nobody has dismissed."""
    kept = [
        Signal(s.type, s.score, [], "")
        for s in MessageSignal.objects.filter(analysis_id=analysis_id).exclude(
            verdict=SignalFeedback.Verdict.DISMISSED
        )
    ]
    MessageAnalysis.objects.filter(pk=analysis_id).update(risk=risk_of(kept))


__all__ = ["POSITIVE", "analyser_version", "signal_feedback", "signals_record"]
