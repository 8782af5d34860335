"""Signals in the product: intake stores them, alerts go out, the case page shows evidence, advisers judge
them, the queue sorts by risk, and the API and CLIs answer."""

import io
import json

import pytest
from django.core.management import call_command

from amends.cases.models import Case
from amends.cases.selectors import QueueFilters, case_queue
from amends.cases.tests.factories import make_case, make_contact_case
from amends.conftest import login
from amends.core.models import Notification
from amends.signals.models import MessageAnalysis, MessageSignal, SignalFeedback
from amends.signals.services import signal_feedback

pytestmark = pytest.mark.django_db

ANGRY = (
    "This is the third time I have called and you still haven't fixed my boiler. Absolutely disgraceful "
    "service, I am furious. If it isn't sorted today I'm going to the ombudsman and my solicitor."
)


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
    assert "come round and" in alert.text
    assert Notification.objects.filter(user=adviser).exists()
    case.refresh_from_db()
    assert case.risk == 100
    assert case.events.filter(kind="safety_alert").exists()


def test_a_query_that_reads_like_a_complaint_is_flagged_on_the_case_page(adviser):
    from amends.intake.schemas import ContactIn
    from amends.intake.services import intake_contact

    result = intake_contact(
        ContactIn(
            channel="api",
            external_id="q-1",
            kind="query",
            customer={"name": "Sam Query", "email": "sam.query@example.com"},
            text="Why have you charged me twice AGAIN? This is appalling, I want my money back now.",
        )
    )
    Case.objects.filter(pk=result.case.pk).update(team=adviser.staff.team)
    page = login(adviser).get(f"/cases/{result.case.reference}/").content.decode()
    assert "This query reads like a complaint" in page
    assert "Reclassify as a complaint" in page
    assert '<mark class="sig' in page
    flagged = case_queue(adviser, QueueFilters(queue="all", risk="flagged")).rows
    assert [c.pk for c in flagged] == [result.case.pk]


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


