"""The demo's insights: the objectives its complaints lead and team leader set, and the dashboards' facts.

Helen Brady (the Complaints team leader) set her team's objectives for the things the regulator and the
customers notice most, and one for Jess Morgan, the adviser she coaches; Martin Keane (complaints lead)
set Billing's. The facts every chart counts are rebuilt in full at the end, as after any import, so the
dashboard shows every demo case.
"""

from __future__ import annotations

from typing import Any

from amends.core.models import Team
from amends.insights.services import insights_rebuild, objective_set

TEAM_OBJECTIVES = [
    ("leader", "complaints", "within_deadline_rate", "95", "Every complaint answered within the rules' time"),
    ("leader", "complaints", "promises_kept_rate", "90", "What we promise a customer, we do"),
    ("leader", "complaints", "days_to_resolve", "14", ""),
    ("lead", "billing", "upheld_rate", "35", "Fewer billing mistakes reaching a complaint"),
]
PERSON_OBJECTIVES = [("leader", "adviser", "reopen_rate", "10", "Check the customer is happy before closing")]


def demo_insights(users: dict[str, Any], teams: dict[str, Team]) -> None:
    for setter, team, measure, target, note in TEAM_OBJECTIVES:
        objective_set(actor=users[setter], team=teams[team], measure=measure, target=target, note=note)
    for setter, person, measure, target, note in PERSON_OBJECTIVES:
        objective_set(actor=users[setter], person=users[person], measure=measure, target=target, note=note)
    insights_rebuild()
