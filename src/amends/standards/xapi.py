"""The competence record as xAPI 1.0.3 statements, for a learning record store (LRS). Framework-free.

Three events become statements; practice with simulated customers never does (it is not evidence, and this
module has no statement for it):

- evidence (`EvidenceFact`): the learner *evidenced* a criterion, one statement per criterion the evidence
  maps to, the object the criterion's CASE CFItem (`case.item_uri`); the evidence and the complaint case
  (its pseudonymous reference, never the customer) are grouping activities; channel, situation, method and
  provenance "real" are context extensions.
- an assessor's decision (`DecisionFact`): the learner was *judged competent* (final sign-off) or *judged
  working towards* a criterion; `authority` and `context.instructor` are the assessor; the signature's hash
  is an extension; result.success is true for a final sign-off.
- an internal quality assurer's sample of a decision (`SampleFact`): the IQA *sampled* the decision's
  statement (a StatementRef), result.success whether it was accepted; a rejected sample also voids the
  decision's statement (ADL `voided`), as the decision is reopened.

People are agents with an account on the site (homePage and an opaque id, never an email address or a
name). Our verbs, activity types and extensions are IRIs under the site's `/xapi/`. Statement ids are UUID 5s
of the evidence, decision or sample id, so exporting again gives the same ids and an LRS keeps one copy.
`statements_document` validates what it is given against Ralph's xAPI models and returns the JSON array an
LRS's `POST /statements` takes (and a download); `send_statements` posts it.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from amends.standards import case, criteria
from amends.standards.ids import PortableRecordError, base, stable_uuid, utc_iso
from amends.standards.validation import statement_errors

XAPI_VERSION = "1.0.3"
LANGUAGE = "en-GB"
ADL_VOIDED = "http://adlnet.gov/expapi/verbs/voided"
ADL_PROFILE_ACTIVITY = "http://adlnet.gov/expapi/activities/profile"

# How the evidence was gathered (the methods the assessment strategy allows). Practice ("simulation") is
# not among them: a practice session is never evidence.
METHODS = ("case_event", "observation", "witness", "reflective_account", "knowledge_check")
SITUATIONS = ("routine", "busy", "quiet", "let_down")
STAGES = ("working_towards", "final")
OUTCOMES = ("accepted", "rejected")


@dataclass(frozen=True)
class Person:
    """Someone on the site, as xAPI identifies them: the site's address and an opaque id of ours (a user or
    learner id), never an email address or a name."""

    home_page: str
    account: str

    def __post_init__(self) -> None:
        if not self.account.strip() or "@" in self.account:
            raise PortableRecordError(f"{self.account!r} is not an opaque account id (no email addresses)")


@dataclass(frozen=True)
class EvidenceFact:
    evidence_id: str
    learner: Person
    occurred_at: datetime
    criteria: tuple[str, ...]
    method: str
    channel: str
    situation: str
    case_ref: str = ""  # the complaint case's pseudonymous reference, when the evidence comes from one
    narrative: str = ""  # short, and without customer personal data


@dataclass(frozen=True)
class DecisionFact:
    decision_id: str
    learner: Person
    assessor: Person
    criterion: str
    stage: str
    signed_at: datetime
    signature_hash: str  # the hex SHA-256 of what the assessor signed
    evidence_ids: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class SampleFact:
    sample_id: str
    decision_id: str
    iqa: Person
    outcome: str
    sampled_at: datetime
    comment: str = ""


def profile_iri(base_url: str, path: str = "") -> str:
    """An IRI of our xAPI profile: `profile_iri(url, "verbs/evidenced")`."""
    return f"{base(base_url)}/xapi/{path}".rstrip("/")


def statement_id(kind: str, key: str) -> str:
    return str(stable_uuid(f"xapi-{kind}", key))


def evidence_statements(fact: EvidenceFact, *, base_url: str) -> list[dict]:
    """One statement per criterion the evidence maps to, each with its own stable id."""
    _check(fact.method, METHODS, "method")
    # A knowledge check is not work done in a situation or on a channel: it carries neither.
    in_work = fact.method != "knowledge_check"
    if in_work:
        _check(fact.situation, SITUATIONS, "situation")
    references = _references(fact.criteria)
    grouping = [_evidence(base_url, fact.evidence_id)]
    if fact.case_ref:
        grouping.append(
            _activity(
                base_url, f"cases/{quote(fact.case_ref, safe='')}", "complaint-case", f"Case {fact.case_ref}"
            )
        )
    statements = []
    for reference in references:
        statement = {
            "id": statement_id("evidence", f"{fact.evidence_id}:{reference}"),
            "actor": _agent(fact.learner),
            "verb": _verb(base_url, "evidenced"),
            "object": _criterion(base_url, reference),
            "context": {
                "contextActivities": {"grouping": grouping, "category": [_profile(base_url)]},
                "language": LANGUAGE,
                "extensions": {
                    **(
                        {
                            profile_iri(base_url, "extensions/channel"): fact.channel,
                            profile_iri(base_url, "extensions/situation"): fact.situation,
                        }
                        if in_work
                        else {}
                    ),
                    profile_iri(base_url, "extensions/method"): fact.method,
                    profile_iri(base_url, "extensions/provenance"): "real",
                },
            },
            "timestamp": utc_iso(fact.occurred_at),
        }
        if fact.narrative.strip():
            statement["result"] = {"response": fact.narrative.strip()}
        statements.append(statement)
    return statements


def decision_statement(fact: DecisionFact, *, base_url: str) -> dict:
    _check(fact.stage, STAGES, "stage")
    if re.fullmatch(r"[0-9a-f]{64}", fact.signature_hash) is None:
        raise PortableRecordError("The signature hash is the hex SHA-256 of what the assessor signed", [])
    (reference,) = _references((fact.criterion,))
    final = fact.stage == "final"
    result: dict = {"completion": final}
    if final:
        result["success"] = True
    if fact.comment.strip():
        result["response"] = fact.comment.strip()
    context: dict = {
        "instructor": _agent(fact.assessor),
        "contextActivities": {"category": [_profile(base_url)]},
        "language": LANGUAGE,
        "extensions": {
            profile_iri(base_url, "extensions/stage"): fact.stage,
            profile_iri(base_url, "extensions/signature-sha256"): fact.signature_hash,
        },
    }
    if fact.evidence_ids:
        context["contextActivities"]["other"] = [_evidence(base_url, e) for e in fact.evidence_ids]
    return {
        "id": decision_statement_id(fact.decision_id),
        "actor": _agent(fact.learner),
        "verb": _verb(base_url, "judged-competent" if final else "judged-working-towards"),
        "object": _criterion(base_url, reference),
        "result": result,
        "context": context,
        "timestamp": utc_iso(fact.signed_at),
        "authority": _agent(fact.assessor),
    }


def decision_statement_id(decision_id: str) -> str:
    return statement_id("decision", decision_id)


def sample_statements(fact: SampleFact, *, base_url: str) -> list[dict]:
    """The sample; when it is rejected, the voiding of the decision's statement too."""
    _check(fact.outcome, OUTCOMES, "outcome")
    accepted = fact.outcome == "accepted"
    decision = {"objectType": "StatementRef", "id": decision_statement_id(fact.decision_id)}
    result: dict = {"success": accepted}
    if fact.comment.strip():
        result["response"] = fact.comment.strip()
    sample = {
        "id": statement_id("sample", fact.sample_id),
        "actor": _agent(fact.iqa),
        "verb": _verb(base_url, "sampled"),
        "object": decision,
        "result": result,
        "context": {
            "contextActivities": {"category": [_profile(base_url)]},
            "language": LANGUAGE,
            "extensions": {profile_iri(base_url, "extensions/outcome"): fact.outcome},
        },
        "timestamp": utc_iso(fact.sampled_at),
        "authority": _agent(fact.iqa),
    }
    if accepted:
        return [sample]
    voiding = {
        "id": statement_id("void", f"{fact.decision_id}:{fact.sample_id}"),
        "actor": _agent(fact.iqa),
        "verb": {"id": ADL_VOIDED, "display": {LANGUAGE: "voided"}},
        "object": decision,
        "timestamp": utc_iso(fact.sampled_at),
        "authority": _agent(fact.iqa),
    }
    return [sample, voiding]