def test_feedback_through_the_case_page(complaints_team, adviser, outsider):
    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    signal = MessageSignal.objects.filter(case=case, type="escalation_legal").get()
    url = f"/cases/{case.reference}/signals/{signal.pk}/feedback"
    assert login(outsider).post(url, {"verdict": "dismissed"}).status_code in (302, 403, 404)
    assert not SignalFeedback.objects.exists()
    response = login(adviser).post(url, {"verdict": "confirmed"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.verdict == "confirmed"
    assert case.events.filter(kind="signal_feedback").exists()


def test_queue_sorts_by_risk_with_keyset_pages(adviser):
    team = adviser.staff.team
    cases = [make_case(team=team) for _ in range(5)]
    for risk, case in zip([10, 90, 50, 90, 0], cases, strict=True):
        Case.objects.filter(pk=case.pk).update(risk=risk)
    first = case_queue(adviser, QueueFilters(queue="team", sort="risk"), page_size=2)
    assert [c.risk for c in first.rows] == [90, 90]
    assert first.rows[0].pk > first.rows[1].pk
    second = case_queue(
        adviser, QueueFilters(queue="team", sort="risk", after=first.next_cursor), page_size=2
    )
    assert [c.risk for c in second.rows] == [50, 10]
    high = case_queue(adviser, QueueFilters(queue="team", risk="high")).rows
    assert sorted(c.risk for c in high) == [90, 90]
    page = login(adviser).get("/queue/?queue=team&sort=risk").content.decode()
    assert page.index(cases[3].reference) < page.index(cases[2].reference) < page.index(cases[0].reference)


def test_the_coach_answers_the_reply_box(complaints_team, adviser):
    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    client = login(adviser)
    html = client.post(
        f"/cases/{case.reference}/coach", {"body": "calm down, as I already said it's our policy"}
    ).content.decode()
    assert 'data-kind="provocative_or_dismissive"' in html
    assert 'data-kind="rules_without_explanation"' in html
    assert "calm down" in html
    empty = client.post(f"/cases/{case.reference}/coach", {"body": "  "}).content.decode()
    assert "The coach reads your draft" in empty


def test_api_analyse_coach_and_case_signals(complaints_team, adviser, complaints_lead):
    from amends.core.services import api_token_create

    _, key = api_token_create(user=adviser, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    from django.test import Client

    client = Client()
    body = client.post(
        "/api/v1/signals/analyse", {"text": ANGRY}, content_type="application/json", **auth
    ).json()
    types = {s["type"]: s for s in body["signals"]}
    assert types["escalation_ombudsman"]["score"] > 0.5 and types["escalation_ombudsman"]["spans"]
    assert types["self_harm"]["score"] == 0
    findings = client.post(
        "/api/v1/coach",
        {"draft": "calm down, as I already said it's our policy"},
        content_type="application/json",
        **auth,
    ).json()
    assert "provocative_or_dismissive" in {f["kind"] for f in findings}
    bad = client.post("/api/v1/signals/analyse", {"words": 1}, content_type="application/json", **auth)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"
    # the API reads as much as the reply box and intake accept, and refuses more
    from django.conf import settings

    long_draft = "We will refund you. " * (settings.AMENDS_MAX_TEXT_CHARS // 20)
    ok = client.post("/api/v1/coach", {"draft": long_draft}, content_type="application/json", **auth)
    too_long = client.post(
        "/api/v1/coach", {"draft": long_draft + "!"}, content_type="application/json", **auth
    )
    assert (ok.status_code, too_long.status_code) == (200, 422)

    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    stored = client.get(f"/api/v1/cases/{case.reference}/signals", **auth).json()
    legal = next(s for s in stored if s["type"] == "escalation_legal")
    judged = client.post(
        f"/api/v1/cases/{case.reference}/signals/{legal['id']}/feedback",
        {"verdict": "dismissed", "note": "quoting an old letter"},
        content_type="application/json",
        **auth,
    ).json()
    assert judged["verdict"] == "dismissed"
    assert client.get("/api/v1/signals/feedback", **auth).status_code == 403
    _, lead_key = api_token_create(user=complaints_lead, name="t")
    rows = client.get("/api/v1/signals/feedback", HTTP_AUTHORIZATION=f"Bearer {lead_key}").json()
    assert rows[0]["note"] == "quoting an old letter"


def test_cli_analyse_and_coach_write_one_line_per_input():
    from amends.signals.analyser import SIGNAL_TYPES

    lines = [
        json.dumps({"id": 1, "text": ANGRY}),
        "not json",
        json.dumps({"id": "b", "text": "Thanks, all sorted."}),
    ]
    out = io.StringIO()
    import sys

    stdin = sys.stdin
    try:
        sys.stdin = io.StringIO("\n".join(lines) + "\n")
        with pytest.raises(Exception, match="1 line"):
            call_command("signals", "analyse", stdout=out)
    finally:
        sys.stdin = stdin
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == [1, None, "b"]
    assert rows[1]["line"] == 2 and "error" in rows[1]
    for row in (rows[0], rows[2]):
        assert [s["type"] for s in row["signals"]] == list(SIGNAL_TYPES)
        assert all(0 <= s["score"] <= 1 for s in row["signals"])
    positives = [s for s in rows[0]["signals"] if s["score"] >= 0.5]
    assert positives and all(s["spans"] for s in positives if s["type"] in {"complaint", "escalation_legal"})

    out = io.StringIO()
    try:
        sys.stdin = io.StringIO(
            json.dumps({"id": 7, "text": "calm down, as I already said it's our policy"}) + "\n"
        )
        call_command("coach", stdout=out)
    finally:
        sys.stdin = stdin
    row = json.loads(out.getvalue())
    assert row["id"] == 7 and "provocative_or_dismissive" in {f["kind"] for f in row["findings"]}


def test_evidence_is_words_that_explain_not_a_letter_s_greeting():
    from amends.signals.analyser import analyse

    text = (
        "Dear Sir or Madam,\n\nRe: Final bill wrong\n\nI sent a closing reading on the day I left and "
        "it's been ignored. Please recalculate the final bill. If this isn't resolved I will take it to "
        "the Ombudsman."
    )
    for signal in analyse(text).positives:
        words = [text[a:b].lower() for a, b in signal.spans]
        assert "dear" not in words and "with" not in words, (signal.type, words)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(signal.spans, signal.spans[1:], strict=False)), signal


def test_evidence_beyond_the_models_window_is_quoted_in_the_explanation():
    from amends.signals.analyser import CLASSIFIER_WINDOW, analyse

    text = (
        "My bill is wrong. "
        + "Notes on the account and its dates. " * 20
        + "I am taking this to the Ombudsman."
    )
    assert text.index("Ombudsman") > CLASSIFIER_WINDOW
    complaint = next(s for s in analyse(text).signals if s.type == "complaint")
    assert complaint.score >= 0.5
    assert "'Ombudsman'" in complaint.explanation
    assert "''" not in complaint.explanation


def test_the_coach_says_when_it_cannot_read_a_draft(complaints_team, adviser):
    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    html = login(adviser).post(f"/cases/{case.reference}/coach", {"body": "x" * 100_001}).content.decode()
    assert "The coach cannot read this draft" in html


def test_a_new_message_only_ever_raises_the_case_risk_even_from_a_stale_copy(complaints_team):
    from django.utils import timezone

    from amends.messaging.services import Incoming, message_record_inbound
    from amends.signals.services import signals_record

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
