"""Support needs (FCA FG21/1; CFACSC4 P5, K3): recorded, changed and ended as append-only versions, audited,
raising the priority of the customer's open cases, and seen only by the roles the record names.

Ada is an adviser in the complaints team, Tess leads it, Lee is the complaints lead, Ash the team's assessor
(never sees support needs unless a record allows it) and Otto an adviser in billing (cannot see the customer).
"""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from amends.care.models import SupportNeedsRecord, SupportNeedsVersion
from amends.care.schemas import SupportNeedsIn
from amends.care.selectors import describe, support_needs_for, support_needs_notices, support_needs_summary
from amends.care.services import support_needs_end, support_needs_record, support_needs_update
from amends.cases.lifecycle import Status
from amends.cases.models import CaseEvent, CasePriority
from amends.cases.services import case_transition
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent

pytestmark = pytest.mark.django_db

BEREAVED = {
    "drivers": [],
    "characteristics": ["bereavement"],
    "circumstances": "Her husband died in March; she is dealing with his accounts.",
    "preferred_channel": "phone",
    "extra_time": True,
    "third_party_name": "Sarah Okafor (daughter)",
    "third_party_kind": "executor",
    "disclosed_via": "phone",
    "lawful_basis": "explicit_consent",
    "lawful_basis_note": "Agreed on the phone to Ada, 6 Dec",
}


def needs(**changes) -> SupportNeedsIn:
    return SupportNeedsIn.model_validate(BEREAVED | changes)


@pytest.fixture
def case(complaints_team, adviser):
    return make_case(team=complaints_team, owner=adviser, email="grace@example.com", name="Grace Okafor")


@pytest.fixture
def recorded(case, adviser):
    return support_needs_record(customer=case.customer, actor=adviser, data=needs())


def test_recording_keeps_the_needs_names_the_driver_and_raises_the_open_cases_priority(
    case, adviser, recorded
):
    assert recorded.number == 1 and recorded.is_active
    assert recorded.drivers == ["life_event"]  # bereavement is a life event (FG21/1)
    assert recorded.visible_to == ["adviser", "case_handler", "team_leader", "complaints_lead", "admin"]
    assert describe(recorded) == (
        "Prefers phone; needs extra time; Sarah Okafor (daughter) (executor) has authority to act for them"
    )
    priority = CasePriority.objects.get(case=case)
    assert priority.source == "care" and "bereave" not in priority.reason.lower()
    event = CaseEvent.objects.get(case=case, kind="priority_raised")
    assert "husband" not in json.dumps(event.after) and event.actor == adviser
    audit = AuditEvent.objects.get(kind="support_needs.recorded")
    assert audit.after["version"] == 1 and "husband" not in json.dumps(audit.after)


def test_a_closed_case_keeps_its_priority_untouched(complaints_team, adviser):
    closed = make_case(team=complaints_team, email="grace@example.com", name="Grace Okafor")
    case_transition(case=closed, to=Status.OPEN, actor=adviser)
    case_transition(case=closed, to=Status.RESOLVED, actor=adviser)
    case_transition(case=closed, to=Status.CLOSED, actor=adviser, reason="Done")
    support_needs_record(customer=closed.customer, actor=adviser, data=needs())
    assert not CasePriority.objects.filter(case=closed).exists()


def test_a_change_is_a_new_version_against_the_one_read(case, adviser, team_leader, recorded):
    changed = support_needs_update(
        customer=case.customer,
        actor=team_leader,
        data=needs(version=1, formats=["large_print"], reason="Asked for large print"),
    )
    assert changed.number == 2 and changed.formats == ["large_print"]
    assert SupportNeedsVersion.objects.get(pk=recorded.pk).formats == []  # the first stays as it was
    assert SupportNeedsRecord.objects.get(customer=case.customer).current == changed
    assert AuditEvent.objects.get(kind="support_needs.changed").after["changed"] == ["formats"]
    with pytest.raises(Conflict):  # someone read version 1: refused, nothing saved
        support_needs_update(customer=case.customer, actor=adviser, data=needs(version=1, extra_time=False))
    assert SupportNeedsVersion.objects.count() == 2
    # Priority was raised once, not again.
    assert CaseEvent.objects.filter(case=case, kind="priority_raised").count() == 1


