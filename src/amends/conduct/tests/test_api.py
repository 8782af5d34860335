"""The conduct API does what the pages do, through the same services and permission questions: for each
endpoint, it works for a role that may; it refuses a role that may not (403) or a record the caller cannot
see (404); and bad input is refused (400) with nothing changed."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from amends.conduct import services
from amends.conduct.models import Appeal, ConductDecision, WarningMarker, WellbeingFollowUp
from amends.conduct.services import RestrictionIn
from amends.conftest import api_client

pytestmark = pytest.mark.django_db


def _post(user, url, body=None):
    return api_client(user).post(url, json.dumps(body or {}), content_type="application/json")


def _get(user, url):
    return api_client(user).get(url)


def _days(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def _everything() -> dict:
    """Every conduct row, the audit trail (but the API tokens each call makes), the case events, the
    letters, the messages and the notifications."""
    labels = {
        "core.AuditEvent",
        "core.Notification",
        "cases.CaseEvent",
        "letters.Letter",
        "messaging.Message",
    }
    state = {}
    for model in apps.get_models():
        if model._meta.app_label == "conduct" or model._meta.label in labels:
            rows = model.objects.all()
            if model._meta.label == "core.AuditEvent":
                rows = rows.exclude(kind__startswith="api_token.")
            state[model._meta.label] = sorted(repr(row) for row in rows.values())
    return state


def _incident(case, adviser):
    return services.incident_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        category="abuse-harassment",
        channel="phone",
        description="Swore at me repeatedly",
    )


@pytest.fixture
def decision(case, adviser, team_leader):
    """A one-channel restriction (email only) the team leader decided on the adviser's report."""
    return services.decision_make(
        actor=team_leader,
        customer=case.customer,
        level="L3",
        reasons="Abuse on the phone after a written warning",
        incidents=[_incident(case, adviser)],
        restrictions=[RestrictionIn("one-channel", {"channels": ["email"]})],
        adjustments_considered="Email lets them write when calm; no support needs recorded",
        review_due=timezone.localdate() + timedelta(days=90),
        case=case,
    )


@pytest.fixture
def safety(case, adviser, team_leader):
    """A safety report with a warning marker managers may see, and the team leader's follow-up."""
    return services.safety_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        channel="phone",
        description="Threatened to come to the office",
        verbatim="I will come down there and hurt someone",
        immediate_action="ended_call",
        marker=services.MarkerRequest(
            reason="Threatened staff", visible_to=["team_leader", "complaints_lead", "admin"]
        ),
    )


# --- GET a decision ----------------------------------------------------------------------------------


def test_get_a_decision_with_its_reviews_and_appeals(decision, adviser, team_leader):
    services.appeal_lodge(actor=adviser, decision=decision, grounds="I was upset, not abusive")
    got = _get(adviser, f"/api/v1/conduct/decisions/{decision.pk}")
    assert got.status_code == 200
    body = got.json()
    assert body["level"] == "L3" and body["status"] == "active" and body["decided_by"] == team_leader.pk
    assert body["restrictions"] == [{"type": "one-channel", "parameters": {"channels": ["email"]}}]
    assert body["case"] == decision.case.reference and "email only" in body["arrangement"]
    assert body["reviews"] == []
    assert [a["grounds"] for a in body["appeals"]] == ["I was upset, not abusive"]
    assert body["appeals"][0]["outcome"] is None


def test_get_a_decision_is_refused_to_an_assessor_and_hidden_from_another_team(
    decision, assessor, other_team_adviser
):
    assert _get(assessor, f"/api/v1/conduct/decisions/{decision.pk}").status_code == 403
    hidden = _get(other_team_adviser, f"/api/v1/conduct/decisions/{decision.pk}")
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "not_found"


def test_get_a_decision_that_is_not_there(adviser, case):
    got = _get(adviser, "/api/v1/conduct/decisions/999999")
    assert got.status_code == 404 and got.json()["error"]["code"] == "not_found"


# --- review ------------------------------------------------------------------------------------------


