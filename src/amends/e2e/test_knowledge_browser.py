"""Knowledge checks in Debian's chromium: Hal, a learner, takes the WM57 check through the plain form and
reads his results with their explanations; Ash, his assessor, marks his written answers through the form,
and Hal's criteria are met."""

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def learner(case_handler, assessor):
    from amends.core.models import StaffProfile

    StaffProfile.objects.filter(user=case_handler).update(assessor=assessor)
    return case_handler


def answer_every_question(page, attempt):
    for q in attempt.question_list():
        if q.format == "choice":
            for key in q.correct_keys:
                page.locator(f'input[name="q-{q.id}"][value="{key}"]').check()
        elif q.format == "order":
            for n, key in enumerate(q.order, start=1):
                page.locator(f'select[name="q-{q.id}-{n}"]').select_option(key)
        else:
            page.locator(f'textarea[name="q-{q.id}"]').fill(
                "I check my authority limit and ask my team leader."
            )


def test_a_learner_takes_a_check_and_the_assessor_marks_it(page, live_server, learner, assessor):
    from amends.knowledge.models import KnowledgeAttempt

    sign_in(page, live_server.url, learner)
    page.get_by_role("link", name="Knowledge checks").click()
    page.get_by_role("button", name="Take the WM57 check").click()
    page.get_by_role("button", name="Submit the check").wait_for()
    attempt = KnowledgeAttempt.objects.get(learner=learner)
    answer_every_question(page, attempt)
    page.get_by_role("button", name="Submit the check").click()
    page.locator(".messages").get_by_text("Check submitted").wait_for()
    results = page.locator("#results")
    assert "Waiting for the assessor" in results.inner_text()  # WM57 g, i and j have written answers
    assert "Met" in results.locator("tr", has_text="WM57 h").inner_text()
    assert "Interrupting adds to the pressure." in page.locator("#answers").inner_text()  # each option's why
    sign_out(page)

    sign_in(page, live_server.url, assessor)
    page.get_by_role("link", name="Knowledge checks").click()
    page.get_by_role("link", name="Answers to mark").click()
    for _ in range(3):
        first = page.locator("section.marking").first
        assert "Hal Handler" in first.inner_text()
        first.get_by_label("Acceptable").check()
        first.get_by_label("Comment for the learner").fill("Names the limit and the route above it.")
        first.get_by_role("button", name="Save mark").click()
        page.locator(".messages").get_by_text("Answer marked").wait_for()
    page.get_by_text("Nothing waiting to mark.").wait_for()
    sign_out(page)

    sign_in(page, live_server.url, learner)
    page.goto(f"{live_server.url}/knowledge/")
    wm57 = page.locator("#unit-WM57")
    assert wm57.locator(".result-met").count() == 4
    attempt.refresh_from_db()
    assert attempt.status == "complete"
