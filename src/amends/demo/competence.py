"""The demo's competence record: two of the complaints team working towards the qualification, assessed by
Nadia (the assessor), quality-assured by Grace (the IQA). All through the services:

- a systems outage Helen (the team leader) recorded, one afternoon Sam was working, so work in it is
  tagged "let down";
- Sam (the case handler) enrolled on all four units four months ago: enrolment captures the evidence his
  work on the demo's cases already shows; he writes a reflective account, Helen a witness statement of his
  work; Nadia signs off the criteria his evidence covers most, one only as "working towards"; Grace samples
  and accepts one of her decisions;
- Jess (the adviser) enrolled on CFACSC4 and the OCR unit: evidence captured, nothing signed off yet, so
  her assessor has work to do when the demo opens.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from django.utils import timezone

from amends.assessment.capture import RULES
from amends.assessment.decisions import (
    criterion_decide,
    disruption_record,
    learner_enrol,
    sample_record,
)
from amends.assessment.evidence import reflective_account_add, witness_statement_add
from amends.assessment.models import EvidenceItem, Method
from amends.cases.models import Case, CaseEvent
from amends.core.models import Team
from amends.knowledge.models import KnowledgeAnswer
from amends.knowledge.services import answer_mark, attempt_start, attempt_submit
from amends.practice.library import scenario
from amends.practice.services import practice_end, practice_reply, practice_start

REFLECTION = (
    "A customer rang about a refund that had not arrived and was shouting before I had said anything. I let "
    "them finish, then said I could hear how frustrating three weeks of waiting had been, without saying we "
    "had got it wrong before I knew. I checked the payment record while they were on the line and told them "
    "exactly what I had found and what would happen next, and when. Next time I would give the date earlier: "
    "the customer calmed down as soon as they had one."
)
WITNESS = (
    "Sam asked me to approve a goodwill payment above his limit, with the finding, the options he weighed "
    "and why he recommended this one. He told the customer plainly that he needed my approval and when they "
    "would hear back, and he called them back on time."
)
KNOWLEDGE_ANSWER = (
    "Empathy is showing the customer I understand how they feel and why, in my own words, without saying we "
    "were at fault before I know. Then I say what I will do and when."
)
PROVOKED = "passive-aggressive-missed-delivery"
SIGN_OFF = 4  # criteria Sam's assessor signs off (those his evidence covers most)


def demo_competence(users: dict[str, Any], teams: dict[str, Team]) -> dict[str, int]:
    now = timezone.now()
    sam, jess, nadia = users["handler"], users["adviser"], users["assessor"]
    # The outage came one afternoon Sam was working a complaint, a week or more ago (so the demo shows
    # evidence tagged "let down" whatever the seed's dates).
    worked = (
        CaseEvent.objects.filter(actor=sam, kind__in=list(RULES), at__lte=now - timedelta(days=7))
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    ) or now - timedelta(days=21)
    disruption_record(
        actor=users["leader"],
        team=teams["complaints"],
        kind="systems",
        what="Payments system outage: refunds could not be raised or checked",
        started_at=worked - timedelta(hours=2),
        ended_at=worked + timedelta(hours=2),
    )
    learner_enrol(
        actor=users["lead"],
        learner=sam,
        assessor=nadia,
        units=["CFACSC4", "CFACSC7", "WM57", "C4"],
        started_on=(now - timedelta(days=120)).date(),
    )
    learner_enrol(
        actor=users["lead"],
        learner=jess,
        assessor=nadia,
        units=["CFACSC4", "C4"],
        started_on=(now - timedelta(days=60)).date(),
    )
    reflective_account_add(learner=sam, criteria="CFACSC4 K4, CFACSC4 P11", text=REFLECTION)
    case = (
        Case.objects.filter(owner=sam, team=teams["complaints"], kind="complaint")
        .order_by("-opened_at")
        .first()
    )
    if case is not None:
        witness_statement_add(
            witness=users["leader"], learner=sam, case=case, criteria="CFACSC4 P14, WM57 6", text=WITNESS
        )
    decided = _sign_off(sam, nadia)
    if decided:
        sample_record(
            iqa=users["iqa"],
            decision=decided[0],
            outcome="accepted",
            comment=(
                "Sufficient and current: several case records across situations, and the assessor's comment "
                "says what each shows."
            ),
            signed_name="Grace Adeyemi",
        )
    _knowledge(sam, nadia)
    _practice(jess)
    return {"evidence": EvidenceItem.objects.count(), "decisions": len(decided)}


def _knowledge(learner: Any, assessor: Any) -> None:
    """Sam took the CFACSC4 knowledge check: choice and order answers right; his written answers marked by
    Nadia, all but the last, which waits in her marking queue."""
    attempt = attempt_start(learner=learner, unit="CFACSC4")
    answers = {}
    for q in attempt.question_list():
        answers[q.id] = {"choice": list(q.correct_keys), "order": list(q.order)}.get(
            q.format, KNOWLEDGE_ANSWER
        )
    attempt_submit(attempt=attempt, learner=learner, answers=answers)
    written = list(KnowledgeAnswer.objects.filter(attempt=attempt, format="short").order_by("pk"))
    for answer in written[:-1]:
        answer_mark(answer=answer, assessor=assessor, acceptable=True, comment="Clear and in your own words.")


def _practice(learner: Any) -> None:
    """Jess practised twice before her first difficult calls: the angry caller, calmed and settled; the
    passive-aggressive one, provoked by quoting the rules, then stopped. Practice, never evidence."""
    calm = practice_start(learner=learner, scenario_id="angry-double-charge")
    for reply in scenario("angry-double-charge").ideal:
        practice_reply(session=calm, learner=learner, text=reply)
    tried = practice_start(learner=learner, scenario_id=PROVOKED)
    practice_reply(session=tried, learner=learner, text=scenario(PROVOKED).provocation)
    practice_end(session=tried, learner=learner)


def _sign_off(learner: Any, assessor: Any) -> list:
    """Nadia signs off the CFACSC4 criteria Sam's real-work evidence covers most, and marks one more as
    working towards."""
    items = list(EvidenceItem.objects.filter(learner=learner, method=Method.CASE_EVENT))
    counts = Counter(c for i in items for c in i.criteria if c.startswith("CFACSC4 P"))
    decided = []
    for n, (code, _count) in enumerate(counts.most_common(SIGN_OFF + 1)):
        evidence = [i.pk for i in items if code in i.criteria][:12]
        final = n < SIGN_OFF
        decided.append(
            criterion_decide(
                assessor=assessor,
                learner=learner,
                code=code,
                stage="final" if final else "working_towards",
                comment=(
                    "Shown consistently on real cases, at routine and busy times, in writing and by phone."
                    if final
                    else "Shown on some cases; I want to see it face to face before I sign it off."
                ),
                evidence_ids=evidence,
                signed_name="Nadia Hussain",
            )
        )
    return [d for d in decided if d.stage == "final"]