def test_review_lifts_continues_or_varies(case, adviser, team_leader, decision):
    url = f"/api/v1/conduct/decisions/{decision.pk}/review"
    continued = _post(
        team_leader, url, {"outcome": "continue", "reasons": "Still abusive", "next_review_due": _days(60)}
    )
    assert continued.status_code == 200
    assert continued.json()["review_due"] == _days(60)
    assert [r["outcome"] for r in continued.json()["reviews"]] == ["continue"]

    varied = _post(
        team_leader,
        url,
        {
            "outcome": "vary",
            "reasons": "Calmer on email; letters too",
            "variation": {
                "level": "L3",
                "restrictions": [{"type": "one-channel", "parameters": {"channels": ["email", "letter"]}}],
                "review_due": _days(90),
            },
        },
    )
    assert varied.status_code == 200 and varied.json()["status"] == "superseded"
    new_id = varied.json()["reviews"][-1]["new_decision"]
    new = ConductDecision.objects.get(pk=new_id)
    assert new.status == "active" and new.replaces_id == decision.pk and new.reasons.startswith("Calmer")
    assert new.restrictions.get().parameters == {"channels": ["email", "letter"]}

    lifted = _post(
        team_leader, f"/api/v1/conduct/decisions/{new_id}/review", {"outcome": "lift", "reasons": "Fine"}
    )
    assert lifted.status_code == 200 and lifted.json()["status"] == "lifted"
    assert not ConductDecision.objects.filter(customer=case.customer, status="active").exists()


def test_review_is_refused_to_a_role_the_level_does_not_name(decision, adviser):
    before = _everything()
    refused = _post(
        adviser,
        f"/api/v1/conduct/decisions/{decision.pk}/review",
        {"outcome": "lift", "reasons": "I think they are fine now"},
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert _everything() == before


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "continue", "reasons": "Still abusive"},  # no new review date
        {"outcome": "continue", "reasons": "Still", "next_review_due": "2000-01-01"},
        {"outcome": "lift", "reasons": "  "},
        {"outcome": "vary", "reasons": "Change it"},  # no variation
        {
            "outcome": "vary",
            "reasons": "Close all",
            "variation": {
                "level": "L3",
                "restrictions": [{"type": "one-channel", "parameters": {"channels": []}}],
                "review_due": "2099-01-01",
            },
        },
    ],
)
def test_review_bad_input_is_refused_and_changes_nothing(decision, team_leader, body):
    before = _everything()
    refused = _post(team_leader, f"/api/v1/conduct/decisions/{decision.pk}/review", body)
    assert refused.status_code == 400, refused.content
    assert refused.json()["error"]["message"]
    assert _everything() == before


# --- appeals -----------------------------------------------------------------------------------------


def test_an_appeal_is_lodged_and_decided_by_someone_not_involved(
    decision, adviser, team_leader, complaints_lead, mailoutbox
):
    lodged = _post(
        adviser, f"/api/v1/conduct/decisions/{decision.pk}/appeals", {"grounds": "I was upset, not abusive"}
    )
    assert lodged.status_code == 201
    appeal = Appeal.objects.get(pk=lodged.json()["id"])
    assert appeal.recorded_by == adviser and appeal.is_open

    # The decision maker is involved: refused.
    url = f"/api/v1/conduct/appeals/{appeal.pk}/decide"
    assert _post(team_leader, url, {"outcome": "upheld", "reasons": "It stands"}).status_code == 403
    decided = _post(complaints_lead, url, {"outcome": "overturned", "reasons": "One call; apologised"})
    assert decided.status_code == 200, decided.content
    assert decided.json()["outcome"] == "overturned" and decided.json()["decided_by"] == complaints_lead.pk
    decision.refresh_from_db()
    assert decision.status == "overturned"
    assert decision.case.messages.filter(subject__startswith="Your appeal").exists()