def statements_document(statements: list[dict]) -> list[dict]:
    """The statements as one JSON array (what `POST /statements` takes), oldest first, each once. Raises
    PortableRecordError listing every problem if any statement does not validate."""
    problems = [
        f"statement {number} ({s.get('id', 'no id') if isinstance(s, dict) else 'not an object'}): {problem}"
        for number, s in enumerate(statements, start=1)
        for problem in statement_errors(s)
    ]
    if problems:
        raise PortableRecordError("Some statements are not valid xAPI", problems)
    unique = {s["id"]: s for s in statements}
    return sorted(unique.values(), key=lambda s: (s.get("timestamp", ""), s["id"]))


def send_statements(
    endpoint: str, auth: tuple[str, str], statements: list[dict], *, timeout: float = 10
) -> list[str]:
    """POST the statements to an LRS (`endpoint` is the LRS's xAPI root; `auth` its key and secret, sent as
    HTTP Basic) and return the ids it stored. Network: call it from the worker through the outbox, never in
    a request or a transaction."""
    body = json.dumps(statements_document(statements)).encode()
    url = f"{base(endpoint)}/statements"
    token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 (base() allows only http and https)
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
            "Authorization": f"Basic {token}",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return [str(i) for i in json.loads(response.read() or b"[]")]


def _check(value: str, allowed: tuple[str, ...], name: str) -> None:
    if value not in allowed:
        raise PortableRecordError(f"{value!r} is not a {name} ({', '.join(allowed)})", [value])


def _references(given: tuple[str, ...]) -> list[str]:
    if not given:
        raise PortableRecordError("Name at least one criterion", [])
    try:
        return criteria.references(list(given))
    except criteria.CriteriaError as error:
        raise PortableRecordError(str(error), error.bad) from error


def _agent(person: Person) -> dict:
    return {"objectType": "Agent", "account": {"homePage": base(person.home_page), "name": person.account}}


def _verb(base_url: str, name: str) -> dict:
    return {"id": profile_iri(base_url, f"verbs/{name}"), "display": {LANGUAGE: name.replace("-", " ")}}


def _activity(base_url: str, path: str, kind: str, name: str) -> dict:
    return {
        "objectType": "Activity",
        "id": profile_iri(base_url, path),
        "definition": {"name": {LANGUAGE: name}, "type": profile_iri(base_url, f"activities/{kind}")},
    }


def _evidence(base_url: str, evidence_id: str) -> dict:
    return _activity(
        base_url, f"evidence/{quote(evidence_id, safe='')}", "evidence", f"Evidence {evidence_id}"
    )


def _profile(base_url: str) -> dict:
    return {
        "objectType": "Activity",
        "id": profile_iri(base_url),
        "definition": {"type": ADL_PROFILE_ACTIVITY},
    }


def _criterion(base_url: str, reference: str) -> dict:
    found = criteria.criterion(reference)
    assert found is not None  # _references checked it
    definition = {
        "name": {LANGUAGE: found.reference},
        "description": {LANGUAGE: found.text},
        "type": profile_iri(base_url, "activities/criterion"),
    }
    return {"objectType": "Activity", "id": case.item_uri(base_url, reference), "definition": definition}
