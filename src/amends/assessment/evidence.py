"""Evidence of a learner's competence: captured from their work as it is recorded, and added by people
(an assessor's observation, a team leader's witness statement, the learner's reflective account). Every
change is one service here, in a transaction, audited.

Nothing a learner practised counts: practice with simulated customers lives in amends.practice, which this
app cannot import (pyproject.toml's contracts), and no method here names it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import StaffProfile
from amends.core.permissions import can_view_case, can_witness, can_work_case, staff_of
from amends.core.services import audit_record, notify
from amends.core.templatetags.amends import person
from amends.messaging.models import Message
from amends.process.models import Understanding
from amends.signals.engine.coach import CoachContext, coach
from amends.standards.criteria import CriteriaError, references, with_same

from .capture import ALERT_RULE, COACH_RULES, REPLY_KINDS, RULES, Rule, rule_name
from .models import Disruption, Enrolment, EvidenceChannel, EvidenceItem, Method, Observation, Situation
from .situations import let_down_why, situation_at

log = logging.getLogger(__name__)

TEXT_LIMIT = 10_000
REASON_LIMIT = 1_000
# The channels of a case or message, as the OCR unit names them; every other one is written.
CHANNELS = {"phone": EvidenceChannel.PHONE, "face_to_face": EvidenceChannel.FACE_TO_FACE}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
PHONE = re.compile(r"(?<!\w)(\+?\d[\d ()-]{8,}\d)")


def channel_of(channel: str) -> str:
    return CHANNELS.get(channel or "", EvidenceChannel.WRITTEN)


def minimised(text: str, case: Case | None) -> str:
    """A person's account of the work without the customer's details: their name, email addresses and
    phone numbers become placeholders (evidence is read by assessors and quality assurers, and leaves the
    organisation in the awarding body's portfolio)."""
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone]", text)
    if case is not None:
        for part in sorted(_name_parts(case.customer.name), key=len, reverse=True):
            text = re.sub(rf"\b{re.escape(part)}\b", "[customer]", text, flags=re.IGNORECASE)
    return text


def evidence_retag_let_down(disruption: Disruption) -> list[int]:
    """A disruption recorded after the work: the evidence already captured in its window becomes "let down"
    too, unless the learner set its situation themselves (their reason stands). Called by
    `decisions.disruption_record`, whose audit row names the items changed; returns them."""
    window = EvidenceItem.objects.filter(
        occurred_at__gte=disruption.started_at, occurred_at__lte=disruption.ended_at or timezone.now()
    ).exclude(situation=Situation.LET_DOWN)
    if disruption.team_id is not None:
        window = window.filter(
            Q(case__team_id=disruption.team_id)
            | Q(case__isnull=True, learner__staff__team_id=disruption.team_id)
        )
    changed = []
    for item in window.filter(changed_reason=""):
        item.situation = Situation.LET_DOWN
        item.derived = {**item.derived, "situation": Situation.LET_DOWN, "why": let_down_why(disruption)}
        item.content_hash = content_hash(item)
        item.save(update_fields=["situation", "derived", "content_hash"])
        changed.append(item.pk)
    return changed


def _name_parts(name: str) -> list[str]:
    whole = " ".join((name or "").split())
    return [whole, *[p for p in whole.split() if len(p) > 2]] if whole else []