def test_versions_are_append_only(recorded):
    with pytest.raises(ValueError, match="append-only"):
        recorded.save()
    with pytest.raises(ValueError, match="append-only"):
        recorded.delete()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"characteristics": ["unhappy"]}, "characteristics"),
        ({"drivers": ["money"]}, "drivers"),
        ({"formats": ["smoke_signals"]}, "formats"),
        ({"third_party_name": "", "third_party_kind": "executor"}, "third_party_name"),
        ({"lawful_basis": "because"}, "lawful_basis"),
        ({"disclosed_via": "rumour"}, "disclosed_via"),
        ({"visible_to": []}, "visible_to"),
        ({"visible_to": ["janitor"]}, "visible_to"),
        ({"review_on": "2020-01-01"}, "review_on"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
        (
            {
                "characteristics": [],
                "circumstances": "",
                "preferred_channel": "",
                "extra_time": False,
                "third_party_name": "",
                "third_party_kind": "",
            },
            "needs",
        ),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(case, adviser, changes, field):
    with pytest.raises(DomainError) as refused:
        support_needs_record(customer=case.customer, actor=adviser, data=needs(**changes))
    assert field in refused.value.fields
    assert not SupportNeedsRecord.objects.exists() and not CasePriority.objects.exists()


def test_ending_keeps_the_history_and_puts_the_priority_back(case, adviser, recorded):
    with pytest.raises(DomainError):
        support_needs_end(customer=case.customer, actor=adviser, version=1, reason="  ")
    ended = support_needs_end(customer=case.customer, actor=adviser, version=1, reason="Estate settled")
    assert ended.number == 2 and not ended.is_active and ended.third_party_name == "Sarah Okafor (daughter)"
    assert not CasePriority.objects.filter(case=case).exists()
    assert CaseEvent.objects.filter(case=case, kind="priority_lowered").count() == 1
    assert support_needs_summary(case.customer) is None
    assert AuditEvent.objects.filter(kind="support_needs.ended").count() == 1
    # Recorded again later: a new active version of the same record.
    again = support_needs_record(customer=case.customer, actor=adviser, data=needs(version=2))
    assert again.number == 3 and CasePriority.objects.filter(case=case).exists()


def test_ending_leaves_a_priority_a_person_raised(case, adviser, recorded):
    CasePriority.objects.filter(case=case).update(source="staff")
    support_needs_end(customer=case.customer, actor=adviser, version=1, reason="Estate settled")
    assert CasePriority.objects.filter(case=case).exists()


def test_the_summary_for_the_senior_check(case, adviser, recorded):
    assert support_needs_summary(case.customer).startswith("Prefers phone; needs extra time")
    other = make_case(email="nobody@example.com")
    assert support_needs_summary(other.customer) is None


def test_who_sees_the_record(
    case, recorded, adviser, team_leader, complaints_lead, assessor, other_team_adviser
):
    for person in (adviser, team_leader, complaints_lead):
        assert support_needs_for(person, case.customer) == recorded
    assert support_needs_for(assessor, case.customer) is None
    assert support_needs_notices(assessor, [case.customer_id]) == {}
    assert support_needs_notices(adviser, [case.customer_id])[case.customer_id][0].label == "Support needs"


def test_a_record_may_allow_an_assessor_or_keep_out_advisers(case, adviser, team_leader, assessor):
    support_needs_record(
        customer=case.customer, actor=team_leader, data=needs(visible_to=["team_leader", "assessor"])
    )
    assert support_needs_for(assessor, case.customer) is not None
    assert support_needs_for(adviser, case.customer) is None


# The pages.


def test_the_customer_and_case_pages_show_the_needs_and_the_reply_area_too(case, adviser, recorded):
    client = login(adviser)
    customer_page = client.get(f"/customers/{case.customer_id}/").content.decode()
    assert 'id="support-needs"' in customer_page and "Sarah Okafor (daughter)" in customer_page
    case_page = client.get(f"/cases/{case.reference}/").content.decode()
    reply = case_page[case_page.index('id="reply-h"') :]
    assert "Support needs" in reply[:2000] and "Reply by phone if you can" in reply[:2000]
    assert "Priority raised" in case_page
    queue = client.get("/queue/?risk=priority").content.decode()
    assert case.reference in queue and "Support needs" in queue


def test_an_assessor_sees_nothing_of_them_anywhere(case, recorded, assessor):
    client = login(assessor)
    for url in (f"/customers/{case.customer_id}/", f"/cases/{case.reference}/", "/queue/?queue=all"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "Support needs" not in html and "Sarah Okafor" not in html and "husband" not in html, url
        assert "support" not in html.lower() and "bereave" not in html.lower(), url
    api = api_client(assessor)
    assert api.get(f"/api/v1/customers/{case.customer_id}/support-needs").status_code == 404
    assert "Sarah" not in api.get(f"/api/v1/customers/{case.customer_id}").content.decode()


def test_the_page_form_records_changes_and_ends(case, adviser):
    client = login(adviser)
    form = {
        "version": "0",
        "preferred_channel": "phone",
        "extra_time": "on",
        "characteristics": ["bereavement"],
        "third_party_name": "Sarah Okafor",
        "third_party_kind": "executor",
        "disclosed_via": "phone",
        "lawful_basis": "explicit_consent",
        "visible_to": ["adviser", "team_leader"],
        "review_on": "2030-01-01",
        "back": f"case:{case.reference}",
    }
    response = client.post(f"/customers/{case.customer_id}/support-needs", form)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/#support-needs"
    first = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert first.extra_time and first.visible_to == ["adviser", "team_leader"]
    assert first.review_on == date(2030, 1, 1) and first.recorded_by == adviser
    client.post(f"/customers/{case.customer_id}/support-needs", form | {"version": "1", "formats": ["audio"]})
    assert SupportNeedsRecord.objects.get(customer=case.customer).current.formats == ["audio"]
    # A stale form is refused with a message, nothing saved.
    stale = client.post(f"/customers/{case.customer_id}/support-needs", form | {"version": "1"}, follow=True)
    assert "changed this customer" in stale.content.decode()
    client.post(f"/customers/{case.customer_id}/support-needs/end", {"version": "2", "reason": "Settled"})
    assert not SupportNeedsRecord.objects.get(customer=case.customer).current.is_active


def test_an_assessor_cannot_post_the_forms(case, assessor, recorded):
    client = login(assessor)
    client.post(f"/customers/{case.customer_id}/support-needs", {"version": "1", "extra_time": "on"})
    client.post(f"/customers/{case.customer_id}/support-needs/end", {"version": "1", "reason": "x"})
    assert SupportNeedsVersion.objects.count() == 1


# The API.


def test_the_api_records_reads_changes_and_ends(case, adviser):
    api = api_client(adviser)
    url = f"/api/v1/customers/{case.customer_id}/support-needs"
    assert api.get(url).json() == {"current": None, "history": []}
    created = api.post(url, json.dumps(BEREAVED), content_type="application/json")
    assert created.status_code == 201 and created.json()["version"] == 1
    assert created.json()["summary"].startswith("Prefers phone")
    changed = api.post(
        url, json.dumps(BEREAVED | {"version": 1, "extra_time": False}), content_type="application/json"
    )
    assert changed.status_code == 201 and changed.json()["extra_time"] is False
    stale = api.post(url, json.dumps(BEREAVED | {"version": 1}), content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    bad = api.post(
        url, json.dumps(BEREAVED | {"version": 2, "formats": ["x"]}), content_type="application/json"
    )
    assert bad.status_code == 400 and "formats" in bad.json()["error"]["fields"]
    read = api.get(url).json()
    assert read["current"]["version"] == 2 and [v["version"] for v in read["history"]] == [2, 1]
    ended = api.post(
        f"{url}/end", json.dumps({"version": 2, "reason": "Settled"}), content_type="application/json"
    )
    assert ended.status_code == 201 and ended.json()["status"] == "ended"


def test_the_api_refuses_those_not_allowed(case, recorded, assessor, other_team_adviser):
    url = f"/api/v1/customers/{case.customer_id}/support-needs"
    body = json.dumps(BEREAVED | {"version": 1})
    assert api_client(other_team_adviser).get(url).status_code == 404
    assert api_client(other_team_adviser).post(url, body, content_type="application/json").status_code == 404
    assert api_client(assessor).post(url, body, content_type="application/json").status_code == 403
    assert SupportNeedsVersion.objects.count() == 1


@time_machine.travel("2026-12-07 10:00:00Z", tick=False)
def test_a_new_record_cannot_be_recorded_over_an_active_one(case, adviser, recorded):
    with pytest.raises(Conflict, match="already has support needs"):
        support_needs_record(customer=case.customer, actor=adviser, data=needs(version=1))
