"""The API answers in its one error shape whatever goes wrong, its own faults included."""

import logging

import pytest
from django.test import Client

from amends.core.services import api_token_create

pytestmark = pytest.mark.django_db


def test_an_unexpected_error_is_logged_and_answered_as_a_json_500(adviser, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("amends.regimes.api.current_version", broken)
    _, key = api_token_create(user=adviser, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="amends.api"):
        response = client.get("/api/v1/regimes/hos-2024/due", {"received": "2026-12-23T15:30:00+00:00"})
    assert response.status_code == 500 and response["Content-Type"] == "application/json; charset=utf-8"
    error = response.json()["error"]
    assert error["code"] == "server_error" and error["fields"] == {}
    assert "database went away" not in error["message"]  # the detail is for the log, not the caller
    assert "RuntimeError: the database went away" in caplog.text
