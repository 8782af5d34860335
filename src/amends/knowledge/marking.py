"""Reading a learner's answer to one question and marking it. Framework-free.

A choice answer is the keys of the options picked; an order answer is the step keys, first to last; a short
answer is text. Choice and order are marked here, when the attempt is submitted; a short answer waits for
the learner's assessor (`mark` gives None), because judging free text is the assessor's call, not ours.
"""

from __future__ import annotations

from typing import Any

from .bank import Question

SHORT_LIMIT = 5_000


class AnswerError(ValueError):
    """An answer that cannot be read: `problem` says why, in a few words, for the question's field."""

    def __init__(self, question_id: str, problem: str):
        super().__init__(f"{question_id}: {problem}")
        self.question_id = question_id
        self.problem = problem


def read(question: Question, raw: Any) -> list[str] | str:
    """The answer as stored: sorted option keys, step keys in the order given, or the text stripped."""
    if question.format == "choice":
        return _choice(question, raw)
    if question.format == "order":
        return _order(question, raw)
    return _short(question, raw)


def mark(question: Question, given: list[str] | str) -> bool | None:
    """Right or wrong for the formats marked automatically; None for a short answer (the assessor marks)."""
    if question.format == "choice":
        return tuple(given) == question.correct_keys
    if question.format == "order":
        return tuple(given) == question.order
    return None


def _keys(raw: Any) -> list[str]:
    if isinstance(raw, str):
        return [raw] if raw.strip() else []
    if isinstance(raw, list | tuple) and all(isinstance(k, str) for k in raw):
        return [k for k in raw if k.strip()]
    return []


def _choice(question: Question, raw: Any) -> list[str]:
    picked = _keys(raw)
    if not picked:
        return _refuse(question, "choose an answer")
    known = {o.key for o in question.options}
    if unknown := [k for k in picked if k not in known]:
        return _refuse(question, f"no option {', '.join(unknown)}")
    if len(set(picked)) != len(picked):
        return _refuse(question, "an option is chosen twice")
    if not question.several and len(picked) > 1:
        return _refuse(question, "choose one answer")
    return sorted(picked)


def _order(question: Question, raw: Any) -> list[str]:
    given = _keys(raw)
    if len(given) != len(question.steps):
        return _refuse(question, f"put all {len(question.steps)} steps in order")
    known = {s.key for s in question.steps}
    if unknown := [k for k in given if k not in known]:
        return _refuse(question, f"no step {', '.join(unknown)}")
    if len(set(given)) != len(given):
        return _refuse(question, "each step goes in one place only")
    return given


def _short(question: Question, raw: Any) -> str:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return _refuse(question, "write an answer")
    if len(text) > SHORT_LIMIT:
        return _refuse(question, f"at most {SHORT_LIMIT} characters")
    return text


def _refuse(question: Question, problem: str):
    raise AnswerError(question.id, problem)