def test_an_appeal_is_refused_to_an_assessor_and_hidden_from_another_team(
    decision, assessor, other_team_adviser
):
    before = _everything()
    url = f"/api/v1/conduct/decisions/{decision.pk}/appeals"
    assert _post(assessor, url, {"grounds": "Unfair"}).status_code == 403
    assert _post(other_team_adviser, url, {"grounds": "Unfair"}).status_code == 404
    assert _everything() == before


def test_an_appeal_without_grounds_is_refused_and_changes_nothing(decision, adviser):
    before = _everything()
    refused = _post(adviser, f"/api/v1/conduct/decisions/{decision.pk}/appeals", {"grounds": " "})
    assert refused.status_code == 400 and refused.json()["error"]["fields"] == {"grounds": "required"}
    assert _everything() == before


def test_deciding_an_appeal_is_refused_to_an_assessor_or_another_team(
    decision, adviser, assessor, other_team_adviser
):
    appeal = services.appeal_lodge(actor=adviser, decision=decision, grounds="Unfair")
    before = _everything()
    url = f"/api/v1/conduct/appeals/{appeal.pk}/decide"
    assert _post(assessor, url, {"outcome": "upheld", "reasons": "r"}).status_code == 403
    assert _post(other_team_adviser, url, {"outcome": "upheld", "reasons": "r"}).status_code == 404
    assert _everything() == before


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "upheld", "reasons": ""},
        {"outcome": "varied", "reasons": "Vary it"},  # no variation
        {"outcome": "varied", "reasons": "Vary it", "variation": {"level": "L9"}},
    ],
)
def test_deciding_an_appeal_with_bad_input_changes_nothing(decision, adviser, complaints_lead, body):
    appeal = services.appeal_lodge(actor=adviser, decision=decision, grounds="Unfair")
    before = _everything()
    refused = _post(complaints_lead, f"/api/v1/conduct/appeals/{appeal.pk}/decide", body)
    assert refused.status_code == 400, refused.content
    assert _everything() == before


# --- the notice --------------------------------------------------------------------------------------


def test_the_notice_is_sent_by_the_channel_left_open(decision, team_leader):
    sent = _post(team_leader, f"/api/v1/conduct/decisions/{decision.pk}/notice")
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["status"] == "sent" and body["channel"] == "email" and body["case"] == decision.case.reference
    decision.refresh_from_db()
    assert decision.notice_id == body["letter"]
    again = _post(team_leader, f"/api/v1/conduct/decisions/{decision.pk}/notice")
    assert again.status_code == 409


def test_the_notice_is_refused_to_a_role_the_level_does_not_name(decision, adviser, assessor):
    before = _everything()
    assert _post(adviser, f"/api/v1/conduct/decisions/{decision.pk}/notice").status_code == 403
    assert _post(assessor, f"/api/v1/conduct/decisions/{decision.pk}/notice").status_code == 403
    assert _everything() == before


def test_a_notice_of_a_decision_no_longer_active_is_refused_and_changes_nothing(decision, team_leader):
    services.decision_review(actor=team_leader, decision=decision, outcome="lift", reasons="Better")
    before = _everything()
    refused = _post(team_leader, f"/api/v1/conduct/decisions/{decision.pk}/notice")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    assert _everything() == before


# --- markers -----------------------------------------------------------------------------------------


def test_markers_are_listed_only_to_the_roles_they_name(
    case, safety, adviser, team_leader, assessor, other_team_adviser
):
    services.marker_add(
        actor=adviser,
        customer=case.customer,
        reason="Raises their voice in person",
        basis="HSWA 1974",
        visible_to=["adviser", "team_leader"],
        review_due=timezone.localdate() + timedelta(days=30),
    )
    url = f"/api/v1/customers/{case.customer_id}/conduct/markers"
    leader = _get(team_leader, url)
    assert leader.status_code == 200
    assert [m["reason"] for m in leader.json()] == ["Threatened staff", "Raises their voice in person"]
    assert leader.json()[0]["incident"] == safety.incident.pk
    assert [m["reason"] for m in _get(adviser, url).json()] == ["Raises their voice in person"]
    assert _get(assessor, url).json() == []
    assert _get(other_team_adviser, url).status_code == 404


