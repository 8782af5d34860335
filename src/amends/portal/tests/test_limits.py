"""Unbounded input on the customer portal (issue 10, fault 12): its forms are throttled per client address
and per private link, before a byte of what was posted is read, as the public form and login are."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amends.cases.tests.factories import make_case
from amends.core.models import RateCounter
from amends.intake.tests.test_public_limits import body_never_read
from amends.portal import urls as portal_urls
from amends.process.models import Understanding
from amends.process.steps import understanding_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def summarised(complaints_team, case_handler):
    """Two cases, each with a summary waiting for its customer to confirm it."""

    def one(what: str) -> Understanding:
        case = make_case(team=complaints_team)
        return understanding_record(
            case=case, actor=case_handler, what_happened=what, impact="Overdrawn", outcome_wanted="Refund"
        )

    return one("Charged twice"), one("Card refused")


def _confirm(client: Client, understanding: Understanding, *, pk=None):
    url = reverse("portal:confirm_understanding", args=[understanding.case.public_token])
    return client.post(url, {"understanding": pk or understanding.pk})


def _confirmed(understanding: Understanding) -> bool:
    return Understanding.objects.get(pk=understanding.pk).confirmed_at is not None


def test_past_the_limit_one_address_is_turned_away_unread_and_nothing_changes(
    settings, monkeypatch, summarised
):
    settings.AMENDS_PORTAL_RATE = (2, 3600)
    mine, other = summarised
    customer = Client(REMOTE_ADDR="198.51.100.1")
    # Two posts that change nothing (a summary id that is not the current one) use up the allowance.
    assert [_confirm(customer, mine, pk=other.pk).status_code for _ in range(2)] == [302, 302]
    with body_never_read(monkeypatch):
        refused = _confirm(customer, mine)
    page = refused.content.decode()
    assert refused.status_code == 429 and "Please try again later" in page
    assert f'href="/status/{mine.case.public_token}/"' in page
    assert refused["Cache-Control"] == "private, no-store"
    assert not _confirmed(mine)
    # Other links from that address are turned away too; the same link from another address is not.
    assert _confirm(customer, other).status_code == 429 and not _confirmed(other)
    assert _confirm(Client(REMOTE_ADDR="198.51.100.2"), mine).status_code == 302 and _confirmed(mine)


def test_one_link_posted_from_many_addresses_is_turned_away_unread(settings, monkeypatch, summarised):
    settings.AMENDS_PORTAL_RATE = (100, 3600)
    settings.AMENDS_PORTAL_LINK_RATE = (2, 3600)
    mine, other = summarised
    for n in (1, 2):
        assert _confirm(Client(REMOTE_ADDR=f"198.51.100.{n}"), mine, pk=other.pk).status_code == 302
    fresh = Client(REMOTE_ADDR="198.51.100.3")
    with body_never_read(monkeypatch):
        assert _confirm(fresh, mine).status_code == 429
    assert not _confirmed(mine)
    # Another link is unaffected, from that same address.
    assert _confirm(fresh, other).status_code == 302 and _confirmed(other)


def test_an_address_over_its_own_limit_does_not_use_up_the_links_allowance(settings, summarised):
    settings.AMENDS_PORTAL_RATE = (1, 3600)
    settings.AMENDS_PORTAL_LINK_RATE = (2, 3600)
    mine, other = summarised
    hammering = Client(REMOTE_ADDR="203.0.113.66")
    assert [_confirm(hammering, mine, pk=other.pk).status_code for _ in range(5)] == [302] + [429] * 4
    assert _confirm(Client(REMOTE_ADDR="198.51.100.1"), mine).status_code == 302 and _confirmed(mine)


@pytest.mark.parametrize("pattern", portal_urls.urlpatterns, ids=lambda p: p.name)
def test_every_portal_post_is_throttled_or_refused_unread(settings, monkeypatch, summarised, pattern):
    """A form added to the portal without the throttle fails here."""
    settings.AMENDS_PORTAL_RATE = (1, 3600)
    url = reverse(f"portal:{pattern.name}", args=[summarised[0].case.public_token])
    client = Client(enforce_csrf_checks=True)  # as a browser's: a CSRF check would read the form
    if client.post(url).status_code != 405:  # a page, not a form's target: refused unread
        with body_never_read(monkeypatch):
            assert client.post(url, {"anything": "x"}).status_code == 429
    with body_never_read(monkeypatch):
        assert client.post(url, {"anything": "x"}).status_code in {405, 429}


def test_the_counts_hold_neither_the_address_nor_the_link(settings, summarised):
    mine, _ = summarised
    _confirm(Client(REMOTE_ADDR="198.51.100.1"), mine)
    stored = list(RateCounter.objects.values_list("scope", "key_hash"))
    assert sorted(scope for scope, _ in stored) == ["portal", "portal:token"]
    assert not any("198.51.100.1" in key or mine.case.public_token in key for _, key in stored)
