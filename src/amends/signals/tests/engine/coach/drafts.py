"""Helpers and a model reply shared by the coach's tests."""

from amends.signals.engine.coach import CoachContext, coach
from amends.signals.engine.coach.findings import Finding

GOOD_REPLY = """Dear Mrs Patel,

I'm so sorry about the missed delivery, and I understand how frustrating it must have been to take a \
day off work for nothing.

Our policy is not to refund the delivery fee once the courier has set out, because the courier charges \
us for every attempt. What I can do instead is book a free priority delivery for Thursday 14 March, \
between 8am and noon.

To summarise, we have agreed a free priority delivery, and I will call you by 5pm tomorrow to confirm \
the slot. If you are not happy with this decision, you can refer your complaint to the Ombudsman.

Kind regards,
Sam"""


def by_kind(draft: str, context: CoachContext | None = None) -> dict[str, Finding]:
    return {f.kind: f for f in coach(draft, context)}


def words(draft: str, finding: Finding) -> list[str]:
    return [draft[a:b] for a, b in finding.spans]
