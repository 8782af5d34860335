"""`intake_contacts`: a batch means what `intake_contact` on each contact in turn means, in far fewer
statements. Each run happens in a transaction that is rolled back, so both start from the same database.
(test_one_path.py compares a batch with the services below intake.)"""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.cases.services import case_transition
from amends.core.errors import DomainError
from amends.customers.models import Customer
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contact, intake_contacts
from amends.messaging.models import Message
from amends.messaging.tasks import send_outbox
from amends.signals.models import MessageAnalysis

from .tables import stored

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ANGRY = "Third time I have called and it is still not fixed. I am furious and going to the ombudsman."


def _contact(external_id, text="My boiler is broken again.", case_reference=None, **customer):
    return ContactIn(
        channel="api",
        external_id=external_id,
        customer=customer or {"name": "Nobody"},
        text=text,
        case_reference=case_reference,
    )


@pytest.fixture
def seeded(complaints_team, adviser):
    """A customer with a case that was resolved, and a message already imported."""
    with time_machine.travel(NOW.replace(day=10), tick=False):
        seed = intake_contact(_contact("seed-1", ANGRY, name="Seed Person", email="seed@example.com"))
        case_transition(case=seed.case, to="resolved", actor=adviser, reason="Engineer fixed it")
    return seed.case.reference


def _batch(seed_reference):
    # References are issued in order: the seed has AM-2026-000001, so the first new case here is ...002.
    return [
        _contact("a-1", ANGRY, name="Alex Able", email="alex@example.com"),
        _contact("b-1", "Why was I charged twice?", name="Bo Baker", phone="07700 900123"),
        _contact("a-2", "And the refund has not arrived.", name="Alex Able", email="ALEX@example.com"),
        _contact("a-3", "Any news? I am still waiting.", case_reference="AM-2026-000002"),
        _contact("bad-1", "This one has a bad email.", name="Cy Bad", email="not-an-email"),
        _contact("a-1", "The same message sent twice.", name="Alex Able", email="alex@example.com"),
        _contact("seed-1", "Already imported.", name="Seed Person", email="seed@example.com"),
        _contact("s-2", "It broke again, nobody came back to me.", case_reference=seed_reference),
        _contact("b-2", "Another Bo, another address.", name="Bo  Baker", email="bo@work.example"),
        _contact("ab-1", "Both of us.", name="Alex Able", email="alex@example.com", phone="07700 900123"),
        _contact("x-1", "Unknown case.", case_reference="AM-2026-999999"),
        _contact("seed-2", "Hello again from the seed.", name="Seed Person", email="seed@example.com"),
    ]


def _outcome(result):
    if isinstance(result, DomainError):
        return ("refused", result.code, result.message)
    return (result.case.reference, result.message.idempotency_key, result.created_case, result.duplicate)


def _rolled_back(run):
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        outcomes = run()
        state = stored()
        transaction.set_rollback(True)
    return outcomes, state


def _one_by_one(contacts):
    outcomes = []
    for contact in contacts:
        try:
            outcomes.append(_outcome(intake_contact(contact)))
        except DomainError as exc:
            outcomes.append(_outcome(exc))
    return outcomes


def test_a_batch_stores_exactly_what_one_by_one_intake_stores(seeded):
    contacts = _batch(seeded)
    expected_outcomes, expected = _rolled_back(lambda: _one_by_one(contacts))
    outcomes, state = _rolled_back(lambda: [_outcome(r) for r in intake_contacts(contacts)])

    assert outcomes == expected_outcomes
    for table in expected:
        assert state[table] == expected[table], table
    # and the batch covered what it should: new, repeated, follow-up in the batch, refusals, duplicates
    kinds = [o[0] if o[0] == "refused" else (o[2], o[3]) for o in outcomes]
    assert kinds == [
        (True, False),
        (True, False),
        (True, False),
        (False, False),
        "refused",
        (False, True),
        (False, True),
        (False, False),
        (True, False),
        (True, False),
        "refused",
        (True, False),
    ]
    assert outcomes[3][0] == "AM-2026-000002" and outcomes[7][0] == seeded
    assert {e[1] for e in state["case events"]} >= {
        "opened",
        "reopened",
        "signals_found",
        "acknowledgement_sent",
    }
    assert len(state["merge suggestions"]) == 2  # same name (Bo Baker), one message matching two customers
    assert state["analyses"] and state["signals"]


