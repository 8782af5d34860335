"""What a learner's reply shows, as named signals with the words that show them. Framework-free.

The reply coach (signals.engine.coach) reads the reply as it reads a real one; its findings become signals by
their kind (`apology_or_empathy`, `rules_without_explanation`, ...). A few signals gather several findings
into what the simulated customer reacts to (`acknowledged`, `provoked`, `next_step`), and each scenario adds
its own cue phrases (`safety`, `options`, `boundary`...), matched like the coach's: in the reply's own words,
quoted text left out, a negated phrase ("I won't call security") not counted. Every signal keeps the spans
that show it, so feedback can quote the learner.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from amends.signals.engine.coach import CoachContext, coach, coach_to_dict
from amends.signals.engine.coach.cues import NEXT_STEP_RE, POSITION_RE, PROMISE_RE
from amends.signals.engine.coach.draft import prepare, spans_of
from amends.signals.engine.coach.findings import Finding
from amends.signals.engine.coach.patterns import rx

Span = tuple[int, int]

# The coach's finding kinds, each a signal of its own.
COACH_KINDS = frozenset(
    {
        "provocative_or_dismissive",
        "defensive_or_blaming",
        "admits_liability",
        "jargon",
        "rules_without_explanation",
        "apology_or_empathy",
        "no_acknowledgement",
        "no_position",
        "clear_next_step_with_date",
        "promise_without_date",
        "no_next_step",
        "closing_summary_missing",
        "reading_difficulty",
    }
)
# What the customer reacts to, gathered from the coach's findings and these phrases (a scenario's cue of
# the same name adds its own phrases).
GATHERED = {
    # Empathy and acknowledgement (CFACSC4 P11, K4).
    "acknowledged": ("apology_or_empathy",),
    # Provocation (CFACSC4 P7, K6), blame (P12), rules quoted bare (K7): all make an upset customer angrier.
    "provoked": ("provocative_or_dismissive", "defensive_or_blaming", "rules_without_explanation"),
}
# Sarcasm and brush-offs the coach's phrase lists leave to us: said to a customer in a simulation, each
# makes them angrier.
PROVOKING = rx(
    r"good luck with that",
    r"if you say so",
    r"whatever you say",
    r"whatever(?=[.!]|$)",
    r"take it or leave it",
    r"i don'?t make the rules",
    r"you people",
    r"there'?s no need for (?:that|this)",
    r"be reasonable",
    r"are you (?:even )?listening",
    r"what do you want me to do",
)
# Derived here, not by the coach: a question asked (CFACSC4 P9; WM57 1), a next step of any kind (P15),
# a position stated (P12). "ignored" and "answered" come from the state's question (dialogue.py).
DERIVED = frozenset({"asked", "next_step", "position", "ignored", "answered"})
BUILT_IN_SIGNALS = COACH_KINDS | frozenset(GATHERED) | DERIVED


@dataclass(frozen=True)
class Reading:
    text: str
    signals: dict[str, list[Span]]  # a signal present maps to its spans (empty: shown by an absence)
    findings: list[Finding] = field(default_factory=list)

    def shows(self, name: str) -> bool:
        return name in self.signals

    def findings_dict(self) -> list[dict]:
        return coach_to_dict(self.findings)


def read_reply(
    text: str, *, customer_text: str, cues: Mapping[str, Any], expects: tuple[str, ...] = ()
) -> Reading:
    """Every signal the reply shows. `customer_text` is what the customer last said (the coach judges from
    it whether they were upset and so needed acknowledging); `expects` the cues that answer the customer's
    question, if they asked one."""
    findings = coach(text, CoachContext(customer_text=customer_text, has_open_complaint=True))
    doc = prepare(text)
    signals: dict[str, list[Span]] = {}
    for finding in findings:
        _add(signals, finding.kind, list(finding.spans))
    for name, kinds in GATHERED.items():
        for kind in kinds:
            if kind in signals:
                _add(signals, name, signals[kind])
    _add_found(signals, "provoked", spans_of(doc, PROVOKING))
    for name, cue in cues.items():  # library.Cue: phrases, negatable
        _add_found(signals, name, spans_of(doc, _compiled(cue.phrases), cue.negatable))
    _add_found(signals, "next_step", spans_of(doc, NEXT_STEP_RE) + spans_of(doc, PROMISE_RE))
    _add_found(signals, "position", spans_of(doc, POSITION_RE))
    _add_found(signals, "asked", [s for s in doc.sentences if doc.live[s[1] - 1] == "?"])
    if expects:
        answered = [span for name in expects for span in signals.get(name, [])]
        _add(signals, "answered" if answered else "ignored", answered)
    return Reading(text, {name: sorted(set(spans)) for name, spans in signals.items()}, findings)


def quote(text: str, spans: list[Span], limit: int = 200) -> str:
    """The learner's words that show a signal: the sentence around its first span, at most `limit`
    characters."""
    if not spans:
        return ""
    start, end = spans[0]
    before = max(text.rfind(mark, 0, start) for mark in (".", "!", "?", "\n"))
    after = [i for i in (text.find(mark, end) for mark in (".", "!", "?", "\n")) if i != -1]
    sentence = text[before + 1 : (min(after) + 1 if after else len(text))].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "\u2026"


def _add(signals: dict[str, list[Span]], name: str, spans: list[Span]) -> None:
    signals.setdefault(name, []).extend(spans)


def _add_found(signals: dict[str, list[Span]], name: str, spans: list[Span]) -> None:
    if spans:
        _add(signals, name, spans)


@functools.lru_cache(maxsize=512)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return rx(*patterns)
