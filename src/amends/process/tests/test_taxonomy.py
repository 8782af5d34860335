"""The root-cause taxonomy a complaints lead keeps, audited; retiring a root cause in use keeps the old
findings; a finding's root cause corrected with a reason and a case event."""

import pytest

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.process import taxonomy
from amends.process.models import Finding, RootCause
from amends.process.steps import finding_record

pytestmark = pytest.mark.django_db


def _cause(code):
    return RootCause.objects.get(code=code)


def _audits(kind):
    return AuditEvent.objects.filter(kind=kind)


def test_add_rename_move_each_audited(complaints_lead):
    cause = taxonomy.root_cause_add(actor=complaints_lead, name="Callback not made", parent=_cause("process"))
    assert (cause.code, cause.parent.code, cause.active) == ("callback-not-made", "process", True)
    taxonomy.root_cause_rename(actor=complaints_lead, cause=cause, name="Call-back not made")
    taxonomy.root_cause_move(actor=complaints_lead, cause=cause, parent=_cause("communication"))
    cause.refresh_from_db()
    assert (cause.name, cause.parent.code) == ("Call-back not made", "communication")
    assert _audits("root_cause.added").get().after["parent"] == "process"
    renamed = _audits("root_cause.renamed").get()
    assert (renamed.before, renamed.after, renamed.actor) == (
        {"name": "Callback not made"},
        {"name": "Call-back not made"},
        complaints_lead,
    )
    assert _audits("root_cause.moved").get().after == {"parent": "communication"}
    group = taxonomy.root_cause_add(actor=complaints_lead, name="Suppliers")
    assert group.parent is None


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (lambda lead: taxonomy.root_cause_add(actor=lead, name=" ", parent=_cause("process")), DomainError),
        (
            lambda lead: taxonomy.root_cause_add(
                actor=lead, name="Delay or backlog", parent=_cause("process")
            ),
            Conflict,
        ),
        (lambda lead: taxonomy.root_cause_add(actor=lead, name="X", parent=_cause("delay")), DomainError),
        (lambda lead: taxonomy.root_cause_add(actor=lead, name="Delay", code="delay"), Conflict),
        (
            lambda lead: taxonomy.root_cause_rename(
                actor=lead, cause=_cause("delay"), name="Delay or backlog"
            ),
            DomainError,
        ),
        (
            lambda lead: taxonomy.root_cause_move(
                actor=lead, cause=_cause("process"), parent=_cause("people")
            ),
            DomainError,
        ),
        (
            lambda lead: taxonomy.root_cause_move(actor=lead, cause=_cause("delay"), parent=_cause("delay")),
            DomainError,
        ),
        (lambda lead: taxonomy.root_cause_retire(actor=lead, cause=_cause("delay"), reason=""), DomainError),
    ],
)
def test_bad_changes_change_nothing(complaints_lead, change, error):
    before = sorted(RootCause.objects.values_list("code", "name", "parent_id", "active"))
    with pytest.raises(error):
        change(complaints_lead)
    assert sorted(RootCause.objects.values_list("code", "name", "parent_id", "active")) == before
    assert not AuditEvent.objects.filter(kind__startswith="root_cause.").exists()


def test_retiring_a_root_cause_in_use_keeps_old_findings(complaints_team, case_handler, complaints_lead):
    case = make_case(team=complaints_team)
    finding_record(
        case=case,
        actor=case_handler,
        outcome="justified",
        facts="f",
        reasoning="r",
        root_cause=_cause("delay"),
    )
    taxonomy.root_cause_retire(actor=complaints_lead, cause=_cause("delay"), reason="Split into two")
    assert RootCause.objects.filter(code="delay", active=False).exists()  # never deleted
    assert Finding.objects.get(case=case).root_cause.code == "delay"
    audit = _audits("root_cause.retired").get()
    assert (audit.after["findings"], audit.reason) == (1, "Split into two")
    other = make_case(team=complaints_team)
    with pytest.raises(DomainError, match="no longer in use"):
        finding_record(
            case=other,
            actor=case_handler,
            outcome="justified",
            facts="f",
            reasoning="r",
            root_cause=_cause("delay"),
        )
    assert not Finding.objects.filter(case=other).exists()
    page = login(complaints_lead).get("/settings/root-causes/").content.decode()
    assert "retired" in page and 'id="rc-delay"' in page
    taxonomy.root_cause_restore(actor=complaints_lead, cause=_cause("delay"))
    assert _cause("delay").active