def test_a_marker_is_added(case, adviser):
    added = _post(
        adviser,
        f"/api/v1/customers/{case.customer_id}/conduct/markers",
        {"reason": "Threatened to follow staff home", "visible_to": ["team_leader", "adviser"]},
    )
    assert added.status_code == 201, added.content
    marker = WarningMarker.objects.get(pk=added.json()["id"])
    assert marker.visible_to == ["adviser", "team_leader"] and marker.created_by == adviser
    assert marker.review_due == timezone.localdate() + timedelta(days=180)
    assert added.json()["basis"].startswith("Health and Safety at Work")


def test_adding_a_marker_is_refused_to_an_assessor_and_another_team(case, assessor, other_team_adviser):
    before = _everything()
    url = f"/api/v1/customers/{case.customer_id}/conduct/markers"
    assert _post(assessor, url, {"reason": "x"}).status_code == 403
    assert _post(other_team_adviser, url, {"reason": "x"}).status_code == 404
    assert _everything() == before


@pytest.mark.parametrize(
    "body",
    [
        {"reason": ""},
        {"reason": "Threats", "visible_to": []},
        {"reason": "Threats", "visible_to": ["caretaker"]},
        {"reason": "Threats", "review_due": "2000-01-01"},
        {"reason": "Threats", "review_due": "2099-01-01"},  # more than a year away
        {"reason": "Threats", "basis": " "},
    ],
)
def test_adding_a_marker_with_bad_input_changes_nothing(case, adviser, body):
    before = _everything()
    refused = _post(adviser, f"/api/v1/customers/{case.customer_id}/conduct/markers", body)
    assert refused.status_code == 400, refused.content
    assert _everything() == before


def test_a_marker_is_reviewed_and_removed_by_a_manager(safety, team_leader):
    marker = safety.marker
    reviewed = _post(
        team_leader,
        f"/api/v1/conduct/markers/{marker.pk}/review",
        {"reasons": "Threats repeated last month", "review_due": _days(60)},
    )
    assert reviewed.status_code == 200 and reviewed.json()["review_due"] == _days(60)
    assert reviewed.json()["reviewed_at"] is not None
    removed = _post(
        team_leader, f"/api/v1/conduct/markers/{marker.pk}/remove", {"reason": "No contact in a year"}
    )
    assert removed.status_code == 200 and removed.json()["removed_reason"] == "No contact in a year"
    marker.refresh_from_db()
    assert marker.removed_by == team_leader and marker.removed_at is not None
    # Gone from the list, and it cannot be removed twice (not there any more).
    assert _get(team_leader, f"/api/v1/customers/{marker.customer_id}/conduct/markers").json() == []
    assert (
        _post(team_leader, f"/api/v1/conduct/markers/{marker.pk}/remove", {"reason": "x"}).status_code == 404
    )


def test_reviewing_or_removing_a_marker_is_refused_to_those_who_may_not(case, adviser, case_handler):
    marker = services.marker_add(
        actor=adviser,
        customer=case.customer,
        reason="Threats",
        basis="HSWA 1974",
        visible_to=["adviser", "team_leader"],
        review_due=timezone.localdate() + timedelta(days=30),
    )
    before = _everything()
    review = {"reasons": "Still", "review_due": _days(60)}
    # An adviser sees it but does not keep markers; a case handler is not among the roles it names.
    assert _post(adviser, f"/api/v1/conduct/markers/{marker.pk}/review", review).status_code == 403
    assert _post(adviser, f"/api/v1/conduct/markers/{marker.pk}/remove", {"reason": "x"}).status_code == 403
    assert _post(case_handler, f"/api/v1/conduct/markers/{marker.pk}/review", review).status_code == 404
    assert (
        _post(case_handler, f"/api/v1/conduct/markers/{marker.pk}/remove", {"reason": "x"}).status_code == 404
    )
    assert _everything() == before


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("review", {"reasons": "Still"}),  # no review date
        ("review", {"reasons": "Still", "review_due": "2000-01-01"}),
        ("review", {"reasons": " ", "review_due": "2099-01-01"}),
        ("review", {"reasons": "", "review_due": (timezone.localdate() + timedelta(days=9)).isoformat()}),
        ("remove", {"reason": "  "}),
    ],
)
def test_reviewing_or_removing_a_marker_with_bad_input_changes_nothing(safety, team_leader, action, body):
    before = _everything()
    refused = _post(team_leader, f"/api/v1/conduct/markers/{safety.marker.pk}/{action}", body)
    assert refused.status_code == 400, refused.content
    assert _everything() == before


