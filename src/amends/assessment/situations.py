"""The situation a piece of work happened in, as the OCR unit's range asks: routine, a busy time, a quiet
time, or when people, systems or resources let you down. Derived from the record at the time, with the
reason in words so the learner can see it and change it (with a reason of their own) when it is wrong.

- Let down: a disruption a team leader recorded covers the moment (for the case's team, or everyone), or an
  email to the customer on this case failed in the day before (the outbox gave up on it).
- Busy or quiet: cases the team received in the 7 days before, against its weekly average over the 8 weeks
  before those: a quarter more is busy, a quarter less is quiet. Too little history (under 4 a week) is
  routine: a small team's week-to-week noise says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent

from .models import Disruption, Situation

WEEK = timedelta(days=7)
BASELINE_WEEKS = 8
BUSY, QUIET = 1.25, 0.75
LEAST_WEEKLY = 4.0
FAILED_MAIL_WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class Derived:
    situation: str
    why: str

    def as_dict(self) -> dict:
        return {"situation": self.situation, "why": self.why}


def situation_at(case: Case | None, at: datetime, *, team_id: int | None = None) -> Derived:
    """The situation of work on `case` (or in `team_id`'s team when there is no case) at `at`."""
    team_id = case.team_id if case is not None else team_id
    disruption = _disruption(team_id, at)
    if disruption is not None:
        return Derived(Situation.LET_DOWN, let_down_why(disruption))
    if case is not None and _mail_failed(case, at):
        return Derived(Situation.LET_DOWN, "An email to the customer on this case could not be sent that day")
    return _load(team_id, at)


def let_down_why(disruption: Disruption) -> str:
    return f"{disruption.get_kind_display()} let the team down: {disruption.what}"


def _disruption(team_id: int | None, at: datetime) -> Disruption | None:
    teams = Q(team__isnull=True) | Q(team_id=team_id) if team_id else Q(team__isnull=True)
    return (
        Disruption.objects.filter(teams, started_at__lte=at)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=at))
        .order_by("-started_at")
        .first()
    )


def _mail_failed(case: Case, at: datetime) -> bool:
    return CaseEvent.objects.filter(
        case=case, kind=EventKind.EMAIL_NOT_SENT, at__gte=at - FAILED_MAIL_WINDOW, at__lte=at
    ).exists()


def _load(team_id: int | None, at: datetime) -> Derived:
    cases = Case.objects.filter(team_id=team_id) if team_id else Case.objects.all()
    week = cases.filter(opened_at__gt=at - WEEK, opened_at__lte=at).count()
    before = cases.filter(opened_at__gt=at - WEEK * (BASELINE_WEEKS + 1), opened_at__lte=at - WEEK).count()
    weekly = before / BASELINE_WEEKS
    said = f"{week} cases came in for the team in the 7 days before, against {weekly:.1f} a week before that"
    if weekly < LEAST_WEEKLY:
        return Derived(Situation.ROUTINE, f"{said}: too few to call the time busy or quiet")
    if week >= BUSY * weekly:
        return Derived(Situation.BUSY, f"{said}: a busy time")
    if week <= QUIET * weekly:
        return Derived(Situation.QUIET, f"{said}: a quiet time")
    return Derived(Situation.ROUTINE, f"{said}: a routine time")
