"""Scoring a practice conversation against its scenario's marking points, and the feedback. Framework-free.

The shape the research anchors (docs competence.md §2, §7): a weighted rubric of observable behaviours, each
met, missed or not applicable; a score from 0 to 100 over the points that applied; blockers that fail the
session whatever the score (walking away from a threat without getting help); feedback that names the
standards' criteria and quotes the learner's own words, with a better wording. It reads the turns as stored
(signals with spans), so a session's score can be worked out again from its record at any time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from amends.standards.criteria import criterion

from .library import MarkingPoint, Mistake, Scenario
from .reading import GATHERED, quote

PASS_MARK = 70
MET, MISSED, NOT_YET, NOT_APPLICABLE = "met", "missed", "not_yet", "not_applicable"


@dataclass(frozen=True)
class TurnRecord:
    """One reply as the marking reads it: where the customer was, what the learner wrote, what it showed."""

    number: int
    state_before: str
    text: str
    signals: dict[str, Any]  # name -> spans ([start, end] pairs)
    findings: Sequence[dict] = ()


def named(references: Sequence[str]) -> list[dict[str, str]]:
    """Each criterion as feedback names it: its reference and its title from the catalogue."""
    return [{"reference": ref, "title": c.title if (c := criterion(ref)) else ""} for ref in references]


def assess(scenario: Scenario, turns: Sequence[TurnRecord], *, ended: bool) -> dict[str, Any]:
    """The rubric over the replies so far. While the session runs, a point not yet shown is "not_yet";
    once it has ended it is "missed"."""
    points = [_point(p, turns, ended) for p in scenario.marking_points]
    scored = [p for p in points if p["status"] != NOT_APPLICABLE]
    total = sum(p["weight"] for p in scored)
    score = round(100 * sum(p["weight"] for p in scored if p["status"] == MET) / total) if total else 0
    blockers = [p["id"] for p in points if p["blocker"] and p["status"] == MISSED]
    return {
        "score": score,
        "pass_mark": PASS_MARK,
        "blockers_failed": blockers,
        "passed": (score >= PASS_MARK and not blockers) if ended else None,
        "points": points,
        "mistakes": [m for mistake in scenario.mistakes if (m := _mistake(mistake, turns))["made"]],
    }


def turn_feedback(scenario: Scenario, turn: TurnRecord) -> dict[str, Any]:
    """What this one reply did: the points it showed or broke, and the mistakes it made."""
    met, broke = [], []
    for point in scenario.marking_points:
        if not _applies(point, turn):
            continue
        if shown := _first_signal(point.shown_by, turn):
            met.append(_quoted(point, turn, shown))
        if broken := _first_signal(point.broken_by, turn):
            broke.append(_quoted(point, turn, broken))
    mistakes = [m for mistake in scenario.mistakes if (m := _mistake(mistake, [turn]))["made"]]
    return {"met": met, "broke": broke, "mistakes": mistakes}


def _point(point: MarkingPoint, turns: Sequence[TurnRecord], ended: bool) -> dict[str, Any]:
    applicable = [t for t in turns if _applies(point, t)]
    out = _describe(point)
    if not applicable:
        return {**out, "status": NOT_APPLICABLE if ended or point.applies_in else NOT_YET}
    if point.shown_by:
        for turn in applicable:
            if signal := _first_signal(point.shown_by, turn):
                return {**out, "status": MET, **_evidence(turn, signal)}
        return {**out, "status": MISSED if ended else NOT_YET}
    for turn in applicable:
        if signal := _first_signal(point.broken_by, turn):
            return {**out, "status": MISSED, **_evidence(turn, signal)}
    return {**out, "status": MET}


def _mistake(mistake: Mistake, turns: Sequence[TurnRecord]) -> dict[str, Any]:
    made = []
    for turn in turns:
        if signal := _first_signal(mistake.signals, turn):
            made.append(
                {**_evidence(turn, signal), "better": _coach_suggestion(turn, signal) or mistake.better}
            )
    return {
        "id": mistake.id,
        "text": mistake.text,
        "criteria": named(mistake.criteria),
        "made": made,
    }


def _describe(point: MarkingPoint) -> dict[str, Any]:
    return {
        "id": point.id,
        "text": point.text,
        "criteria": named(point.criteria),
        "weight": point.weight,
        "blocker": point.blocker,
        "example": point.example,
    }


def _quoted(point: MarkingPoint, turn: TurnRecord, signal: str) -> dict[str, Any]:
    return {**_describe(point), **_evidence(turn, signal)}


def _evidence(turn: TurnRecord, signal: str) -> dict[str, Any]:
    spans = [tuple(span) for span in turn.signals.get(signal, [])]
    # A signal shown by an absence (no next step, a question ignored) has no words: quote the reply's start.
    words = quote(turn.text, spans) if spans else quote(turn.text, [(0, 0)])
    return {"turn": turn.number, "signal": signal, "quote": words}


def _coach_suggestion(turn: TurnRecord, signal: str) -> str:
    """The coach's better wording for the finding behind a signal (the gathered ones: its first finding)."""
    kinds = (signal, *GATHERED.get(signal, ()))
    return next((f["suggestion"] for f in turn.findings if f["kind"] in kinds and f["suggestion"]), "")


def _applies(point: MarkingPoint, turn: TurnRecord) -> bool:
    return not point.applies_in or turn.state_before in point.applies_in


def _first_signal(names: Sequence[str], turn: TurnRecord) -> str:
    return next((name for name in names if name in turn.signals), "")
