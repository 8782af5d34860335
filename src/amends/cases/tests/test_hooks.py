"""Cases ask and tell the apps above them only through their hooks; the event kinds are one list."""

import re
from pathlib import Path

import pytest

from amends.cases import hooks
from amends.cases.events import EventKind
from amends.cases.lifecycle import Status
from amends.cases.models import CaseEvent
from amends.cases.services import case_event, case_transition
from amends.cases.tests.factories import make_case
from amends.core.errors import DomainError
from amends.customers import hooks as customer_hooks
from amends.messaging.services import message_record_inbound
from amends.process.services import clocks_follow_status, closing_problems

ARCHITECTURE = Path(__file__).resolve().parents[4] / "docs" / "design" / "architecture.md"


def test_process_registers_its_close_guard_and_status_listener_and_the_merge_listeners():
    assert closing_problems in list(hooks.close_guards)
    assert clocks_follow_status in list(hooks.status_listeners)
    assert {f.__name__ for f in customer_hooks.customer_merged} == {
        "cases_move_customer",
        "messages_move_customer",
        "notes_move_customer",
        "support_needs_move_customer",
        "alerts_move_customer",
    }


@pytest.mark.django_db
def test_a_close_guard_refuses_closing_and_changes_nothing(complaints_team, case_handler):
    case = make_case(team=complaints_team)

    def guard(c):
        return ["the test says no"] if c.pk == case.pk else []

    hooks.close_guards.register(guard)
    try:
        with pytest.raises(DomainError) as err:
            case_transition(case=case, to=Status.CLOSED, actor=case_handler, reason="Done")
    finally:
        hooks.close_guards.unregister(guard)
    assert err.value.code == "cannot_close" and "the test says no" in err.value.message
    case.refresh_from_db()
    assert case.status == Status.NEW


@pytest.mark.django_db
def test_status_listeners_hear_people_and_customers_change_the_status(complaints_team, case_handler):
    from django.utils import timezone

    from amends.messaging.services import Incoming

    heard = []

    def listener(*, case, before, after, at):
        heard.append((case.pk, before, after))

    case = make_case(team=complaints_team)
    hooks.status_listeners.register(listener)
    try:
        case_transition(case=case, to=Status.RESOLVED, actor=case_handler)
        incoming = Incoming(channel="email", body_text="Still not fixed", occurred_at=timezone.now())
        message_record_inbound(case=case, customer=case.customer, incoming=incoming)
    finally:
        hooks.status_listeners.unregister(listener)
    assert heard == [(case.pk, "new", "resolved"), (case.pk, "resolved", "open")]
    status_events = CaseEvent.objects.filter(case=case, kind__in=["status_changed", "reopened"]).order_by(
        "id"
    )
    assert list(status_events.order_by("id").values_list("kind", flat=True)) == ["status_changed", "reopened"]


def test_the_recorder_refuses_a_kind_that_is_not_listed():
    with pytest.raises(ValueError):
        case_event(None, kind="something_new", actor=None)  # type: ignore[arg-type]


def test_the_architecture_note_lists_exactly_the_event_kinds():
    text = ARCHITECTURE.read_text()
    block = re.search(r"<!-- event-kinds:start -->(.*?)<!-- event-kinds:end -->", text, re.S).group(1)
    listed = {k.strip() for k in block.replace("\n", " ").split(",") if k.strip()}
    assert listed == {k.value for k in EventKind}


def test_every_event_kind_the_process_note_names_exists():
    note = (ARCHITECTURE.parent / "complaint-process.md").read_text()
    section = note.split("## Events the process records")[1].split("\n## ")[0]
    named = set(re.findall(r"`([a-z_]+)`", section))
    assert named and named <= {k.value for k in EventKind}, named - {k.value for k in EventKind}
