"""The knowledge checks' results a portfolio reads (amends.knowledge, a layer below): the one place this
app asks, so the portfolio, sign-off and the portable records agree on what a result is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from amends.knowledge.selectors import criteria_results


@dataclass(frozen=True)
class KnowledgeResult:
    criterion: str
    met: bool
    at: datetime
    attempt_id: int
    marked_by: str  # the assessor who marked its written answers; empty when all were marked automatically

    @property
    def reference(self) -> str:
        """How a decision names the result it rests on (kept in `CriterionDecision.knowledge`)."""
        return f"knowledge-check:{self.attempt_id}:{self.criterion}"

    @property
    def label(self) -> str:
        how = f"marked by {self.marked_by}" if self.marked_by else "marked automatically"
        return f"knowledge check {self.attempt_id}, {how}"


def results(learner: Any) -> dict[str, KnowledgeResult]:
    """The latest knowledge-check result per criterion reference; criteria never checked are absent."""
    return {
        code: KnowledgeResult(
            criterion=code,
            met=r.met,
            at=r.decided_at,
            attempt_id=r.attempt_id,
            marked_by=r.marked_by_name if r.marked_by_id else "",
        )
        for code, r in criteria_results(learner).items()
    }


def met(learner: Any, reference: str) -> list[KnowledgeResult]:
    """The knowledge-check results that show the learner met this criterion (the latest, if it is met)."""
    found = results(learner).get(reference)
    return [found] if found is not None and found.met else []
