import re

import pytest
from django.test import Client

from amends.core.models import AuditEvent
from amends.process.models import AuthorityLimit

pytestmark = pytest.mark.django_db


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_authority_page_shows_limits_and_only_leads_change_them(adviser, complaints_lead):
    page = _as(adviser).get("/authority/").content.decode()
    assert "up to £100" in page and "Change a limit" not in page
    _as(adviser).post(
        "/authority/", {"role": "adviser", "remedy_type": "refund", "max_amount": "5000", "allowed": "on"}
    )
    assert AuthorityLimit.objects.get(role="adviser", remedy_type="refund").max_amount == 100
    _as(complaints_lead).post(
        "/authority/", {"role": "adviser", "remedy_type": "refund", "max_amount": "150", "allowed": "on"}
    )
    assert AuthorityLimit.objects.get(role="adviser", remedy_type="refund").max_amount == 150
    assert AuditEvent.objects.filter(kind="authority_limit.set").count() == 1


def test_promises_page_shows_the_kept_rate(complaint, case_handler):
    from datetime import timedelta

    from django.utils import timezone

    from amends.process.promises import promise_break, promise_keep, promise_make

    soon = timezone.now() + timedelta(days=1)
    kept = promise_make(case=complaint, actor=case_handler, description="Call back", due_at=soon)
    broken = promise_make(case=complaint, actor=case_handler, description="Send the form", due_at=soon)
    promise_make(case=complaint, actor=case_handler, description="Email the engineer's date", due_at=soon)
    promise_keep(promise=kept, actor=case_handler)
    promise_break(promise=broken, actor=case_handler, note="Forgot")
    page = _as(case_handler).get("/promises/").content.decode()
    assert "kept rate 50%" in page and "Email the engineer" in page and "Send the form" in page


def test_a_letter_pdf_is_served_only_under_its_own_case(complaint, case_handler, other_team_adviser):
    from amends.cases.tests.factories import make_case
    from amends.letters.models import Letter
    from amends.process.letters import process_compose_letter
    from amends.process.services import process_start

    process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    process_compose_letter(case=complaint, kind="holding", actor=case_handler, fields={"delay_reasons": "x"})
    letter = Letter.objects.get(case=complaint)
    other = make_case(team=complaint.team, owner=case_handler)
    handler = _as(case_handler)
    assert handler.get(f"/cases/{other.reference}/letters/{letter.pk}.pdf").status_code == 404
    assert handler.get(f"/cases/{complaint.reference}/letters/9223372036854775808.pdf").status_code == 404
    assert (
        _as(other_team_adviser).get(f"/cases/{complaint.reference}/letters/{letter.pk}.pdf").status_code
        == 404
    )
    own = handler.get(f"/cases/{complaint.reference}/letters/{letter.pk}.pdf")
    assert own.status_code == 200 and own.content.startswith(b"%PDF")


def test_a_drafted_letter_stays_open_showing_only_the_fields_its_kind_needs(complaint, case_handler):
    from amends.letters.models import Letter
    from amends.process.services import process_start

    process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    handler = _as(case_handler)
    drafted = handler.post(
        f"/cases/{complaint.reference}/process/compose-letter", {"kind": "acknowledgement"}
    )
    letter = Letter.objects.get(case=complaint)
    # Back to the draft itself, not to the top of a closed panel.
    assert drafted["Location"] == f"/cases/{complaint.reference}/#letter-{letter.pk}"

    page = handler.get(f"/cases/{complaint.reference}/").content.decode()
    editor = page[page.index(f'id="letter-{letter.pk}"') :]
    editor = editor[: editor.index("Send by email")]
    labels = re.findall(rf'<label for="lf-{letter.pk}-(\w+)">([^<]+)</label>', editor)
    assert [name for name, _ in labels] == ["message", "complaint_summary", "timescales", "contact_details"]
    assert "Decision" not in editor and "Remedy" not in editor and "Apology" not in editor
    # Open beside its preview, which the server renders as the form loads and as the writer types.
    assert "<summary>Edit</summary>" not in editor
    assert f'hx-post="/cases/{complaint.reference}/letters/{letter.pk}/preview"' in editor
    assert f'id="letter-preview-{letter.pk}"' in editor
    assert re.search(r'<details class="step" id="letters" open>', page)
