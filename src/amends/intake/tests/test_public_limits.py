"""Unbounded input from the public (issue 10, fault 12): bodies too large for an unauthenticated
endpoint are refused, and throttled clients turned away, before a byte of the body is read."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client

from amends.cases.models import Case
from amends.conftest import login
from amends.intake.tests.conftest import INBOUND_SECRET

from .corpus import eml
from .test_public_form import _form

pytestmark = pytest.mark.django_db


@contextmanager
def body_never_read(monkeypatch):
    """Fail if anything reads the request body: the form, the raw bytes or the stream."""
    reads = []

    def read(self, *args, **kwargs):
        reads.append(self.path)
        raise AssertionError(f"the body of {self.path} was read")

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", read)
    monkeypatch.setattr(WSGIRequest, "read", read)
    monkeypatch.setattr(WSGIRequest, "body", property(read))
    yield reads
    monkeypatch.undo()
    assert reads == []


def _big(size: int) -> dict:
    return _form(what_happened="x" * size)


@pytest.mark.parametrize("path", ["/complain/", "/login/", "/status/some-token/confirm"])
def test_a_body_over_the_public_limit_is_refused_unread_where_no_one_is_signed_in(
    settings, monkeypatch, path, complaints_team
):
    settings.AMENDS_MAX_PUBLIC_BODY_BYTES = 10_000
    with body_never_read(monkeypatch):
        response = Client().post(path, _big(20_000))
    assert response.status_code == 413
    assert "the most accepted without signing in is 10,000" in response.content.decode()
    assert Case.objects.count() == 0


def test_the_public_limit_by_default_fits_the_longest_complaint_and_not_26_mb(settings, complaints_team):
    longest = _form(what_happened="€" * 20_000, outcome_wanted="€" * 5_000)
    assert Client().post("/complain/", longest).status_code == 302
    assert settings.AMENDS_MAX_PUBLIC_BODY_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 40


def test_signed_in_staff_and_header_authenticated_paths_keep_the_larger_limit(settings, team_leader):
    settings.AMENDS_MAX_PUBLIC_BODY_BYTES = 10_000
    settings.AMENDS_INBOUND_EMAIL_SECRET = INBOUND_SECRET
    staff = login(team_leader).post("/notifications/", {"padding": "x" * 20_000})
    assert staff.status_code == 302
    raw = eml("gmail_alternative.eml").replace(b"Thanks,", b"x" * 20_000 + b"\r\nThanks,")
    inbound = Client().post(
        "/inbound/email", raw, content_type="message/rfc822", HTTP_AUTHORIZATION=f"Bearer {INBOUND_SECRET}"
    )
    assert inbound.status_code == 201


def test_a_throttled_complaint_is_turned_away_before_its_body_is_read(settings, monkeypatch, complaints_team):
    settings.AMENDS_PUBLIC_FORM_RATE = (1, 3600)
    client = Client(enforce_csrf_checks=True)
    assert client.get("/complain/").status_code == 200
    csrf = client.cookies["csrftoken"].value
    assert client.post("/complain/", {**_form(), "csrfmiddlewaretoken": csrf}).status_code == 302
    with body_never_read(monkeypatch):
        limited = client.post("/complain/", {**_form(), "csrfmiddlewaretoken": csrf})
    assert limited.status_code == 429 and "try again later" in limited.content.decode()
    assert Case.objects.count() == 1
    # The CSRF check still applies to the posts that are let through.
    elsewhere = Client(enforce_csrf_checks=True, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post("/complain/", _form()).status_code == 403


def test_login_attempts_from_one_address_are_turned_away_before_the_body_is_read(
    settings, monkeypatch, adviser
):
    settings.AMENDS_LOGIN_RATE = (1, 900)  # three attempts per address, one per username
    client = Client()
    for name in ("a", "b", "c"):
        assert client.post("/login/", {"username": name, "password": "x"}).status_code == 200
    with body_never_read(monkeypatch):
        assert client.post("/login/", {"username": "d", "password": "x"}).status_code == 429
