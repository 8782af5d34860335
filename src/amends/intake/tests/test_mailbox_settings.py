"""The team mailboxes' settings: administrators only, audited, optimistic locking, settings that cannot
work refused, and the password never stored nor shown (only the variable that holds it)."""

from __future__ import annotations

import json

import pytest

from amends.conftest import api_client, login
from amends.core.models import AuditEvent
from amends.intake.models import Mailbox

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Complaints inbox",
    "host": "imap.example.org",
    "port": 993,
    "security": "tls",
    "username": "complaints@example.org",
    "password_env": "AMENDS_IMAP_PASSWORD_COMPLAINTS",
}


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_administrator_adds_and_changes_a_mailbox_through_the_api(admin_user, billing_team, monkeypatch):
    monkeypatch.setenv("AMENDS_IMAP_PASSWORD_COMPLAINTS", "s3cret-never-shown")
    api = api_client(admin_user)

    added = post(api, "/api/v1/intake/mailboxes", {**SETTINGS, "team": "billing"})

    assert added.status_code == 201, added.content
    body = added.json()
    assert body["password_set"] is True and body["team"] == "billing" and body["version"] == 1
    assert "s3cret" not in added.content.decode() and "s3cret" not in json.dumps(
        list(Mailbox.objects.values())
    )
    Mailbox.objects.filter(pk=body["id"]).update(uidvalidity=7, last_uid=40)
    url = f"/api/v1/intake/mailboxes/{body['id']}"
    changed = post(api, url, {**SETTINGS, "folder": "Complaints", "expected_version": 1})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["version"], changed.json()["folder"]) == (2, "Complaints")
    assert (changed.json()["uidvalidity"], changed.json()["last_uid"]) == (None, 0)  # another folder's UIDs
    stale = post(api, url, {**SETTINGS, "expected_version": 1})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "mailbox_changed"
    mailbox_events = AuditEvent.objects.filter(kind__startswith="mailbox.").order_by("pk")
    assert [e.kind for e in mailbox_events] == ["mailbox.added", "mailbox.changed"]
    assert "s3cret" not in json.dumps(list(AuditEvent.objects.values("before", "after")))
    listed = api.get("/api/v1/intake/mailboxes").json()
    assert [m["name"] for m in listed] == ["Complaints inbox"] and listed[0]["imported"] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"security": "none"}, "security"),  # a password in clear across the network
        ({"after_import": "move"}, "move_to"),
        ({"after_import": "move", "move_to": "INBOX"}, "move_to"),
        ({"team": "nobody"}, "team"),
        ({"password_env": "not a name"}, "password_env"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_and_nothing_is_stored(admin_user, change, field):
    response = post(api_client(admin_user), "/api/v1/intake/mailboxes", {**SETTINGS, **change})
    assert response.status_code in {400, 422}
    assert field in response.json()["error"]["fields"]
    assert not Mailbox.objects.exists()


def test_no_tls_is_allowed_for_a_server_on_this_machine(admin_user):
    response = post(
        api_client(admin_user),
        "/api/v1/intake/mailboxes",
        {**SETTINGS, "host": "127.0.0.1", "security": "none"},
    )
    assert response.status_code == 201


def test_only_administrators_see_or_change_mailboxes(admin_user, complaints_lead, team_leader):
    post(api_client(admin_user), "/api/v1/intake/mailboxes", SETTINGS)
    for person in (complaints_lead, team_leader):
        assert api_client(person).get("/api/v1/intake/mailboxes").status_code == 403
        assert post(api_client(person), "/api/v1/intake/mailboxes", SETTINGS).status_code == 403
        assert login(person).get("/intake/mailboxes/").status_code == 404
        assert "Mailboxes" not in login(person).get("/queue/").content.decode()
    page = login(admin_user).get("/intake/mailboxes/").content.decode()
    assert "Complaints inbox" in page and "AMENDS_IMAP_PASSWORD_COMPLAINTS is not set" in page