# --- wellbeing follow-ups -------------------------------------------------------------------------------


def test_a_follow_up_is_done_by_its_team_leader(safety, adviser, team_leader):
    done = _post(
        team_leader,
        f"/api/v1/conduct/follow-ups/{safety.follow_up.pk}/done",
        {"note": "Spoke to Ada; shaken, took the afternoon off; EAP details given"},
    )
    assert done.status_code == 200, done.content
    assert done.json()["staff_member"] == adviser.pk and done.json()["done_by"] == team_leader.pk
    follow_up = WellbeingFollowUp.objects.get(pk=safety.follow_up.pk)
    assert follow_up.done_at is not None and follow_up.note.startswith("Spoke to Ada")
    again = _post(team_leader, f"/api/v1/conduct/follow-ups/{safety.follow_up.pk}/done", {"note": "x"})
    assert again.status_code == 409


def test_a_follow_up_is_refused_to_others(safety, adviser, case_handler, assessor, other_team_adviser):
    before = _everything()
    url = f"/api/v1/conduct/follow-ups/{safety.follow_up.pk}/done"
    assert _post(adviser, url, {"note": "I am fine"}).status_code == 403  # not theirs to close
    assert _post(case_handler, url, {"note": "x"}).status_code == 403
    assert _post(assessor, url, {"note": "x"}).status_code == 403
    assert _post(other_team_adviser, url, {"note": "x"}).status_code == 404
    assert _everything() == before


def test_a_follow_up_without_a_note_changes_nothing(safety, team_leader):
    before = _everything()
    refused = _post(team_leader, f"/api/v1/conduct/follow-ups/{safety.follow_up.pk}/done", {"note": " "})
    assert refused.status_code == 400 and refused.json()["error"]["fields"] == {"note": "required"}
    assert _everything() == before


# --- incidents --------------------------------------------------------------------------------------


def test_incidents_are_listed_newest_first_a_page_at_a_time(case, safety, adviser):
    _incident(case, adviser)
    first = _get(adviser, "/api/v1/incidents?limit=1")
    assert first.status_code == 200
    assert [i["category"] for i in first.json()["items"]] == ["abuse-harassment"]
    cursor = first.json()["next_cursor"]
    second = _get(adviser, f"/api/v1/incidents?limit=1&cursor={cursor}")
    assert [i["category"] for i in second.json()["items"]] == ["violence-threats"]
    assert second.json()["next_cursor"] is None
    only = _get(adviser, f"/api/v1/incidents?category=violence-threats&customer={case.customer_id}")
    assert [i["id"] for i in only.json()["items"]] == [safety.incident.pk]
    assert only.json()["items"][0]["verbatim"] == "I will come down there and hurt someone"


def test_incidents_are_refused_to_an_assessor_and_empty_for_another_team(
    case, safety, assessor, other_team_adviser
):
    assert _get(assessor, "/api/v1/incidents").status_code == 403
    other = _get(other_team_adviser, "/api/v1/incidents")
    assert other.status_code == 200 and other.json() == {"items": [], "next_cursor": None}


def test_incidents_with_a_cursor_not_given_out_are_refused(safety, adviser):
    refused = _get(adviser, "/api/v1/incidents?cursor=abc")
    assert refused.status_code == 400 and refused.json()["error"]["fields"] == {"cursor": "invalid"}
