"""Reading and marking one answer (framework-free): choice and order marked at once, short left for the
assessor; an answer that cannot be read is refused with the problem for its question."""

import pytest

from amends.knowledge.bank import Option, Question, Step
from amends.knowledge.marking import AnswerError, mark, read

SINGLE = Question(
    "one", "b", "choice", "?", ("WM57 h",), options=(Option("a", "x", False, ""), Option("b", "y", True, ""))
)
SEVERAL = Question(
    "many",
    "b",
    "choice",
    "?",
    ("WM57 h",),
    options=(Option("a", "x", True, ""), Option("b", "y", False, ""), Option("c", "z", True, "")),
)
ORDER = Question(
    "steps",
    "b",
    "order",
    "?",
    ("WM57 h",),
    steps=(Step("a", "2"), Step("b", "3"), Step("c", "1")),
    order=("c", "a", "b"),
)
SHORT = Question("text", "b", "short", "?", ("WM57 h",), model_answer="m", guidance="g")


@pytest.mark.parametrize(
    ("question", "raw", "right"),
    [
        (SINGLE, "b", True),
        (SINGLE, ["a"], False),
        (SEVERAL, ["c", "a"], True),
        (SEVERAL, ["a"], False),
        (SEVERAL, ["a", "b", "c"], False),
        (ORDER, ["c", "a", "b"], True),
        (ORDER, ["a", "b", "c"], False),
    ],
)
def test_choice_and_order_are_marked_at_once(question, raw, right):
    assert mark(question, read(question, raw)) is right


def test_a_short_answer_waits_for_the_assessor():
    assert read(SHORT, "  Listen first.  ") == "Listen first."
    assert mark(SHORT, "Listen first.") is None


@pytest.mark.parametrize(
    ("question", "raw", "problem"),
    [
        (SINGLE, "", "choose an answer"),
        (SINGLE, None, "choose an answer"),
        (SINGLE, "z", "no option z"),
        (SINGLE, ["a", "b"], "choose one answer"),
        (SEVERAL, ["a", "a"], "an option is chosen twice"),
        (ORDER, ["c", "a"], "put all 3 steps in order"),
        (ORDER, ["c", "a", "a"], "each step goes in one place only"),
        (ORDER, ["c", "a", "x"], "no step x"),
        (ORDER, "cab", "put all 3 steps in order"),
        (SHORT, "   ", "write an answer"),
        (SHORT, ["a"], "write an answer"),
        (SHORT, "x" * 5001, "at most 5000 characters"),
    ],
)
def test_an_answer_that_cannot_be_read_is_refused(question, raw, problem):
    with pytest.raises(AnswerError) as err:
        read(question, raw)
    assert (err.value.question_id, err.value.problem) == (question.id, problem)
