"""Use cases: analyse an inbound message and keep what was found; confirm or dismiss a signal."""

from __future__ import annotations

import hashlib
import logging
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_event, case_event_record, case_events_record
from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.services import notify
from amends.messaging.models import Message

from .engine import analyser, classifiers, context, lexicon, model, rules, text
from .engine.analyser import POSITIVE, SIGNAL_TYPES, Analysis, analyse, risk_of
from .engine.rules import Signal
from .models import MessageAnalysis, MessageSignal, SignalFeedback
from .safety import safety_text
from .selectors import history_for

log = logging.getLogger(__name__)


def analyser_version() -> str:
    """Stored beside each analysis: a digest of the code that decides (quoted text and negation, rules,
    combination, context), the models' version and, when the optional embeddings backend scored the
    complaint head, "+emb-<sha10>" of its model, so a score can be traced to what produced it. Computed from
    the files, so a changed rule can never keep an old version."""
    return _code_and_models_version() + classifiers.backend_version()


@cache
def _code_and_models_version() -> str:
    digest = hashlib.sha256()
    for module in (text, rules, analyser, context, lexicon):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(lexicon.PROFANITY_FILE.read_bytes())  # the abuse head's word list decides too
    return f"rules-{digest.hexdigest()[:10]}+{model.model_version()}"


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


def _raise_alerts(case: Case, message: Message, analysis: Analysis) -> list[CaseEvent]:
    """Notify who must know of each urgent signal at once; the `safety_alert` events, unsaved."""
    if not analysis.urgent:
        return []
    link = reverse("case_detail", args=[case.reference]) + f"#message-{message.pk}"
    people = _alert_people(case)
    events = []
    for signal in analysis.urgent:
        words = ", ".join(f"“{message.body_text[a:b][:80]}”" for a, b in signal.spans[:2])
        # what to do now (Samaritans, 999...: safety.py) before the words, which a long quote may cut short
        todo = safety_text(signal.type, "alert")
        notify(
            users=people,
            text=" ".join(
                part
                for part in (
                    f"Urgent on {case.reference}: {_label(signal.type).lower()}.",
                    todo,
                    f"Said: {words}",
                )
                if part
            ),
            link=link,
            urgent=True,
            safety=True,  # a threat or self-harm: emailed to everyone told, whatever their email choice
        )
        events.append(
            case_event(
                case,
                kind=EventKind.SAFETY_ALERT,
                actor=None,
                at=message.recorded_at,
                after={"type": signal.type, "message": message.pk},
                reason=signal.explanation,
            )
        )
    return events


def _set_case_risk(case: Case) -> int:
    """The case's risk is the highest of its messages'. Derived from the stored analyses, so it is not a
    change anyone makes: it does not bump the case's version (an adviser's open form stays valid), and
    the analyses and events are its audit trail. A new message's risk only raises it: `case_risks_raise`."""
    risk = MessageAnalysis.objects.filter(case=case).aggregate(m=Max("risk"))["m"] or 0
    Case.objects.filter(pk=case.pk).update(risk=risk)
    case.risk = risk
    return risk


@transaction.atomic
def signals_record(message: Message) -> MessageAnalysis:
    """Analyse one inbound message against the customer's history and store what was found.

    Intake's batch (`intake.arrivals`) does the same for every arriving message, in the transaction that
    stores it; this is the one-message service (intake/tests/test_one_path.py compares the two). Call it
    in a savepoint: if the analyser fails, keep the message unanalysed and log the fault. Threats and
    self-harm words raise alerts at once; a query that reads like a complaint is flagged on the case page
    for the adviser to decide (the regime's definition decides).
    """
    case = message.case
    analysis = analyse(message.body_text, history_for(case, message.occurred_at))
    stored, signals = signals_rows(message, analysis)
    stored.save(force_insert=True)
    MessageSignal.objects.bulk_create(signals)
    case_events_record(signals_events(message, analysis))
    case_risks_raise({case: analysis.risk})
    return stored


# The notes an adviser logs that say what the customer said: whatever the customer says in a call or a
# visit, whoever rang, and a letter they sent. A letter we sent is our own words.
SPOKEN_CHANNELS = {"phone", "face_to_face"}


def signals_contact_logged(message: Message) -> MessageAnalysis | None:
    """messaging.hooks.contact_logged: an adviser's note of a call, a visit or the customer's letter is
    analysed, stored and alerts exactly as an email saying the same would (a threat said on the phone
    alerts the owner, the team leaders and the complaints leads at once). Once per note: a note already
    analysed is left as it is, so nothing alerts twice. As intake does, a fault in the analyser is logged
    and the note kept unanalysed."""
    spoken = message.channel in SPOKEN_CHANNELS
    if not (spoken or message.direction == Message.Direction.INBOUND):
        return None
    if MessageAnalysis.objects.filter(message=message).exists():
        return None
    try:
        with transaction.atomic():
            return signals_record(message)
    except Exception:
        log.exception("Signals analysis failed for the contact note %s; the note is kept", message.pk)
        return None


def signals_rows(message: Message, analysis: Analysis) -> tuple[MessageAnalysis, list[MessageSignal]]:
    """What `signals_record` stores for a message's analysis, unsaved: one row and its positive signals."""
    stored = MessageAnalysis(
        message=message,
        case=message.case,
        risk=analysis.risk,
        analyser_version=analyser_version(),
        analysed_at=timezone.now(),
    )
    signals = [
        MessageSignal(
            analysis=stored,
            case=message.case,
            message=message,
            type=s.type,
            score=round(s.score, 3),
            spans=[list(span) for span in s.spans],
            explanation=s.explanation[:300],
        )
        for s in analysis.positives
    ]
    return stored, signals


def signals_events(message: Message, analysis: Analysis) -> list[CaseEvent]:
    """The case events of a message's analysis, unsaved: `signals_found`, and a `safety_alert` for each
    urgent signal, whose people are notified now. The message must be stored (the events name it)."""
    events = []
    if analysis.positives:
        events.append(
            case_event(
                message.case,
                kind=EventKind.SIGNALS_FOUND,
                actor=None,
                at=message.recorded_at,
                after={
                    "types": [s.type for s in analysis.positives],
                    "risk": analysis.risk,
                    "message": message.pk,
                },
            )
        )
    return events + _raise_alerts(message.case, message, analysis)


def signals_save(analysed: list[tuple[MessageAnalysis, list[MessageSignal]]]) -> None:
    """Store a batch's `signals_rows`: the analyses in one insert, then their signals in one."""
    MessageAnalysis.objects.bulk_create([stored for stored, _ in analysed])
    MessageSignal.objects.bulk_create([s for _, signals in analysed for s in signals])


def case_risks_raise(risks: dict[Case, int]) -> None:
    """Raise stored cases' risk to their new messages' risk: one conditional update per distinct risk,
    so a risk is only ever raised (a stale copy of a case can never lower a risk set meanwhile)."""
    by_risk: dict[int, list[int]] = {}
    for case, risk in risks.items():
        if risk > case.risk:
            by_risk.setdefault(risk, []).append(case.pk)
            case.risk = risk
    for risk, ids in by_risk.items():
        Case.objects.filter(pk__in=ids, risk__lt=risk).update(risk=risk)


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
        kind=EventKind.SIGNAL_FEEDBACK,
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


__all__ = [
    "POSITIVE",
    "analyser_version",
    "case_risks_raise",
    "signal_feedback",
    "signals_contact_logged",
    "signals_events",
    "signals_record",
    "signals_rows",
    "signals_save",
]
