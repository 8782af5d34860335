"""What cases let the apps above them answer or hear (core.hooks explains the pattern).

Registered in the higher apps' `AppConfig.ready()`; see docs/design/architecture.md for who registers what.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from amends.core.hooks import Hook

if TYPE_CHECKING:
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


__all__ = ["close_guards", "closing_problems", "status_changed", "status_listeners"]
