"""Throttling: counted in the database per client, the client found through trusted proxies only."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory

from amends.conftest import PASSWORD
from amends.core.models import RateCounter
from amends.core.ratelimit import allow, client_address, client_network

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
ATTACKER = "198.51.100.66"
ADA_AT_HOME = "203.0.113.10"


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.AMENDS_TRUSTED_PROXIES = []
    assert client_address(_request(PROXY, "198.51.100.7")) == PROXY


def test_from_a_trusted_proxy_the_address_it_forwarded_is_the_client(settings):
    settings.AMENDS_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request(PROXY, "198.51.100.7")) == "198.51.100.7"
    # What the client wrote in the header itself stays on the left, and is ignored.
    assert client_address(_request(PROXY, "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    # Two proxies of ours in a row: skip both.
    assert client_address(_request(PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    # Not from a proxy: the header is anyone's to write.
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"
    assert client_address(_request(PROXY)) == PROXY
    assert client_address(_request(PROXY, "198.51.100.7, not-an-address")) == PROXY


def test_ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4(settings):
    settings.AMENDS_TRUSTED_PROXIES = []
    assert client_network(_request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_network(_request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_network(_request("::ffff:198.51.100.7")) == "198.51.100.7"


def test_counts_are_rows_in_the_database_so_a_restart_forgets_nothing():
    for _ in range(3):
        assert allow("test", "key", limit=3, window=900)
    cache.clear()  # all a restarted process (or another one) would have lost of a per-process counter
    assert not allow("test", "key", limit=3, window=900)
    counter = RateCounter.objects.get()
    assert counter.count == 4
    assert "key" not in counter.key_hash and len(counter.key_hash) == 64


def test_a_new_window_starts_afresh_and_old_windows_are_removed():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, 10, tzinfo=dt.UTC), tick=False) as clock:
        assert allow("test", "key", limit=1, window=60)
        assert not allow("test", "key", limit=1, window=60)
        clock.shift(dt.timedelta(seconds=60))
        assert allow("test", "key", limit=1, window=60)
    assert list(RateCounter.objects.values_list("window_start", "count")) == [
        (dt.datetime(2026, 12, 1, 9, 1, tzinfo=dt.UTC), 1)
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time anyway")
@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_are_each_counted_once():
    """Eight requests at once, ten attempts each: no two read the same count (a get-then-set store would)."""
    barrier = threading.Barrier(8)
    allowed: list[bool] = []

    def attempts():
        try:
            barrier.wait()
            for _ in range(10):
                allowed.append(allow("race", "key", limit=25, window=3600))
        finally:
            connection.close()

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC), tick=False):
        threads = [threading.Thread(target=attempts) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert RateCounter.objects.get().count == 80
    assert allowed.count(True) == 25


def _sign_in(client: Client, password: str) -> int:
    return client.post("/login/", {"username": "ada", "password": password}).status_code


def test_guessing_a_password_does_not_lock_its_owner_out(adviser, settings):
    settings.AMENDS_LOGIN_RATE = (3, 900)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    assert [_sign_in(attacker, "wrong") for _ in range(4)] == [200, 200, 200, 429]
    assert _sign_in(attacker, PASSWORD) == 429  # the attacker stays stopped, even with the right one
    ada = Client(REMOTE_ADDR=ADA_AT_HOME)
    assert _sign_in(ada, PASSWORD) == 302
    assert ada.session["_auth_user_id"] == str(adviser.pk)


def test_behind_a_proxy_the_attacker_and_the_owner_are_counted_apart(adviser, settings):
    settings.AMENDS_LOGIN_RATE = (3, 900)
    settings.AMENDS_TRUSTED_PROXIES = [PROXY]
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert [_sign_in(attacker, "wrong") for _ in range(4)] == [200, 200, 200, 429]
    # Writing another address into X-Forwarded-For does not buy the attacker more guesses.
    forging = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{ADA_AT_HOME}, {ATTACKER}")
    assert _sign_in(forging, PASSWORD) == 429
    ada = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ADA_AT_HOME)
    assert _sign_in(ada, PASSWORD) == 302


def test_one_address_trying_many_usernames_is_stopped(settings):
    settings.AMENDS_LOGIN_RATE = (2, 900)  # six attempts per address, whatever the usernames
    client = Client(REMOTE_ADDR=ATTACKER)
    statuses = [
        client.post("/login/", {"username": f"user{i}", "password": "wrong"}).status_code for i in range(7)
    ]
    assert statuses == [200] * 6 + [429]
