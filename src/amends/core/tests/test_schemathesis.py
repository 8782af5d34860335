"""schemathesis against the committed OpenAPI document (docs/openapi.json), in-process on the WSGI app.

Every operation is called with generated requests, valid and invalid, under a complaints lead's token, on a
seeded database (a complaint following a regime, with its messages, a customer). Every check runs: no
server error, no response outside the document (status, headers, body schema, content type), invalid input
refused, valid input accepted. The budget is small by default, so `make test` stays quick; set
AMENDS_SCHEMATHESIS_EXAMPLES (say 200) for a longer hunt.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import PositiveDataAcceptanceConfig

from amends.cases.tests.factories import make_contact_case
from amends.core.models import Role
from amends.core.services import api_token_create, staff_create, team_create
from amends.process.models import CaseProcess
from amends.process.services import process_start
from amends.wsgi import application

DOCUMENT = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"
EXAMPLES = int(os.environ.get("AMENDS_SCHEMATHESIS_EXAMPLES", "8"))

schema = schemathesis.openapi.from_path(DOCUMENT)
schema.app = application  # every request in-process through the WSGI handler, probes included
# A valid request may still be refused by a rule about the state it meets, which no schema can carry: a stage
# after the last, a letter kind this regime has not, a regime with an evidence section missing. Those are
# 400s with a domain code (or 409s), and accepted here; a 422 (the document let through what the schema
# behind it refuses) is still a failure.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "400", "401", "403", "404", "409"]
)
# A query parameter the API does not know is ignored (django-ninja reads only the declared ones), as most
# HTTP APIs do; so an extra one is not generated as "invalid". Refusing them would be a decision of its own.
schema.config.generation.update(allow_extra_parameters=False)
seeded: dict[str, str] = {}


@schema.hook
def map_case(context, case):
    """A request meant to be valid names the seeded case or customer half the time, so it gets past the 404
    to the operation's own rules; and it goes without a cursor, which is opaque: only one the API gave out is
    valid (any other is a documented 400), and no schema can say which those are. A request meant to be
    invalid is sent as generated."""
    if not (seeded and case.meta and case.meta.generation.mode.name == "POSITIVE"):
        return case
    params = case.path_parameters or {}
    if "reference" in params and str(params["reference"])[:1] < "n":
        params["reference"] = seeded["reference"]
    if "customer_id" in params:
        params["customer_id"] = seeded["customer_id"]
    for name in ("decision_id", "appeal_id", "marker_id", "follow_up_id"):
        if name in params and name in seeded:
            params[name] = seeded[name]
    if case.query:
        case.query.pop("cursor", None)
    # The API refuses the NUL character in any query or body text (api.TextParser, a documented 422), a rule
    # the document states in prose only: a generated "valid" text holding one is not a valid request.
    case.query = _without_nul(case.query)
    case.body = _without_nul(case.body)
    return case


def _without_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


@pytest.fixture
def api(db):
    """The WSGI app on the test database, and a complaints lead's token for its header."""
    # The real WSGI handler closes the connection after each request; inside the test's transaction that would
    # end it. Django's test client disconnects the same signal for the same reason.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    team = team_create(name="Complaints", slug="complaints")
    lead = staff_create(
        username="lee", password="x", role=Role.COMPLAINTS_LEAD, team=team, first_name="Lee", last_name="Lead"
    )
    _, key = api_token_create(user=lead, name="schemathesis")
    case = make_contact_case(text="I was charged twice and nobody answers. I want a refund.").case
    if not CaseProcess.objects.filter(case=case).exists():
        process_start(case=case, regime_code="fca-disp", actor=lead)
    seeded.update(reference=case.reference, customer_id=str(case.customer_id), **_conduct(case, team))
    yield application, {"Authorization": f"Bearer {key}"}
    seeded.clear()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _conduct(case, team) -> dict[str, str]:
    """The case's customer with a safety report (a warning marker the lead may see, a wellbeing follow-up)
    and a team leader's decision on it, appealed: the lead is involved in neither, so may act on each."""
    from amends.conduct import services as conduct

    adviser = staff_create(username="ada", password="x", role=Role.ADVISER, team=team, first_name="Ada")
    leader = staff_create(username="tia", password="x", role=Role.TEAM_LEADER, team=team, first_name="Tia")
    safety = conduct.safety_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        channel="phone",
        description="Threatened to come to the office",
        verbatim="I will come down there and hurt someone",
        immediate_action="ended_call",
        marker=conduct.MarkerRequest(
            reason="Threatened staff", visible_to=["team_leader", "complaints_lead"]
        ),
    )
    decision = conduct.decision_make(
        actor=leader,
        customer=case.customer,
        level="L2",
        reasons="Threats on the phone",
        incidents=[safety.incident],
        case=case,
    )
    appeal = conduct.appeal_lodge(actor=leader, decision=decision, grounds="I was upset")
    return {
        "decision_id": str(decision.pk),
        "appeal_id": str(appeal.pk),
        "marker_id": str(safety.marker.pk),
        "follow_up_id": str(safety.follow_up.pk),
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_to_its_document(case, api):
    app, headers = api
    case.call_and_validate(app=app, headers=headers)
