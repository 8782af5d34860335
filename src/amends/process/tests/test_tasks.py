"""process.tasks: each worker step claims what is due, changes it once, writes its event and notifies after
commit; a second sweep finds nothing. The clock stands at the moment each step is given.

The complaint came in on Monday 2 November 2026 at 10:00 and is owned by Hal, a case handler; Tess leads
his team and hears of warnings, breaches and broken promises; Ada, an adviser in the team, hears of nothing.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.cases.models import CaseEvent
from amends.cases.services import case_transition
from amends.cases.tests.factories import make_case
from amends.core.emails import other_callbacks
from amends.core.models import Notification
from amends.messaging.services import message_send
from amends.process import notices, promises, services, tasks
from amends.process.models import CaseClock, CaseProcess, Promise
from amends.process.rules import PROMISE_LAPSED_NOTE

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


NOW = at(2026, 11, 2, 11, 0)
FRIDAY = at(2026, 11, 6, 11, 0)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def run(clock, django_capture_on_commit_callbacks):
    """Run a worker step at `moment`. Nothing it tells anyone waits for the commit: its notifications are
    rows in its own transaction, so a worker killed between commit and anything after it loses none."""

    def step(function, moment):
        clock.move_to(moment, tick=False)
        with django_capture_on_commit_callbacks() as callbacks:
            done = function(moment)
        assert other_callbacks(callbacks) == []  # only the emails of what it told wait for the commit
        return done

    return step


def start(case, actor, regime="fca-disp"):
    services.process_start(case=case, regime_code=regime, actor=actor)
    return {c.code: c for c in CaseClock.objects.filter(case=case)}


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def notes(user):
    return list(Notification.objects.filter(user=user).order_by("id").values_list("text", flat=True))


def worker_events(kind):
    return list(CaseEvent.objects.filter(kind=kind).order_by("id"))


# --- clocks -------------------------------------------------------------------------------------------------


def test_a_clock_is_warned_once_when_its_warning_time_comes(
    complaint, case_handler, team_leader, adviser, run
):
    final = start(complaint, case_handler)["final_response"]
    assert run(tasks.warn_clocks, final.warn_at - timedelta(seconds=1)) == 0

    assert run(tasks.warn_clocks, final.warn_at) == 1

    assert fresh(final).warned_at == final.warn_at and fresh(final).status == "running"
    (event,) = worker_events("clock_warning")
    assert event.case == complaint and event.actor is None and event.at == final.warn_at
    assert event.after["clock"] == "final_response" and event.after["due"] == final.due_at.isoformat()
    for person in (case_handler, team_leader):
        (text,) = notes(person)
        assert text.startswith(f"{complaint.reference}: ") and "due" in text
    assert notes(adviser) == []

    assert run(tasks.warn_clocks, final.warn_at + timedelta(days=1)) == 0
    assert len(worker_events("clock_warning")) == 1 and len(notes(case_handler)) == 1


def test_a_regulatory_clock_breaches_once_and_an_optional_window_lapses_quietly(
    complaint, case_handler, team_leader, run
):
    started = start(complaint, case_handler)
    ack, window = started["acknowledgement"], started["summary_resolution"]
    assert window.due_at < ack.due_at

    assert run(tasks.breach_clocks, ack.due_at) == 1

    assert (fresh(ack).status, fresh(ack).breached_at) == ("breached", ack.due_at)
    assert fresh(window).status == "running"  # an optional window is not breached
    (event,) = worker_events("clock_breached")
    assert event.actor is None and event.at == ack.due_at
    # DISP sets no acknowledgement deadline: this clock is the firm's own target, and the event says so.
    assert event.after == {"clock": "acknowledgement", "due": ack.due_at.isoformat(), "regulatory": False}
    for person in (case_handler, team_leader):
        (text,) = notes(person)
        assert text.startswith(complaint.reference) and "breached" in text
    assert run(tasks.breach_clocks, ack.due_at + timedelta(days=1)) == 0

    events_before = CaseEvent.objects.count()
    assert run(tasks.lapse_optional_windows, ack.due_at) == 1
    assert fresh(window).status == "lapsed" and fresh(window).breached_at is None
    assert CaseEvent.objects.count() == events_before and len(notes(case_handler)) == 1
    assert run(tasks.lapse_optional_windows, ack.due_at + timedelta(days=1)) == 0


def test_a_met_clock_never_breaches(complaint, case_handler, run):
    ack = start(complaint, case_handler)["acknowledgement"]
    services.process_letter_sent(case=complaint, kind="acknowledgement", at=NOW, actor=case_handler)
    assert run(tasks.breach_clocks, ack.due_at + timedelta(days=1)) == 0
    assert fresh(ack).status == "met" and not worker_events("clock_breached")


def test_a_paused_target_is_neither_warned_nor_breached(complaint, case_handler, run):
    final = start(complaint, case_handler, regime="internal-iso10002")["final_response"]
    case_transition(case=complaint, to="awaiting_customer", actor=case_handler, reason="Asked for the bill")

    run(tasks.warn_clocks, final.due_at + timedelta(days=1))
    run(tasks.breach_clocks, final.due_at + timedelta(days=1))

    paused = fresh(final)
    assert paused.status == "running" and paused.warned_at is None and paused.breached_at is None
    assert "final_response" not in {e.after["clock"] for e in worker_events("clock_breached")}


def test_many_notes_for_one_person_become_a_digest(complaints_team, case_handler, team_leader, run):
    cases = [make_case(team=complaints_team, owner=case_handler) for _ in range(4)]
    for case in cases:
        start(case, case_handler)
    due = CaseClock.objects.filter(code="acknowledgement").latest("due_at").due_at

    assert run(tasks.breach_clocks, due) == 4

    assert len(worker_events("clock_breached")) == 4
    for person in (case_handler, team_leader):
        texts = notes(person)
        assert len(texts) == notices.DIGEST_AFTER
        assert texts[-1] == "2 more cases need attention: see the due queue"
        assert texts[0].startswith(cases[0].reference)


# --- promises -----------------------------------------------------------------------------------------------


def test_the_owner_is_reminded_of_a_promise_once(complaint, case_handler, team_leader, run):
    promise = promises.promise_make(
        case=complaint, actor=case_handler, description="Call back with the refund date", due_at=FRIDAY
    )
    assert run(tasks.remind_promises, promise.remind_at - timedelta(seconds=1)) == 0

    assert run(tasks.remind_promises, promise.remind_at) == 1

    reminded = fresh(promise)
    assert reminded.reminded_at == promise.remind_at and reminded.status == "open"
    (event,) = worker_events("promise_reminder")
    assert event.actor is None and event.after == {"promise": promise.pk, "due": FRIDAY.isoformat()}
    (text,) = notes(case_handler)
    assert text.startswith(complaint.reference) and "Call back with the refund date" in text
    assert notes(team_leader) == []  # a reminder is for the owner only
    assert run(tasks.remind_promises, promise.remind_at + timedelta(hours=1)) == 0
    assert len(worker_events("promise_reminder")) == 1


def test_a_promise_is_reminded_to_whoever_owns_it(complaint, case_handler, adviser, run):
    promise = promises.promise_make(
        case=complaint, actor=adviser, description="Post the cheque", due_at=FRIDAY, owner=adviser
    )
    run(tasks.remind_promises, promise.remind_at)
    assert len(notes(adviser)) == 1


def test_an_overdue_promise_is_marked_broken_once(complaint, case_handler, team_leader, run):
    overdue = promises.promise_make(
        case=complaint, actor=case_handler, description="Send the form", due_at=FRIDAY
    )
    kept = promises.promise_make(case=complaint, actor=case_handler, description="Call back", due_at=FRIDAY)
    promises.promise_keep(promise=kept, actor=case_handler)
    assert run(tasks.break_overdue_promises, FRIDAY - timedelta(seconds=1)) == 0

    assert run(tasks.break_overdue_promises, FRIDAY) == 1

    broken = fresh(overdue)
    assert (broken.status, broken.closed_at, broken.note) == ("broken", FRIDAY, PROMISE_LAPSED_NOTE)
    assert fresh(kept).status == "kept"
    (event,) = worker_events("promise_broken")
    assert event.actor is None and event.at == FRIDAY and event.reason == PROMISE_LAPSED_NOTE
    assert event.after["promise"] == overdue.pk and event.after["description"] == "Send the form"
    for person in (case_handler, team_leader):
        (text,) = notes(person)
        assert text.startswith(complaint.reference) and "Send the form" in text
    assert run(tasks.break_overdue_promises, FRIDAY + timedelta(days=1)) == 0
    assert len(worker_events("promise_broken")) == 1


# --- keeping the customer informed --------------------------------------------------------------------------


def test_the_owner_is_told_when_a_progress_update_is_due(complaint, case_handler, team_leader, run):
    start(complaint, case_handler)
    process = CaseProcess.objects.get(case=complaint)
    due = process.next_update_due
    assert due == at(2026, 11, 16, 23, 59, 59)  # FCA: every 10 business days
    assert run(tasks.keep_informed, due - timedelta(seconds=1)) == 0
    moment = at(2026, 11, 17, 9, 0)

    assert run(tasks.keep_informed, moment) == 1

    process.refresh_from_db()
    assert process.next_update_reminded_at == moment
    assert process.next_update_due == services.next_update_after(process, moment) > moment
    (event,) = worker_events("update_due")
    assert event.case == complaint and event.actor is None and event.after == {"last_update": None}
    for person in (case_handler, team_leader):
        (text,) = notes(person)
        assert text.startswith(complaint.reference) and "progress update" in text
    assert run(tasks.keep_informed, moment + timedelta(hours=1)) == 0


def test_an_update_sent_meanwhile_just_moves_the_date_on(complaint, case_handler, clock, run):
    start(complaint, case_handler)
    clock.move_to(at(2026, 11, 10, 10, 0), tick=False)
    message_send(case=complaint, actor=case_handler, body="We have found the duplicate payment.")

    assert run(tasks.keep_informed, at(2026, 11, 17, 9, 0)) == 1

    process = CaseProcess.objects.get(case=complaint)
    assert process.next_update_due == at(2026, 11, 24, 23, 59, 59)  # 10 business days after the update
    assert process.next_update_reminded_at is None
    assert not worker_events("update_due") and notes(case_handler) == []


def test_a_finished_case_is_owed_no_more_updates(complaint, case_handler, run):
    start(complaint, case_handler)
    services.process_letter_sent(case=complaint, kind="final_response", at=NOW, actor=case_handler)

    assert run(tasks.keep_informed, at(2026, 11, 17, 9, 0)) == 1

    assert CaseProcess.objects.get(case=complaint).next_update_due is None
    assert not worker_events("update_due") and notes(case_handler) == []


# --- the sweep ----------------------------------------------------------------------------------------------


def test_a_sweep_does_everything_due_and_a_second_does_nothing(
    complaint, case_handler, clock, django_capture_on_commit_callbacks
):
    start(complaint, case_handler)
    promises.promise_make(case=complaint, actor=case_handler, description="Call back", due_at=FRIDAY)
    later = at(2027, 2, 1, 9, 0)
    clock.move_to(later, tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.sweep()
        second = tasks.sweep()

    assert first.counts == {
        "clock_warnings": 1,  # the final response's warning, then its breach
        "clock_breaches": 2,
        "optional_windows_lapsed": 1,
        "promise_reminders": 1,
        "promises_broken": 1,
        "tasks_overdue": 0,
        "progress_updates": 1,
        "support_needs_reviews": 0,  # care's step (process.hooks.worker_steps): no review date due
        "mailboxes": 0,  # intake's step (process.hooks.worker_steps): no team mailbox to read
        "conduct_reviews": 0,  # conduct's steps: no conduct decision or warning marker to review
        "conduct_marker_reviews": 0,
        "special_reviews": 0,  # monitoring's daily check of complaint levels: no complaint levels to watch
        "improvement_overdue": 0,  # improvement's step: no improvement action past its due date
        "problems_relearn": 0,  # problems' step: no grouping left for the worker to re-learn
        # core's (registered by process): the urgent breaches and broken promise, emailed to their owner
        # here because the test's commit callbacks run after the sweep (they then find nothing left)
        "notification_emails": 3,
        "emails": 0,  # nothing was written to the customer
    }
    assert first.total == 10
    assert set(second.counts.values()) == {0} and second.total == 0
    assert {c.code: c.status for c in CaseClock.objects.filter(case=complaint)} == {
        "acknowledgement": "breached",
        "summary_resolution": "lapsed",
        "final_response": "breached",
    }


def test_a_step_repeats_until_it_has_claimed_everything(complaint, case_handler, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH", 2)
    for n in range(5):
        promises.promise_make(case=complaint, actor=case_handler, description=f"Promise {n}", due_at=FRIDAY)
    assert tasks.remind_promises(FRIDAY) == 2  # one claim is one batch

    result = tasks.sweep(FRIDAY)

    assert result.counts["promise_reminders"] == 3 and result.counts["promises_broken"] == 5
    assert Promise.objects.filter(reminded_at__isnull=True).count() == 0
    assert Promise.objects.filter(status="broken").count() == 5
