"""The OpenAPI document says everything the API can answer: every error with the one error shape, and the
fixed value lists as enumerations. Generated clients and schemathesis read it."""

import json

import pytest
from django.test import Client

from amends.cases.lifecycle import Status
from amends.cases.selectors import QUEUES
from amends.core.management.commands.openapi import render
from amends.core.services import api_token_create
from amends.customers.models import Channel
from amends.process.models import Agreement, RemedyType

ERROR_REF = "#/components/schemas/ErrorOut"


@pytest.fixture(scope="module")
def doc():
    return json.loads(render())


def _operations(doc):
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _schema(doc, ref_or_schema):
    if "$ref" in ref_or_schema:
        return doc["components"]["schemas"][ref_or_schema["$ref"].rsplit("/", 1)[-1]]
    return ref_or_schema


def test_every_error_is_declared_with_the_error_shape(doc):
    for name, operation in _operations(doc):
        responses = operation["responses"]
        errors = {code for code in responses if not code.startswith("2")}
        assert "401" in errors, name  # every endpoint needs a token
        for code in errors:
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_REF}, (name, code)
        if "requestBody" in operation:  # a body can be malformed, too large or invalid
            assert {"400", "413", "422"} <= errors, name
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "422" in errors, name
        if "{" in name:  # a path naming a case, customer, regime or signal that may not exist
            assert "404" in errors, name
        if name.startswith("POST") and "{reference}" in name:  # work on a case the role may only read
            assert "403" in errors, name


def test_the_error_schema_is_the_shape_every_handler_writes(doc):
    shape = doc["components"]["schemas"]["ErrorOut"]
    assert shape["required"] == ["error"]
    detail = _schema(doc, shape["properties"]["error"])
    assert set(detail["required"]) == {"code", "message", "fields"}
    assert detail["properties"]["fields"]["additionalProperties"] == {"type": "string"}


def _param(doc, name, param):
    (found,) = [p for p in doc["paths"]["/api/v1/cases"]["get"]["parameters"] if p["name"] == param]
    return found["schema"]


def _body_property(doc, path, prop):
    body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    schema = _schema(doc, _schema(doc, body)["properties"][prop])
    return schema


def test_fixed_value_lists_are_enumerations(doc):
    statuses = [s.value for s in Status]
    assert _param(doc, "list", "queue")["enum"] == list(QUEUES)
    assert _param(doc, "list", "status")["enum"] == ["open", "all", *(s for s in statuses if s != "open")]
    assert _param(doc, "list", "kind")["enum"] == ["", "query", "problem", "complaint"]
    assert _param(doc, "list", "channel")["enum"] == ["", *Channel.values]
    assert _body_property(doc, "/api/v1/cases/{reference}/transition", "to")["enum"] == statuses
    contact = "/api/v1/cases/{reference}/contacts"
    assert _body_property(doc, contact, "channel")["enum"] == ["phone", "face_to_face", "letter"]
    assert _body_property(doc, contact, "direction")["enum"] == ["in", "out"]
    assert _body_property(doc, "/api/v1/cases", "channel")["enum"] == Channel.values
    options = "/api/v1/cases/{reference}/process/options"
    assert _body_property(doc, options, "remedy_type")["anyOf"][0]["enum"] == RemedyType.values
    remedies = _body_property(doc, options, "remedies")
    assert _schema(doc, remedies["items"])["properties"]["kind"]["enum"] == RemedyType.values
    agreement = "/api/v1/cases/{reference}/process/agreement"
    assert _body_property(doc, agreement, "via")["enum"] == [v.value for v in Agreement.Via]
    escalate = "/api/v1/cases/{reference}/process/escalate"
    assert _body_property(doc, escalate, "to")["enum"] == ["next_stage", "ombudsman"]
    feedback = "/api/v1/cases/{reference}/signals/{signal_id}/feedback"
    assert _body_property(doc, feedback, "verdict")["enum"] == ["confirmed", "dismissed"]


@pytest.mark.django_db
def test_the_errors_the_api_answers_are_the_ones_it_declares(doc, adviser, settings):
    _, key = api_token_create(user=adviser, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    answers = [
        ("get", "/api/v1/cases", "/api/v1/cases", Client().get("/api/v1/cases")),
        ("get", "/api/v1/cases", "/api/v1/cases", client.get("/api/v1/cases?queue=nope")),
        ("get", "/api/v1/cases/{reference}", "", client.get("/api/v1/cases/AM-2026-999999")),
        (
            "post",
            "/api/v1/signals/analyse",
            "",
            client.post("/api/v1/signals/analyse", "{not json", content_type="application/json"),
        ),
        (
            "post",
            "/api/v1/signals/analyse",
            "",
            client.post("/api/v1/signals/analyse", json.dumps({"text": "x" * 2000}), "application/json"),
        ),
    ]
    seen = set()
    for method, path, _, response in answers:
        status = str(response.status_code)
        seen.add(status)
        assert status in doc["paths"][path][method]["responses"], (method, path, status)
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    assert seen == {"401", "422", "404", "400", "413"}


def _api_models():
    """Every pydantic model of Amends, by the name the document gives its component."""
    from pydantic import BaseModel

    seen, todo = [], [BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("amends.") and ".tests." not in sub.__module__:
                seen.append(sub)
    return seen


def test_no_two_schemas_share_a_component_name(doc):
    """Two classes of one name are one component: the later overwrote the earlier, and the document
    described the regimes' RegimeIn as the body of POST .../process/regime (which takes `regime`)."""
    by_name: dict[str, set[str]] = {}
    for model in _api_models():
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    shared = {
        name: where
        for name, where in by_name.items()
        if len(where) > 1 and name in doc["components"]["schemas"]
    }
    assert not shared
    assert _body_property(doc, "/api/v1/cases/{reference}/process/regime", "regime")["type"] == "string"


def test_what_the_validators_refuse_the_document_says(doc):
    """A value the schema behind an endpoint refuses is not one the document offers (schemathesis sends
    what the document allows and expects it accepted)."""
    received = _body_property(doc, "/api/v1/cases", "received_at")
    moment = next(s for s in received["anyOf"] if s.get("type") == "string")
    assert moment["pattern"] == "^(19[7-9][0-9]|2[01][0-9][0-9])-"
    customer = _body_property(doc, "/api/v1/cases", "customer")
    assert {tuple(branch["required"]) for branch in customer["anyOf"]} == {
        ("name",),
        ("email",),
        ("phone",),
        ("handle",),
    }
    amount = _body_property(doc, "/api/v1/cases/{reference}/process/options", "amount")
    assert {"type": "string", "pattern": r"^[0-9]{1,8}(\.[0-9]{1,2})?$"} in amount["anyOf"]
