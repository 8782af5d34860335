"""The notifications page: urgent ones apart and first, opening one marks it read on the way to its link
(this site's pages only), and "mark all read" reads what was shown, not what arrived since.

Tess leads the complaints team; Ada is an adviser in it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.core.models import Notification
from amends.core.services import notify, notify_digest, notify_each

pytestmark = pytest.mark.django_db
URGENT, ROUTINE = Notification.Urgency.URGENT, Notification.Urgency.ROUTINE


@pytest.fixture
def tess(client, team_leader):
    client.force_login(team_leader)
    return team_leader


def one(user, text, link, *, urgent=False):
    notify(users=[user], text=text, link=link, urgent=urgent)
    return Notification.objects.get(user=user, text=text)


def test_opening_one_marks_it_read_and_follows_its_link(client, tess):
    note = one(tess, "AM-2026-000001: the customer is due a progress update", "/cases/AM-2026-000001/")
    page = client.get("/notifications/").content.decode()
    assert f'href="/notifications/{note.pk}/open"' in page  # the list links through the marking view

    response = client.get(f"/notifications/{note.pk}/open")

    assert response.status_code == 302 and response["Location"] == "/cases/AM-2026-000001/"
    note.refresh_from_db()
    assert note.read_at is not None


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/cases/", "javascript:alert(1)", "/\\evil.example"]
)
def test_a_link_off_this_site_is_never_followed(client, tess, link):
    note = one(tess, "Odd", link)
    response = client.get(f"/notifications/{note.pk}/open")
    assert response.status_code == 302 and response["Location"] == "/notifications/"


def test_nobody_opens_anothers_notification(client, tess, adviser):
    theirs = one(adviser, "Yours", "/queue/")
    assert client.get(f"/notifications/{theirs.pk}/open").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_reads_only_what_was_shown(client, tess):
    shown = [one(tess, f"Note {i}", "/queue/") for i in range(3)]
    page = client.get("/notifications/").content.decode()
    assert f'name="up_to" value="{shown[-1].pk}"' in page
    arrived_since = one(tess, "Arrived since", "/queue/")

    response = client.post("/notifications/", {"up_to": str(shown[-1].pk)})

    assert response.status_code == 302
    assert list(Notification.objects.filter(user=tess, read_at__isnull=True)) == [arrived_since]
    client.post("/notifications/", {"up_to": "junk"})  # a bad value reads nothing and is no error
    assert Notification.objects.filter(user=tess, read_at__isnull=True).count() == 1


def test_urgent_ones_come_first_and_the_counter_says_how_many(client, tess):
    for i in range(5):
        notify_digest(
            topic="progress_update",
            items=[(tess, f"AM-2026-00000{i}", f"AM-2026-00000{i}: due an update", "/cases/")],
            summary=lambda user, n: (f"{n} customers are due a progress update", "/queue/?risk=update_due"),
        )
    notify_each([(tess, "Urgent on AM-2026-000009: threat to staff", "/cases/AM-2026-000009/")], urgent=True)
    notify_digest(
        topic="clock_warning",
        items=[(tess, "x", "AM-2026-000003: final response due Mon", "/cases/AM-2026-000003/")],
        summary=lambda user, n: ("never", "/"),
    )

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/notifications/").content.decode()

    assert len(queries) <= 8  # flat: session, user, staff, counter, two lists
    urgent, reminders = page.index("Urgent on AM-2026-000009"), page.index("5 customers are due")
    assert page.index('id="urgent-heading"') < urgent < page.index('id="routine-heading"') < reminders
    assert page.count("due an update") == 0  # the five are one digest
    assert '<span class="badge">1 urgent</span>' in page
    assert '<span class="badge routine">2<span class="visually-hidden"> reminders</span></span>' in page
