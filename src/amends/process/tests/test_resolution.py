"""A problem resolved step by step with no regime (WM57 1, 5-8, 10-15): understanding, options weighed for
both sides, agreement with the customer, the actions that carry it out (promises and tasks), satisfaction.

Hal, a case handler, owns a problem that came in on Monday 2 November 2026; Ada, an adviser in his team, is
given a task; Ash, an assessor in the team, may own nothing.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.cases.lifecycle import Status
from amends.cases.models import CaseEvent
from amends.cases.services import case_transition
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError
from amends.core.models import Notification
from amends.process import authority, promises, resolution, services, steps, tasks
from amends.process.models import Agreement, CaseProcess, Task
from amends.process.selectors import process_panel

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 11, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def problem(complaints_team, case_handler):
    return make_case(
        kind="problem", team=complaints_team, owner=case_handler, summary="Boiler repair missed twice"
    )


def next_step(case, user):
    return process_panel(case, user).next_step


def kinds(case):
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def understood(case, actor):
    summary = steps.understanding_record(
        case=case,
        actor=actor,
        what_happened="The engineer did not come on 28 October or 30 October",
        impact="Two days off work unpaid; no heating",
        outcome_wanted="A repair this week and the lost pay",
    )
    steps.understanding_confirm(understanding=summary, via="phone", actor=actor)
    return summary


def chosen_option(case, actor):
    option = authority.option_add(
        case=case,
        actor=actor,
        title="Priority repair and an apology",
        benefits_customer="Heating back within two days",
        remedies=[
            authority.Remedy("put_right", "Priority repair by Wednesday"),
            authority.Remedy("apology", "Written apology"),
            authority.Remedy("goodwill", "For the two days off work", "40"),
        ],
        drawbacks_organisation="Moves another job",
    )
    return authority.option_choose(option=option, actor=actor, reason="Fixes it fastest, within my authority")


# --- the steps, in order ------------------------------------------------------------------------------------


def test_a_problem_is_resolved_step_by_step_without_a_regime(problem, case_handler, adviser, clock):
    assert next_step(problem, case_handler).startswith("Ask the customer about the problem")
    understood(problem, case_handler)
    assert next_step(problem, case_handler).startswith("Work out the options for resolving it")
    option = chosen_option(problem, case_handler)
    assert next_step(problem, case_handler).startswith("Discuss the option with the customer")

    agreement = resolution.agreement_record(
        case=problem,
        actor=case_handler,
        option=option,
        agreed_by="Sam Tenant",
        via="phone",
        agreed_at=NOW - timedelta(minutes=20),
        note="Happy with Wednesday; wants a call when the engineer sets off",
    )
    assert (agreement.agreed_by, agreement.via, agreement.agreed_at) == (
        "Sam Tenant",
        "phone",
        NOW - timedelta(minutes=20),
    )
    assert next_step(problem, case_handler).startswith("Set out the actions")

    task = resolution.task_add(
        case=problem,
        actor=case_handler,
        title="Book the priority repair",
        owner=adviser,
        due_at=NOW + timedelta(days=1),
        option=option,
    )
    promise = promises.promise_make(
        case=problem,
        actor=case_handler,
        description="Call when the engineer sets off",
        due_at=NOW + timedelta(days=2),
    )
    assert next_step(problem, case_handler) == "Carry out the agreed actions: 2 still open (WM57 11-12)."
    resolution.task_done(task=task, actor=adviser, note="Booked for Wednesday 08:00")
    promises.promise_keep(promise=promise, actor=case_handler)
    assert next_step(problem, case_handler).startswith("Check with the customer that the problem is resolved")

    steps.satisfaction_record(case=problem, actor=case_handler, answer="satisfied", comment="Warm again")
    assert next_step(problem, case_handler) == "Mark the case resolved: the customer is satisfied."
    case_transition(case=problem, to=Status.OPEN, actor=case_handler, reason="Picked up")
    case_transition(
        case=problem, to=Status.RESOLVED, actor=case_handler, reason="Repaired; customer satisfied"
    )
    problem.refresh_from_db()
    assert next_step(problem, case_handler) == "Close the case with your reasons."
    assert not CaseProcess.objects.filter(case=problem).exists()  # no regime, no clocks: nothing to create

    done = Task.objects.get(pk=task.pk)
    assert (done.done_by, done.done_at, done.note) == (adviser, NOW, "Booked for Wednesday 08:00")
    agreed = CaseEvent.objects.get(case=problem, kind="option_agreed")
    assert agreed.actor == case_handler and agreed.reason == agreement.note
    assert agreed.after == {
        "option": option.pk,
        "title": "Priority repair and an apology",
        "agreed_by": "Sam Tenant",
        "via": "phone",
        "agreed_at": (NOW - timedelta(minutes=20)).isoformat(),
    }
    added = CaseEvent.objects.get(case=problem, kind="task_added")
    assert added.after == {
        "task": task.pk,
        "title": "Book the priority repair",
        "owner": adviser.pk,
        "due": (NOW + timedelta(days=1)).isoformat(),
    }
    assert CaseEvent.objects.get(case=problem, kind="task_done").actor == adviser


def test_a_customer_not_satisfied_is_given_reasons(problem, case_handler):
    understood(problem, case_handler)
    option = chosen_option(problem, case_handler)
    resolution.agreement_record(case=problem, actor=case_handler, option=option, agreed_by="Sam", via="email")
    promise = promises.promise_make(
        case=problem, actor=case_handler, description="Send the repair date", due_at=NOW + timedelta(days=1)
    )
    promises.promise_keep(promise=promise, actor=case_handler)
    steps.satisfaction_record(case=problem, actor=case_handler, answer="not_satisfied", comment="Still cold")
    assert "clear reasons" in next_step(problem, case_handler)


def test_waiting_for_approval_and_picking_an_option_are_said(problem, adviser, team_leader):
    understood(problem, adviser)
    big = authority.option_add(
        case=problem,
        actor=adviser,
        title="Compensation",
        remedy_type="compensation",
        amount="300",
        benefits_customer="x",
    )
    assert next_step(problem, adviser) == "Pick the best option for the customer and for us (WM57 8)."
    authority.approval_request(option=big, actor=adviser)
    assert next_step(problem, adviser).startswith("Wait for the approval decision")


def test_a_complaint_no_regime_covers_yet_gets_the_same_steps_and_can_take_one_later(complaint, case_handler):
    assert next_step(complaint, case_handler).startswith(
        "Apply the regime that covers this complaint, so its clocks and letter rules apply. Until one does: "
        "ask the customer about the problem"
    )
    understood(complaint, case_handler)
    # A complaint is investigated: its finding comes before the options (CFACSC7 5).
    assert next_step(complaint, case_handler).endswith(
        "Until one does: investigate: add the evidence and record a finding with your reasoning."
    )
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    panel = process_panel(complaint, case_handler)
    assert panel.understanding is not None and panel.understanding.confirmed_at is not None
    assert panel.next_step == "Send the acknowledgement letter with the timescales."


def test_a_query_has_only_its_promises(complaints_team, case_handler):
    query = make_case(kind="query", team=complaints_team, owner=case_handler)
    panel = process_panel(query, case_handler)
    assert not panel.steps_without_regime and panel.options == [] and panel.understanding is None
    assert panel.next_step.startswith("Answer the query")


# --- refusals -----------------------------------------------------------------------------------------------


def test_the_customer_agrees_only_a_chosen_option_of_this_case(problem, complaint, case_handler):
    understood(problem, case_handler)
    proposed = authority.option_add(
        case=problem, actor=case_handler, title="Apologise", remedy_type="apology", benefits_customer="x"
    )
    with pytest.raises(Conflict) as err:
        resolution.agreement_record(
            case=problem, actor=case_handler, option=proposed, agreed_by="Sam", via="phone"
        )
    assert err.value.code == "option_not_chosen"
    chosen = chosen_option(problem, case_handler)
    refusals = [
        ({"case": complaint}, {"option": "not on this case"}),
        ({"via": "pigeon"}, {"via": "unknown"}),
        ({"agreed_by": "  "}, {"agreed_by": "required"}),
        ({"agreed_at": NOW + timedelta(hours=1)}, {"agreed_at": "in the future"}),
        ({"note": "n" * 2001}, {"note": "at most 2000"}),
    ]
    for given, fields in refusals:
        kwargs = {
            "case": problem,
            "actor": case_handler,
            "option": chosen,
            "agreed_by": "Sam",
            "via": "phone",
        }
        with pytest.raises(DomainError) as err:
            resolution.agreement_record(**{**kwargs, **given})
        assert err.value.fields == fields
    assert not Agreement.objects.exists() and "option_agreed" not in kinds(problem)


def test_a_task_goes_to_someone_who_may_work_the_case_and_is_done_once(
    problem, case_handler, assessor, other_team_adviser, adviser
):
    base = {
        "case": problem,
        "actor": case_handler,
        "title": "Book the repair",
        "due_at": NOW + timedelta(days=1),
    }
    for owner, code in ((assessor, "may not work cases"), (other_team_adviser, "not in team")):
        with pytest.raises(DomainError) as err:
            resolution.task_add(**base, owner=owner)
        assert err.value.fields == {"owner": code}
    with pytest.raises(DomainError) as err:
        resolution.task_add(**{**base, "due_at": NOW - timedelta(minutes=1)}, owner=adviser)
    assert err.value.fields == {"due_at": "in the past"}
    with pytest.raises(DomainError) as err:
        resolution.task_add(**{**base, "title": ""}, owner=adviser)
    assert err.value.fields == {"title": "required"}
    assert not Task.objects.exists()

    task = resolution.task_add(**base, owner=adviser)
    resolution.task_done(task=task, actor=adviser)
    with pytest.raises(Conflict):
        resolution.task_done(task=task, actor=case_handler)
    assert kinds(problem).count("task_done") == 1


# --- the worker ---------------------------------------------------------------------------------------------


def test_an_overdue_task_reaches_its_owner_once(problem, case_handler, adviser, clock):
    def task(title, hours):
        return resolution.task_add(
            case=problem, actor=case_handler, title=title, owner=adviser, due_at=NOW + timedelta(hours=hours)
        )

    late, later = task("Book the repair", 4), task("Ring the contractor", 4.5)
    resolution.task_done(task=task("Order the part", 2), actor=adviser)
    clock.move_to(NOW + timedelta(hours=5), tick=False)

    first = tasks.sweep()
    second = tasks.sweep()

    assert first.counts["tasks_overdue"] == 2 and second.counts["tasks_overdue"] == 0
    assert Task.objects.get(pk=late.pk).overdue_at == NOW + timedelta(hours=5)
    events = CaseEvent.objects.filter(case=problem, kind="task_overdue").order_by("id")
    assert [(e.actor, e.after["task"]) for e in events] == [(None, late.pk), (None, later.pk)]
    # A routine reminder: one line in the owner's digest, linking to their open tasks.
    (note,) = Notification.objects.filter(user=adviser)
    assert (note.urgency, note.text, note.link) == ("routine", "2 tasks you own are overdue", "/promises/")
    assert not Notification.objects.filter(user=case_handler).exists()
    page = login(adviser).get("/promises/").content.decode()
    assert "Book the repair" in page and "Ring the contractor" in page and "Order the part" not in page


# --- the page and the API -----------------------------------------------------------------------------------


def test_the_problem_page_shows_its_steps_and_forms(problem, case_handler):
    understood(problem, case_handler)
    client = login(case_handler)
    page = client.get(f"/cases/{problem.reference}/").content.decode()
    assert "Resolving the problem" in page and "Apply regime" not in page
    steps_shown = (
        "Understanding",
        "Options weighed for both sides",
        "Agreement with the customer",
        "Actions to carry it out",
        "Satisfaction",
    )
    for step in steps_shown:
        assert step in page
    assert "Investigation and finding" not in page  # WM57 asks for none; a complaint has one
    assert "record their agreement first" in page and f"/cases/{problem.reference}/process/task" not in page
    option = chosen_option(problem, case_handler)
    resolution.agreement_record(case=problem, actor=case_handler, option=option, agreed_by="Sam", via="phone")
    page = client.get(f"/cases/{problem.reference}/").content.decode()
    assert f"/cases/{problem.reference}/process/task" in page and "Hal Handler" in page  # a task's owner


def test_a_problem_through_the_api(problem, case_handler, adviser):
    api = api_client(case_handler)
    base = f"/api/v1/cases/{problem.reference}/process"

    def post(path, body):
        response = api.post(f"{base}/{path}", body, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    post("understanding", {"what_happened": "No repair", "impact": "Cold", "outcome_wanted": "Repair"})
    summary = problem.understandings.get()
    post("understanding/confirm", {"understanding": summary.pk, "via": "phone"})
    out = post(
        "options",
        {
            "title": "Repair and apology",
            "benefits_customer": "Warm",
            "remedies": [
                {"kind": "put_right", "description": "Repair on Wednesday"},
                {"kind": "goodwill", "amount": "25"},
            ],
        },
    )
    (option,) = out["options"]
    assert option["amount"] == "25.00" and [r["kind"] for r in option["remedies"]] == [
        "put_right",
        "goodwill",
    ]
    post("options/choose", {"option": option["id"], "reason": "Quickest"})
    out = post("agreement", {"option": option["id"], "agreed_by": "Sam Tenant", "via": "email"})
    assert out["agreement"]["agreed_by"] == "Sam Tenant" and out["regime"] is None and out["clocks"] == []
    out = post(
        "tasks",
        {"title": "Book it", "owner": adviser.pk, "due_at": "2026-11-04T09:00:00Z", "option": option["id"]},
    )
    (task,) = out["tasks"]
    assert task["owner"] == adviser.pk and task["done_at"] is None
    out = post("tasks/done", {"task": task["id"]})
    assert out["tasks"][0]["done_at"] is not None
    out = post("satisfaction", {"answer": "satisfied"})
    assert out["next_step"] == "Mark the case resolved: the customer is satisfied."
    refused = api.post(
        f"{base}/tasks",
        {"title": "x", "owner": 999999, "due_at": "2026-11-04T09:00:00Z"},
        content_type="application/json",
    )
    assert refused.status_code == 404
