"""The case page with a full complaint process keeps a fixed number of queries as the process grows, its
evidence files and letters' enclosures among it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.core.files import AttachmentFile
from amends.core.tests import files
from amends.letters.services import letter_enclose
from amends.messaging.replies import saved_reply_create
from amends.process import authority, promises, services, steps
from amends.process.letters import process_compose_letter

pytestmark = pytest.mark.django_db


def _grow(case, actor, n):
    for i in range(n):
        steps.evidence_add(
            case=case,
            actor=actor,
            kind="photo",
            description=f"Record {i}",
            files=[
                AttachmentFile(f"photo{i}.png", "", files.png(40, 30)),
                AttachmentFile("s.pdf", "", files.PDF),
            ],
        )
        option = authority.option_add(
            case=case,
            actor=actor,
            title=f"Option {i}",
            remedy_type="refund",
            amount=str(10 + i),
            benefits_customer="Money back",
        )
        if i % 2:
            authority.approval_request(
                option=authority.option_add(
                    case=case,
                    actor=actor,
                    title=f"Big {i}",
                    remedy_type="compensation",
                    amount="9000",
                    benefits_customer="x",
                ),
                actor=actor,
            )
        del option
        promises.promise_make(
            case=case, actor=actor, description=f"Call {i}", due_at=timezone.now() + timedelta(days=1 + i)
        )
        letter = process_compose_letter(
            case=case, kind="holding", actor=actor, fields={"delay_reasons": "waiting"}
        )
        letter_enclose(letter=letter, actor=actor, files=[AttachmentFile("plan.pdf", "", files.PDF)])


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_case_page_queries_do_not_grow_with_the_process(complaint, case_handler, complaints_lead):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    steps.understanding_record(
        case=complaint, actor=case_handler, what_happened="a", impact="b", outcome_wanted="c"
    )
    steps.finding_record(case=complaint, actor=case_handler, outcome="justified", facts="f", reasoning="r")
    client = Client()
    client.force_login(case_handler)
    url = f"/cases/{complaint.reference}/"
    # A saved reply whose {respond_by} the regime's clocks fill in, put in the reply box.
    reply = saved_reply_create(actor=case_handler, title="Ack", body="We will reply by {respond_by}.")
    filled = f"{url}?saved_reply={reply.pk}"
    _grow(complaint, case_handler, 1)
    small = _count(client, url), _count(client, filled)
    _grow(complaint, case_handler, 6)
    large = _count(client, url), _count(client, filled)
    assert large == small, (small, large)


def _grow_problem(case, actor, owner, n):
    from amends.process import resolution

    for i in range(n):
        option = authority.option_add(
            case=case,
            actor=actor,
            title=f"Option {i}",
            benefits_customer="Fixed",
            remedies=[
                authority.Remedy("put_right", f"Repair {i}"),
                authority.Remedy("goodwill", amount="10"),
            ],
        )
        if not case.options.filter(status="chosen").exists():
            authority.option_choose(option=option, actor=actor, reason="Best")
        chosen = case.options.get(status="chosen")
        resolution.agreement_record(case=case, actor=actor, option=chosen, agreed_by="Sam", via="phone")
        task = resolution.task_add(
            case=case,
            actor=actor,
            title=f"Task {i}",
            owner=owner,
            due_at=timezone.now() + timedelta(days=1 + i),
        )
        if i % 2:
            resolution.task_done(task=task, actor=owner)
        promises.promise_make(
            case=case, actor=actor, description=f"Call {i}", due_at=timezone.now() + timedelta(days=1 + i)
        )


@pytest.mark.parametrize("reader", ["case_handler", "assessor"])
def test_a_problem_page_queries_do_not_grow_with_its_steps(
    request, complaints_team, case_handler, adviser, reader
):
    """Whoever reads it: the one who works it (with the task form's owners) and an assessor (no forms)."""
    from amends.cases.tests.factories import make_case

    problem = make_case(kind="problem", team=complaints_team, owner=case_handler)
    steps.understanding_record(
        case=problem, actor=case_handler, what_happened="a", impact="b", outcome_wanted="c"
    )
    client = Client()
    client.force_login(request.getfixturevalue(reader))
    url = f"/cases/{problem.reference}/"
    _grow_problem(problem, case_handler, adviser, 1)
    small = _count(client, url)
    _grow_problem(problem, case_handler, adviser, 6)
    large = _count(client, url)
    assert large == small, (small, large)