def content_hash(item: EvidenceItem) -> str:
    """A digest of what an assessor signs against: a change to any of it changes the digest."""
    body = {
        "learner": item.learner_id,
        "method": item.method,
        "case": item.case_id,
        "source": item.source,
        "criteria": item.criteria,
        "what": item.what,
        "channel": item.channel,
        "situation": item.situation,
        "occurred_at": item.occurred_at.isoformat(),
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _save(item: EvidenceItem, *, actor: Any, kind: str) -> EvidenceItem:
    item.content_hash = content_hash(item)
    item.save()
    audit_record(
        actor=actor,
        kind=kind,
        obj=item,
        after={
            "learner": item.learner_id,
            "method": item.method,
            "criteria": item.criteria,
            "situation": item.situation,
            "channel": item.channel,
            "case": item.case.reference if item.case_id else None,
        },
    )
    return item


# --- captured from the work ---------------------------------------------------------------------------


def learners_among(user_ids) -> set[int]:
    """Which of these users are working towards the qualification (one query)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return set()
    return set(
        StaffProfile.objects.filter(user_id__in=ids, assessor__isnull=False).values_list("user_id", flat=True)
    )


def events_recorded(events: list[CaseEvent]) -> None:
    """cases.hooks.events_recorded: evidence from the events a learner did. Inside the transaction that
    records them, so evidence and work are saved or lost together. A fault here must not stop the work
    being recorded: it is logged, and `evidence_recapture` (the `amends competence capture` command)
    finds what was missed, since capture is idempotent."""
    doers = {e.pk: doer(e) for e in events if e.kind in RULES}
    learners = learners_among(doers.values())
    for event in events:
        if doers.get(event.pk) in learners:
            try:
                with transaction.atomic():
                    event_evidence(event)
            except Exception:  # noqa: BLE001 - the case's own change must land; the gap is recaptured
                log.exception("Evidence capture failed for case event %s", event.pk)


def doer(event: CaseEvent) -> int | None:
    """Whose work the event shows: its actor; for a check-back the customer confirmed themselves (on their
    status page), whoever wrote the summary they confirmed."""
    if event.actor_id is not None:
        return event.actor_id
    if event.kind == EventKind.UNDERSTANDING_CONFIRMED:
        understanding = (event.after or {}).get("understanding")
        return Understanding.objects.filter(pk=understanding).values_list("recorded_by_id", flat=True).first()
    return None


def event_evidence(event: CaseEvent) -> EvidenceItem | None:
    """The evidence a learner's case event shows, once (`source` "event:<id>"); None if it shows none."""
    rule = RULES.get(event.kind)
    learner_id = doer(event) if rule is not None else None
    if rule is None or learner_id is None:
        return None
    source = f"event:{event.pk}"
    if EvidenceItem.objects.filter(source=source).exists():
        return None
    case = event.case
    after = event.after or {}
    rules = [rule, *(_coach_rules(after) if event.kind in REPLY_KINDS else [])]
    channel = str(after.get("channel") or case.channel)
    return _captured(
        learner_id=learner_id,
        case=case,
        source=source,
        rules=rules,
        channel=channel,
        at=event.at,
        rule=rule_name(event.kind),
    )


def _coach_rules(after: dict) -> list[Rule]:
    """What the reply coach finds good in the reply this event sent."""
    message = Message.objects.filter(pk=after.get("message")).only("body_text").first()
    if message is None or not message.body_text.strip():
        return []
    found = {f.kind for f in coach(message.body_text, CoachContext()) if f.severity == "good"}
    return [COACH_RULES[kind] for kind in COACH_RULES if kind in found]


def _captured(*, learner_id, case, source, rules, channel, at, rule, team_id=None) -> EvidenceItem:
    derived = situation_at(case, at, team_id=team_id)
    criteria = with_same([c for r in rules for c in r.criteria])
    item = EvidenceItem(
        learner_id=learner_id,
        method=Method.CASE_EVENT,
        case=case,
        source=source,
        criteria=criteria,
        what="; ".join(r.what for r in rules),
        channel=channel_of(channel),
        situation=derived.situation,
        derived={**derived.as_dict(), "channel": channel_of(channel)},
        rule=rule,
        occurred_at=at,
        captured_at=timezone.now(),
    )
    return _save(item, actor=None, kind="evidence.captured")


def alert_raised(alert: Any) -> None:
    """customers.hooks.colleague_alert_raised: a learner warned colleagues the customer may come back
    (CFACSC4 P16). The alert is on the customer, so the evidence names no case."""
    if alert.raised_by_id not in learners_among([alert.raised_by_id]):
        return
    source = f"alert:{alert.pk}"
    if EvidenceItem.objects.filter(source=source).exists():
        return
    team_id = (
        StaffProfile.objects.filter(user_id=alert.raised_by_id).values_list("team_id", flat=True).first()
    )
    _captured(
        learner_id=alert.raised_by_id,
        case=None,
        source=source,
        rules=[ALERT_RULE],
        channel="",
        at=alert.raised_at,
        rule="capture v1: colleague_alert",
        team_id=team_id,
    )


@transaction.atomic
def evidence_recapture(learner: Any, *, since: datetime) -> int:
    """Capture what the learner's case events since `since` show and is not yet captured (on enrolment,
    and after a capture fault). Returns how many items were made."""
    made = 0
    mine = Q(actor=learner) | Q(actor__isnull=True, kind=EventKind.UNDERSTANDING_CONFIRMED)
    events = CaseEvent.objects.filter(mine, at__gte=since, kind__in=list(RULES)).select_related(
        "case", "case__customer"
    )
    # What is captured already, in one query (events and observations alike), not one query an item.
    captured = set(EvidenceItem.objects.filter(learner=learner).values_list("source", flat=True))
    for event in events.order_by("at", "pk").iterator():
        if f"event:{event.pk}" not in captured and doer(event) == learner.pk:
            made += event_evidence(event) is not None
    for observation in Observation.objects.filter(learner=learner, observed_on__gte=since.date()):
        if f"observation:{observation.pk}" not in captured:
            made += observation_evidence(observation) is not None
    return made


# --- added by people ------------------------------------------------------------------------------------

# What a request may call practice: none of it is a method of evidence (Method lists every one there is).
PRACTICE = {"practice", "simulation", "simulated", "practice_session", "role_play", "roleplay"}


def method_checked(method: str) -> str:
    """The evidence method a person asks to add, or a refusal: practice with simulated customers is never
    evidence of performance (the OCR unit: "simulation is not allowed for any performance evidence")."""
    method = (method or "").strip().lower()
    if method in PRACTICE:
        raise DomainError(
            "Practice with simulated customers never counts as evidence: evidence comes from real work",
            code="practice_is_not_evidence",
            fields={"method": "practice is not evidence"},
        )
    if method not in {Method.REFLECTIVE, Method.WITNESS}:
        raise DomainError(
            "Add a reflective account or a witness statement; the rest is captured from the work itself",
            fields={"method": "reflective_account or witness"},
        )
    return method


def _criteria(given: Any) -> list[str]:
    try:
        return with_same(references(given))
    except CriteriaError as exc:
        raise DomainError(
            str(exc), code="unknown_criteria", fields={"criteria": "; ".join(exc.bad) or "required"}
        ) from exc


def _text(text: str, field: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"Write the {what}", fields={field: "required"})
    if len(text) > TEXT_LIMIT:
        raise DomainError(f"The {what} is too long", fields={field: f"at most {TEXT_LIMIT} characters"})
    return text


def _day(on: date | None) -> datetime:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise DomainError("Evidence is of work already done", fields={"occurred_on": "in the future"})
    return timezone.make_aware(datetime.combine(on, time(12)))


def _require_learner(learner: Any) -> Enrolment:
    enrolment = Enrolment.objects.filter(learner=learner).first()
    if enrolment is None or staff_of(learner) is None or learner.staff.assessor_id is None:
        raise DomainError(
            "They are not working towards the qualification", fields={"learner": "not a learner"}
        )
    return enrolment


@transaction.atomic
def observation_evidence(observation: Any) -> EvidenceItem | None:
    """An assessor's observation of a learner's work is evidence by observation (called by
    `observation_record`, in its transaction)."""
    if observation.learner_id not in learners_among([observation.learner_id]):
        return None
    case = observation.case
    at = timezone.make_aware(datetime.combine(observation.observed_on, time(12)))
    derived = situation_at(case, at)
    item = EvidenceItem(
        learner_id=observation.learner_id,
        method=Method.OBSERVATION,
        case=case,
        source=f"observation:{observation.pk}",
        criteria=with_same(observation.criteria),
        what=minimised(observation.seen, case),
        channel=channel_of(case.channel),
        situation=derived.situation,
        derived={**derived.as_dict(), "channel": channel_of(case.channel)},
        author_id=observation.assessor_id,
        occurred_at=at,
        captured_at=timezone.now(),
    )
    return _save(item, actor=observation.assessor, kind="evidence.observation")


@transaction.atomic
def witness_statement_add(
    *, witness: Any, learner: Any, case: Case, criteria: Any, text: str, occurred_on: date | None = None
) -> EvidenceItem:
    """A team leader (or complaints lead) who saw the learner's work on this case says what they saw."""
    if not can_witness(witness, case):
        raise PermissionDenied(
            "A team leader or complaints lead who can see this case gives witness statements"
        )
    if learner is None or learner.pk == witness.pk:
        raise DomainError("Name the learner whose work you saw", fields={"learner": "required"})
    _require_learner(learner)
    if not can_work_case(learner, case):
        raise DomainError("The learner does not work this case", fields={"learner": "not on this case"})
    named = _criteria(criteria)
    text = _text(text, "text", "witness statement")
    at = _day(occurred_on)
    derived = situation_at(case, at)
    item = EvidenceItem(
        learner=learner,
        method=Method.WITNESS,
        case=case,
        criteria=named,
        what=minimised(text, case),
        channel=channel_of(case.channel),
        situation=derived.situation,
        derived={**derived.as_dict(), "channel": channel_of(case.channel)},
        author=witness,
        occurred_at=at,
        captured_at=timezone.now(),
    )
    _save(item, actor=witness, kind="evidence.witness")
    notify(
        users=[learner, learner.staff.assessor],
        text=f"{person(witness)} gave a witness statement of {person(learner)}'s work on {case.reference}",
        link=f"/competence/learners/{learner.pk}/",
        urgent=False,
    )
    return item


@transaction.atomic
def reflective_account_add(
    *, learner: Any, criteria: Any, text: str, case: Case | None = None, occurred_on: date | None = None
) -> EvidenceItem:
    """The learner's own account of a piece of work (what happened, what they did and why, what they would
    do differently), linked to a case they worked where there is one."""
    _require_learner(learner)
    if case is not None and not can_view_case(learner, case):
        raise DomainError("Link a case you worked on", fields={"case": "not yours to see"})
    named = _criteria(criteria)
    text = _text(text, "text", "reflective account")
    at = _day(occurred_on)
    derived = situation_at(case, at, team_id=learner.staff.team_id)
    item = EvidenceItem(
        learner=learner,
        method=Method.REFLECTIVE,
        case=case,
        criteria=named,
        what=minimised(text, case),
        channel=channel_of(case.channel) if case else EvidenceChannel.WRITTEN,
        situation=derived.situation,
        derived=derived.as_dict(),
        author=learner,
        occurred_at=at,
        captured_at=timezone.now(),
    )
    return _save(item, actor=learner, kind="evidence.reflective_account")


@transaction.atomic
def evidence_tags_set(
    *, evidence: EvidenceItem, actor: Any, situation: str, channel: str, reason: str
) -> EvidenceItem:
    """The learner corrects the situation or channel their evidence was tagged with, saying why (the
    derived tags stay on the item beside theirs, for the assessor)."""
    if actor is None or actor.pk != evidence.learner_id:
        raise PermissionDenied("Only the learner changes how their evidence is tagged")
    if situation not in Situation.values:
        raise DomainError("Choose a situation", fields={"situation": ", ".join(Situation.values)})
    if channel not in EvidenceChannel.values:
        raise DomainError("Choose a channel", fields={"channel": ", ".join(EvidenceChannel.values)})
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("Say why the tags were wrong", fields={"reason": "required"})
    if len(reason) > REASON_LIMIT:
        raise DomainError("The reason is too long", fields={"reason": f"at most {REASON_LIMIT} characters"})
    if situation == evidence.situation and channel == evidence.channel:
        raise DomainError("Nothing changed", fields={"situation": "unchanged"})
    before = {"situation": evidence.situation, "channel": evidence.channel}
    evidence.situation, evidence.channel, evidence.changed_reason = situation, channel, reason
    evidence.content_hash = content_hash(evidence)
    evidence.save(update_fields=["situation", "channel", "changed_reason", "content_hash"])
    audit_record(
        actor=actor,
        kind="evidence.tags_changed",
        obj=evidence,
        before=before,
        after={"situation": situation, "channel": channel},
        reason=reason,
    )
    return evidence


__all__ = [
    "alert_raised",
    "event_evidence",
    "events_recorded",
    "evidence_recapture",
    "evidence_tags_set",
    "observation_evidence",
    "reflective_account_add",
    "witness_statement_add",
]
