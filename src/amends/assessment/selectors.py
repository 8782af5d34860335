"""Reads of the competence record: observations on a case, a learner's portfolio (the coverage matrix),
the IQA's sampling view and managers' progress summaries. Each answers in a fixed number of queries."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from amends.cases.models import Case
from amends.core.permissions import learner_scope, observation_scope, progress_scope
from amends.standards.criteria import Criterion, catalogue

from . import knowledge_link
from .models import (
    CriterionDecision,
    Enrolment,
    EvidenceChannel,
    EvidenceItem,
    Observation,
    QualitySample,
    Situation,
    Stage,
)


def case_observations(user: Any, case: Case) -> list[Observation]:
    return list(
        Observation.objects.filter(observation_scope(user), case=case)
        .select_related("learner", "assessor")
        .order_by("-observed_on", "-recorded_at")
    )


# --- a learner's portfolio ------------------------------------------------------------------------------

# A criterion's state, in the order a portfolio reads it (Smart Assessor's red / orange / green, with the
# IQA's outcome after it).
STATUS_WORDS = {
    "gap": "No evidence yet",
    "evidence": "Evidence, not yet assessed",
    "working_towards": "Working towards",
    "final": "Signed off",
    "returned": "Returned by IQA",
    "assured": "Signed off and quality assured",
}


@dataclass
class CriterionRow:
    criterion: Criterion
    evidence: list[EvidenceItem] = field(default_factory=list)
    knowledge: Any = None  # the latest knowledge-check result for a knowledge criterion
    decision: CriterionDecision | None = None
    sample: QualitySample | None = None  # the latest sample of the current decision

    @property
    def situations(self) -> set[str]:
        return {i.situation for i in self.evidence}

    @property
    def channels(self) -> set[str]:
        return {i.channel for i in self.evidence}

    @property
    def status(self) -> str:
        if self.decision is not None and self.decision.stage == Stage.FINAL:
            if self.sample is None:
                return "final"
            return "assured" if self.sample.outcome == QualitySample.Outcome.ACCEPTED else "returned"
        if self.decision is not None:
            return "working_towards"
        has_knowledge = self.knowledge is not None and self.knowledge.met
        return "evidence" if self.evidence or has_knowledge else "gap"

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


# A unit's own evidence requirements, beyond every criterion signed off (OneFile's "unit rules"): the OCR
# unit asks for difficult customers dealt with in all four situations, with different customers on
# different occasions over a sufficient period (its evidence requirements 3 and 4). "Different" is ours to
# count: at least DIFFERENT cases on as many different days.
DIFFERENT = 3
SITUATIONS_REQUIRED = {"C4"}


@dataclass
class UnitView:
    code: str
    title: str
    rows: list[CriterionRow]

    @property
    def rules_unmet(self) -> list[str]:
        """What the unit's own evidence requirements still want (empty when met, or when it has none)."""
        if self.code not in SITUATIONS_REQUIRED:
            return []
        unmet = []
        if self.situations_missing:
            unmet.append(
                f"performance evidence in every situation (missing: {'; '.join(self.situations_missing)})"
            )
        items = {i.pk: i for r in self.performance for i in r.evidence}.values()
        cases = {i.case_id for i in items if i.case_id}
        days = {i.occurred_at.date() for i in items if i.case_id}
        if len(cases) < DIFFERENT or len(days) < DIFFERENT:
            unmet.append(
                f"performance evidence from at least {DIFFERENT} different customers' cases on {DIFFERENT} "
                f"different days (so far {len(cases)} cases, {len(days)} days)"
            )
        return unmet

    @property
    def performance(self) -> list[CriterionRow]:
        return [r for r in self.rows if r.criterion.kind == "performance"]

    @property
    def knowledge(self) -> list[CriterionRow]:
        return [r for r in self.rows if r.criterion.kind == "knowledge"]

    @property
    def situations_missing(self) -> list[str]:
        """The OCR range: performance evidence across routine, busy and quiet times and when let down."""
        seen = {s for r in self.performance for s in r.situations}
        return [label for value, label in Situation.choices if value not in seen]

    @property
    def channels_missing(self) -> list[str]:
        seen = {c for r in self.performance for c in r.channels}
        return [label for value, label in EvidenceChannel.choices if value not in seen]

    @property
    def signed_off(self) -> int:
        return sum(r.status in {"final", "assured"} for r in self.rows)

    @property
    def assured(self) -> int:
        return sum(r.status == "assured" for r in self.rows)

    @property
    def complete(self) -> bool:
        """Every criterion signed off, none returned, the IQA has accepted at least one of them, and the
        unit's own evidence requirements met: the point at which the centre may issue its own record of the
        unit (an Open Badge)."""
        signed = all(r.status in {"final", "assured"} for r in self.rows) and self.assured > 0
        return signed and not self.rules_unmet

    def matrix(self) -> list[tuple[CriterionRow, list[int], list[int]]]:
        """Each performance criterion with its evidence counted by situation and by channel."""
        situations = [v for v, _ in Situation.choices]
        channels = [v for v, _ in EvidenceChannel.choices]
        return [
            (
                r,
                [sum(i.situation == s for i in r.evidence) for s in situations],
                [sum(i.channel == c for i in r.evidence) for c in channels],
            )
            for r in self.performance
        ]