def test_retiring_a_group_retires_what_is_under_it(complaints_lead):
    taxonomy.root_cause_retire(
        actor=complaints_lead, cause=_cause("third-party"), reason="Outsourced no more"
    )
    assert not RootCause.objects.filter(code__in=["third-party", "contractor"], active=True).exists()
    with pytest.raises(DomainError, match="group is retired"):
        taxonomy.root_cause_restore(actor=complaints_lead, cause=_cause("contractor"))


def test_only_leads_change_the_taxonomy_on_the_page(complaints_lead, team_leader):
    refused = login(team_leader).post("/settings/root-causes/delay/rename", {"name": "Backlog"}, follow=True)
    assert "Only complaints leads" in refused.content.decode()
    assert _cause("delay").name == "Delay or backlog"
    assert "Rename" not in login(team_leader).get("/settings/root-causes/").content.decode()
    client = login(complaints_lead)
    client.post("/settings/root-causes/delay/rename", {"name": "Backlog"})
    client.post("/settings/root-causes/add", {"name": "Wrong address used", "parent": "systems"})
    client.post("/settings/root-causes/wrong-address-used/move", {"parent": "communication"})
    client.post("/settings/root-causes/charges/retire", {"reason": "Now under pricing"})
    assert _cause("delay").name == "Backlog"
    assert _cause("wrong-address-used").parent.code == "communication"
    assert not _cause("charges").active


def test_the_taxonomy_over_the_api(complaints_lead, adviser):
    api = api_client(complaints_lead)
    listed = api.get("/api/v1/root-causes").json()
    assert {"code": "delay", "name": "Delay or backlog", "parent": "process", "active": True} in listed
    added = api.post(
        "/api/v1/root-causes",
        {"name": "Missed call-back", "parent": "process"},
        content_type="application/json",
    )
    assert added.status_code == 200 and added.json()["code"] == "missed-call-back"
    retired = api.post(
        "/api/v1/root-causes/missed-call-back/retire",
        {"reason": "Duplicate"},
        content_type="application/json",
    )
    assert retired.json()["active"] is False
    refused = api_client(adviser).post(
        "/api/v1/root-causes/delay/rename", {"name": "B"}, content_type="application/json"
    )
    assert refused.status_code == 403 and _cause("delay").name == "Delay or backlog"
    unknown = api.post("/api/v1/root-causes/nope/rename", {"name": "B"}, content_type="application/json")
    assert unknown.status_code == 404


def test_a_findings_root_cause_is_corrected_with_a_reason_and_an_event(complaints_team, case_handler):
    case = make_case(team=complaints_team)
    with pytest.raises(Conflict):
        taxonomy.finding_root_cause_correct(
            case=case, actor=case_handler, root_cause=_cause("delay"), reason="r"
        )
    finding = finding_record(case=case, actor=case_handler, outcome="justified", facts="f", reasoning="r")
    client = login(case_handler)
    client.post(
        f"/cases/{case.reference}/process/root-cause", {"root_cause": "delay", "reason": "", "version": 1}
    )
    finding.refresh_from_db()
    assert finding.root_cause is None  # no reason: nothing changed
    client.post(
        f"/cases/{case.reference}/process/root-cause",
        {"root_cause": "system-fault", "reason": "The refund system failed, not the team", "version": 1},
    )
    finding.refresh_from_db()
    assert finding.root_cause.code == "system-fault" and finding.facts == "f"
    event = CaseEvent.objects.get(case=case, kind="root_cause_corrected")
    assert (event.before, event.after["root_cause"], event.reason) == (
        {"root_cause": None},
        "system-fault",
        "The refund system failed, not the team",
    )
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Correct root cause" in page and "Root cause of the finding corrected" in page
    stale = api_client(case_handler).post(
        f"/api/v1/cases/{case.reference}/process/finding/root-cause",
        {"root_cause": "delay", "reason": "r", "version": 2},
        content_type="application/json",
    )
    assert stale.status_code == 409 and Finding.objects.get(case=case).root_cause.code == "system-fault"
