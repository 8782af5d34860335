"""Queue, case, customer and API list pages: they render, and their query count does not grow with data."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amends.bench.seed import bulk_seed
from amends.cases.models import Case
from amends.cases.notes import note_add
from amends.core.files import AttachmentFile
from amends.core.services import api_token_create
from amends.core.tests import files
from amends.messaging.models import SavedReply
from amends.messaging.replies import saved_reply_create
from amends.messaging.services import message_log_contact, message_send

pytestmark = pytest.mark.django_db


def _count(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.content[:500])
    return len(ctx.captured_queries)


def _urls(case, customer_id, saved_reply=None):
    return [
        "/queue/",
        "/queue/?queue=all&status=all",
        "/queue/?queue=mine",
        "/queue/?queue=unassigned",
        "/queue/?queue=due",
        "/queue/?q=refund+late",
        f"/queue/?q={case.reference}",
        "/queue/?q=c1@example.com",
        f"/cases/{case.reference}/",
        f"/cases/{case.reference}/?saved_reply={saved_reply.pk}",  # the reply box filled from it
        f"/customers/{customer_id}/",
        "/saved-replies/",
    ]


def _api_urls(case, customer_id):
    return [
        "/api/v1/cases?queue=all",
        "/api/v1/cases?queue=team&status=all",
        f"/api/v1/cases/{case.reference}",
        f"/api/v1/cases/{case.reference}/messages",
        "/api/v1/customers",
        f"/api/v1/customers/{customer_id}",
        f"/api/v1/cases/{case.reference}/notes",
        f"/api/v1/customers/{customer_id}/notes",
        "/api/v1/saved-replies",
    ]


def _grow_case(case, actor, n, colleagues):
    """Give one case (and so its customer) many messages, internal notes telling colleagues (on the case and
    on the customer) and saved replies, so the case and customer pages are tested large."""
    for i in range(n):
        message_log_contact(case=case, actor=actor, channel="phone", direction="in", summary=f"Call {i}")
        note = note_add(actor=actor, case=case, body=f"Note {i} @{colleagues[i % 2].username}")
        note_add(actor=actor, case=case, body=f"Correction {i}", corrects=note, mention=colleagues)
        note_add(actor=actor, customer=case.customer, body=f"About them {i}", mention=colleagues[:1])
        saved_reply_create(actor=actor, title=f"Reply {i}", body="Dear {customer_name}, by {respond_by}")
        saved_reply_create(actor=actor, title=f"Team reply {i}", body="{reference}", team=case.team)
    # Replies with files: the timeline names each with its size (and a picture's preview) in the same queries.
    message_send(
        case=case,
        actor=actor,
        body="Reply",
        attachments=[
            AttachmentFile("statement.pdf", "", files.PDF),
            AttachmentFile("meter.png", "", files.png(40, 30)),
        ],
    )


def test_query_counts_stay_flat_from_10_to_1000_cases(complaints_team, team_leader, complaints_lead, adviser):
    from amends.cases.tests.factories import make_case

    bulk_seed(cases=10, teams=[complaints_team], owners=[team_leader], seed=3)
    make_case(team=complaints_team, summary="Refund late again")  # so the word search has a hit at both sizes
    case = Case.objects.order_by("id").first()
    colleagues = [complaints_lead, adviser]
    _grow_case(case, team_leader, 2, colleagues)
    saved_reply = SavedReply.objects.filter(owner=team_leader).first()
    web, api_client = Client(), Client()
    web.force_login(team_leader)
    _, key = api_token_create(user=team_leader, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api_client.get("/api/v1/cases", **auth)  # the token's first use records last_used_at; count after that
    small = {u: _count(web, u) for u in _urls(case, case.customer_id, saved_reply)}
    small.update({u: _count(api_client, u, **auth) for u in _api_urls(case, case.customer_id)})

    bulk_seed(cases=1000, teams=[complaints_team], owners=[team_leader], seed=4, cases_per_customer=1)
    _grow_case(case, team_leader, 30, colleagues)
    large = {u: _count(web, u) for u in _urls(case, case.customer_id, saved_reply)}
    large.update({u: _count(api_client, u, **auth) for u in _api_urls(case, case.customer_id)})
    assert large == small
    # The case page now carries notes, tags, saved replies, files, the assign and note lists, the
    # process panel and conduct's part (the customer's warning markers and contact arrangement in the
    # notices, the reply form's channels: three), care's support needs (the panel and the notice: two),
    # assessment's witness statement form for a team leader (the learners on the case: one), each a fixed
    # number of queries (flat above); 46 is a ceiling to notice growth by.
    assert max(small.values()) <= 46, small


def test_queue_pages_through_every_open_case_once(complaints_team, team_leader):
    bulk_seed(cases=120, teams=[complaints_team], owners=[team_leader], seed=5)
    client = Client()
    client.force_login(team_leader)
    from amends.cases.selectors import QueueFilters, case_queue

    seen, cursor = [], ""
    while True:
        page = case_queue(team_leader, QueueFilters(queue="team", after=cursor))
        seen += [c.pk for c in page.rows]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    expected = set(Case.objects.open().filter(team=complaints_team).values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    # and the htmx "more" request returns just rows
    more = client.get(f"/queue/?queue=team&after={page.next_cursor or cursor}", HTTP_HX_REQUEST="true")
    assert b"<html" not in more.content


@pytest.mark.parametrize(
    "after",
    ["%C2%B2", "r%D9%A3.%D9%A3", "r1.9223372036854775808", "wrJ8wrI", "MDAwMS0wMS0wMVQwMDowMDowMCsxNDowMHw1"],
)
def test_a_cursor_not_made_here_starts_the_queue_from_the_top(complaints_team, team_leader, after):
    from amends.cases.tests.factories import make_case

    newest = make_case(team=complaints_team, summary="The newest case")
    client = Client()
    client.force_login(team_leader)
    for sort in ["", "risk"]:
        page = client.get(f"/queue/?queue=team&sort={sort}&after={after}")
        assert page.status_code == 200 and newest.reference in page.content.decode()


def test_search_finds_by_words_reference_and_email(complaints_team, team_leader):
    from amends.cases.tests.factories import make_case

    target = make_case(
        team=complaints_team, summary="Boiler broken since Tuesday", email="boiler@example.com"
    )
    make_case(team=complaints_team, summary="Refund for cancelled order")
    client = Client()
    client.force_login(team_leader)
    for q in ["boiler", "Boil", "broken boiler", target.reference, "boiler@example.com"]:
        body = client.get("/queue/", {"q": q}).content.decode()
        assert target.reference in body, q
        assert "Refund for cancelled order" not in body, q
    assert "No cases here" in client.get("/queue/", {"q": "zebra"}).content.decode()


def test_bad_query_parameters_never_500(team_leader):
    client = Client()
    client.force_login(team_leader)
    for params in [
        "?queue=nope",
        "?status=weird",
        "?kind=1",
        "?after=%%%",
        "?after=bm90IGEgY3Vyc29y",
        "?q=" + "x" * 5000,
        "?q=%22unbalanced",
        "?q=AND+OR+NOT",
        "?q=*",
    ]:
        assert client.get("/queue/" + params).status_code == 200, params
    assert client.get("/cases/AM-0000-000000/").status_code == 404
    assert client.get("/customers/999999/").status_code == 404
    assert client.get("/customers/merge-suggestions/").status_code == 200
