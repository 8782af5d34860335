"""Signals from the case and customer history rather than the words: how often, on how many channels,
how long they have waited, re-opens, broken promises, a changing outcome wanted. Framework-free.

CFACSC4 K6 asks the adviser to recognise behaviour patterns (persistent, over-dependent, indecisive);
CFACSC4 P11 and CFACSC7 3 ask them to notice a problem that was not put right first time. These signals
have no spans in the text: their evidence is the facts, which the explanation states.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .rules import Signal

WEEK = timedelta(days=7)
FORTNIGHT = timedelta(days=14)
MONTH = timedelta(days=30)
# An inbound message unanswered this long is "waiting too long": two working days, the common
# first-response promise, measured simply in hours because the clocks module owns working days.
WAIT_TOO_LONG = timedelta(hours=48)

CONTEXT_TYPES = (
    "contact_frequency",
    "channel_switching",
    "reopened",
    "broken_promise",
    "waiting_too_long",
    "pattern_persistent",
    "pattern_over_dependent",
    "pattern_indecisive",
)


@dataclass(frozen=True)
class Contact:
    at: datetime
    channel: str
    inbound: bool


@dataclass(frozen=True)
class History:
    """What is known about the customer at `now`. `contacts` are theirs on every case, any order."""

    now: datetime
    contacts: list[Contact] = field(default_factory=list)
    reopens: int = 0
    broken_promises: int = 0
    # Distinct outcomes wanted recorded on this case's understandings (1 = never changed).
    outcomes_wanted: int = 0
    cases_in_90_days: int = 0


def _signal(kind: str, score: float, explanation: str) -> Signal:
    return Signal(kind, round(min(score, 1.0), 2), [], explanation)


def _inbound_within(history: History, window: timedelta) -> list[Contact]:
    return [c for c in history.contacts if c.inbound and history.now - c.at <= window]


def _frequency(history: History) -> Signal | None:
    week = _inbound_within(history, WEEK)
    if len(week) < 3:
        return None
    return _signal(
        "contact_frequency",
        0.5 + 0.1 * (len(week) - 3),
        f"Contact {len(week)} from them in the last 7 days: ask what has not been put right (CFACSC4 P11)",
    )


def _channels(history: History) -> Signal | None:
    channels = sorted({c.channel for c in _inbound_within(history, FORTNIGHT)})
    if len(channels) < 3:
        return None
    return _signal(
        "channel_switching",
        0.6 + 0.1 * (len(channels) - 3),
        f"Tried {len(channels)} channels in 14 days ({', '.join(channels)}): they may feel unheard",
    )


def _waiting(history: History) -> Signal | None:
    ordered = sorted(history.contacts, key=lambda c: c.at)
    if not ordered or not ordered[-1].inbound:
        return None
    # The oldest inbound message since our last reply is how long they have been waiting.
    waiting_since = ordered[-1].at
    for contact in reversed(ordered):
        if not contact.inbound:
            break
        waiting_since = contact.at
    waited = history.now - waiting_since
    if waited < WAIT_TOO_LONG:
        return None
    days = waited.total_seconds() / 86400
    return _signal(
        "waiting_too_long",
        0.6 + 0.05 * (days - 2),
        f"Waiting {days:.0f} days for a reply: reply or tell them when they will hear (CFACSC4 P12)",
    )


def _counted(kind: str, count: int, threshold: int, text: str) -> Signal | None:
    if count < threshold:
        return None
    return _signal(kind, 0.6 + 0.15 * (count - threshold), text)


def _patterns(history: History) -> list[Signal | None]:
    month = _inbound_within(history, MONTH)
    return [
        _counted(
            "pattern_persistent",
            len(month),
            8,
            f"{len(month)} contacts in 30 days: a persistent pattern; agree one contact plan (CFACSC4 K6)",
        ),
        _counted(
            "pattern_over_dependent",
            history.cases_in_90_days,
            4,
            f"{history.cases_in_90_days} cases in 90 days: may be relying on the service; check what "
            "support would help (CFACSC4 K6)",
        ),
        _counted(
            "pattern_indecisive",
            history.outcomes_wanted,
            3,
            f"The outcome wanted has been recorded {history.outcomes_wanted} different ways: confirm "
            "one with them (CFACSC4 K6, P10)",
        ),
    ]


def context_signals(history: History | None) -> list[Signal]:
    """Every context type, scored: 0.0 with no explanation when it does not apply."""
    found: list[Signal | None] = []
    if history is not None:
        found = [_frequency(history), _channels(history), _waiting(history)]
        found.append(
            _counted(
                "reopened",
                history.reopens,
                1,
                f"Re-opened {history.reopens} time(s): the earlier resolution did not hold",
            )
        )
        found.append(
            _counted(
                "broken_promise",
                history.broken_promises,
                1,
                f"{history.broken_promises} promise(s) to them broken: say so and put it right (W 12)",
            )
        )
        found += _patterns(history)
    by_type = {s.type: s for s in found if s is not None}
    return [by_type.get(kind) or Signal(kind, 0.0, [], "") for kind in CONTEXT_TYPES]