@dataclass
class Portfolio:
    learner: Any
    enrolment: Enrolment | None
    units: list[UnitView]
    evidence: list[EvidenceItem]

    def row(self, reference: str) -> CriterionRow | None:
        for unit in self.units:
            for r in unit.rows:
                if r.criterion.reference == reference:
                    return r
        return None


def portfolio(learner: Any) -> Portfolio:
    """Everything of a learner's record, by unit and criterion (four queries and the knowledge checks')."""
    enrolment = Enrolment.objects.filter(learner=learner).first()
    units = enrolment.units if enrolment else []
    evidence = list(
        EvidenceItem.objects.filter(learner=learner)
        .select_related("case", "author")
        .order_by("-occurred_at", "-pk")
    )
    by_code: dict[str, list[EvidenceItem]] = defaultdict(list)
    for item in evidence:
        for code in item.criteria:
            by_code[code].append(item)
    decisions = _latest_decisions([learner.pk])
    samples = _latest_samples([d.pk for d in decisions.values()])
    knowledge = knowledge_link.results(learner)
    views = []
    for code in units:
        unit = catalogue()[code]
        rows = []
        for c in unit.criteria:
            decision = decisions.get((learner.pk, c.reference))
            rows.append(
                CriterionRow(
                    criterion=c,
                    evidence=by_code.get(c.reference, []),
                    knowledge=knowledge.get(c.reference) if c.kind == "knowledge" else None,
                    decision=decision,
                    sample=samples.get(decision.pk) if decision else None,
                )
            )
        views.append(UnitView(code=unit.code, title=unit.title, rows=rows))
    return Portfolio(learner=learner, enrolment=enrolment, units=views, evidence=evidence)


def _latest_decisions(learner_ids: list[int]) -> dict[tuple[int, str], CriterionDecision]:
    latest: dict[tuple[int, str], CriterionDecision] = {}
    rows = (
        CriterionDecision.objects.filter(learner_id__in=learner_ids)
        .select_related("assessor", "learner")
        .order_by("signed_at", "pk")
    )
    for d in rows:
        latest[(d.learner_id, d.code)] = d
    return latest


def _latest_samples(decision_ids: list[int]) -> dict[int, QualitySample]:
    latest: dict[int, QualitySample] = {}
    for s in (
        QualitySample.objects.filter(decision_id__in=decision_ids)
        .select_related("iqa")
        .order_by("sampled_at", "pk")
    ):
        latest[s.decision_id] = s
    return latest


def decisions_of(learner: Any, code: str) -> list[CriterionDecision]:
    """Every decision on a criterion, newest first, with its samples (the criterion's history)."""
    return list(
        CriterionDecision.objects.filter(learner=learner, code=code)
        .select_related("assessor")
        .prefetch_related("samples__iqa")
        .order_by("-signed_at", "-pk")
    )


def decisions_by_code(learner: Any) -> dict[str, list[CriterionDecision]]:
    """Every decision of the learner's, newest first, by criterion, with its samples (two queries)."""
    found: dict[str, list[CriterionDecision]] = defaultdict(list)
    for d in (
        CriterionDecision.objects.filter(learner=learner)
        .select_related("assessor")
        .prefetch_related("samples__iqa")
        .order_by("-signed_at", "-pk")
    ):
        found[d.code].append(d)
    return dict(found)


def learners_for(user: Any) -> list[Any]:
    """The learners whose portfolios this user may read: their own; an assessor's learners; all (IQA)."""
    return list(
        get_user_model()
        .objects.filter(learner_scope(user))
        .select_related("staff", "staff__team", "enrolment")
        .order_by("first_name", "last_name", "username")
    )


# --- managers: progress, not evidence ----------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    learner: Any
    units: list[tuple[str, int, int]]  # (unit, criteria signed off, criteria in all)
    evidence: int
    last_evidence: datetime | None


def progress(user: Any) -> list[Progress]:
    """How far each learner the user may see has come: counts only (managers see no evidence)."""
    learners = list(
        get_user_model()
        .objects.filter(progress_scope(user))
        .select_related("enrolment", "staff__team")
        .order_by("first_name", "last_name", "username")
    )
    ids = [u.pk for u in learners]
    decisions = _latest_decisions(ids)
    finals = defaultdict(set)
    for (learner_id, code), d in decisions.items():
        if d.stage == Stage.FINAL:
            finals[learner_id].add(code)
    counts = {
        row["learner_id"]: (row["n"], row["last"])
        for row in EvidenceItem.objects.filter(learner_id__in=ids)
        .values("learner_id")
        .annotate(n=Count("pk"), last=Max("occurred_at"))
    }
    out = []
    for u in learners:
        units = getattr(getattr(u, "enrolment", None), "units", []) or []
        rows = []
        for code in units:
            criteria = catalogue()[code].criteria
            rows.append((code, sum(c.reference in finals[u.pk] for c in criteria), len(criteria)))
        n, last = counts.get(u.pk, (0, None))
        out.append(Progress(learner=u, units=rows, evidence=n, last_evidence=last))
    return out


