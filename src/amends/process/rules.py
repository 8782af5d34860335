"""The complaint process's rules that need no database. Framework-free: plain values in, plain values out.

The process app applies them to its rows; the demo's planner (demo/plan.py) plans months of complaints with
them before any row exists. One copy, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from amends.regimes.clocks import ClockDue
from amends.regimes.definition import RegimeDefinition

# Letters that answer the complaint at a stage: sending one meets the stage's response clocks.
RESPONSE_LETTERS = frozenset(
    {"final_response", "stage1_response", "stage2_response", "deadlock", "summary_resolution"}
)

# The note the worker leaves on a promise it marks broken (WM57 12).
PROMISE_LAPSED_NOTE = "Due time passed without the promise being marked kept"


def met_by(clock_code: str) -> str:
    """Which step stops a clock, read from its code (the definitions name them so)."""
    if "ack" in clock_code:
        return "acknowledged"
    if clock_code.startswith("satisfaction"):
        return "satisfied"
    if clock_code.startswith("initial_assessment"):
        return "understood"
    if clock_code.startswith("summary_resolution") or clock_code.startswith("frontline"):
        return "resolved"
    return "responded"


class ProcessMoments(Protocol):
    """When the events a regime's clocks count from happened (a CaseProcess has these)."""

    received_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    escalation_acknowledged_at: datetime | None
    response_sent_at: datetime | None


def clock_events(process: ProcessMoments) -> dict[str, datetime]:
    """The start events that have happened, by the names regimes.clocks.compute takes."""
    names = {
        "received": process.received_at,
        "acknowledged": process.acknowledged_at,
        "escalated": process.escalated_at,
        "escalation_acknowledged": process.escalation_acknowledged_at,
        "response_sent": process.response_sent_at,
    }
    return {name: at for name, at in names.items() if at is not None}


def acknowledgement_event(events: Mapping[str, datetime]) -> str:
    """The event an acknowledgement letter marks: the complaint's, or the escalation's once escalated."""
    return "escalation_acknowledged" if "escalated" in events else "acknowledged"


def response_due(dues: Iterable[ClockDue]) -> datetime | None:
    """When a stage's response is due: the earliest clock a response stops, optional windows aside."""
    return min((d.due_at for d in dues if met_by(d.code) == "responded" and not d.optional), default=None)


def next_stage(definition: RegimeDefinition, stage: str) -> str | None:
    """The regime's stage after this one; None at the last (what follows is the independent body)."""
    codes = [s.code for s in definition.stages]
    position = codes.index(stage)
    return codes[position + 1] if position + 1 < len(codes) else None


# --- authority (CFACSC4 P14, K5; CFACSC7 9, K6; WM57 j) ----------------------------------------------------

MONETARY_REMEDIES = frozenset({"refund", "fee_waiver", "goodwill", "compensation"})

# The authority limits a new installation starts with (process migration 0002 seeds them; the complaints
# lead changes them, audited, with authority_limit_set). Role -> remedy -> the most the role may offer alone,
# None for no limit; a remedy a role lacks needs someone else's approval. Examples to change, not advice.
STARTING_LIMITS: dict[str, dict[str, Decimal | None]] = {
    "adviser": {
        "apology": None,
        "explanation": None,
        "put_right": None,
        "refund": Decimal("100"),
        "fee_waiver": Decimal("50"),
        "goodwill": Decimal("50"),
    },
    "case_handler": {
        "apology": None,
        "explanation": None,
        "put_right": None,
        "refund": Decimal("500"),
        "fee_waiver": Decimal("250"),
        "goodwill": Decimal("150"),
        "compensation": Decimal("250"),
    },
    "team_leader": {
        "apology": None,
        "explanation": None,
        "put_right": None,
        "service_change": None,
        "refund": Decimal("2000"),
        "fee_waiver": Decimal("1000"),
        "goodwill": Decimal("500"),
        "compensation": Decimal("1000"),
    },
    "complaints_lead": {
        "apology": None,
        "explanation": None,
        "put_right": None,
        "service_change": None,
        "refund": Decimal("25000"),
        "fee_waiver": Decimal("10000"),
        "goodwill": Decimal("5000"),
        "compensation": Decimal("10000"),
    },
}


def limit_allows(
    *, allowed: bool, max_amount: Decimal | None, remedy_type: str, amount: Decimal | None
) -> bool:
    """Whether a role's limit for a remedy lets it offer this one, of this amount, without approval."""
    if not allowed:
        return False
    if remedy_type not in MONETARY_REMEDIES or max_amount is None:
        return True
    return (amount or Decimal(0)) <= max_amount
