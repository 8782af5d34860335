"""Reply coach: reads an adviser's draft as they type and says what may land badly, and what will reassure.

A reply to an upset customer succeeds or fails on wording. The standards name what to avoid and what to do:
don't say things that provoke (CFACSC4 P7, K6), don't simply quote the rules (CFACSC4 K7), show empathy
without necessarily admitting fault (CFACSC4 P11, K4; CFACSC7 K7), give a clear position (CFACSC4 P12),
summarise actions and reasons (CFACSC4 P15), keep promises and keep the customer informed (WM57 12, 13),
and in a final response give reasons and the route to an independent third party (CFACSC7 9, K5; WM57 15).

The coach is advisory and framework-free: words decide, every finding carries the character spans that
triggered it (or none, when the finding is about something missing), a one-line reason and a better
wording. It runs on every keystroke, so it is plain regular expressions and cached syllable counts.
Text quoted from earlier messages is ignored, and a negated phrase ("I won't ask you to calm down") does
not fire.

Here: `coach()` and what it is given and returns. The parts: draft.py (the draft made ready, and
matching), patterns.py (the pattern compiler), phrases.py (phrases wrong wherever they appear), cues.py
(the wordings findings look for), findings.py (the findings about the draft as a whole), readability.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .draft import prepare
from .findings import (
    Finding,
    closing_finding,
    empathy_finding,
    next_step_findings,
    no_acknowledgement,
    position_finding,
    rules_finding,
)
from .phrases import PHRASE_KINDS, phrase_finding
from .readability import reading_finding

SEVERITY_ORDER = {"warn": 0, "info": 1, "good": 2}


@dataclass(frozen=True)
class CoachContext:
    customer_name: str = ""
    is_closing_reply: bool = False  # a final response or decision letter
    customer_text: str = ""  # the latest message from the customer
    customer_upset: bool | None = None  # None: judge it from customer_text
    has_open_complaint: bool = False


def coach(draft: str, context: CoachContext | None = None) -> list[Finding]:
    """Every finding for the draft: warnings first, then advice, then what is already good."""
    context = context or CoachContext()
    doc = prepare(draft)
    if not doc.sentences:
        return []  # nothing typed yet, or only quoted text: absence findings would be noise
    findings = [f for kind in PHRASE_KINDS if (f := phrase_finding(doc, kind)) is not None]
    findings += rules_finding(doc)
    findings += empathy_finding(doc) or no_acknowledgement(
        context.customer_text, context.customer_upset, context.customer_name
    )
    findings += position_finding(doc, awaited=context.has_open_complaint or context.is_closing_reply)
    findings += next_step_findings(doc)
    if context.is_closing_reply:
        findings += closing_finding(doc)
    findings += reading_finding(doc)
    return sorted(findings, key=_order)


def coach_to_dict(findings: list[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "kind": f.kind,
            "severity": f.severity,
            "spans": [[start, end] for start, end in f.spans],
            "message": f.message,
            "suggestion": f.suggestion,
            "data": dict(f.data),
        }
        for f in findings
    ]


def _order(finding: Finding) -> tuple[int, int, str]:
    # Within a severity, by position in the draft; findings about something missing come last.
    first = finding.spans[0][0] if finding.spans else 1 << 30
    return SEVERITY_ORDER[finding.severity], first, finding.kind
