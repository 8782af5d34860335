"""The competence record as xAPI statements: each validates with Ralph's xAPI models, a broken one does not,
ids are stable, practice is never evidence, and statements reach an LRS (a loopback one here)."""

import base64
import copy
import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from amends.standards import case, xapi
from amends.standards.ids import PortableRecordError
from amends.standards.validation import statement_errors

SITE = "https://amends.example"
SAM = xapi.Person(SITE, "learner-7")  # the learner
PRIYA = xapi.Person(SITE, "user-3")  # Sam's assessor
MORGAN = xapi.Person(SITE, "user-9")  # the internal quality assurer


def evidence(**changes):
    fact = {
        "evidence_id": "42",
        "learner": SAM,
        "occurred_at": datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
        "criteria": ("CFACSC4 P11", "C4 2.4"),
        "method": "case_event",
        "channel": "email",
        "situation": "busy",
        "case_ref": "CR-7F3A",
        "narrative": "Acknowledged within the hour and said what would happen next.",
    }
    return xapi.EvidenceFact(**{**fact, **changes})


def decision(**changes):
    fact = {
        "decision_id": "d-1",
        "learner": SAM,
        "assessor": PRIYA,
        "criterion": "CFACSC4 P11",
        "stage": "final",
        "signed_at": datetime(2026, 12, 2, 14, 0, tzinfo=UTC),
        "signature_hash": "ab" * 32,
        "evidence_ids": ("42",),
        "comment": "Empathy shown without admitting fault, in three cases.",
    }
    return xapi.DecisionFact(**{**fact, **changes})


def sample(**changes):
    fact = {
        "sample_id": "s-1",
        "decision_id": "d-1",
        "iqa": MORGAN,
        "outcome": "accepted",
        "sampled_at": datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
        "comment": "Sufficient and authentic.",
    }
    return xapi.SampleFact(**{**fact, **changes})


def every_statement():
    return (
        xapi.evidence_statements(evidence(), base_url=SITE)
        + [xapi.decision_statement(decision(), base_url=SITE)]
        + xapi.sample_statements(sample(outcome="rejected"), base_url=SITE)
    )


def test_every_statement_validates_with_ralphs_xapi_models():
    statements = every_statement()
    assert len(statements) == 5
    for statement in statements:
        assert statement_errors(statement) == [], statement["verb"]["id"]


def test_a_broken_statement_is_refused():
    good = xapi.evidence_statements(evidence(), base_url=SITE)[0]
    no_actor = copy.deepcopy(good)
    del no_actor["actor"]
    assert any(p.startswith("actor") for p in statement_errors(no_actor))
    empty_verb = copy.deepcopy(good)
    empty_verb["verb"]["display"]["en-GB"] = ""
    assert statement_errors(empty_verb)
    email_only = copy.deepcopy(good)
    email_only["actor"] = {"objectType": "Agent", "mbox": "sam@example.com"}
    assert statement_errors(email_only)
    with pytest.raises(PortableRecordError) as refused:
        xapi.statements_document([good, no_actor])
    assert refused.value.problems and all("statement 2" in p for p in refused.value.problems)


def test_evidence_is_one_statement_per_criterion_aimed_at_its_case_item():
    first, second = xapi.evidence_statements(evidence(), base_url=SITE)
    assert first["object"]["id"] == case.item_uri(SITE, "CFACSC4 P11")
    assert second["object"]["id"] == case.item_uri(SITE, "C4 2.4")
    assert first["verb"]["id"] == "https://amends.example/xapi/verbs/evidenced"
    extensions = first["context"]["extensions"]
    assert extensions["https://amends.example/xapi/extensions/provenance"] == "real"
    assert extensions["https://amends.example/xapi/extensions/situation"] == "busy"
    assert extensions["https://amends.example/xapi/extensions/channel"] == "email"
    grouping = [a["id"] for a in first["context"]["contextActivities"]["grouping"]]
    assert grouping == [
        "https://amends.example/xapi/evidence/42",
        "https://amends.example/xapi/cases/CR-7F3A",
    ]
    assert first["actor"] == {"objectType": "Agent", "account": {"homePage": SITE, "name": "learner-7"}}
    assert first["id"] != second["id"]


