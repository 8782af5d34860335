"""Improvement actions move through Plan-Do-Check-Act with an event for every change; a stage cannot be
skipped, and bad input changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from amends.core.errors import DomainError, NotFound, TransitionNotAllowed
from amends.core.models import Notification
from amends.improvement import services
from amends.improvement.models import ImprovementAction, ImprovementEvent, Stage
from amends.improvement.services import ActionPlan
from amends.improvement.tests.conftest import at

pytestmark = pytest.mark.django_db


def _plan(owner, **changes) -> ActionPlan:
    values = dict(
        title="Call back before the deadline",
        change="Advisers call the customer back within two days when a refund is late",
        owner_id=owner.pk,
        due_date=date(2026, 3, 31),
        before_start=date(2026, 2, 1),
        before_end=date(2026, 2, 28),
        after_start=date(2026, 4, 1),
        after_end=date(2026, 4, 14),
        root_causes=("delay",),
    )
    return ActionPlan(**(values | changes))


def _snapshot(action):
    action.refresh_from_db()
    return (action.stage, action.check_result, action.before_count, ImprovementEvent.objects.count())


def test_an_action_moves_through_every_stage_with_events(found, team_leader, case_handler):
    for day in (1, 3, 9, 15, 22, 28):
        found("delay", date(2026, 2, day))
    found("delay", date(2026, 4, 2))
    with time_machine.travel(at(date(2026, 3, 1)), tick=False):
        action = services.action_plan(actor=team_leader, plan=_plan(case_handler, cases=()))
        assert (
            Notification.objects.filter(user=case_handler, text__contains="improvement action").count() == 1
        )
        services.action_do(action=action, actor=case_handler, note="Script changed")
    with time_machine.travel(at(date(2026, 4, 15)), tick=False):
        services.action_check(action=action, actor=case_handler)
        services.action_check_record(
            action=action, actor=case_handler, result="effective", note="A third of the rate before"
        )
        services.action_act(action=action, actor=team_leader, note="Kept in the script; spread to billing")
        services.action_close(action=action, actor=team_leader)
    action.refresh_from_db()
    assert action.stage == Stage.CLOSED
    assert (action.before_count, action.before_per_week) == (6, Decimal("1.50"))
    assert (action.after_count, action.after_per_week) == (1, Decimal("0.50"))
    events = list(action.events.order_by("at", "id").values_list("kind", "from_stage", "to_stage"))
    assert events == [
        ("created", "", "plan"),
        ("stage_changed", "plan", "do"),
        ("stage_changed", "do", "check"),
        ("check_recorded", "", ""),
        ("stage_changed", "check", "act"),
        ("stage_changed", "act", "closed"),
    ]
    check = action.events.get(kind="check_recorded")
    assert check.data["before"] == {"count": 6, "per_week": "1.50"} and check.data["result"] == "effective"
    assert action.events.get(to_stage="act").actor == team_leader


def test_a_stage_cannot_be_skipped_and_nothing_changes(team_leader, case_handler):
    action = services.action_plan(actor=team_leader, plan=_plan(case_handler))
    before = _snapshot(action)
    for to in ("check", "act", "closed"):
        with pytest.raises(TransitionNotAllowed):
            services.action_move(action=action, to=to, actor=team_leader, note="Skipping")
        assert _snapshot(action) == before
    with pytest.raises(DomainError):
        services.action_move(action=action, to="plan", actor=team_leader)
    with pytest.raises(TransitionNotAllowed):
        services.action_check_record(action=action, actor=team_leader, result="effective", note="n")
    assert _snapshot(action) == before


def test_check_waits_for_the_after_window_and_act_for_a_recorded_check(team_leader, case_handler):
    with time_machine.travel(at(date(2026, 3, 1)), tick=False):
        action = services.action_plan(actor=team_leader, plan=_plan(case_handler))
        services.action_do(action=action, actor=case_handler)
        before = _snapshot(action)
        with pytest.raises(DomainError, match="after window starts on 1 Apr 2026"):
            services.action_check(action=action, actor=case_handler)
        assert _snapshot(action) == before
    with time_machine.travel(at(date(2026, 4, 1)), tick=False):
        services.action_check(action=action, actor=case_handler)
        before = _snapshot(action)
        with pytest.raises(DomainError, match="Record the check"):
            services.action_act(action=action, actor=case_handler, note="Keep it")
        with pytest.raises(DomainError):
            services.action_check_record(action=action, actor=case_handler, result="great", note="n")
        with pytest.raises(DomainError, match="Note is required"):
            services.action_check_record(action=action, actor=case_handler, result="effective", note=" ")
        assert _snapshot(action) == before
        # the after window has only just started: figures so far, to today
        services.action_check_record(
            action=action, actor=case_handler, result="inconclusive", note="Too soon"
        )
        assert action.events.get(kind="check_recorded").data["after"]["to"] == "2026-04-01"


def test_abandoning_needs_a_reason_and_closes_the_cycle(team_leader, case_handler):
    action = services.action_plan(actor=team_leader, plan=_plan(case_handler))
    with pytest.raises(DomainError, match="Reason is required"):
        services.action_abandon(action=action, actor=team_leader, reason="")
    services.action_abandon(action=action, actor=team_leader, reason="Replaced by the new refunds system")
    action.refresh_from_db()
    assert (action.stage, action.abandoned_reason) == (Stage.ABANDONED, "Replaced by the new refunds system")
    with pytest.raises(TransitionNotAllowed):
        services.action_do(action=action, actor=team_leader)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": " "}, "Title is required"),
        ({"root_causes": ()}, "Name the root cause"),
        ({"root_causes": ("no-such",)}, "No root cause no-such"),
        ({"before_end": date(2026, 1, 1)}, "before window ends before it starts"),
        ({"after_start": date(2026, 2, 20)}, "after window starts once"),
        ({"measure": "product"}, "Product is required"),
        ({"cases": ("AM-1999-000001",)}, "No case AM-1999-000001"),
    ],
)
def test_bad_plans_change_nothing(team_leader, case_handler, changes, error):
    with pytest.raises(DomainError, match=error):
        services.action_plan(actor=team_leader, plan=_plan(case_handler, **changes))
    assert not ImprovementAction.objects.exists() and not ImprovementEvent.objects.exists()


def test_an_assessor_cannot_own_an_action(team_leader, assessor):
    with pytest.raises(NotFound):
        services.action_plan(actor=team_leader, plan=_plan(assessor))


def test_overdue_actions_remind_their_owner_once_per_due_date(team_leader, case_handler):
    with time_machine.travel(at(date(2026, 3, 1)), tick=False):
        action = services.action_plan(actor=team_leader, plan=_plan(case_handler, due_date=date(2026, 3, 10)))
        closed = services.action_plan(actor=team_leader, plan=_plan(case_handler, due_date=date(2026, 3, 5)))
        services.action_abandon(action=closed, actor=team_leader, reason="Not needed")
    told = Notification.objects.filter(user=case_handler, text__startswith="Overdue improvement action")
    assert services.overdue_remind(at(date(2026, 3, 10))) == 0  # due today: not overdue yet
    assert services.overdue_remind(at(date(2026, 3, 11))) == 1
    assert services.overdue_remind(at(date(2026, 3, 12))) == 0  # once per due date
    assert told.count() == 1
    ImprovementAction.objects.filter(pk=action.pk).update(due_date=date(2026, 3, 20))  # a new due date
    assert services.overdue_remind(at(date(2026, 3, 21))) == 1
    assert told.count() == 2
    assert action.events.filter(kind="reminded").count() == 2


def test_the_worker_runs_the_reminder():
    from amends.process.hooks import worker_steps

    steps = worker_steps.merged()
    assert steps["improvement_overdue"] is services.overdue_remind
