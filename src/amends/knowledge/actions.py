"""Knowledge checks' typed inputs, taken alike by the pages' forms and the API, and the calls they make."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Schema

from amends.core.errors import NotFound
from amends.core.permissions import can_read_portfolio

from .models import KnowledgeAnswer, KnowledgeAttempt
from .services import answer_mark, attempt_start, attempt_submit

Key = Annotated[str, Field(max_length=2)]
# A short answer's text; the service refuses one past marking.SHORT_LIMIT with its own message.
Text = Annotated[str, Field(max_length=20_000)]


class StartIn(Schema):
    unit: str = Field(
        "", max_length=20, description='A unit\'s code: every knowledge criterion of it ("CFACSC7")'
    )
    criteria: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list,
        max_length=40,
        description='Or knowledge criteria chosen, e.g. ["CFACSC4 K4", "WM57 h"]',
    )


class SubmitIn(Schema):
    answers: dict[Annotated[str, Field(max_length=80)], list[Key] | Text] = Field(
        ...,
        description="By question id: the option keys chosen (choice), the step keys first to last (order), "
        "or the text (short). Every question of the check is answered.",
    )


class MarkIn(Schema):
    acceptable: bool = Field(..., description="Acceptable, or not yet")
    comment: str = Field("", max_length=20_000, description="For the learner; required when not yet")


def check_start(learner: Any, data: StartIn) -> KnowledgeAttempt:
    return attempt_start(learner=learner, unit=data.unit, criteria=data.criteria or None)


def check_submit(attempt: KnowledgeAttempt, learner: Any, data: SubmitIn) -> KnowledgeAttempt:
    return attempt_submit(attempt=attempt, learner=learner, answers=data.answers)


def mark(answer: KnowledgeAnswer, assessor: Any, data: MarkIn) -> KnowledgeAnswer:
    return answer_mark(answer=answer, assessor=assessor, acceptable=data.acceptable, comment=data.comment)


def answer_for(user: Any, pk: int) -> KnowledgeAnswer:
    """An answer in an attempt this user may read, else NotFound (marking it is the service's question)."""
    answer = KnowledgeAnswer.objects.select_related("attempt__learner").filter(pk=pk).first()
    if answer is None or not can_read_portfolio(user, answer.attempt.learner):
        raise NotFound("No such answer")
    return answer


def answers_from_form(attempt: KnowledgeAttempt, post: Any) -> dict[str, Any]:
    """The answers a plain form posted (no script): a radio or checkboxes per choice question
    (`q-<id>`), a select per position for order (`q-<id>-1` ... `q-<id>-n`), a textarea per short one."""
    answers: dict[str, Any] = {}
    for q in attempt.question_list():
        name = f"q-{q.id}"
        if q.format == "order":
            answers[q.id] = [post.get(f"{name}-{n}", "") for n in range(1, len(q.steps) + 1)]
        elif q.format == "choice" and q.several:
            answers[q.id] = post.getlist(name)
        else:
            answers[q.id] = post.get(name, "")
    return answers
