"""The case page: a query that reads like a complaint is flagged, advisers judge signals, the coach answers
the reply box."""

import pytest

from amends.cases.models import Case
from amends.cases.selectors import QueueFilters, case_queue
from amends.cases.tests.factories import make_contact_case
from amends.conftest import login
from amends.signals.models import MessageSignal, SignalFeedback
from amends.signals.tests.messages import ANGRY

pytestmark = pytest.mark.django_db


def test_a_query_that_reads_like_a_complaint_is_flagged_on_the_case_page(adviser):
    from amends.intake.schemas import ContactIn
    from amends.intake.services import intake_contact

    result = intake_contact(
        ContactIn(
            channel="api",
            external_id="q-1",
            kind="query",
            product="Current account",
            customer={"name": "Sam Query", "email": "sam.query@example.com"},
            text="Why have you charged me twice AGAIN? This is appalling, I want my money back now.",
        )
    )
    Case.objects.filter(pk=result.case.pk).update(team=adviser.staff.team)
    page = login(adviser).get(f"/cases/{result.case.reference}/").content.decode()
    assert "This query reads like a complaint" in page
    assert "Reclassify as a complaint" in page
    # The one-click reclassification keeps what the case is about
    assert '<input type="hidden" name="product" value="Current account">' in page
    assert '<mark class="sig' in page
    flagged = case_queue(adviser, QueueFilters(queue="all", risk="flagged")).rows
    assert [c.pk for c in flagged] == [result.case.pk]


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


def test_the_coach_says_when_it_cannot_read_a_draft(complaints_team, adviser):
    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    html = login(adviser).post(f"/cases/{case.reference}/coach", {"body": "x" * 100_001}).content.decode()
    assert "The coach cannot read this draft" in html


def test_the_coach_reads_the_progress_update_into_its_own_box(complaints_team, adviser):
    case = make_contact_case(text=ANGRY).case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    client = login(adviser)
    body = {"body": "calm down, as I already said it's our policy", "target": "progress-coach"}
    html = client.post(f"/cases/{case.reference}/coach", body).content.decode()
    assert html.startswith('<div id="progress-coach" class="coach"')
    assert 'data-kind="provocative_or_dismissive"' in html
    # Only the page's own boxes: any other id is refused, in the reply box's place.
    odd = client.post(f"/cases/{case.reference}/coach", {**body, "target": "main"}).content.decode()
    assert odd.startswith('<div id="coach" class="coach"') and "The coach cannot read this draft" in odd
