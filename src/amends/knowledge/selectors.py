"""Reads of knowledge checks. The competence record calls `criteria_results` and `attempts_for` to show a
learner's knowledge-check results as knowledge evidence; both are stable, and neither checks who reads:
the caller asks `core.permissions.can_read_portfolio` first, as for the rest of the portfolio. The pages
and the API reach an attempt through `attempt_for`, which does check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from amends.core.errors import NotFound
from amends.core.permissions import can_read_portfolio, is_assessor, learner_scope

from .models import MET, KnowledgeAnswer, KnowledgeAttempt


@dataclass(frozen=True)
class Result:
    """The latest decided result of a knowledge criterion for a learner."""

    criterion: str  # as the catalogue writes it: "CFACSC4 K4", "C4 3.4", "WM57 h"
    met: bool  # every question on it in that attempt right or marked acceptable
    attempt_id: int
    decided_at: datetime  # when its last answer was marked (at submission when marked automatically)
    marked_by_id: int | None  # the assessor who marked its short answers; None if all marked automatically
    marked_by_name: str

    @property
    def status(self) -> str:
        return "met" if self.met else "not_yet"


def attempts_for(learner: Any) -> list[KnowledgeAttempt]:
    """Every attempt of this learner, newest first, with its answers (and who marked them) loaded: two
    queries whatever the number."""
    return list(
        KnowledgeAttempt.objects.filter(learner=learner)
        .prefetch_related(Prefetch("answers", queryset=KnowledgeAnswer.objects.select_related("marked_by")))
        .order_by("-started_at", "-pk")
    )


def criteria_results(learner: Any) -> dict[str, Result]:
    """Per knowledge criterion the learner has a decided result for, the one from their latest submitted
    attempt that decided it (a criterion waiting for its short answers to be marked keeps its earlier
    result until then). A newer "not yet" replaces an older "met": the record shows what they know now.
    A criterion never checked is absent."""
    results: dict[str, Result] = {}
    submitted = [a for a in attempts_for(learner) if a.submitted_at is not None]
    for attempt in sorted(submitted, key=lambda a: (a.submitted_at, a.pk), reverse=True):
        for state in attempt.criterion_states():
            if state.decided_at is None or state.criterion in results:
                continue
            by = state.marked_by
            results[state.criterion] = Result(
                criterion=state.criterion,
                met=state.state == MET,
                attempt_id=attempt.pk,
                decided_at=state.decided_at,
                marked_by_id=by.pk if by else None,
                marked_by_name=(by.get_full_name() or by.get_username()) if by else "",
            )
    return results


def attempt_for(user: Any, pk: int) -> KnowledgeAttempt:
    """The attempt if this user may read it (the learner, their assessor, an IQA), else NotFound."""
    attempt = (
        KnowledgeAttempt.objects.select_related("learner")
        .prefetch_related(Prefetch("answers", queryset=KnowledgeAnswer.objects.select_related("marked_by")))
        .filter(pk=pk)
        .first()
    )
    if attempt is None or not can_read_portfolio(user, attempt.learner):
        raise NotFound("No such knowledge check")
    return attempt


def learner_for(user: Any, pk: int) -> Any:
    """A learner whose knowledge checks this user may read, else NotFound."""
    learner = get_user_model().objects.filter(learner_scope(user), pk=pk).first()
    if learner is None:
        raise NotFound("No such learner")
    return learner


def learners_listed(user: Any) -> list[Any]:
    """The other learners whose checks this user may read: an assessor's own, every one for an IQA."""
    return list(
        get_user_model()
        .objects.filter(learner_scope(user))
        .exclude(pk=user.pk)
        .order_by("first_name", "last_name", "username")
    )


def marking_queue(assessor: Any) -> list[KnowledgeAnswer]:
    """The short answers of this assessor's learners waiting to be marked, oldest submission first."""
    if not is_assessor(assessor):
        return []
    return list(
        KnowledgeAnswer.objects.filter(correct__isnull=True, attempt__learner__staff__assessor_id=assessor.pk)
        .select_related("attempt__learner")
        .order_by("attempt__submitted_at", "attempt_id", "position")
    )
