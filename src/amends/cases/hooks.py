"""What cases let the apps above them answer or hear (core.hooks explains the pattern).

Registered in the higher apps' `AppConfig.ready()`; see docs/design/architecture.md for who registers what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from amends.core.hooks import Hook

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from .models import Case

# Why this case cannot close yet, in plain words; an empty list means it may (process: no finding, no
# response letter, an approval waiting).
CloseGuard = Callable[["Case"], list[str]]
close_guards: Hook[CloseGuard] = Hook("cases.close_guards")

# A case's status changed (by a person, the worker, or a customer writing back). Called inside the
# transaction that changed it, once per case, with the status before and after and when it happened.
StatusListener = Callable[..., None]  # (*, case: Case, before: str, after: str, at: datetime) -> None
status_listeners: Hook[StatusListener] = Hook("cases.status_listeners")


def closing_problems(case: Case) -> list[str]:
    """Every registered close guard's reasons, in registration order."""
    return [problem for guard in close_guards for problem in guard(case)]


def status_changed(*, case: Case, before: str, after: str, at: datetime) -> None:
    for listener in status_listeners:
        listener(case=case, before=before, after=after, at=at)


# Case events were recorded (saved `CaseEvent`s, any number of cases): called inside the transaction
# that records them, by `cases.services.case_events_record`, the one place events are written. Insights
# refreshes the counted facts of those cases once the transaction commits.
EventsListener = Callable[[list], None]  # (events: list[CaseEvent]) -> None
events_recorded: Hook[EventsListener] = Hook("cases.events_recorded")


def events_were_recorded(events: list) -> None:
    for listener in events_recorded:
        listener(events)


# What the case page shows beyond the case itself, as template context: (request, case) -> dict. Messaging
# adds the timeline and the reply forms, process its panel, signals their alerts; the page stays in cases.
CasePageContext = Callable[["HttpRequest", "Case"], dict[str, Any]]
case_page_context: Hook[CasePageContext] = Hook("cases.case_page_context")


def case_page_extras(request: HttpRequest, case: Case) -> dict[str, Any]:
    """Every registered provider's context for the case page, in registration order."""
    return case_page_context.merged(request, case)


@dataclass(frozen=True)
class QueueFilter:
    """A queue filter (`?risk=<code>`) that needs what an app above cases knows."""

    code: str
    label: str  # what the queue's filter menu says
    apply: Callable[[QuerySet[Case]], QuerySet[Case]]

    def __call__(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        return self.apply(cases)


# Queue filters beyond the queue's own; signals registers "a query that reads like a complaint", which
# reads its stored signals.
queue_filters: Hook[QueueFilter] = Hook("cases.queue_filters")


@dataclass(frozen=True)
class BulkField:
    """One box of a bulk action on the queue's action bar; its value is the action's argument `name`."""

    name: str
    label: str
    # (user) -> the options a select offers, as (value, label); None: a text box suggesting `suggest`'s.
    choices: Callable[[Any], list[tuple[str, str]]] | None = None
    suggest: Callable[[], list[str]] | None = None


@dataclass(frozen=True)
class BulkAction:
    """An action the queue runs on the cases selected (`cases.bulk.cases_bulk`), case by case through the
    one service the single action calls.

    `input` is its arguments' schema (pydantic), the same for the page's boxes and the API's `args`;
    `prepare(actor, input)` runs once for the batch (a look-up every case shares) and returns what `run`
    gets; `run(case, actor, prepared)` is the single action on one case the actor may work on, at the
    version they were shown, inside that case's own transaction. It returns what it did, in words, or
    raises the DomainError that refuses this case.
    """

    code: str
    label: str  # the button, "Assign"
    input: type
    run: Callable[[Case, Any, Any], str]
    fields: tuple[BulkField, ...] = ()
    prepare: Callable[[Any, Any], Any] | None = None


# The queue's bulk actions: cases registers its own (assign, status, tag: bulk.py), process applying a
# regime, which only it may do.
bulk_actions: Hook[BulkAction] = Hook("cases.bulk_actions")

__all__ = [
    "BulkAction",
    "BulkField",
    "QueueFilter",
    "bulk_actions",
    "case_page_context",
    "case_page_extras",
    "close_guards",
    "closing_problems",
    "events_recorded",
    "events_were_recorded",
    "queue_filters",
    "status_changed",
    "status_listeners",
]
