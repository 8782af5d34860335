"""Bulk actions on the queue: each case through the single action's service and permission check, each in
its own transaction, at the version its row was shown; a summary of what was done and why each refusal."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from ninja import Schema

from amends.cases import hooks
from amends.cases.bulk import BULK_LIMIT, Selected, cases_bulk
from amends.cases.lifecycle import Status
from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_event_record, case_transition
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import DomainError, InputTooLarge, PermissionDenied
from amends.process.models import CaseProcess

pytestmark = pytest.mark.django_db


class NoArgs(Schema):
    pass


def _run(actor, action, cases, **args):
    return cases_bulk(
        actor=actor, action=action, selected=[Selected(c.reference, c.version) for c in cases], args=args
    )


def _outcomes(outcome) -> dict[str, tuple[bool, str]]:
    return {r.reference: (r.done, r.code) for r in outcome.results}


def _fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- assign ------------------------------------------------------------------------------------------------


def test_a_team_leader_assigns_many_each_as_the_case_page_would(complaints_team, team_leader, case_handler):
    cases = [make_case(team=complaints_team) for _ in range(3)]

    outcome = _run(team_leader, "assign", cases, owner=case_handler.username)

    assert len(outcome.done) == 3 and not outcome.refused
    for case, result in zip(cases, outcome.results, strict=True):
        fresh = _fresh(case)
        assert fresh.owner == case_handler and result.version == fresh.version == case.version + 1
        assert result.message == "Assigned to Hal Handler"
        event = CaseEvent.objects.get(case=case, kind="assigned")
        assert event.actor == team_leader and event.after == {
            "owner": case_handler.pk,
            "team": complaints_team.pk,
        }


def test_assign_refuses_per_case_an_owner_outside_the_cases_team(
    complaints_team, billing_team, complaints_lead, case_handler
):
    ours, theirs = make_case(team=complaints_team), make_case(team=billing_team)

    outcome = _run(complaints_lead, "assign", [ours, theirs], owner=case_handler.username)

    assert _outcomes(outcome) == {ours.reference: (True, ""), theirs.reference: (False, "invalid")}
    assert outcome.refused[0].message == "Hal Handler is not in Billing"
    assert _fresh(ours).owner == case_handler and _fresh(theirs).owner is None


def test_someone_who_does_not_assign_may_only_take_unassigned_cases_themselves(
    complaints_team, adviser, case_handler
):
    free, taken = make_case(team=complaints_team), make_case(team=complaints_team, owner=case_handler)

    outcome = _run(adviser, "assign", [free, taken], owner=adviser.username)
    assert _outcomes(outcome) == {free.reference: (True, ""), taken.reference: (False, "forbidden")}
    assert (
        outcome.refused[0].message
        == "You can take an unassigned case yourself; a team leader assigns the rest"
    )
    assert _fresh(free).owner == adviser and _fresh(taken).owner == case_handler

    handed = _run(adviser, "assign", [_fresh(free)], owner=case_handler.username)
    assert not handed.done and _fresh(free).owner == adviser


def test_an_unknown_or_unworkable_owner_refuses_the_whole_request_or_every_case(
    complaints_team, team_leader, assessor
):
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError) as unknown:
        _run(team_leader, "assign", [case], owner="nobody-here")
    assert unknown.value.fields == {"owner": "unknown user"}

    outcome = _run(team_leader, "assign", [case], owner=assessor.username)
    assert outcome.refused[0].message == "Ash Assessor is an assessor and does not work cases"
    assert _fresh(case).owner is None


# --- status ------------------------------------------------------------------------------------------------


def test_status_goes_through_the_lifecycle_case_by_case(complaints_team, adviser):
    new, resolved = make_case(team=complaints_team), make_case(team=complaints_team)
    case_transition(case=resolved, to=Status.RESOLVED, actor=adviser)
    resolved = _fresh(resolved)

    outcome = _run(adviser, "status", [new, resolved], to="awaiting_customer")

    assert _outcomes(outcome) == {
        new.reference: (True, ""),
        resolved.reference: (False, "transition_not_allowed"),
    }
    assert outcome.done[0].message == "Moved to awaiting customer"
    assert _fresh(new).status == "awaiting_customer" and _fresh(resolved).status == "resolved"


def test_closing_in_bulk_needs_the_reason_the_single_action_needs(complaints_team, adviser):
    case = make_case(team=complaints_team)
    case_transition(case=case, to=Status.RESOLVED, actor=adviser)
    case = _fresh(case)

    without = _run(adviser, "status", [case], to="closed")
    assert without.refused[0].message == "Say why: closing or re-opening a case needs a reason"
    with_reason = _run(adviser, "status", [case], to="closed", reason="Customer happy")
    assert with_reason.done and _fresh(case).status == "closed"
    assert CaseEvent.objects.get(case=case, kind="status_changed", after={"status": "closed"}).reason == (
        "Customer happy"
    )


def test_an_unknown_status_refuses_the_whole_request(complaints_team, adviser):
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError) as refused:
        _run(adviser, "status", [case], to="shelved")
    assert refused.value.code == "validation_error" and "to" in refused.value.fields
    assert _fresh(case).version == case.version


# --- tag ---------------------------------------------------------------------------------------------------


def test_tag_many_and_already_tagged_counts_as_done(complaints_team, adviser):
    cases = [make_case(team=complaints_team) for _ in range(3)]
    _run(adviser, "tag", cases[:1], tag="Vulnerable")

    outcome = _run(adviser, "tag", cases, tag="vulnerable")

    assert [r.message for r in outcome.results] == [
        "Already tagged “Vulnerable”",
        "Tagged “Vulnerable”",
        "Tagged “Vulnerable”",
    ]
    assert all([t.name for t in _fresh(c).tags.all()] == ["Vulnerable"] for c in cases)
    assert CaseEvent.objects.filter(kind="tag_added").count() == 3


def test_a_tag_name_no_tag_can_have_refuses_the_whole_request(complaints_team, adviser):
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError) as refused:
        _run(adviser, "tag", [case], tag="x" * 41)
    assert refused.value.fields == {"tag": "at most 40 characters"}
    assert not _fresh(case).tags.exists()


# --- regime (registered by process) ------------------------------------------------------------------------


def test_apply_a_regime_through_the_process_service(complaints_team, case_handler):
    complaint, query = make_case(team=complaints_team), make_case(team=complaints_team, kind="query")
    under = make_case(team=complaints_team)
    _run(case_handler, "regime", [under], regime="fca-disp")
    under = _fresh(under)

    outcome = _run(case_handler, "regime", [complaint, query, under], regime="fca-disp")

    assert _outcomes(outcome) == {
        complaint.reference: (True, ""),
        query.reference: (False, "not_a_complaint"),
        under.reference: (False, "conflict"),
    }
    assert outcome.done[0].message.startswith("Now follows ")
    assert CaseProcess.objects.get(case=complaint).regime_version.regime.code == "fca-disp"
    assert not CaseProcess.objects.filter(case=query).exists()
    assert CaseEvent.objects.filter(case=complaint, kind="regime_applied").count() == 1


def test_a_regime_not_in_use_is_refused_on_every_case(no_regime_in_use, complaints_team, case_handler):
    case = make_case(team=complaints_team)
    outcome = _run(case_handler, "regime", [case], regime="fca-disp")
    assert outcome.refused[0].code == "regime_not_in_use" and not CaseProcess.objects.exists()


# --- what every action shares ------------------------------------------------------------------------------


def test_a_case_changed_since_its_row_was_shown_is_reported_not_overwritten(
    complaints_team, team_leader, adviser
):
    shown = [make_case(team=complaints_team) for _ in range(2)]
    case_transition(case=shown[0], to=Status.OPEN, actor=adviser)  # someone moved it after the page showed it

    outcome = _run(team_leader, "assign", shown, owner=adviser.username)

    assert _outcomes(outcome) == {shown[0].reference: (False, "conflict"), shown[1].reference: (True, "")}
    assert "changed by someone else" in outcome.refused[0].message
    assert outcome.refused[0].version == _fresh(shown[0]).version  # what to reload
    assert _fresh(shown[0]).owner is None and _fresh(shown[1]).owner == adviser


def test_a_case_of_another_team_is_not_found_and_a_made_up_one_neither(
    complaints_team, billing_team, team_leader, adviser
):
    ours, theirs = make_case(team=complaints_team), make_case(team=billing_team)
    selected = [Selected(ours.reference), Selected(theirs.reference), Selected("AM-1999-000001")]

    outcome = cases_bulk(actor=team_leader, action="tag", selected=selected, args={"tag": "Checked"})

    assert _outcomes(outcome) == {
        ours.reference: (True, ""),
        theirs.reference: (False, "not_found"),
        "AM-1999-000001": (False, "not_found"),
    }
    assert outcome.refused[0].message == f"No case {theirs.reference} that you can see"
    assert outcome.refused[0].version is None  # nothing about a case they cannot see
    assert not theirs.tags.exists()


def test_a_read_only_role_is_refused_before_any_case(complaints_team, assessor):
    case = make_case(team=complaints_team)
    with pytest.raises(PermissionDenied):
        _run(assessor, "tag", [case], tag="Seen")
    assert not case.tags.exists()


def test_one_refusal_undoes_nothing_else_and_its_own_half_done_work_is_undone(complaints_team, adviser):
    """Each case is its own transaction: an action that wrote something for a case and was then refused
    leaves nothing of it behind, and the cases before and after it keep theirs."""
    cases = [make_case(team=complaints_team) for _ in range(3)]

    def half_then_refuse(case, actor, data):
        case_event_record(case, kind="reclassified", actor=actor, reason="half done")
        if case.pk == cases[1].pk:
            raise DomainError("Refused after writing")
        return "done"

    action = hooks.BulkAction(code="test-half", label="Half", input=NoArgs, run=half_then_refuse)
    hooks.bulk_actions.register(action)
    try:
        outcome = _run(adviser, "test-half", cases)
    finally:
        hooks.bulk_actions.unregister(action)

    assert [r.done for r in outcome.results] == [True, False, True]
    written = set(CaseEvent.objects.filter(reason="half done").values_list("case_id", flat=True))
    assert written == {cases[0].pk, cases[2].pk}


def test_a_case_changed_while_the_batch_runs_is_refused_whatever_version_was_sent(complaints_team, adviser):
    """Each case is held to the version the batch read as well as to the one sent: an action never gets a
    case older than the row it locks (here the client even guessed the version the change would make)."""
    first, second = make_case(team=complaints_team), make_case(team=complaints_team)

    def touch_the_other(case, actor, data):
        if case.pk == first.pk:
            case_transition(case=second, to=Status.OPEN, actor=actor)  # as a colleague would, meanwhile
        return "done"

    action = hooks.BulkAction(code="test-touch", label="Touch", input=NoArgs, run=touch_the_other)
    hooks.bulk_actions.register(action)
    try:
        outcome = cases_bulk(
            actor=adviser,
            action="test-touch",
            selected=[Selected(first.reference), Selected(second.reference, second.version + 1)],
            args={},
        )
    finally:
        hooks.bulk_actions.unregister(action)

    assert _outcomes(outcome) == {first.reference: (True, ""), second.reference: (False, "conflict")}


def test_the_whole_request_is_refused_for_no_case_too_many_or_an_unknown_action(complaints_team, adviser):
    case = make_case(team=complaints_team)
    with pytest.raises(DomainError) as nothing:
        cases_bulk(actor=adviser, action="tag", selected=[], args={"tag": "x"})
    assert nothing.value.code == "nothing_selected"
    many = [Selected(f"AM-2026-{n:06d}") for n in range(BULK_LIMIT + 1)]
    with pytest.raises(InputTooLarge) as too_many:
        cases_bulk(actor=adviser, action="tag", selected=many, args={"tag": "x"})
    assert too_many.value.message.startswith(
        f"At most {BULK_LIMIT} cases at a time: {BULK_LIMIT + 1} were chosen"
    )
    with pytest.raises(DomainError) as unknown:
        cases_bulk(actor=adviser, action="delete", selected=[Selected(case.reference)], args={})
    assert unknown.value.code == "unknown_action" and "assign" in unknown.value.message


def test_a_case_listed_twice_is_acted_on_once(complaints_team, team_leader, adviser):
    case = make_case(team=complaints_team)
    twice = [Selected(case.reference, case.version), Selected(case.reference, case.version)]
    outcome = cases_bulk(actor=team_leader, action="assign", selected=twice, args={"owner": adviser.username})
    assert len(outcome.results) == 1 and outcome.done


# --- how many queries --------------------------------------------------------------------------------------

# Linear by design: every case goes through the single action's service in its own transaction. Per case
# (measured): the bulk's row lock and version check, and the service's own queries: assign 9 (the service's
# lock, its read of the case's team, update, event), status 8 (lock, update, event; a case under a regime adds
# what the process's status listener does), tag 11 (the tag, the link checked and inserted, event); each
# counts the savepoints of the case's transaction and the service's (4, or 6 with get_or_create's). Nothing
# is looked up per case that the batch could share: the cases come in one query, the owner or tag once, the
# versions at the end in one.
PER_CASE = {"assign": 9, "status": 8, "tag": 11}
FIXED = 3


@pytest.mark.parametrize(
    ("action", "args"), [("assign", {"owner": "hal"}), ("status", {"to": "open"}), ("tag", {"tag": "Batch"})]
)
def test_the_queries_are_a_fixed_few_plus_a_bounded_number_per_case(
    complaints_team, team_leader, case_handler, action, args
):
    def queries(n: int) -> int:
        cases = [make_case(team=complaints_team) for _ in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            outcome = _run(team_leader, action, cases, **args)
        assert len(outcome.done) == n, outcome.refused
        return len(ctx.captured_queries)

    queries(1)  # the first tag is made here, once
    small, large = queries(2), queries(12)
    per_case = (large - small) / 10
    assert per_case == int(per_case) <= PER_CASE[action], per_case  # the same cost for every case
    assert small - 2 * per_case <= FIXED, small
    assert small <= FIXED + 2 * PER_CASE[action] and large <= FIXED + 12 * PER_CASE[action]


# --- the queue page and the API ----------------------------------------------------------------------------


def test_the_queue_page_runs_the_button_pressed_and_says_what_happened(
    complaints_team, billing_team, team_leader, case_handler
):
    ours = [make_case(team=complaints_team) for _ in range(2)]
    theirs = make_case(team=billing_team)
    page = login(team_leader)
    queue = page.get("/queue/?queue=team&kind=complaint").content.decode()
    assert f'value="{ours[0].reference}:{ours[0].version}"' in queue
    assert 'name="action" value="regime"' in queue and '<option value="fca-disp">' in queue
    hal = f'<option value="{case_handler.username}">Hal Handler · Complaints · 0 open cases</option>'
    assert hal in queue
    assert '<option value="awaiting_customer">Awaiting customer</option>' in queue

    response = page.post(
        "/queue/bulk",
        {
            "cases": [f"{c.reference}:{c.version}" for c in [*ours, theirs]],
            "action": "assign",
            "assign-owner": case_handler.username,
            "tag-tag": "ignored: another action's box",
            "query": "queue=team&kind=complaint",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/queue/?queue=team&kind=complaint"
    text = response.content.decode()
    assert "Assign: 2 done, 1 refused." in text
    assert f"{theirs.reference}: No case {theirs.reference} that you can see" in text
    assert all(_fresh(c).owner == case_handler for c in ours) and not any(c.tags.exists() for c in ours)


def test_the_queue_page_refuses_a_tampered_version_and_reports_a_whole_request_refusal(
    complaints_team, adviser
):
    case = make_case(team=complaints_team)
    page = login(adviser)
    tampered = page.post(
        "/queue/bulk", {"cases": [case.reference], "action": "tag", "tag-tag": "X"}, follow=True
    )
    assert "Add tag: 0 done, 1 refused." in tampered.content.decode() and not case.tags.exists()
    empty = page.post("/queue/bulk", {"action": "tag", "tag-tag": "X"}, follow=True)
    assert "Choose at least one case" in empty.content.decode()


def test_the_queue_offers_no_bulk_actions_to_a_read_only_role(complaints_team, assessor):
    case = make_case(team=complaints_team)
    queue = login(assessor).get("/queue/").content.decode()
    assert case.reference in queue and "bulk-form" not in queue and 'name="cases"' not in queue
    refused = login(assessor).post(
        "/queue/bulk", {"cases": [f"{case.reference}:1"], "action": "tag", "tag-tag": "X"}, follow=True
    )
    assert "You can read cases but not change them" in refused.content.decode() and not case.tags.exists()


def test_the_api_reports_each_case_and_takes_versions_or_bare_references(
    complaints_team, billing_team, team_leader, adviser
):
    fresh, stale, theirs = (
        make_case(team=complaints_team),
        make_case(team=complaints_team),
        make_case(team=billing_team),
    )
    api = api_client(team_leader)
    body = {
        "action": "assign",
        "references": [
            {"reference": fresh.reference, "expected_version": fresh.version},
            {"reference": stale.reference, "expected_version": stale.version + 5},
            theirs.reference,
        ],
        "args": {"owner": adviser.username},
    }

    response = api.post("/api/v1/cases/bulk", json.dumps(body), content_type="application/json")

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["action"], data["done"], data["refused"]) == ("assign", 1, 2)
    assert [(r["reference"], r["outcome"], r["code"]) for r in data["results"]] == [
        (fresh.reference, "done", ""),
        (stale.reference, "refused", "conflict"),
        (theirs.reference, "refused", "not_found"),
    ]
    assert data["results"][0]["version"] == _fresh(fresh).version and data["results"][2]["version"] is None
    assert _fresh(fresh).owner == adviser and _fresh(stale).owner is None


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"action": "rename", "references": ["AM-2026-000001"]}, 400, "unknown_action"),
        ({"action": "status", "references": ["AM-2026-000001"], "args": {"to": 3}}, 400, "validation_error"),
        ({"action": "tag", "references": [], "args": {"tag": "x"}}, 422, "validation_error"),
        (
            {"action": "tag", "references": ["AM-2026-000001"] * (BULK_LIMIT + 1), "args": {"tag": "x"}},
            422,
            None,
        ),
    ],
)
def test_the_api_refuses_a_request_no_case_could_be_changed_by(adviser, body, status, code):
    response = api_client(adviser).post(
        "/api/v1/cases/bulk", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == status, response.content
    assert code is None or response.json()["error"]["code"] == code


def test_the_api_refuses_a_read_only_role_with_403(complaints_team, assessor):
    case = make_case(team=complaints_team)
    body = {"action": "tag", "references": [case.reference], "args": {"tag": "x"}}
    response = api_client(assessor).post(
        "/api/v1/cases/bulk", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 403 and not case.tags.exists()
