"""process.rules: the framework-free rules, checked against the shipped regime definitions. No database."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from amends.process.rules import (
    MONETARY_REMEDIES,
    RESPONSE_LETTERS,
    STARTING_LIMITS,
    acknowledgement_event,
    clock_events,
    limit_allows,
    met_by,
    next_stage,
    response_due,
)
from amends.regimes.clocks import compute
from amends.regimes.definition import load_builtin
from amends.regimes.vocabulary import LETTER_KINDS, START_EVENTS

DEFINITIONS = {d.code: d for d in load_builtin()}
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("code", "step"),
    [
        ("acknowledgement", "acknowledged"),
        ("summary_resolution", "resolved"),
        ("frontline_resolution", "resolved"),
        ("initial_assessment", "understood"),
        ("satisfaction_check", "satisfied"),
        ("final_response", "responded"),
        ("stage2_response", "responded"),
        ("relevant_period", "responded"),
    ],
)
def test_met_by_reads_the_step_from_the_clock_code(code, step):
    assert met_by(code) == step


def test_every_shipped_stage_has_one_response_clock():
    """What response_due and the demo's planner rely on: one deadline a response letter meets per stage."""
    for definition in DEFINITIONS.values():
        for stage in definition.stages:
            responded = [c.code for c in stage.clocks if met_by(c.code) == "responded" and not c.optional]
            assert len(responded) == 1, (definition.code, stage.code, responded)


def test_response_letters_are_letter_kinds_and_every_regime_has_one():
    assert RESPONSE_LETTERS.issubset(LETTER_KINDS)
    for definition in DEFINITIONS.values():
        assert RESPONSE_LETTERS & set(definition.letters), definition.code


def test_response_due_is_the_response_clock_not_the_acknowledgement_or_an_optional_window():
    fca = DEFINITIONS["fca-disp"]
    dues = compute(fca, "stage1", {"received": MONDAY}, "england")
    by_code = {d.code: d.due_at for d in dues}
    assert set(by_code) == {"acknowledgement", "summary_resolution", "final_response"}
    assert response_due(dues) == by_code["final_response"]
    assert by_code["summary_resolution"] < by_code["final_response"]  # earlier, but optional


def test_response_due_is_none_until_the_event_it_counts_from():
    housing = DEFINITIONS["hos-2024"]
    assert response_due(compute(housing, "stage1", {"received": MONDAY}, "england")) is None
    acknowledged = {"received": MONDAY, "acknowledged": MONDAY + timedelta(days=1)}
    assert response_due(compute(housing, "stage1", acknowledged, "england")) is not None
    assert response_due([]) is None


def test_clock_events_names_only_what_has_happened():
    process = SimpleNamespace(
        received_at=MONDAY,
        acknowledged_at=MONDAY + timedelta(hours=2),
        escalated_at=None,
        escalation_acknowledged_at=None,
        response_sent_at=None,
    )
    events = clock_events(process)
    assert events == {"received": MONDAY, "acknowledged": MONDAY + timedelta(hours=2)}
    assert set(events) <= set(START_EVENTS)


def test_an_acknowledgement_after_escalation_acknowledges_the_escalation():
    assert acknowledgement_event({"received": MONDAY}) == "acknowledged"
    assert acknowledgement_event({"received": MONDAY, "escalated": MONDAY}) == "escalation_acknowledged"


def test_next_stage_and_none_after_the_last():
    assert next_stage(DEFINITIONS["hos-2024"], "stage1") == "stage2"
    assert next_stage(DEFINITIONS["hos-2024"], "stage2") is None
    assert next_stage(DEFINITIONS["fca-disp"], "stage1") is None


@pytest.mark.parametrize(
    ("allowed", "most", "remedy", "amount", "expected"),
    [
        (False, None, "apology", None, False),  # not allowed at all
        (True, None, "apology", None, True),
        (True, Decimal("100"), "apology", Decimal("5000"), True),  # an amount limits money only
        (True, Decimal("100"), "refund", Decimal("100"), True),  # up to and including the limit
        (True, Decimal("100"), "refund", Decimal("100.01"), False),
        (True, Decimal("100"), "refund", None, True),  # no amount counts as nothing
        (True, None, "compensation", Decimal("1000000"), True),  # no limit
        (False, Decimal("100"), "refund", Decimal("1"), False),
    ],
)
def test_limit_allows(allowed, most, remedy, amount, expected):
    assert limit_allows(allowed=allowed, max_amount=most, remedy_type=remedy, amount=amount) is expected


def test_starting_limits_grow_with_seniority():
    order = ["adviser", "case_handler", "team_leader", "complaints_lead"]
    assert list(STARTING_LIMITS) == order
    for remedy in MONETARY_REMEDIES:
        amounts = [STARTING_LIMITS[role].get(remedy) for role in order]
        allowed = [a for a in amounts if a is not None]
        assert allowed == sorted(allowed), remedy
