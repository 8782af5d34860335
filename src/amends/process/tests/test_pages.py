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
