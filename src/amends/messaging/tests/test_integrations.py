"""The integrations an administrator sets up: added and changed through one service each, audited without
their secret, one switched on per channel, a secret Amends makes shown once; the page and the API for
administrators only.

Ana administers; Lee is a complaints lead; Ada advises.
"""

from __future__ import annotations

import json

import pytest

from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.messaging.integrations import integration_add, integration_change
from amends.messaging.models import Integration
from amends.messaging.schemas import IntegrationIn

from .channels import SECRET

pytestmark = pytest.mark.django_db


def data(**changes) -> IntegrationIn:
    fields = {"name": "Social inbox", "channels": ["social"], "url": "https://inbox.example.org/amends"}
    return IntegrationIn(**(fields | changes))


def test_adding_makes_a_secret_shown_once_and_audits_without_it(admin_user):
    integration, secret = integration_add(data=data(), actor=admin_user)
    assert len(secret) == 64 and integration.secret == secret
    assert (integration.name, integration.channels, integration.enabled, integration.version) == (
        "Social inbox",
        ["social"],
        True,
        1,
    )
    (audit,) = AuditEvent.objects.filter(kind="integration.added")
    assert audit.actor == admin_user and secret not in json.dumps(audit.after)
    assert audit.after == {
        "name": "Social inbox",
        "channels": ["social"],
        "url": "https://inbox.example.org/amends",
        "enabled": True,
        "version": 1,
    }
    given, shown = integration_add(data=data(name="Chat", channels=["chat"], secret=SECRET), actor=admin_user)
    assert (given.secret, shown) == (SECRET, "")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"url": "ftp://inbox.example.org/"}, "url"),
        ({"url": "inbox.example.org"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"secret": "too-short"}, "secret"),
        ({"secret": " " + SECRET}, "secret"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_stored(admin_user, changes, field):
    with pytest.raises(DomainError) as refused:
        integration_add(data=data(**changes), actor=admin_user)
    assert field in refused.value.fields
    assert not Integration.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="integration").exists()


def test_one_integration_switched_on_per_channel_and_one_name(admin_user):
    integration_add(data=data(channels=["social", "chat"]), actor=admin_user)
    with pytest.raises(DomainError) as taken:
        integration_add(data=data(name="Chat desk", channels=["chat"]), actor=admin_user)
    assert taken.value.code == "channel_taken"
    assert taken.value.message.startswith("Social inbox already carries chat replies")
    off, _ = integration_add(data=data(name="Chat desk", channels=["chat"], enabled=False), actor=admin_user)
    assert not off.enabled  # switched off, it may wait beside the other
    with pytest.raises(DomainError) as named:
        integration_add(data=data(channels=["chat"], enabled=False), actor=admin_user)
    assert named.value.code == "duplicate"


def test_changing_checks_the_version_read_and_keeps_or_renews_the_secret(admin_user):
    integration, secret = integration_add(data=data(), actor=admin_user)
    changed, shown = integration_change(
        integration_id=integration.pk,
        data=data(url="https://new.example.org/hook", version=1),
        actor=admin_user,
    )
    assert (changed.url, changed.version, changed.secret, shown) == (
        "https://new.example.org/hook",
        2,
        secret,
        "",
    )
    audit = AuditEvent.objects.get(kind="integration.changed")
    assert (
        audit.before["url"] == "https://inbox.example.org/amends" and audit.after["secret_changed"] is False
    )

    with pytest.raises(Conflict) as stale:
        integration_change(
            integration_id=integration.pk, data=data(enabled=False, version=1), actor=admin_user
        )
    assert stale.value.code == "integration_changed"
    assert Integration.objects.get().enabled

    renewed, shown = integration_change(
        integration_id=integration.pk, data=data(new_secret=True, version=2), actor=admin_user
    )
    assert shown and renewed.secret == shown != secret


def test_the_page_is_for_administrators_and_shows_a_made_secret_once(admin_user, complaints_lead, adviser):
    for person in (complaints_lead, adviser):
        assert login(person).get("/integrations/").status_code == 404
        login(person).post(
            "/integrations/",
            {"target": "new", "name": "X", "channels": "social", "url": "https://x.example.org"},
        )
    assert not Integration.objects.exists()

    admin = login(admin_user)
    page = admin.post(
        "/integrations/",
        {
            "target": "new",
            "name": "Social inbox",
            "channels": ["social"],
            "url": "https://inbox.example.org/a",
            "enabled": "on",
        },
    )
    integration = Integration.objects.get()
    assert page.status_code == 200 and integration.secret in page.content.decode()
    again = admin.get("/integrations/").content.decode()
    assert "Social inbox" in again and integration.secret not in again

    admin.post(
        "/integrations/",
        {
            "target": str(integration.pk),
            "version": "1",
            "name": "Social inbox",
            "channels": ["social", "chat"],
            "url": "https://inbox.example.org/a",
        },
    )
    integration.refresh_from_db()
    assert (integration.channels, integration.enabled, integration.version) == (["social", "chat"], False, 2)


def test_the_api_for_administrators(admin_user, complaints_lead):
    refused = api_client(complaints_lead)
    assert refused.get("/api/v1/integrations").status_code == 403
    body = {"name": "Social inbox", "channels": ["social"], "url": "https://inbox.example.org/a"}
    assert refused.post("/api/v1/integrations", body, content_type="application/json").status_code == 403

    admin = api_client(admin_user)
    made = admin.post("/api/v1/integrations", body, content_type="application/json")
    assert made.status_code == 201 and len(made.json()["secret"]) == 64
    listed = admin.get("/api/v1/integrations").json()
    assert listed == [
        {
            "id": made.json()["id"],
            "name": "Social inbox",
            "channels": ["social"],
            "url": body["url"],
            "enabled": True,
            "version": 1,
        }
    ]
    url = f"/api/v1/integrations/{made.json()['id']}"
    changed = admin.post(url, body | {"enabled": False, "version": 1}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["secret"] == "" and not changed.json()["enabled"]
    stale = admin.post(url, body | {"version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "integration_changed"
    missing = admin.post("/api/v1/integrations/999", body, content_type="application/json")
    assert missing.status_code == 404
