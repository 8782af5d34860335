"""When a regime's clocks run out for one complaint. Framework-free: definitions and moments in, ClockDue out.

A clock starts at an event (received, acknowledged, escalated, escalation_acknowledged, response_sent) and
runs for its amount and unit on the complainant's nation's calendar (see calendar.due for the counting).
`compute` gives the clocks whose start event has happened; `compute_all` answers "what are the deadlines
if this complaint came in now?" before anything else has happened, assuming the worst case for the events
in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from .calendar import LONDON, check_nation, date_before, due, to_london
from .definition import Clock, Extension, RegimeDefinition, Stage
from .vocabulary import ACKNOWLEDGES, START_EVENTS


class ClockError(ValueError):
    """A stage, event or moment that cannot be used to compute clocks. The message says which."""


@dataclass(frozen=True)
class ClockDue:
    code: str
    name: str
    unit: str
    amount: int
    regulatory: bool
    due_at: datetime
    warn_at: datetime | None
    evidence: str
    start: str
    optional: bool = False
    pauses_when: str | None = None
    # Non-empty when the deadline rests on an event that has not happened yet, or on a condition.
    assumes: str = ""
    is_extension: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "amount": self.amount,
            "due": self.due_at.isoformat(),
            "regulatory": self.regulatory,
            "evidence": self.evidence,
            "assumes": self.assumes,
        }


def _stage(definition: RegimeDefinition, stage_code: str) -> Stage:
    try:
        return definition.stage(stage_code)
    except KeyError:
        known = ", ".join(s.code for s in definition.stages)
        raise ClockError(f"{definition.code} has no stage {stage_code!r} (it has {known})") from None


def _check_events(events: dict[str, datetime]) -> None:
    for name, moment in events.items():
        if name not in START_EVENTS:
            raise ClockError(f"Unknown event {name!r}: expected one of {', '.join(START_EVENTS)}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ClockError(f"Event {name!r} at {moment.isoformat()} has no time zone")


def _warn_at(clock: Clock, start: datetime, due_at: datetime, nation: str) -> datetime | None:
    """00:00 London on the date `warn_before` before the due date; never earlier than the start."""
    if clock.warn_before is None:
        return None
    day = date_before(due_at.date(), clock.warn_before.amount, clock.warn_before.unit, nation)
    return max(datetime.combine(day, time(0, 0), tzinfo=LONDON), to_london(start))


def _clock_due(clock: Clock, start: datetime, nation: str, assumes: str = "") -> ClockDue:
    due_at = due(start, clock.amount, clock.unit, nation, count_from=clock.count_from, ends=clock.ends)
    return ClockDue(
        code=clock.code,
        name=clock.name,
        unit=clock.unit,
        amount=clock.amount,
        regulatory=clock.regulatory,
        due_at=due_at,
        warn_at=_warn_at(clock, start, due_at, nation),
        evidence=clock.evidence,
        start=clock.start,
        optional=clock.optional,
        pauses_when=clock.pauses_when,
        assumes=assumes,
    )


def compute(
    definition: RegimeDefinition, stage_code: str, events: dict[str, datetime], nation: str
) -> list[ClockDue]:
    """Every clock of the stage whose start event is in `events` (event name -> when it happened, aware),
    in the order the definition lists them. Clocks whose event has not happened are left out."""
    check_nation(nation)
    _check_events(events)
    stage = _stage(definition, stage_code)
    return [_clock_due(clock, events[clock.start], nation) for clock in stage.clocks if clock.start in events]


def compute_extension(
    definition: RegimeDefinition, stage_code: str, events: dict[str, datetime], nation: str
) -> ClockDue | None:
    """The extended deadline of the stage, if it has a fixed one and its start is known.

    None when the stage cannot be extended, when the new date is agreed with the complainant
    (by_agreement), or when the event it counts from has not happened. An extension that runs on from
    "original_due" counts from the due moment of the clock it extends.
    """
    check_nation(nation)
    _check_events(events)
    stage = _stage(definition, stage_code)
    extension = stage.extension
    if extension is None or extension.amount is None or extension.unit is None:
        return None
    if extension.start == "original_due":
        original = stage.clock(extension.extends)
        if original.start not in events:
            return None
        start = _clock_due(original, events[original.start], nation).due_at
    elif extension.start in events:
        start = events[extension.start]
    else:
        return None
    return _extension_due(extension, start, nation)


def _extension_due(extension: Extension, start: datetime, nation: str, assumes: str = "") -> ClockDue:
    assert extension.amount is not None and extension.unit is not None
    due_at = due(
        start, extension.amount, extension.unit, nation, count_from=extension.count_from, ends=extension.ends
    )
    return ClockDue(
        code=extension.code,
        name=extension.name,
        unit=extension.unit,
        amount=extension.amount,
        regulatory=extension.regulatory,
        due_at=due_at,
        warn_at=None,
        evidence=extension.evidence,
        start=extension.start,
        assumes=assumes or f"only if extended: {extension.condition}".rstrip(": "),
        is_extension=True,
    )


def compute_all(
    definition: RegimeDefinition, received_at: datetime, nation: str, *, stage_code: str | None = None
) -> list[ClockDue]:
    """The stage's deadlines for a complaint received (or, for a later stage, escalated) at `received_at`.

    Only that event is known, so clocks that start at the acknowledgement are computed as if the
    acknowledgement were sent at the last moment its own clock allows (the worst case); each such row
    says so in `assumes`. The stage's fixed extension, if any, follows as a row of its own that assumes
    the extension is used. Clocks starting at response_sent are left out: nothing bounds that event.
    """
    check_nation(nation)
    stage = _stage(definition, stage_code or definition.stages[0].code)
    entry = "received" if stage is definition.stages[0] else "escalated"
    events = {entry: received_at}
    _check_events(events)
    derived: dict[str, str] = {}
    ack_event = ACKNOWLEDGES[entry]
    for clock in stage.clocks:
        if clock.code == "acknowledgement" and clock.start == entry:
            ack_due = _clock_due(clock, received_at, nation).due_at
            events[ack_event] = ack_due
            derived[ack_event] = (
                f"assumes the acknowledgement is sent at the last moment allowed, "
                f"{ack_due.strftime('%a %d %b %Y %H:%M:%S %Z')}"
            )
    rows = [
        _clock_due(clock, events[clock.start], nation, derived.get(clock.start, ""))
        for clock in stage.clocks
        if clock.start in events
    ]
    extension = stage.extension
    if extension is not None and extension.amount is not None:
        extended = next((row for row in rows if row.code == extension.extends), None)
        if extension.start == "original_due" and extended is not None:
            start: datetime | None = extended.due_at
        else:
            start = events.get(extension.start)
        if start is not None:
            note = f"only if extended: {extension.condition}".rstrip(": ")
            if extended is not None and extended.assumes and extension.start in ("original_due", ack_event):
                note = f"{note}; {extended.assumes}"
            rows.append(_extension_due(extension, start, nation, note))
    return rows