def test_a_refused_contact_changes_nothing_and_the_rest_land(complaints_team):
    results = intake_contacts(
        [
            _contact("ok-1", name="Di Dee", email="di@example.com"),
            _contact("bad", name="Ed Bad", email="nope"),
            _contact("ok-2", name="Fay Eff", email="fay@example.com"),
        ]
    )
    assert isinstance(results[1], DomainError) and results[1].fields == {"email": "not a valid email"}
    assert [r.created_case for r in (results[0], results[2])] == [True, True]
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["Di Dee", "Fay Eff"]
    assert Message.objects.filter(idempotency_key="api:bad").count() == 0


def test_a_failing_analyser_keeps_the_message(complaints_team, monkeypatch):
    from amends.intake import arrivals

    def broken(*args, **kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(arrivals, "analyse", broken)
    results = intake_contacts([_contact("keep-1", ANGRY, name="Gil Gee", email="gil@example.com")])
    assert Message.objects.filter(idempotency_key="api:keep-1").exists()
    assert results[0].created_case and not MessageAnalysis.objects.exists()


def test_analysis_that_cannot_be_stored_keeps_the_messages(complaints_team, monkeypatch):
    from django.db import DatabaseError

    from amends.intake import arrivals

    def refused(*args, **kwargs):
        raise DatabaseError("disk I/O error")

    monkeypatch.setattr(arrivals, "signals_save", refused)
    results = intake_contacts(
        [
            _contact("keep-2", ANGRY, name="Hal Aitch", email="hal@example.com"),
            _contact("keep-3", name="Ida Eye", email="ida@example.com"),
        ]
    )
    assert [r.created_case for r in results] == [True, True]
    assert Message.objects.filter(idempotency_key__in=["api:keep-2", "api:keep-3"]).count() == 2
    assert not MessageAnalysis.objects.exists()


def test_a_batch_takes_well_under_half_the_statements_per_message(complaints_team):
    def contacts(prefix):
        return [
            _contact(
                f"{prefix}-{i}",
                ANGRY,
                name=f"Q Customer {prefix} {i // 3}",
                email=f"q.{prefix}.{i // 3}@example.com",
            )
            for i in range(30)
        ]

    with CaptureQueriesContext(connection) as one_by_one:
        for contact in contacts("single"):
            intake_contact(contact)
    with CaptureQueriesContext(connection) as batch:
        results = intake_contacts(contacts("batch"))
    assert all(r.created_case for r in results)
    assert len(batch) < len(one_by_one) / 2
    assert len(batch) / 30 < 4  # a handful of statements per table for the whole batch


def test_a_batch_sends_each_acknowledgement_once_committed(
    complaints_team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        results = intake_contacts(
            [
                _contact("m-1", name="Jo Jay", email="jo@example.com"),
                _contact("m-2", name="No Email"),
                _contact("m-3", "Me again.", name="Jo Jay", email="jo@example.com"),
            ]
        )
    assert mailoutbox == []  # the worker sends them
    send_outbox(timezone.now())
    acks = Message.objects.filter(purpose="acknowledgement").order_by("id")
    assert [a.delivery for a in acks] == ["sent", "no_address", "sent"]
    assert [m.to for m in mailoutbox] == [["jo@example.com"], ["jo@example.com"]]
    assert [m.extra_headers["Message-ID"] for m in mailoutbox] == [
        acks[0].email_message_id,
        acks[2].email_message_id,
    ]
    assert all("In-Reply-To" not in m.extra_headers for m in mailoutbox)  # a contact has no Message-ID
    assert all(r.created_case for r in results)
