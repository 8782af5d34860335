"""A problem resolved through its steps to the customer's satisfaction, with no regime (WM57 1, 5-8, 10-15),
every form clicked in Debian's chromium: the summary and its confirmation, an option of two remedies and its
choice, the customer's agreement, a task and a promise each carried out, the satisfaction check, resolved."""

import re
from datetime import timedelta

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def problem(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case

    return make_case(
        kind="problem",
        team=complaints_team,
        owner=case_handler,
        summary="Engineer missed two repair appointments",
        name="Sam Tenant",
    )


def _step(page, summary: str):
    """Open a <details> step of the panel by its summary text."""
    details = page.locator("details.step", has=page.locator("summary", has_text=summary)).first
    details.evaluate("el => { el.open = true; }")
    return details


def _said(page, text: str):
    try:
        page.locator(".messages").get_by_text(text).first.wait_for()
    except Exception as exc:
        raise AssertionError(
            f"expected {text!r}, the page said {page.locator('.messages').all_inner_texts()}"
        ) from exc


def _next(page) -> str:
    return page.locator("#process .next-step").inner_text()


def _later(days: float) -> str:
    """A datetime-local value some days from now, in the organisation's time."""
    from django.utils import timezone

    return f"{timezone.localtime(timezone.now() + timedelta(days=days)):%Y-%m-%dT%H:%M}"


def test_a_problem_resolved_step_by_step_to_satisfaction(page, live_server, case_handler, adviser, problem):
    from amends.cases.models import CaseEvent
    from amends.process.models import Agreement, Option, Task

    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{problem.reference}/")
    assert page.locator("#process-h").inner_text() == "Resolving the problem"
    assert "Ask the customer about the problem" in _next(page)
    assert page.get_by_role("button", name="Apply regime").count() == 0  # no regime for a problem

    # 1. Understanding, confirmed by the customer on the phone.
    step = _step(page, "Understanding")
    step.get_by_label("What happened").fill("The engineer did not come on 28 or 30 October.")
    step.get_by_label("Impact on the customer").fill("Two days off work unpaid; no heating.")
    step.get_by_label("Outcome the customer wants").fill("A repair this week and the lost pay.")
    step.get_by_role("button", name="Record summary").click()
    _said(page, "Summary recorded")
    _step(page, "Understanding").get_by_role("button", name="Customer confirmed it by phone").click()
    _said(page, "Summary confirmed")
    assert "Work out the options" in _next(page)

    # 2. An option of two remedies, weighed for both sides, chosen.
    step = _step(page, "Options weighed for both sides")
    step.locator("summary", has_text="Add an option").click()
    step.get_by_label("Option", exact=True).fill("Priority repair and the lost pay")
    step.get_by_label("Remedy", exact=True).select_option("put_right")
    step.get_by_label("What it is", exact=True).fill("Priority repair by Wednesday")
    step.get_by_label("Remedy 2 (if any)").select_option("goodwill")
    step.get_by_label("What remedy 2 is").fill("Two days' lost pay")
    step.get_by_label("Remedy 2 amount £").fill("45")
    step.get_by_label("Benefits for the customer").fill("Heating back this week; not out of pocket")
    step.get_by_label("Drawbacks for us").fill("Moves another job back a day")
    step.get_by_label("Risk to customer: likelihood").select_option("2")
    step.get_by_role("button", name="Add option").click()
    _said(page, "Option added")
    option = _step(page, "Options weighed for both sides").locator(
        "article.option", has_text="Priority repair"
    )
    assert "Priority repair by Wednesday" in option.inner_text() and "£45" in option.inner_text()
    option.get_by_label("Why this option").fill("Fixes it fastest and covers the loss")
    option.get_by_role("button", name="Choose this option").click()
    _said(page, "Option chosen")
    assert "record their agreement" in _next(page)

    # 3. The customer agrees: who, how, when.
    step = _step(page, "Agreement with the customer")
    assert step.get_by_label("Who agreed").input_value() == "Sam Tenant"
    step.get_by_label("How").select_option("phone")
    step.get_by_label("What was agreed (optional)").fill(
        "Wednesday morning suits; call when the engineer sets off."
    )
    step.get_by_role("button", name="Record agreement").click()
    _said(page, "Agreement recorded")
    assert "Set out the actions" in _next(page)

    # 4. The actions: a task for a colleague and a promise to the customer, each carried out.
    step = _step(page, "Actions to carry it out")
    step.get_by_label("Task", exact=True).fill("Book the priority repair")
    step.get_by_label("Owner").select_option(label="Ada Adviser")
    step.get_by_label("Due", exact=True).fill(_later(1))
    step.get_by_role("button", name="Add task").click()
    _said(page, "Task added")
    step = _step(page, "Actions to carry it out")
    step.get_by_label("We promised to").fill("Call when the engineer sets off")
    step.get_by_label("By", exact=True).fill(_later(2))
    step.get_by_role("button", name="Record promise").click()
    _said(page, "Promise recorded")
    assert "2 still open" in _next(page)
    _step(page, "Actions to carry it out").get_by_role(
        "button", name="Done: Book the priority repair"
    ).click()
    _said(page, "Task marked done")
    _step(page, "Actions to carry it out").get_by_role("button", name="Kept").click()
    _said(page, "Promise marked kept")
    assert "resolved to their satisfaction" in _next(page)

    # 5. Satisfaction, then the case is resolved.
    step = _step(page, "Satisfaction")
    step.get_by_label("Satisfaction").select_option("satisfied")
    step.get_by_label("Comment").fill("Warm again, thank you")
    step.get_by_role("button", name="Record").click()
    _said(page, "Satisfaction recorded")
    assert "Mark the case resolved" in _next(page)
    page.get_by_label("Move to").select_option("open")
    page.get_by_role("button", name="Change status").click()
    _said(page, "Status changed")
    page.get_by_label("Move to").select_option("resolved")
    page.get_by_label("Reason (needed to close or re-open)").fill("Repaired; the customer is satisfied")
    page.get_by_role("button", name="Change status").click()
    _said(page, "Status changed")
    assert "Close the case with your reasons" in _next(page)
    assert re.search("Resolved", page.locator(".case-head").inner_text())

    chosen = Option.objects.get(case=problem)
    assert chosen.status == "chosen" and [r.kind for r in chosen.remedies.all()] == ["put_right", "goodwill"]
    agreement = Agreement.objects.get(case=problem)
    assert (agreement.agreed_by, agreement.via, agreement.option) == ("Sam Tenant", "phone", chosen)
    task = Task.objects.get(case=problem)
    assert task.owner == adviser and task.done_by == case_handler and task.option == chosen
    assert {"option_agreed", "task_added", "task_done", "satisfaction_checked"} <= set(
        CaseEvent.objects.filter(case=problem).values_list("kind", flat=True)
    )
