"""Notifications by email (core/emails.py): sent after the change commits, never on a rollback, never twice
(the commit's callback and the worker both try), as each person chose, safety alerts whatever they chose,
and retried with backoff through a real SMTP server that refuses, then gives up.

Tess leads the complaints team; Ada is an adviser in it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction

from amends.core.emails import notification_emails_send, notification_emails_sweep
from amends.core.models import AuditEvent, EmailState, Notification, NotifyEmail
from amends.core.services import notify, notify_digest, staff_notify_email_set
from amends.messaging.tests.smtp import free_port, smtp_server
from amends.process.tasks import steps

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _prefer(user, preference):
    staff_notify_email_set(user=user, preference=preference, actor=user)


def test_an_urgent_safety_alert_is_emailed_once_even_when_the_commit_and_the_worker_both_send(
    adviser, team_leader, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://amends.example"
    _prefer(team_leader, NotifyEmail.NONE)  # in the app only: a safety alert is emailed all the same
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            users=[team_leader],
            text="AM-2026-000001: a threat to staff in a logged call",
            link="/cases/AM-2026-000001/",
            urgent=True,
            safety=True,
        )
        assert mail.outbox == []  # nothing leaves before the commit
        assert notification_emails_sweep(datetime.now(UTC)) == 1  # the worker got there first
    assert len(callbacks) == 1
    notification_emails_sweep(datetime.now(UTC) + timedelta(days=1))

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["tess@staff.example"]
    assert email.subject == "Safety alert: AM-2026-000001: a threat to staff in a logged call"
    assert "https://amends.example/cases/AM-2026-000001/" in email.body
    row = Notification.objects.get()
    assert row.safety and row.urgency == "urgent"
    assert row.email_state == EmailState.SENT and row.emailed_at is not None and row.email_tries == 1


def test_the_commit_sends_and_the_worker_finds_nothing_left(team_leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[team_leader], text="Approval asked for AM-2026-000002", link="/cases/x/", urgent=True)
    assert len(mail.outbox) == 1
    assert notification_emails_sweep(datetime.now(UTC) + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_a_rolled_back_change_sends_nothing(team_leader, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(users=[team_leader], text="Safety alert", link="", urgent=True, safety=True)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert notification_emails_sweep(datetime.now(UTC)) == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("preference", "urgent_emailed", "routine_emailed"),
    [(NotifyEmail.NONE, False, False), (NotifyEmail.URGENT, True, False), (NotifyEmail.ALL, True, True)],
)
def test_each_person_chooses_what_reaches_them_by_email(
    adviser, preference, urgent_emailed, routine_emailed, django_capture_on_commit_callbacks
):
    _prefer(adviser, preference)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[adviser], text="Urgent one", link="", urgent=True)
        notify(users=[adviser], text="Routine one", link="", urgent=False)
    subjects = [m.subject for m in mail.outbox]
    assert ("Urgent: Urgent one" in subjects) is urgent_emailed
    assert ("Routine one" in subjects) is routine_emailed


def test_a_digest_is_emailed_once_however_much_joins_it(adviser, django_capture_on_commit_callbacks):
    _prefer(adviser, NotifyEmail.ALL)

    def remind(subject):
        with django_capture_on_commit_callbacks(execute=True):
            notify_digest(
                topic="clock_warning",
                items=[
                    (adviser, subject, f"{subject}: a clock is close to its due time", f"/cases/{subject}/")
                ],
                summary=lambda user, n: (f"{n} clocks are close to their due time", "/queue/?risk=clocks"),
            )

    remind("AM-2026-000001")
    remind("AM-2026-000002")
    remind("AM-2026-000003")
    assert Notification.objects.count() == 1
    assert [m.subject for m in mail.outbox] == ["AM-2026-000001: a clock is close to its due time"]


def test_the_preference_is_audited_and_a_bad_one_refused(adviser):
    from amends.core.errors import DomainError

    _prefer(adviser, NotifyEmail.ALL)
    assert AuditEvent.objects.filter(kind="staff.notify_email", object_id=str(adviser.pk)).count() == 1
    with pytest.raises(DomainError):
        _prefer(adviser, "sometimes")
    adviser.staff.refresh_from_db()
    assert adviser.staff.notify_email == NotifyEmail.ALL


def test_the_settings_page_saves_the_choice(client, adviser):
    client.force_login(adviser)
    assert "Email me" in client.get("/notifications/settings/").content.decode()
    response = client.post("/notifications/settings/", {"notify_email": "all"})
    assert response.status_code == 302
    adviser.staff.refresh_from_db()
    assert adviser.staff.notify_email == "all"


def test_the_worker_runs_the_step():
    assert "notification_emails" in steps()


def test_a_refusing_server_is_retried_with_backoff_then_sends_once_then_gives_up_on_another(
    team_leader, adviser, settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(T0, tick=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 0.5
    settings.AMENDS_NOTIFICATION_EMAIL_TRIES = 2
    with smtp_server() as (box, port):
        settings.EMAIL_PORT = port
        box.data_answer = "451 4.3.0 Try again later"
        with django_capture_on_commit_callbacks(execute=True):
            notify(users=[team_leader], text="Threat to staff", link="/cases/a/", urgent=True, safety=True)
        row = Notification.objects.get()
        assert row.email_state == EmailState.FAILED and row.email_tries == 1 and "451" in row.email_error
        assert notification_emails_sweep(T0 + timedelta(seconds=30)) == 0  # not before its backoff

        box.data_answer = None
        time_machine.move_to(T0 + timedelta(minutes=1), tick=False)
        assert notification_emails_sweep(T0 + timedelta(minutes=1)) == 1
        assert notification_emails_sweep(T0 + timedelta(days=1)) == 0
        assert [m["Subject"] for m in box.received] == ["Safety alert: Threat to staff"]
        row.refresh_from_db()
        assert row.email_state == EmailState.SENT and row.email_tries == 2

    settings.EMAIL_PORT = free_port()  # the server is gone: refused connections, then giving up
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[adviser], text="Approval decided", link="", urgent=True)
    later = Notification.objects.get(user=adviser)
    time_machine.move_to(T0 + timedelta(hours=1), tick=False)
    assert notification_emails_send(ids=[later.pk]) == 1
    later.refresh_from_db()
    assert later.email_state == EmailState.GAVE_UP and later.email_tries == 2
    assert notification_emails_sweep(T0 + timedelta(days=2)) == 0
