"""Migration 0005 (channels): the outbox's rows from before it (all emails) stay in the outbox, as
emails, to where they were going, and still go."""

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.messaging.models import OutboxItem
from amends.messaging.services import message_send
from amends.messaging.tasks import send_outbox

BEFORE = [("messaging", "0004_saved_reply")]
AFTER = [("messaging", "0005_channels")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_emails_in_the_outbox_before_the_migration_are_email_items_after_it(complaints_team, adviser):
    queued = message_send(case=make_case(email="pat@example.com"), actor=adviser, body="We are on it.")
    try:
        old = _migrate(BEFORE)
        (row,) = old.get_model("messaging", "OutboxEmail").objects.all()
        assert (row.message_id, row.to) == (queued.pk, "pat@example.com")
    finally:
        _migrate(AFTER)

    (item,) = OutboxItem.objects.all()
    assert (item.message_id, item.connector, item.destination, item.integration) == (
        queued.pk,
        "email",
        "pat@example.com",
        None,
    )
    assert item.headers["Message-ID"] == queued.email_message_id
    assert send_outbox(timezone.now()) == 1 and [e.to for e in mail.outbox] == [["pat@example.com"]]