def test_a_decision_names_the_assessor_as_authority_and_succeeds_only_when_final():
    final = xapi.decision_statement(decision(), base_url=SITE)
    assert final["verb"]["id"].endswith("/verbs/judged-competent")
    assert final["authority"]["account"]["name"] == "user-3"
    assert final["context"]["instructor"] == final["authority"]
    assert final["result"] == {"completion": True, "success": True, "response": decision().comment}
    assert (
        final["context"]["extensions"]["https://amends.example/xapi/extensions/signature-sha256"] == "ab" * 32
    )
    interim = xapi.decision_statement(decision(stage="working_towards", comment=""), base_url=SITE)
    assert interim["verb"]["id"].endswith("/verbs/judged-working-towards")
    assert interim["result"] == {"completion": False}
    assert statement_errors(interim) == []
    with pytest.raises(PortableRecordError, match="SHA-256"):
        xapi.decision_statement(decision(signature_hash="signed"), base_url=SITE)


def test_a_sample_refers_to_the_decisions_statement_and_a_rejection_voids_it():
    decided = xapi.decision_statement(decision(), base_url=SITE)
    (accepted,) = xapi.sample_statements(sample(), base_url=SITE)
    assert accepted["object"] == {"objectType": "StatementRef", "id": decided["id"]}
    assert accepted["result"]["success"] is True
    rejected, voiding = xapi.sample_statements(sample(outcome="rejected"), base_url=SITE)
    assert rejected["result"]["success"] is False
    assert voiding["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert voiding["object"] == {"objectType": "StatementRef", "id": decided["id"]}


def test_ids_are_the_same_on_every_export():
    assert [s["id"] for s in every_statement()] == [s["id"] for s in every_statement()]
    assert xapi.decision_statement(decision(), base_url=SITE)["id"] == xapi.decision_statement_id("d-1")
    other = xapi.evidence_statements(evidence(evidence_id="43"), base_url=SITE)
    assert {s["id"] for s in other}.isdisjoint(s["id"] for s in every_statement())


def test_practice_is_never_evidence_and_people_are_never_email_addresses():
    with pytest.raises(PortableRecordError, match="method"):
        xapi.evidence_statements(evidence(method="simulation"), base_url=SITE)
    assert not hasattr(xapi, "practice_statement")
    with pytest.raises(PortableRecordError, match="opaque"):
        xapi.Person(SITE, "sam@example.com")
    with pytest.raises(PortableRecordError, match="situation"):
        xapi.evidence_statements(evidence(situation="chaotic"), base_url=SITE)
    with pytest.raises(PortableRecordError, match="no criterion"):
        xapi.evidence_statements(evidence(criteria=("CFACSC4 P99",)), base_url=SITE)
    with pytest.raises(PortableRecordError, match="time zone"):
        xapi.evidence_statements(evidence(occurred_at=datetime(2026, 12, 1, 9, 30)), base_url=SITE)  # noqa: DTZ001


def test_the_document_is_oldest_first_once_each_and_json():
    statements = every_statement()
    document = xapi.statements_document(statements + statements[:2])
    assert [s["id"] for s in document] == [
        s["id"] for s in sorted(statements, key=lambda s: (s["timestamp"], s["id"]))
    ]
    assert json.loads(json.dumps(document)) == document


class LoopbackLRS(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        LoopbackLRS.received.append((self.path, self.headers, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps([s["id"] for s in body]).encode())

    def log_message(self, *args):
        pass


def test_statements_are_posted_to_an_lrs_with_the_xapi_version_header():
    server = HTTPServer(("127.0.0.1", 0), LoopbackLRS)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        statements = every_statement()
        stored = xapi.send_statements(
            f"http://127.0.0.1:{server.server_port}/xapi/", ("key", "secret"), statements
        )
    finally:
        thread.join(timeout=5)
        server.server_close()
    path, headers, body = LoopbackLRS.received[-1]
    assert path == "/xapi/statements"
    assert headers["X-Experience-API-Version"] == "1.0.3"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"key:secret").decode()
    assert stored == [s["id"] for s in body] and len(stored) == len(statements)
