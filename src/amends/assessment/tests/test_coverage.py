"""Every criterion of every unit has a way to be evidenced or checked: a test that fails when the catalogue
gains a criterion nobody placed.

- performance criteria: captured from the case record by a rule (capture.RULES, the coach's, colleague
  alerts), or named in capture.OBSERVED_ONLY with why the record cannot show it (then an assessor's
  observation, a witness statement or a reflective account evidences it; any performance criterion may be
  evidenced those ways too, but these only so);
- knowledge criteria: at least one question in the knowledge checks' banks, and a reflective account.
"""

from amends.assessment.capture import ALERT_RULE, COACH_RULES, OBSERVED_ONLY, RULES
from amends.cases.events import EventKind
from amends.knowledge.bank import covered
from amends.standards.criteria import criterion, listing, with_same


def captured() -> set[str]:
    rules = [*RULES.values(), *COACH_RULES.values(), ALERT_RULE]
    return set(with_same([c for rule in rules for c in rule.criteria]))


def observed_only() -> set[str]:
    return set(with_same(list(OBSERVED_ONLY)))


def test_every_performance_criterion_is_captured_or_placed_with_observation():
    performance = {f"{c['unit']} {c['code']}" for c in listing() if c["kind"] == "performance"}
    missing = performance - captured() - observed_only()
    assert not missing, f"No way to evidence: {sorted(missing)}"


def test_the_rules_name_only_real_criteria_and_real_event_kinds():
    rules = [*RULES.values(), *COACH_RULES.values(), ALERT_RULE]
    for rule in rules:
        for reference in rule.criteria:
            assert criterion(reference) is not None and criterion(reference).reference == reference
            assert criterion(reference).kind == "performance", reference
    assert set(RULES) <= set(EventKind)
    for reference, why in OBSERVED_ONLY.items():
        assert criterion(reference).kind == "performance" and why
        assert reference not in captured(), f"{reference} is captured: it is not observed only"


def test_every_knowledge_criterion_has_a_knowledge_check_question():
    knowledge = {f"{c['unit']} {c['code']}" for c in listing() if c["kind"] == "knowledge"}
    missing = knowledge - covered()
    assert not missing, f"No question checks: {sorted(missing)}"


def test_every_criterion_of_every_unit_has_a_route():
    """The whole catalogue, whatever its kind: captured, observed, or checked."""
    every = {f"{c['unit']} {c['code']}" for c in listing()}
    assert every - captured() - observed_only() - covered() == set()
