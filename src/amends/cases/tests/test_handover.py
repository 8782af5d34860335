"""Hand-over when a case changes hands: a reason (required once the case has an owner) and a note for the
new owner, kept, shown at the top of the case page to them until they read it, and told to them; the
same through the case page, the API and the queue's bulk assignment.

Hal handles cases in the complaints team, Ada is an adviser in it, Tess leads it.
"""

import json

import pytest
from django.test import Client

from amends.cases.bulk import Selected, cases_bulk
from amends.cases.models import CaseEvent, HandOver
from amends.cases.services import case_assign, handover_read
from amends.cases.tests.factories import make_case
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import Notification
from amends.core.services import api_token_create

pytestmark = pytest.mark.django_db
NOTE = "Refund of £120 promised by Friday; the customer is anxious and prefers email."


@pytest.fixture
def owned(complaints_team, case_handler):
    return make_case(team=complaints_team, owner=case_handler)


def test_a_case_with_an_owner_changes_hands_only_with_a_reason_and_a_note(owned, adviser, team_leader):
    with pytest.raises(DomainError) as no_reason:
        case_assign(case=owned, owner=adviser, actor=team_leader, note=NOTE)
    assert "reason" in no_reason.value.fields
    with pytest.raises(DomainError) as no_note:
        case_assign(case=owned, owner=adviser, actor=team_leader, reason="leave")
    assert "note" in no_note.value.fields
    owned.refresh_from_db()
    assert owned.owner.username == "hal" and not HandOver.objects.exists()

    case_assign(case=owned, owner=adviser, actor=team_leader, reason="leave", note=NOTE)

    handover = HandOver.objects.get()
    assert (handover.from_owner.username, handover.to_owner.username, handover.reason) == (
        "hal",
        "ada",
        "leave",
    )
    assert handover.note == NOTE and handover.read_at is None
    event = CaseEvent.objects.get(case=owned, kind="handed_over")
    assert event.after == {"owner": adviser.pk, "reason": "leave", "handover": handover.pk}
    assert CaseEvent.objects.get(case=owned, kind="assigned").reason == "The owner is on leave"
    told = Notification.objects.get(user=adviser)
    assert "handed to you by Tess Leader (the owner is on leave)" in told.text
    assert "£120" not in told.text  # the note is read on the case, not in a notification or an email


def test_the_new_owner_sees_the_note_until_they_read_it(owned, adviser, team_leader):
    case_assign(case=owned, owner=adviser, actor=team_leader, reason="workload", note=NOTE)
    client = Client()
    client.force_login(adviser)
    page = client.get(f"/cases/{owned.reference}/").content.decode()
    assert "I have read the hand-over note" in page and "£120 promised by Friday" in page
    leader = Client()
    leader.force_login(team_leader)
    assert "I have read the hand-over note" not in leader.get(f"/cases/{owned.reference}/").content.decode()

    handover = HandOver.objects.get()
    with pytest.raises(PermissionDenied):
        handover_read(handover=handover, actor=team_leader)
    response = client.post(f"/cases/{owned.reference}/handovers/{handover.pk}/read")
    assert response.status_code == 302
    assert "I have read the hand-over note" not in client.get(f"/cases/{owned.reference}/").content.decode()
    assert CaseEvent.objects.filter(case=owned, kind="handover_read", actor=adviser).count() == 1


def test_a_first_allocation_needs_no_reason(complaints_team, adviser, team_leader):
    case = make_case(team=complaints_team)
    case_assign(case=case, owner=adviser, actor=team_leader, reason="New case for the team")
    assert not HandOver.objects.exists()
    case = make_case(team=complaints_team)
    case_assign(case=case, owner=adviser, actor=team_leader, note="The customer is deaf: write, never call.")
    assert HandOver.objects.get(case=case).note.startswith("The customer is deaf")


def test_the_assign_form_takes_the_reason_and_the_note(owned, adviser, team_leader):
    client = Client()
    client.force_login(team_leader)
    client.post(
        f"/cases/{owned.reference}/owner",
        {"owner": adviser.pk, "version": owned.version, "reason": "expertise", "note": NOTE},
    )
    owned.refresh_from_db()
    assert owned.owner == adviser and HandOver.objects.get().reason == "expertise"


def test_the_api_takes_the_reason_and_the_note(owned, adviser, team_leader):
    _, key = api_token_create(user=team_leader, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/cases/{owned.reference}/assign"
    refused = api.post(url, json.dumps({"owner": "ada", "version": owned.version}), "application/json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    body = {"owner": "ada", "version": owned.version, "reason": "escalation", "note": NOTE}
    assert api.post(url, json.dumps(body), "application/json").status_code == 200
    assert HandOver.objects.get().reason == "escalation"


def test_bulk_assignment_hands_over_with_the_batch_reason(owned, complaints_team, adviser, team_leader):
    fresh = make_case(team=complaints_team)
    outcome = cases_bulk(
        actor=team_leader,
        action="assign",
        selected=[Selected(owned.reference, owned.version), Selected(fresh.reference, fresh.version)],
        args={"owner": "ada", "reason": "workload", "note": NOTE},
    )
    assert len(outcome.done) == 2
    assert list(HandOver.objects.values_list("case_id", "reason")) == [
        (owned.pk, "workload"),
        (fresh.pk, "other"),
    ]
