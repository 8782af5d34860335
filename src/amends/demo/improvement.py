"""The demo's improvement log (issue 13, scope 4): what the complaints lead and the Complaints team leader
did about the root causes the findings kept naming, at each stage of Plan-Do-Check-Act, and a lesson learned
the team leader shared with the Complaints team, acknowledged by some of them so far.

- "Ring before a refund is late" (delays, customers not kept informed): done, checked against the eight weeks
  before, now in Act; its lesson went to the Complaints team.
- "Plain-English refund letters" (information unclear): being done.
- "One hand-off note between Billing and Complaints" (hand-offs failed): planned, and overdue, so the worker
  reminds its owner.
- "Weekend call-backs" : abandoned, with the reason.

Each goes through the services as people would have; their events are then stamped on the days they
happened (the demo's history is back-dated, as journey.py does with cases).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amends.improvement import lessons, services
from amends.improvement.models import ImprovementAction, ImprovementEvent, LessonRecipient
from amends.improvement.services import ActionPlan


def _restamp(action: ImprovementAction, days_ago: list[int]) -> None:
    """Its events, oldest first, on the days they happened (the demo's history is in the past)."""
    now = timezone.now()
    events = list(action.events.order_by("at", "id").values_list("pk", flat=True))
    for pk, ago in zip(events, days_ago, strict=False):
        ImprovementEvent.objects.filter(pk=pk).update(at=now - timedelta(days=ago))
    ImprovementAction.objects.filter(pk=action.pk).update(created_at=now - timedelta(days=days_ago[0]))


def demo_improvement(users: dict[str, Any], teams: dict[str, Any]) -> None:
    today = timezone.localdate()
    lead, leader = users["lead"], users["leader"]

    def plan(
        owner: str, title: str, change: str, causes: tuple[str, ...], due: int, started: int
    ) -> ActionPlan:
        """Before: the eight weeks before it started; after: from two weeks after it started, eight weeks."""
        return ActionPlan(
            title=title,
            change=change,
            owner_id=users[owner].pk,
            due_date=today + timedelta(days=due),
            before_start=today - timedelta(days=started + 56),
            before_end=today - timedelta(days=started + 1),
            after_start=today - timedelta(days=started - 14),
            after_end=today - timedelta(days=started - 14 - 55),
            root_causes=causes,
        )

    ring = services.action_plan(
        actor=lead,
        plan=plan(
            "handler",
            "Ring before a refund is late",
            "When a refund will miss the date we gave, the case handler rings the customer two working days "
            "before, says why and gives a new date, and notes the call on the case.",
            ("delay", "not-kept-informed"),
            due=-10,
            started=42,
        ),
    )
    services.action_do(action=ring, actor=users["handler"], note="Added to the refunds script; team briefed")
    services.action_check(action=ring, actor=users["handler"])
    reading = services.action_measure_reading(ring)
    services.action_check_record(
        action=ring,
        actor=leader,
        result=reading,
        note="Complaints naming delay or not being kept informed, per week, against the eight weeks before",
    )
    services.action_act(action=ring, actor=leader, note="Keep the call in the script; Billing to do the same")
    _restamp(ring, [49, 42, 14, 3, 2])

    letters = services.action_plan(
        actor=leader,
        plan=plan(
            "eilidh.campbell",
            "Plain-English refund letters",
            "Rewrite the three refund letters so each says what we will pay, when, and what to do if it "
            "does not arrive; test them with five customers.",
            ("unclear-information",),
            due=21,
            started=10,
        ),
    )
    services.action_do(action=letters, actor=users["eilidh.campbell"], note="First two letters drafted")
    _restamp(letters, [12, 10])

    handoff = services.action_plan(
        actor=lead,
        plan=plan(
            "tom.gallagher",
            "One hand-off note between Billing and Complaints",
            "A case passed between Billing and Complaints carries one hand-off note saying what the customer "
            "was told and what is still owed, so nobody asks them to explain again.",
            ("handoff",),
            due=-5,
            started=0,
        ),
    )
    _restamp(handoff, [20])

    weekend = services.action_plan(
        actor=leader,
        plan=plan(
            "marcus.reid",
            "Weekend call-backs",
            "Offer call-backs on Saturday mornings to customers who work in the week.",
            ("not-kept-informed",),
            due=30,
            started=0,
        ),
    )
    services.action_abandon(
        action=weekend, actor=lead, reason="The contact centre's new evening hours cover it from next month"
    )
    _restamp(weekend, [30, 8])

    lesson = lessons.lesson_share(
        actor=leader,
        title="Ring before a refund is late",
        what_happened="Customers chased refunds we had promised by a date we then missed, and complained "
        "about not being told more than about the wait itself.",
        what_learned="A call two working days before the date, with the reason and a new date, stops most "
        "of the chasing: what upsets people is finding out from their bank statement.",
        what_changes="The refunds script now has the call in it. Note the call on the case, and make a "
        "promise for the new date so it is tracked.",
        team_ids=[teams["complaints"].pk],
        action=ring,
    )
    for username in ("adviser", "handler", "marcus.reid"):
        lessons.lesson_acknowledge(lesson=lesson, user=users[username])
    LessonRecipient.objects.filter(lesson=lesson, acknowledged_at__isnull=False).update(
        acknowledged_at=timezone.now() - timedelta(days=1)
    )
