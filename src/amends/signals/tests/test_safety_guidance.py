"""Safety alerts say what to do (signposting for self-harm, the threat procedure), on the notification and
the case page; the automatic acknowledgement to someone who spoke of self-harm says where to get help now.
The texts are data an organisation can replace (AMENDS_SAFETY_TEXTS)."""

from __future__ import annotations

import json

import pytest

from amends.cases.tests.factories import make_case, make_contact_case
from amends.conftest import login
from amends.core.models import Notification
from amends.intake.services import acknowledge
from amends.messaging.models import Message
from amends.messaging.services import message_log_contact

pytestmark = pytest.mark.django_db

SELF_HARM = "My benefits stopped and the arrears keep growing. Honestly I feel like ending it all."
THREAT = "Fix it this week or I will come down there and hurt someone."


def _ack(case) -> Message:
    return case.messages.get(purpose="acknowledgement")


def test_a_self_harm_alert_signposts_help(team_leader, adviser):
    case = make_case(team=team_leader.staff.team, owner=adviser)
    message_log_contact(case=case, actor=adviser, channel="phone", direction="in", summary=SELF_HARM)
    alert = Notification.objects.get(user=team_leader)
    assert alert.urgency == Notification.Urgency.URGENT
    assert "ending it all" in alert.text
    for words in ("999", "Samaritans 116 123", "NHS 111 option 2"):
        assert words in alert.text, alert.text
    # what to do comes before the quoted words, which a long quote may cut at the 300-character limit
    assert alert.text.index("116 123") < alert.text.index("Said: “")
    page = login(adviser).get(f"/cases/{case.reference}/").content.decode()
    box = page[page.index('class="alert urgent-alert"') :][:1500]
    assert "What to do:" in box and "116 123" in box and "call 999" in box and "NHS 111, option 2" in box


def test_a_threat_alert_names_the_threat_procedure(team_leader, adviser):
    case = make_case(team=team_leader.staff.team, owner=adviser)
    message_log_contact(case=case, actor=adviser, channel="phone", direction="in", summary=THREAT)
    alert = Notification.objects.get(user=team_leader)
    assert "Make sure colleagues are safe" in alert.text and "tell the team leader" in alert.text
    assert "999" in alert.text and "Samaritans" not in alert.text
    page = login(team_leader).get(f"/cases/{case.reference}/").content.decode()
    box = page[page.index('class="alert urgent-alert"') :][:1500]
    assert "Report the incident on the case" in box and "Tell your team leader now" in box


def test_the_acknowledgement_to_someone_who_spoke_of_self_harm_says_where_to_get_help(complaints_team):
    case = make_contact_case(text=SELF_HARM).case
    body = _ack(case).body_text
    assert "Samaritans free on 116 123" in body and "NHS 111" in body and "call 999" in body
    # first after the thank-you, before what happens next
    assert body.index("116 123") < body.index("What happens next")
    calm = make_contact_case(text="My refund has not arrived after three weeks.").case
    assert "Samaritans" not in _ack(calm).body_text


def test_a_threat_alone_adds_no_support_paragraph(complaints_team):
    case = make_contact_case(text=THREAT).case
    assert "Samaritans" not in _ack(case).body_text


def test_an_acknowledgement_sent_again_carries_it_until_the_signal_is_dismissed(complaints_team, adviser):
    from amends.signals.models import MessageSignal
    from amends.signals.services import signal_feedback

    case = make_contact_case(text=SELF_HARM).case
    acknowledge(case)
    assert case.messages.filter(purpose="acknowledgement", body_text__contains="116 123").count() == 2
    signal = MessageSignal.objects.get(case=case, type="self_harm")
    signal_feedback(signal=signal, actor=adviser, verdict="dismissed", note="A quote from a song")
    acknowledge(case)
    latest = case.messages.filter(purpose="acknowledgement").order_by("-id").first()
    assert "116 123" not in latest.body_text


def test_an_organisation_replaces_the_texts(complaints_team, team_leader, adviser, settings, tmp_path):
    own = tmp_path / "safety.json"
    own.write_text(
        json.dumps(
            {
                "self_harm": {
                    "alert": "Ring the duty manager on 0100.",
                    "customer": "Lifeline (Northern Ireland): 0808 808 8000, free, any time.",
                }
            }
        )
    )
    settings.AMENDS_SAFETY_TEXTS = str(own)
    case = make_contact_case(text=SELF_HARM).case
    assert "Lifeline (Northern Ireland): 0808 808 8000" in _ack(case).body_text
    assert "Samaritans" not in _ack(case).body_text
    other = make_case(team=team_leader.staff.team, owner=adviser)
    message_log_contact(case=other, actor=adviser, channel="phone", direction="in", summary=SELF_HARM)
    alert = Notification.objects.filter(user=team_leader, link__contains=other.reference).get()
    assert "Ring the duty manager on 0100." in alert.text
    # what it does not replace stays as shipped
    page = login(adviser).get(f"/cases/{other.reference}/").content.decode()
    assert "116 123" in page
