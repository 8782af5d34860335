"""Email intake cannot read: held raw, listed for team leaders, released as a case by a person."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from amends.cases.models import Case, CaseEvent
from amends.conftest import login
from amends.intake.models import HeldEmail
from amends.intake.services import HeldResult, intake_email

from .corpus import EMAILS

pytestmark = pytest.mark.django_db

NO_SENDER = (EMAILS / "cron_no_sender.eml").read_bytes()
NOT_AN_EMAIL = (EMAILS / "pasted_letter.txt").read_bytes()


def _hold(raw: bytes = NO_SENDER) -> HeldEmail:
    result = intake_email(raw)
    assert isinstance(result, HeldResult)
    return result.held


def test_team_leaders_and_leads_see_held_email_and_advisers_do_not(
    team_leader, complaints_lead, adviser, assessor, django_assert_max_num_queries
):
    for raw in (NO_SENDER, NOT_AN_EMAIL, b"From: nobody\r\nSubject: third\r\n\r\nx\r\n"):
        _hold(raw)
    client = login(team_leader)
    with django_assert_max_num_queries(8):  # flat however many are held
        page = client.get("/intake/held/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("Release as a case") == 3
    assert "no readable sender address" in html and "no header lines" in html
    assert 'href="/intake/held/"' in html  # in the navigation
    assert login(complaints_lead).get("/intake/held/").status_code == 200
    for person in (adviser, assessor):
        assert login(person).get("/intake/held/").status_code == 404
        assert 'href="/intake/held/"' not in login(person).get("/queue/").content.decode()


def test_the_original_is_served_as_plain_text_never_html(team_leader, adviser):
    raw = b"From: x\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n"
    held = _hold(raw)
    response = login(team_leader).get(f"/intake/held/{held.pk}/source")
    assert response.status_code == 200 and response.content == raw
    assert (
        response["Content-Type"].startswith("text/plain") and response["X-Content-Type-Options"] == "nosniff"
    )
    assert login(adviser).get(f"/intake/held/{held.pk}/source").status_code == 404


def test_releasing_a_held_email_opens_a_case_recorded_as_released_by_that_person(team_leader):
    held = _hold()
    client = login(team_leader)
    response = client.post(
        f"/intake/held/{held.pk}/release", {"name": "Robin Cron", "email": "robin@example.com"}
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert case.customer.name == "Robin Cron"
    assert case.customer.contact_points.get().value == "robin@example.com"
    assert "released by Tess Leader" in case.kind_reason and "no readable sender" in case.kind_reason
    opened = CaseEvent.objects.get(case=case, kind="opened")
    assert opened.actor == team_leader
    message = case.messages.get(direction="in")
    assert bytes(message.source.raw) == NO_SENDER and message.author == team_leader
    held.refresh_from_db()
    assert (held.status, held.released_by, held.case) == (HeldEmail.Status.RELEASED, team_leader, case)
    # Released once: the page no longer lists it, a second release finds nothing.
    assert "Release as a case" not in client.get("/intake/held/").content.decode()
    assert client.post(f"/intake/held/{held.pk}/release", {"email": "x@example.com"}).status_code == 404
    assert Case.objects.count() == 1


def test_an_unparseable_email_is_released_with_its_text(team_leader):
    held = _hold(NOT_AN_EMAIL)
    login(team_leader).post(f"/intake/held/{held.pk}/release", {"name": "A Writer"})
    message = Case.objects.get().messages.get(direction="in")
    assert message.body_text.startswith(NOT_AN_EMAIL.decode().strip()[:40])


@pytest.mark.parametrize(
    ("data", "problem"),
    [({}, "Say who sent this email"), ({"email": "not an address"}, "does not look valid")],
)
def test_a_release_without_a_usable_sender_changes_nothing(team_leader, data, problem):
    held = _hold()
    client = login(team_leader)
    response = client.post(f"/intake/held/{held.pk}/release", data, follow=True)
    assert problem in response.content.decode()
    held.refresh_from_db()
    assert held.status == HeldEmail.Status.HELD and Case.objects.count() == 0


def test_an_adviser_cannot_release(adviser):
    held = _hold()
    assert (
        login(adviser).post(f"/intake/held/{held.pk}/release", {"email": "a@example.com"}).status_code == 404
    )
    assert Case.objects.count() == 0


def test_the_import_reports_a_held_email_and_keeps_going(tmp_path, capsys, complaints_team):
    bad, good = tmp_path / "bad.eml", tmp_path / "good.eml"
    bad.write_bytes(NO_SENDER)
    good.write_bytes((EMAILS / "gmail_alternative.eml").read_bytes())
    call_command("intake", "eml", str(bad), str(good))
    out = capsys.readouterr().out
    assert f"{bad}: held for review: The email has no readable sender address (From header)" in out
    assert "1 new cases, 0 messages added to existing cases, 0 already imported, 1 held for review" in out
    call_command("intake", "eml", str(bad))
    assert "(held before)" in capsys.readouterr().out
    assert HeldEmail.objects.count() == 1
