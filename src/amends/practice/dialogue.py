"""The simulated customer's next move: which state the reply takes them to and what they say. Framework-free.

Deterministic by design: the same replies always lead to the same states and lines (no randomness, no
model), so a learner can try again and see what changed, and the tests can assert every transition.
"""

from __future__ import annotations

from dataclasses import dataclass

from .library import Rule, Scenario
from .reading import Reading, read_reply


@dataclass(frozen=True)
class Step:
    before: str
    after: str
    says: str
    reading: Reading
    rule: Rule
    ending: str  # "resolved" or "lost" when the reply ended the conversation, else ""


def customer_line(scenario: Scenario, state_id: str, visits: int) -> str:
    """What the customer says in a state they have already been in `visits` times: the lines in turn."""
    says = scenario.state(state_id).says
    return says[visits % len(says)]


def step(
    scenario: Scenario, state_id: str, reply: str, *, customer_text: str, visits: dict[str, int]
) -> Step:
    """Read the reply in this state and choose the next: the first rule whose signals the reply all shows.
    `visits` counts the turns that ended in each state so far (the customer's lines rotate, not repeat)."""
    state = scenario.state(state_id)
    reading = read_reply(reply, customer_text=customer_text, cues=scenario.cues, expects=state.expects)
    rule = next(r for r in state.rules if all(reading.shows(name) for name in r.when))
    says = rule.says or customer_line(scenario, rule.to, visits.get(rule.to, 0))
    return Step(state_id, rule.to, says, reading, rule, scenario.state(rule.to).ending)
