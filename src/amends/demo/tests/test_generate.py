"""`amends demo_seed`: every kind, channel and status shows, every login works, a second run adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from amends.cases.lifecycle import Status
from amends.cases.models import Case, CaseEvent, CaseKind
from amends.core.models import AuditEvent, Team
from amends.customers.models import Channel, ContactPoint, Customer, MergeSuggestion
from amends.demo.generate import PASSWORD
from amends.demo.plan import Clock, plan_cases
from amends.demo.texts import STAFF
from amends.messaging.models import Message

pytestmark = pytest.mark.django_db


def seed(cases: int = 60) -> str:
    out = StringIO()
    call_command("demo_seed", "--cases", str(cases), stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models: list[Any] = [Team, Case, CaseEvent, Customer, ContactPoint, MergeSuggestion, Message, AuditEvent]
    return {model.__name__: model.objects.count() for model in models}


def test_every_kind_channel_and_status_appears():
    output = seed(60)

    assert Case.objects.count() == 60
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    assert set(Case.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Case.objects.values_list("status", flat=True)) == {s.value for s in Status}
    assert "Cases: 60" in output


def test_cases_have_one_to_six_messages_and_no_future():
    seed(60)
    now = timezone.now()

    for case in Case.objects.prefetch_related("messages"):
        assert 1 <= len(case.messages.all()) <= 6, case.reference
        assert case.opened_at <= case.last_activity_at <= now
        assert (case.closed_at is not None) == (case.status == Status.CLOSED)
    assert not CaseEvent.objects.filter(at__gt=now).exists()
    assert not Message.objects.filter(occurred_at__gt=now).exists()


def test_contact_details_cannot_reach_anyone_real():
    seed(60)

    for point in ContactPoint.objects.filter(kind=ContactPoint.Kind.EMAIL):
        assert point.normalised.rsplit("@", 1)[1] in {"example.com", "example.org", "example.net"}
    for point in ContactPoint.objects.filter(kind=ContactPoint.Kind.PHONE):
        assert point.normalised.startswith(("+447700900", "+441632960")), point.value


def test_every_login_works():
    seed(5)

    for username, *_ in STAFF:
        assert Client().login(username=username, password=PASSWORD), username
    assert set(Team.objects.values_list("slug", flat=True)) == {"complaints", "billing", "repairs"}


def test_second_run_adds_nothing():
    seed(60)
    before = counts()

    output = seed(60)

    assert "already loaded" in output
    assert counts() == before


def test_same_seed_same_plans():
    clock = Clock(now=datetime(2026, 11, 22, 12, tzinfo=UTC), tz=ZoneInfo("Europe/London"))

    def story(seed: int) -> list:
        plans = plan_cases(Random(seed), 80, clock)
        return [(p.summary, p.channel, p.status, [(s.at, s.action, s.data) for s in p.steps]) for p in plans]

    assert story(7) == story(7)
    assert story(7) != story(8)