# --- internal quality assurance: the sampling view ---------------------------------------------------


@dataclass
class Sampled:
    decision: CriterionDecision
    unit: str
    methods: list[str]
    sample: QualitySample | None
    due: bool = False

    @property
    def code(self) -> str:
        """The criterion's code within its unit ("P11" of "CFACSC4 P11")."""
        return self.decision.code.split(" ", 1)[1]


@dataclass
class AssessorPlan:
    assessor: Any
    decisions: int
    sampled: int
    required: int
    units_missing: list[str]
    methods_missing: list[str]

    @property
    def compliant(self) -> bool:
        return self.sampled >= self.required and not self.units_missing and not self.methods_missing


def sampling_view(
    plan: Any, *, assessor_id=None, unit="", learner_id=None, method=""
) -> tuple[list[AssessorPlan], list[Sampled]]:
    """Every current final decision (the latest on its criterion), with its sample if any and whether the
    plan says it is due, filtered by assessor, unit, learner or method; and each assessor's standing
    against the plan (required, sampled, units and methods not yet sampled; compliant or not)."""
    latest = _latest_decisions(list(Enrolment.objects.values_list("learner_id", flat=True)))
    finals = [d for d in latest.values() if d.stage == Stage.FINAL]
    samples = _latest_samples([d.pk for d in finals])
    methods = _methods([d for d in finals])
    rows = [
        Sampled(decision=d, unit=d.code.split(" ", 1)[0], methods=methods[d.pk], sample=samples.get(d.pk))
        for d in finals
    ]
    plans = []
    by_assessor: dict[int, list[Sampled]] = defaultdict(list)
    for r in rows:
        by_assessor[r.decision.assessor_id].append(r)
    for rows_of in by_assessor.values():
        plans.append(_plan_for(plan, rows_of))
    wanted = [
        r
        for r in rows
        if (not assessor_id or r.decision.assessor_id == assessor_id)
        and (not unit or r.unit == unit)
        and (not learner_id or r.decision.learner_id == learner_id)
        and (not method or method in r.methods)
    ]
    wanted.sort(key=lambda r: (r.sample is not None, not r.due, -r.decision.signed_at.timestamp()))
    return sorted(plans, key=lambda p: p.assessor.get_full_name()), wanted


def _methods(decisions: list[CriterionDecision]) -> dict[int, list[str]]:
    ids = {i for d in decisions for i in d.evidence}
    method_of = dict(EvidenceItem.objects.filter(pk__in=ids).values_list("pk", "method"))
    out = {}
    for d in decisions:
        found = sorted({method_of[i] for i in d.evidence if i in method_of})
        out[d.pk] = found + (["knowledge_check"] if d.knowledge else [])
    return out


def _plan_for(plan: Any, rows: list[Sampled]) -> AssessorPlan:
    """One assessor against the plan; marks which unsampled decisions are due (units and methods not yet
    in the sample first, then a fixed pseudo-random order, so the choice is the same on every reading)."""
    sampled = [r for r in rows if r.sample is not None]
    required = math.ceil(len(rows) * plan.percent / 100)
    units_missing = sorted({r.unit for r in rows} - {r.unit for r in sampled}) if plan.every_unit else []
    methods_missing = (
        sorted({m for r in rows for m in r.methods} - {m for r in sampled for m in r.methods})
        if plan.every_method
        else []
    )
    waiting = sorted(
        (r for r in rows if r.sample is None),
        key=lambda r: (
            r.unit not in units_missing and not set(r.methods) & set(methods_missing),
            hashlib.sha256(str(r.decision.pk).encode()).hexdigest(),
        ),
    )
    need = max(required - len(sampled), 0)
    units_left, methods_left = set(units_missing), set(methods_missing)
    for r in waiting:
        covers = r.unit in units_left or set(r.methods) & methods_left
        if need > 0 or covers:
            r.due = True
            need -= 1
            units_left.discard(r.unit)
            methods_left -= set(r.methods)
    return AssessorPlan(
        assessor=rows[0].decision.assessor,
        decisions=len(rows),
        sampled=len(sampled),
        required=required,
        units_missing=units_missing,
        methods_missing=methods_missing,
    )


def evidence_scope(user: Any) -> Q:
    """A filter on evidence items for those whose portfolio this user may read."""
    return Q(learner__in=get_user_model().objects.filter(learner_scope(user)))
