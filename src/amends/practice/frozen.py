"""A session's scenario as it was when the session started, and its turns as the marking reads them."""

from __future__ import annotations

from collections.abc import Iterable

from .library import Scenario, parse, scenario
from .marking import TurnRecord
from .models import PracticeSession, PracticeTurn

_parsed: dict[str, Scenario] = {}


def frozen_scenario(session: PracticeSession) -> Scenario:
    """The library's scenario while it is unchanged; the copy the session froze once its file has moved on."""
    current = scenario(session.scenario_id)
    if current is not None and current.version == session.scenario_version:
        return current
    if session.scenario_version not in _parsed:
        _parsed[session.scenario_version] = parse(session.scenario, f"practice session {session.pk}")
    return _parsed[session.scenario_version]


def opening_line(played: Scenario) -> str:
    return " ".join(played.opening)


def records(turns: Iterable[PracticeTurn]) -> list[TurnRecord]:
    return [TurnRecord(t.number, t.state_before, t.learner_text, t.signals, t.findings) for t in turns]
