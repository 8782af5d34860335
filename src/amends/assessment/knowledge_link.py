"""The knowledge checks' results a portfolio reads (amends.knowledge, a layer below): the one place this
app asks, so the portfolio, sign-off and exports agree."""

from __future__ import annotations

from typing import Any


def results(learner: Any) -> dict[str, Any]:
    """The latest knowledge-check result per criterion reference (objects with `met`, `reference`, `at`)."""
    return {}


def met(learner: Any, reference: str) -> list[Any]:
    """The knowledge-check results that show the learner met this criterion."""
    found = results(learner).get(reference)
    return [found] if found is not None and found.met else []
