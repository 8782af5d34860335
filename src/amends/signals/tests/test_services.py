"""Intake stores each message's signals with evidence and the case's risk, urgent words alert at once, and
advisers' verdicts are kept and lower the risk."""

import io
import json

import pytest
from django.core.management import call_command

from amends.cases.models import Case
from amends.cases.tests.factories import make_case, make_contact_case
from amends.core.models import Notification
from amends.signals import services
from amends.signals.engine import classifiers, embeddings
from amends.signals.models import MessageAnalysis, MessageSignal, SignalFeedback
from amends.signals.services import signal_feedback, signals_record
from amends.signals.tests.messages import ANGRY

pytestmark = pytest.mark.django_db


def _signals(case) -> dict[str, MessageSignal]:
    return {s.type: s for s in MessageSignal.objects.filter(case=case)}


def test_intake_stores_signals_with_evidence_and_sets_the_case_risk(complaints_team):
    case = make_contact_case(text=ANGRY).case
    found = _signals(case)
    assert {"complaint", "escalation_ombudsman", "escalation_legal", "repeat_contact"} <= set(found)
    message = case.messages.get(direction="in")
    for signal in found.values():
        assert signal.spans, signal.type
        for start, end in signal.spans:
            assert message.body_text[start:end].strip()
    assert "ombudsman" in [message.body_text[a:b] for a, b in found["escalation_ombudsman"].spans]
    case.refresh_from_db()
    assert case.risk == MessageAnalysis.objects.get(message=message).risk >= 60
    assert case.events.filter(kind="signals_found").exists()


def test_a_calm_thank_you_raises_nothing(complaints_team):
    case = make_contact_case(text="Thank you, the engineer came this morning and all is working now.").case
    assert not MessageSignal.objects.filter(case=case, type__in=["complaint", "anger", "abuse"]).exists()
    case.refresh_from_db()
    assert case.risk < 30


def test_threat_raises_an_immediate_alert_to_the_team_leader(team_leader, adviser):
    case = make_case(team=team_leader.staff.team, owner=adviser)
    from amends.intake.schemas import ContactIn
    from amends.intake.services import intake_contact

    intake_contact(
        ContactIn(
            channel="chat",
            external_id="threat-1",
            case_reference=case.reference,
            customer={"name": "Pat Customer"},
            text="Sort it or I'll come round and smash the place up.",
        )
    )
    alert = Notification.objects.get(user=team_leader)
    assert "Urgent" in alert.text and "threat to staff" in alert.text
    assert alert.urgency == Notification.Urgency.URGENT  # stands apart from routine reminders, first
    assert "come round and" in alert.text
    assert Notification.objects.filter(user=adviser).exists()
    case.refresh_from_db()
    assert case.risk == 100
    assert case.events.filter(kind="safety_alert").exists()


def test_dismissing_a_signal_is_kept_lowers_the_risk_and_is_exported(complaints_team, adviser):
    case = make_contact_case(text=ANGRY).case
    case.refresh_from_db()
    before = case.risk
    for signal in MessageSignal.objects.filter(case=case):
        signal_feedback(signal=signal, actor=adviser, verdict="dismissed", note="test")
    case.refresh_from_db()
    assert case.risk == 0 < before
    assert (
        SignalFeedback.objects.filter(verdict="dismissed").count()
        == MessageSignal.objects.filter(case=case).count()
    )
    out = io.StringIO()
    call_command("signals", "feedback-export", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and all(
        r["verdict"] == "dismissed" and r["text"] == case.messages.get(direction="in").body_text for r in rows
    )
    assert all(r["evidence"] == [r["text"][a:b] for a, b in r["spans"]] for r in rows)


def test_feedback_refuses_a_bad_verdict_and_changes_nothing(complaints_team, adviser):
    from amends.core.errors import DomainError

    case = make_contact_case(text=ANGRY).case
    signal = MessageSignal.objects.filter(case=case).first()
    with pytest.raises(DomainError):
        signal_feedback(signal=signal, actor=adviser, verdict="maybe")
    assert not SignalFeedback.objects.exists()


def test_a_new_message_only_ever_raises_the_case_risk_even_from_a_stale_copy(complaints_team):
    from django.utils import timezone

    from amends.messaging.services import Incoming, message_record_inbound

    case = make_contact_case(text="Thank you, all is working now.").case

    def record(stale, key):
        incoming = Incoming(channel="api", body_text=ANGRY, occurred_at=timezone.now(), idempotency_key=key)
        message = message_record_inbound(case=stale, customer=stale.customer, incoming=incoming)
        return signals_record(message).risk  # the message's case is the stale copy

    stale = Case.objects.get(pk=case.pk)
    assert stale.risk < 60
    Case.objects.filter(pk=case.pk).update(risk=100)  # raised meanwhile by another message
    assert 60 <= record(stale, "angry-1") < 100
    assert Case.objects.get(pk=case.pk).risk == 100

    Case.objects.filter(pk=case.pk).update(risk=0)
    risk = record(Case.objects.get(pk=case.pk), "angry-2")
    assert Case.objects.get(pk=case.pk).risk == risk >= 60


def test_the_analyser_version_names_the_backend(monkeypatch, encoder):
    monkeypatch.delenv(classifiers.EMBEDDINGS_SWITCH, raising=False)
    default = services.analyser_version()
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    stacked = services.analyser_version()
    assert stacked == default + "+emb-" + embeddings.MODEL_SHA256[:10]
    assert len(stacked) <= MessageAnalysis._meta.get_field("analyser_version").max_length
