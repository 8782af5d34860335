"""A knowledge check met is knowledge evidence in the portfolio: the criterion shows it, the assessor's
final decision may rest on it, and the learner's xAPI statements carry it (as a knowledge check, with no
situation or channel: it is not work on a case)."""

import pytest

from amends.assessment.decisions import criterion_decide, learner_enrol
from amends.assessment.portable import learner_statements
from amends.assessment.selectors import portfolio
from amends.core.errors import DomainError
from amends.knowledge.models import KnowledgeAnswer
from amends.knowledge.services import answer_mark, attempt_start, attempt_submit
from amends.knowledge.tests.conftest import right_answers
from amends.standards.validation import statement_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(case_handler, assessor, complaints_lead):
    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["WM57"])
    return case_handler


def test_a_knowledge_check_met_backs_a_final_decision_and_is_an_xapi_statement(learner, assessor):
    with pytest.raises(DomainError) as refused:  # nothing yet to rest on
        criterion_decide(
            assessor=assessor,
            learner=learner,
            code="WM57 j",
            stage="final",
            comment="Knows the limits",
            evidence_ids=[],
            signed_name="Ash Assessor",
        )
    assert refused.value.code == "insufficient_evidence"
    attempt = attempt_start(learner=learner, criteria=["WM57 h", "WM57 j"])
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    for answer in KnowledgeAnswer.objects.filter(attempt=attempt, format="short"):
        answer_mark(answer=answer, assessor=assessor, acceptable=True)

    row = portfolio(learner).row("WM57 j")
    assert row.knowledge.met and row.status == "evidence"
    decision = criterion_decide(
        assessor=assessor,
        learner=learner,
        code="WM57 j",
        stage="final",
        comment="Knows the limits",
        evidence_ids=[],
        signed_name="Ash Assessor",
    )
    assert decision.knowledge == [f"knowledge-check:{attempt.pk}:WM57 j"]
    assert portfolio(learner).row("WM57 j").status == "final"

    statements = learner_statements(learner)
    checks = [s for s in statements if method_of(s) == "knowledge_check"]
    assert [s["object"]["id"].rsplit("/", 1)[-1] for s in checks] != []
    assert all(statement_errors(s) == [] for s in checks)
    assert not any(k.endswith("extensions/situation") for s in checks for k in s["context"]["extensions"])


def method_of(statement: dict) -> str | None:
    extensions = statement.get("context", {}).get("extensions", {})
    return next((v for k, v in extensions.items() if k.endswith("extensions/method")), None)


def test_the_portfolio_links_the_knowledge_checks_and_each_result(learner, assessor):
    from amends.conftest import login

    attempt = attempt_start(learner=learner, criteria=["WM57 h", "WM57 j"])
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    own = login(learner).get(f"/competence/learners/{learner.pk}/").content.decode()
    assert 'href="/knowledge/"' in own and f'href="/knowledge/checks/{attempt.pk}/"' in own
    theirs = login(assessor).get(f"/competence/learners/{learner.pk}/").content.decode()
    assert f'href="/knowledge/learners/{learner.pk}/"' in theirs
