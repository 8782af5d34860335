"""The question banks: every knowledge criterion of every unit has questions, and a bank file that is wrong
is refused on load naming the file and the field."""

from pathlib import Path

import pytest

from amends.knowledge import bank
from amends.knowledge.bank import BankError, Question, load
from amends.standards.criteria import listing

KNOWLEDGE = [f"{c['unit']} {c['code']}" for c in listing() if c["kind"] == "knowledge"]


def test_every_knowledge_criterion_of_every_unit_has_at_least_two_questions():
    assert len(KNOWLEDGE) == 37  # CFACSC4 K1-K10, CFACSC7 K1-K13, WM57 g-j, C4 3.1-3.10
    counts = {ref: len(bank.questions_for([ref])) for ref in KNOWLEDGE}
    assert [ref for ref, n in counts.items() if n < 2] == []
    assert {ref for ref in KNOWLEDGE if ref.startswith(("C4 ", "WM57 "))} <= bank.covered()


def test_the_banks_hold_every_format_and_only_knowledge_criteria():
    questions = [q for b in bank.banks().values() for q in b.questions]
    assert {q.format for q in questions} == {"choice", "order", "short"}
    assert {ref for q in questions for ref in q.criteria} <= set(KNOWLEDGE)
    assert any(q.several for q in questions) and any(
        q.format == "choice" and not q.several for q in questions
    )
    for q in questions:
        if q.format == "short":
            assert q.model_answer and q.guidance, q.id


def test_steps_are_shown_shuffled_never_in_the_right_order_and_the_same_every_time():
    orders = [q for b in bank.banks().values() for q in b.questions if q.format == "order"]
    assert len(orders) >= 4
    for q in orders:
        assert q.order != tuple(s.key for s in q.steps), q.id
        assert sorted(q.order) == sorted(s.key for s in q.steps)
        assert load(bank.BANKS_DIR / f"{q.bank}.yaml").questions == bank.banks()[q.bank].questions


def test_a_question_survives_being_frozen_in_an_attempt():
    for q in bank.questions_for(["WM57 h", "CFACSC7 K3", "C4 3.1"]):
        assert Question.from_dict(q.to_dict()) == q


GOOD = """
bank: sample
title: Sample
version: 1
questions:
  - id: s-1
    criteria: [WM57 h]
    format: choice
    prompt: Which?
    options:
      - {text: This, correct: true, why: Because}
      - {text: That, correct: false, why: Not so}
"""


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("[WM57 h]", "[WM57 z]"), "sample.yaml: questions[0] (s-1): criteria: 'WM57 z' names no criterion"),
        (("[WM57 h]", "[WM57 1]"), "criteria: WM57 1 is a performance criterion, not knowledge"),
        (("correct: true", "correct: false"), "questions[0] (s-1): options: at least one must be correct"),
        (("format: choice", "format: essay"), "questions[0] (s-1): format: one of choice, order, short"),
        (("prompt: Which?", "prompt: ''"), "questions[0] (s-1): prompt: required text"),
        (("why: Because", "why: ''"), "questions[0] (s-1): options[0]: why: required text"),
        (("version: 1", "version: one"), "sample.yaml: version: a whole number from 1"),
        (("format: choice", "format: short"), "questions[0] (s-1): model_answer: required text"),
        (("format: choice", "format: order"), "questions[0] (s-1): steps: a list of at least three steps"),
    ],
)
def test_a_wrong_bank_is_refused_naming_the_file_and_the_field(tmp_path: Path, change, says):
    path = tmp_path / "sample.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(BankError) as err:
        load(path)
    assert says in str(err.value)


def test_a_good_sample_loads(tmp_path: Path):
    path = tmp_path / "sample.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (q,) = load(path).questions
    assert (q.id, q.criteria, q.correct_keys, q.several) == ("s-1", ("WM57 h",), ("a",), False)
