"""A letter is rendered outside the write transaction, so other work carries on while WeasyPrint runs.

On SQLite every write transaction takes the database's one write lock at BEGIN (IMMEDIATE, settings), so a
render inside `process_send_letter`'s transaction would hold up every other writer for up to a second per
letter. The render here writes from another thread, and that write must finish before the render does.
"""

import threading

import pytest
from django.db import connection, connections

from amends.core.models import Notification
from amends.letters import rendering
from amends.letters.models import Letter
from amends.process import services
from amends.process.letters import process_compose_letter

pytestmark = pytest.mark.django_db(transaction=True)


def test_another_write_completes_while_a_letter_renders(
    reference_data, complaints_team, case_handler, monkeypatch
):
    from amends.cases.tests.factories import make_case

    complaint = make_case(team=complaints_team, owner=case_handler, kind="complaint")
    services.process_start(case=complaint, regime_code="internal-iso10002", actor=case_handler)
    letter = process_compose_letter(case=complaint, kind="acknowledgement", actor=case_handler, fields={})
    seen: dict[str, object] = {}
    real_render = rendering.render_pdf

    def other_writer():
        try:
            with connection.cursor() as cursor:  # a second connection: this thread's own
                cursor.execute("PRAGMA busy_timeout = 1000" if connection.vendor == "sqlite" else "SELECT 1")
            Notification.objects.create(
                user=case_handler, text="Written during the render", created_at=letter.created_at
            )
            seen["written"] = True
        except Exception as exc:  # surfaced by the assertion below
            seen["error"] = exc
        finally:
            connections.close_all()

    def render_while_someone_writes(html):
        seen["in_transaction"] = connection.in_atomic_block
        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=10)
        return real_render(html)

    monkeypatch.setattr(rendering, "render_pdf", render_while_someone_writes)
    sent = services.process_send_letter(letter=letter, actor=case_handler, by="print")

    assert seen["in_transaction"] is False, "the PDF was rendered inside a transaction"
    assert seen.get("written") is True, (
        f"another write could not complete during the render: {seen.get('error')}"
    )
    assert Notification.objects.filter(text="Written during the render").exists()
    assert Letter.objects.get(pk=sent.pk).status == Letter.Status.PRINTED
    assert sent.pdf  # the render's output was stored
