"""What the coach says about a draft (`Finding`), and the findings that read the draft as a whole: a rule
quoted without a reason, empathy or its absence, a position, next steps and promises, a final response.

Phrases that are wrong wherever they appear are in phrases.py, reading ease in readability.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..text import Span, negated
from .cues import (
    ALTERNATIVE_RE,
    CLAUSE_END_RE,
    CLOSING_PARTS,
    DATE_RE,
    DIGIT_DATE_RE,
    EMPATHY_RE,
    FAVOURABLE_RE,
    NEXT_STEP_RE,
    POSITION_RE,
    PROMISE_RE,
    REASON_RE,
    REFUSAL_RE,
    RULES_RE,
    SHOUTING_RE,
    UPSET_PUNCTUATION_RE,
    UPSET_RE,
)
from .draft import Draft, find, has, live_text, lower_same_length, spans_of, word_start

Severity = Literal["warn", "info", "good"]


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: Severity
    spans: list[Span] = field(default_factory=list)
    message: str = ""
    suggestion: str = ""
    data: dict[str, Any] = field(default_factory=dict)


# --- rules quoted ------------------------------------------------------------------------------------


def rules_finding(doc: Draft) -> list[Finding]:
    """A rule quoted with neither a reason nor an alternative in its sentence or the ones either side."""
    bare = [
        span
        for span in spans_of(doc, RULES_RE, negatable=False)
        if not doc.low.endswith("not ", 0, span[0])
        and not _explained(doc, span[0])
        and not _in_their_favour(doc, span)
    ]
    if not bare:
        return []
    return [
        Finding(
            "rules_without_explanation",
            "warn",
            bare,
            "Quotes a rule without the reason for it or an alternative (CFACSC4 K7, P12; WM57 9)",
            "Explain why and offer something else: 'We can't refund after 30 days because ..., "
            "but what I can do is ...'",
        )
    ]


def _in_their_favour(doc: Draft, span: Span) -> bool:
    i = doc.sentence_at(span[0])
    start, end = doc.sentences[i]
    gives = any(
        m.start() <= span[1] + 1 and word_start(doc.low, m.start())
        for m in FAVOURABLE_RE.finditer(doc.low, span[1], end)
    )
    return gives and not has(REFUSAL_RE, doc.low, start, end)


def _explained(doc: Draft, pos: int) -> bool:
    i = doc.sentence_at(pos)
    start = doc.sentences[max(i - 1, 0)][0]
    end = doc.sentences[min(i + 1, len(doc.sentences) - 1)][1]
    return has(REASON_RE, doc.low, start, end) or has(ALTERNATIVE_RE, doc.low, start, end)


# --- feelings ---------------------------------------------------------------------------------------


def empathy_finding(doc: Draft) -> list[Finding]:
    spans = spans_of(doc, EMPATHY_RE)
    if not spans:
        return []
    return [
        Finding(
            "apology_or_empathy",
            "good",
            spans,
            "Acknowledges the customer's feelings (CFACSC4 P11, K4)",
            "Keep it, and make it specific to what happened to them.",
        )
    ]


def no_acknowledgement(customer_text: str, customer_upset: bool | None, customer_name: str) -> list[Finding]:
    """The reply to an upset customer (`customer_upset`, or when None, judged from their text) should
    acknowledge it: called when the draft shows no empathy."""
    cues = upset_cues(customer_text)
    upset = customer_upset if customer_upset is not None else bool(cues)
    if not upset:
        return []
    name = f", {customer_name}" if customer_name else ""
    why = f" (they wrote: {', '.join(repr(c) for c in cues[:3])})" if cues else ""
    return [
        Finding(
            "no_acknowledgement",
            "warn",
            [],
            f"The customer is upset{why} but the reply doesn't acknowledge it (CFACSC4 P4, P11, K4)",
            f"Open with it: 'I'm sorry{name}, I can understand how frustrating this has been.'",
            {"customer_cues": cues},
        )
    ]


def upset_cues(customer_text: str) -> list[str]:
    """Simple signs of an upset customer (CFACSC4 P3): angry words, '!!', shouting in capitals."""
    if not customer_text:
        return []
    live = live_text(customer_text)
    low = lower_same_length(live)
    cues = [live[m.start() : m.end()] for m in find(UPSET_RE, low) if not negated(low, m.start())]
    cues += [m.group() for m in UPSET_PUNCTUATION_RE.finditer(live)][:1]
    shouted = SHOUTING_RE.findall(live)
    if len(shouted) >= 3:
        cues += shouted[:2]
    return list(dict.fromkeys(cues))


# --- position, next steps, promises ----------------------------------------------------------------


def position_finding(doc: Draft, awaited: bool) -> list[Finding]:
    """`awaited`: the customer is waiting for a position (a complaint is open, or this is the final
    response), so its absence is a warning; otherwise it is advice."""
    if has(POSITION_RE, doc.low):
        return []
    severity: Severity = "warn" if awaited else "info"
    return [
        Finding(
            "no_position",
            severity,
            [],
            "No clear statement of what we will or won't do (CFACSC4 P12)",
            "Say it plainly, with the reason: 'We will refund the GBP 40 charge because ...'",
        )
    ]


def next_step_findings(doc: Draft) -> list[Finding]:
    promise_starts = [m.start() for m in find(PROMISE_RE, doc.low)]
    promises = _undated_promises(doc, promise_starts)
    steps = _first_per_sentence(
        doc, sorted(promise_starts + [m.start() for m in find(NEXT_STEP_RE, doc.low)])
    )
    dated = [(pos, i) for pos, i in steps if _dated(doc, pos, doc.sentences[i][1])]
    findings = list(promises)
    if dated:
        findings.append(_dated_step(doc, dated))
    elif not steps:
        findings.append(_no_next_step("No next step: say what happens next and when (CFACSC4 P15; WM57 13)"))
    elif not promises:
        findings.append(_no_next_step("The next step has no timescale: say when (CFACSC4 P15; WM57 13)"))
    return findings


def _dated(doc: Draft, pos: int, end: int) -> bool:
    return has(DATE_RE, doc.low, pos, end) or has(DIGIT_DATE_RE, doc.low, pos, end)


def _first_per_sentence(doc: Draft, positions: list[int]) -> list[tuple[int, int]]:
    """(position, sentence index) of the first cue in each sentence."""
    seen: dict[int, int] = {}
    for pos in positions:
        seen.setdefault(doc.sentence_at(pos), pos)
    return [(pos, i) for i, pos in seen.items()]


def _undated_promises(doc: Draft, starts: list[int]) -> list[Finding]:
    """A promise with no date after it in its sentence: the UI can offer to track it (WM57 12)."""
    findings = []
    for pos, i in _first_per_sentence(doc, starts):
        if _dated(doc, pos, doc.sentences[i][1]) or negated(doc.low, pos):
            continue
        end = doc.sentence_end(i)
        clause_end = CLAUSE_END_RE.search(doc.low, pos, end)
        end = clause_end.start() if clause_end else end
        findings.append(
            Finding(
                "promise_without_date",
                "warn",
                [(pos, end)],
                "A promise with no date: the customer can't tell when to expect it (WM57 12, 13)",
                "Add a day and time you can keep, e.g. '... by 5pm on Thursday', and track it as a promise.",
                {"promise_text": doc.text[pos:end]},
            )
        )
    return findings


def _dated_step(doc: Draft, dated: list[tuple[int, int]]) -> Finding:
    return Finding(
        "clear_next_step_with_date",
        "good",
        [(pos, doc.sentence_end(i)) for pos, i in dated],
        "A clear next step with a timescale (CFACSC4 P15; WM57 13)",
        "Make sure it is recorded as a promise so it is kept (WM57 12).",
    )


def _no_next_step(message: str) -> Finding:
    return Finding(
        "no_next_step", "warn", [], message, "e.g. 'I will call you by 5pm on Thursday with an update.'"
    )


# --- final responses ---------------------------------------------------------------------------------


def closing_finding(doc: Draft) -> list[Finding]:
    """What a final response lacks of a summary, the reasons and the route to the ombudsman."""
    missing = [(key, label) for key, pattern, label in CLOSING_PARTS if not has(pattern, doc.low)]
    if not missing:
        return []
    return [
        Finding(
            "closing_summary_missing",
            "warn",
            [],
            "Final response lacks "
            + ", ".join(label for _, label in missing)
            + " (CFACSC4 P15; CFACSC7 9, K5)",
            "Close with: 'To summarise, we have decided ... because .... If you're not happy with this, you "
            "can refer your complaint to the Ombudsman.'",
            {"missing": [key for key, _ in missing]},
        )
    ]
