"""Signals and the coach in Debian's chromium: an angry message shows its evidence; the coach reads the
draft in the reply box before it is sent."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANGRY = (
    "This is the third time I have written and you STILL haven't refunded me. Absolutely disgraceful, "
    "I am furious. If it isn't sorted today I'm going to the ombudsman."
)


def test_angry_message_shows_signals_and_the_coach_reads_the_draft(page, live_server, adviser):
    from amends.cases.models import Case
    from amends.cases.tests.factories import make_contact_case

    case = make_contact_case(text=ANGRY, email="riley.hart@example.com").case
    Case.objects.filter(pk=case.pk).update(team=adviser.staff.team)
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/queue/?queue=team&sort=risk")
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(re.compile(case.reference))

    # The message's evidence is highlighted, each signal says why.
    marks = page.locator(".tl-message mark.sig").all_inner_texts()
    assert "ombudsman" in marks
    assert any("third time" in m for m in marks)
    chips = page.locator(".tl-message .sig-chip").all_inner_texts()
    assert any(c.startswith("Ombudsman or regulator") for c in chips)
    assert any(c.startswith("Complaint intent") for c in chips)
    assert page.locator(".signals-panel .tag").inner_text().startswith("Risk")

    # The coach reads the reply before it is sent.
    page.get_by_label("Message", exact=True).fill("calm down, as I already said it's our policy")
    coach = page.locator("#coach")
    coach.locator('[data-kind="provocative_or_dismissive"]').wait_for()
    assert coach.locator('[data-kind="rules_without_explanation"]').count() == 1
    assert "calm down" in coach.locator("mark.coach-quote").all_inner_texts()
    assert not case.messages.filter(purpose="reply").exists()  # nothing was sent

    # Dismissing a signal is kept.
    page.locator('.sig-chip[data-type="escalation_ombudsman"]').get_by_role("button", name="Dismiss").click()
    page.get_by_text("Signal dismissed").wait_for()
    assert (
        page.locator('.sig-chip[data-type="escalation_ombudsman"]').get_attribute("class").count("dismissed")
    )
