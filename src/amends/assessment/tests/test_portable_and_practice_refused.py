"""The portable records of a learner's real work validate against their published models and schemas;
and practice with simulated customers can never become evidence: not through the service, the database,
the API or the pages."""

import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.assessment.decisions import criterion_decide, learner_enrol, sample_record
from amends.assessment.evidence import method_checked
from amends.assessment.models import EvidenceItem
from amends.assessment.portable import learner_statements, unit_badge
from amends.assessment.selectors import portfolio
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import DomainError
from amends.process.steps import understanding_confirm, understanding_record
from amends.standards.validation import badge_errors, case_errors, statement_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(case_handler, assessor, complaints_lead, complaints_team):
    learner_enrol(actor=complaints_lead, learner=case_handler, assessor=assessor, units=["CFACSC4"])
    case = make_case(team=complaints_team, owner=case_handler)
    u = understanding_record(case=case, actor=case_handler, what_happened="x", impact="y", outcome_wanted="z")
    understanding_confirm(understanding=u, via="phone", actor=case_handler)
    return case_handler


def test_the_learners_statements_validate_with_the_xapi_library(learner, assessor, iqa):
    items = [i.pk for i in EvidenceItem.objects.filter(learner=learner) if "CFACSC4 P10" in i.criteria]
    decision = criterion_decide(
        assessor=assessor,
        learner=learner,
        code="CFACSC4 P10",
        stage="final",
        comment="Good",
        evidence_ids=items,
        signed_name="Ash Assessor",
    )
    sample_record(iqa=iqa, decision=decision, outcome="accepted", comment="Sound", signed_name="Ivy Quality")
    statements = learner_statements(learner)
    assert statements and all(statement_errors(s) == [] for s in statements)
    verbs = {s["verb"]["id"].rsplit("/", 1)[-1] for s in statements}
    assert {"evidenced", "judged-competent", "sampled"} <= verbs
    assert "hal@" not in json.dumps(statements)  # people by opaque account, never email


def test_a_unit_signed_off_after_iqa_gives_a_badge_that_validates(learner, assessor, iqa):
    folio = portfolio(learner)
    # Sign off every CFACSC4 criterion against one item, made to name them all (the badge is the point here).
    item = EvidenceItem.objects.filter(learner=learner).last()
    for row in folio.units[0].rows:
        item.criteria = sorted({*item.criteria, row.criterion.reference})
    EvidenceItem.objects.filter(pk=item.pk).update(criteria=item.criteria)
    for row in folio.units[0].rows:
        decision = criterion_decide(
            assessor=assessor,
            learner=learner,
            code=row.criterion.reference,
            stage="final",
            comment="Seen",
            evidence_ids=[item.pk],
            signed_name="Ash Assessor",
        )
    sample_record(iqa=iqa, decision=decision, outcome="accepted", comment="Sound", signed_name="Ivy Quality")
    folio = portfolio(learner)
    assert folio.units[0].complete
    badge = unit_badge(folio, folio.units[0])
    assert badge_errors(badge) == []
    assert "not the awarding body's certificate" in badge["description"]
    assert login(learner).get(f"/competence/learners/{learner.pk}/badges/CFACSC4.json").status_code == 200


def test_no_badge_before_iqa(learner):
    assert login(learner).get(f"/competence/learners/{learner.pk}/badges/CFACSC4.json").status_code == 404


def test_the_case_package_downloads_and_validates(learner):
    response = login(learner).get("/competence/case/CFACSC4.json")
    assert case_errors(json.loads(response.content)) == []


@pytest.mark.parametrize("method", ["practice", "simulation", "Practice_Session", "role_play"])
def test_the_service_refuses_practice_as_evidence(method):
    with pytest.raises(DomainError) as refused:
        method_checked(method)
    assert refused.value.code == "practice_is_not_evidence"


def test_the_database_refuses_a_practice_row(learner):
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceItem.objects.create(
            learner=learner,
            method="simulation",
            criteria=["CFACSC4 P11"],
            what="Practice",
            channel="written",
            situation="routine",
            occurred_at=timezone.now(),
            captured_at=timezone.now(),
            content_hash="x",
        )


def test_the_api_refuses_practice_and_changes_nothing(learner):
    before = EvidenceItem.objects.count()
    response = api_client(learner).post(
        f"/api/v1/competence/learners/{learner.pk}/evidence",
        {"method": "practice", "criteria": ["CFACSC4 P11"], "text": "My practice session scored 90"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "practice_is_not_evidence"
    assert EvidenceItem.objects.count() == before
    ok = api_client(learner).post(
        f"/api/v1/competence/learners/{learner.pk}/evidence",
        {"method": "reflective_account", "criteria": ["CFACSC4 K4"], "text": "Empathy is"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["provenance"] == "real"


def test_the_api_serves_the_portfolio_to_the_learner_only_and_their_assessor(learner, assessor, adviser):
    assert api_client(learner).get(f"/api/v1/competence/learners/{learner.pk}/portfolio").status_code == 200
    assert api_client(assessor).get(f"/api/v1/competence/learners/{learner.pk}/xapi").status_code == 200
    assert api_client(adviser).get(f"/api/v1/competence/learners/{learner.pk}/portfolio").status_code == 404


def test_the_xapi_command_prints_and_sends_to_a_learning_record_store(learner, settings):
    import threading
    from http.server import HTTPServer
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from amends.standards.tests.test_xapi import LoopbackLRS

    out = StringIO()
    call_command("competence", "xapi", "--learner", learner.username, stdout=out)
    printed = json.loads(out.getvalue())
    assert printed and all(statement_errors(s) == [] for s in printed)
    with pytest.raises(CommandError):  # nowhere to send to
        call_command("competence", "xapi", "--send", stdout=StringIO())
    server = HTTPServer(("127.0.0.1", 0), LoopbackLRS)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.AMENDS_LRS_ENDPOINT = f"http://127.0.0.1:{server.server_port}/xapi/"
    settings.AMENDS_LRS_KEY, settings.AMENDS_LRS_SECRET = "key", "secret"
    try:
        out = StringIO()
        call_command("competence", "xapi", "--send", stdout=out)
    finally:
        thread.join(timeout=5)
        server.server_close()
    assert out.getvalue().startswith(f"{len(printed)} statements sent")
    assert LoopbackLRS.received[-1][0] == "/xapi/statements"
