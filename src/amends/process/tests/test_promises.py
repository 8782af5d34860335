"""process.promises: the promise ledger. Making, keeping, breaking and renegotiating, each with its event."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.cases.models import CaseEvent
from amends.core.errors import Conflict, DomainError
from amends.process import promises
from amends.process.models import Promise

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 11, 0, tzinfo=ZoneInfo("Europe/London"))
FRIDAY = NOW + timedelta(days=4)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def promise(case, actor, **given):
    kwargs = {"description": "Call back with the refund date", "due_at": FRIDAY, **given}
    return promises.promise_make(case=case, actor=actor, **kwargs)


def events(case, kind):
    return list(CaseEvent.objects.filter(case=case, kind=kind).order_by("id"))


def test_a_promise_is_owned_timed_and_recorded(complaint, case_handler):
    made = promise(complaint, case_handler, description="  Call back with the refund date ")

    assert made.description == "Call back with the refund date"
    assert made.owner == case_handler and made.made_by == case_handler and made.made_at == NOW
    assert made.status == "open" and made.remind_at == FRIDAY - timedelta(days=1)
    (event,) = events(complaint, "promise_made")
    assert event.actor == case_handler
    assert event.after == {
        "promise": made.pk,
        "description": "Call back with the refund date",
        "due": FRIDAY.isoformat(),
    }


def test_a_promise_can_be_made_for_someone_else(complaint, case_handler, adviser):
    made = promise(complaint, case_handler, owner=adviser)
    assert made.owner == adviser and made.made_by == case_handler


def test_reminders_come_a_day_before_or_half_way():
    assert promises.remind_time(NOW, NOW + timedelta(days=3)) == NOW + timedelta(days=2)
    assert promises.remind_time(NOW, NOW + timedelta(hours=12)) == NOW + timedelta(hours=6)
    assert promises.remind_time(NOW, NOW + timedelta(days=2)) == NOW + timedelta(days=1)


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"description": " "}, {"description": "required"}),
        ({"description": "d" * 301}, {"description": "required"}),
        ({"due_at": NOW}, {"due_at": "in the past"}),
        ({"due_at": NOW - timedelta(minutes=1)}, {"due_at": "in the past"}),
        ({"due_at": None}, {"due_at": "in the past"}),
    ],
)
def test_promise_refusals(complaint, case_handler, given, fields):
    with pytest.raises(DomainError) as err:
        promise(complaint, case_handler, **given)
    assert err.value.code == "invalid" and err.value.fields == fields
    assert not Promise.objects.exists() and not events(complaint, "promise_made")


def test_keeping_a_promise_closes_it_once(complaint, case_handler, clock):
    made = promise(complaint, case_handler)
    clock.move_to(NOW + timedelta(days=1), tick=False)

    kept = promises.promise_keep(promise=made, actor=case_handler, note=" Called as promised ")

    assert kept.status == "kept" and kept.closed_at == NOW + timedelta(days=1)
    assert kept.note == "Called as promised"
    (event,) = events(complaint, "promise_kept")
    assert event.actor == case_handler and event.reason == "Called as promised"
    assert event.after["promise"] == made.pk and event.after["description"] == made.description
    with pytest.raises(Conflict) as err:
        promises.promise_break(promise=made, actor=case_handler, note="Oops")
    assert err.value.code == "conflict" and "already kept" in err.value.message
    assert Promise.objects.get(pk=made.pk).status == "kept"
    assert not events(complaint, "promise_broken")


def test_breaking_a_promise_is_recorded_with_why(complaint, case_handler):
    made = promise(complaint, case_handler)

    broken = promises.promise_break(promise=made, actor=case_handler, note="Off sick; apologised")

    assert broken.status == "broken" and broken.closed_at == NOW and broken.note == "Off sick; apologised"
    (event,) = events(complaint, "promise_broken")
    assert event.reason == "Off sick; apologised" and event.after["promise"] == made.pk
    with pytest.raises(Conflict):
        promises.promise_keep(promise=made, actor=case_handler)


def test_renegotiating_replaces_the_promise(complaint, case_handler, adviser):
    made = promise(complaint, case_handler, owner=adviser)
    later = FRIDAY + timedelta(days=3)

    new = promises.promise_renegotiate(
        promise=made, actor=case_handler, new_due_at=later, note="Customer agreed Monday"
    )

    old = Promise.objects.get(pk=made.pk)
    assert old.status == "renegotiated" and old.replaced_by == new and old.note == "Customer agreed Monday"
    assert new.status == "open" and new.due_at == later
    assert (new.description, new.owner) == (made.description, adviser)
    (renegotiated,) = events(complaint, "promise_renegotiated")
    assert renegotiated.reason == "Customer agreed Monday" and renegotiated.after["promise"] == made.pk
    assert [e.after["promise"] for e in events(complaint, "promise_made")] == [made.pk, new.pk]
    assert events(complaint, "promise_made")[-1].after["due"] == later.isoformat()


def test_renegotiating_needs_a_note_and_a_new_time_in_the_future(complaint, case_handler):
    made = promise(complaint, case_handler)

    with pytest.raises(DomainError) as err:
        promises.promise_renegotiate(promise=made, actor=case_handler, new_due_at=FRIDAY, note=" ")
    assert err.value.fields == {"note": "required"}
    with pytest.raises(DomainError) as err:  # the old promise is not closed either
        promises.promise_renegotiate(promise=made, actor=case_handler, new_due_at=NOW, note="Agreed")
    assert err.value.fields == {"due_at": "in the past"}

    assert Promise.objects.get().status == "open"
    assert not events(complaint, "promise_renegotiated")


def test_a_closed_promise_cannot_be_renegotiated(complaint, case_handler):
    made = promise(complaint, case_handler)
    promises.promise_keep(promise=made, actor=case_handler)
    with pytest.raises(Conflict):
        promises.promise_renegotiate(promise=made, actor=case_handler, new_due_at=FRIDAY, note="Agreed")
    assert Promise.objects.count() == 1


def test_kept_rate_counts_kept_against_broken(complaint, case_handler):
    assert promises.kept_rate(Promise.objects.all())["rate"] is None
    for outcome in ["kept", "kept", "broken", "renegotiated", "open"]:
        made = promise(complaint, case_handler)
        if outcome == "kept":
            promises.promise_keep(promise=made, actor=case_handler)
        elif outcome == "broken":
            promises.promise_break(promise=made, actor=case_handler, note="Missed")
        elif outcome == "renegotiated":
            new = promises.promise_renegotiate(
                promise=made, actor=case_handler, new_due_at=FRIDAY + timedelta(days=1), note="Agreed"
            )
            promises.promise_keep(promise=new, actor=case_handler)

    rate = promises.kept_rate(Promise.objects.all())
    assert (rate["kept"], rate["broken"], rate["open"]) == (3, 1, 1)
    assert rate["rate"] == 0.75
