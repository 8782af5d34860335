"""Word search finds a case by its summary, its customer's name and the words of its messages, ranked, in
the user's scope only, on SQLite (FTS5) and PostgreSQL (tsvector) alike."""

import pytest
from django.db import connection
from django.test import Client

from amends.cases.search_index import ensure_search_index
from amends.cases.tests.factories import make_case
from amends.customers.models import Customer
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contacts
from amends.messaging.services import message_log_contact, message_send

pytestmark = pytest.mark.django_db


def _found(user, q) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/queue/", {"q": q, "queue": "all", "status": "all"})
    assert response.status_code == 200
    return response.content.decode()


def test_the_customers_full_name_finds_their_case(complaints_team, team_leader):
    case = make_case(team=complaints_team, summary="Card blocked abroad", name="Gwendolyn Abernethy-Okafor")
    other = make_case(team=complaints_team, summary="Card blocked abroad", name="Pat Customer")
    for q in ["Gwendolyn Abernethy-Okafor", "gwendolyn abernethy okafor", "Abernethy", "okaf"]:
        body = _found(team_leader, q)
        assert case.reference in body, q
        assert other.reference not in body, q


def test_words_of_inbound_and_outbound_messages_find_the_case(complaints_team, team_leader):
    case = make_case(team=complaints_team, summary="Mortgage arrears")
    other = make_case(team=complaints_team, summary="Mortgage arrears")
    message_log_contact(
        case=case,
        actor=team_leader,
        channel="phone",
        direction="in",
        summary="Caller is frightened of repossession after the letter",
    )
    message_send(case=case, actor=team_leader, body="We have paused enforcement while we look into this.")
    for q in ["repossession", "Repossession frightened", "enforcement", "paused enforcement arrears"]:
        body = _found(team_leader, q)
        assert case.reference in body, q
        assert other.reference not in body, q


def test_batch_intake_is_searchable_by_name_and_message_words(complaints_lead):
    results = intake_contacts(
        [
            ContactIn(
                channel="social",
                external_id=f"post-{i}",
                customer={"name": name, "email": f"{i}@example.com"},
                text=text,
            )
            for i, (name, text) in enumerate(
                [
                    ("Ffion Llewellyn", "The bailiffs came about the repossession"),
                    ("Sam Jones", "Late refund"),
                ]
            )
        ]
    )
    ffion, sam = (r.case.reference for r in results)
    body = _found(complaints_lead, "Ffion bailiffs")
    assert ffion in body and sam not in body


def test_a_case_outside_the_users_scope_is_not_found(
    complaints_team, billing_team, team_leader, complaints_lead
):
    theirs = make_case(team=billing_team, summary="Heating broken", name="Ottoline Featherstonehaugh")
    message_log_contact(
        case=theirs, actor=complaints_lead, channel="phone", direction="in", summary="Threat of repossession"
    )
    ours = make_case(team=complaints_team, summary="Repossession notice", name="Ottoline Featherstonehaugh")
    for q in ["Ottoline Featherstonehaugh", "repossession"]:
        body = _found(team_leader, q)
        assert ours.reference in body, q
        assert theirs.reference not in body, q
        everyone = _found(complaints_lead, q)
        assert ours.reference in everyone and theirs.reference in everyone, q


def test_a_match_in_the_summary_or_name_ranks_above_one_in_a_message(complaints_team, team_leader):
    in_summary = make_case(team=complaints_team, summary="Repossession threatened")
    in_message = make_case(team=complaints_team, summary="Mortgage letter")  # newer, so first by date
    message_log_contact(
        case=in_message,
        actor=team_leader,
        channel="phone",
        direction="in",
        summary="Asked about repossession",
    )
    body = _found(team_leader, "repossession")
    assert body.index(in_summary.reference) < body.index(in_message.reference)


def test_a_renamed_or_merged_customer_is_found_by_the_new_name(complaints_team, team_leader):
    case = make_case(team=complaints_team, summary="Damp in the bedroom", name="Jo Old-Name")
    Customer.objects.filter(pk=case.customer_id).update(name="Jo Newname")
    assert case.reference in _found(team_leader, "Newname")
    assert case.reference not in _found(team_leader, "Old-Name")


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_triggers_a_table_rebuild_dropped_are_put_back_and_the_index_rebuilt(complaints_team, team_leader):
    """SQLite drops a table's triggers when a migration rebuilds it; after every migrate they come back."""
    case = make_case(team=complaints_team, summary="Mortgage arrears")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cases_search_message_ai")
    message_log_contact(case=case, actor=team_leader, channel="phone", direction="in", summary="Repossession")
    assert case.reference not in _found(team_leader, "repossession")
    assert ensure_search_index(connection) == ["cases_search_message_ai"]
    assert case.reference in _found(team_leader, "repossession")
    assert ensure_search_index(connection) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the whole-word-first walk is SQLite's (FTS5)")
def test_a_last_word_common_enough_to_fill_the_page_is_searched_whole_else_as_a_start(
    complaints_team, team_leader
):
    from amends.cases import search
    from amends.cases.models import Case

    older = make_case(team=complaints_team, summary="Refunded twice")
    whole = [make_case(team=complaints_team, summary="Refund missing") for _ in range(3)]
    cases = Case.objects.all()
    # Three whole-word matches fill a page of three: the older "Refunded" is not gathered.
    ids, ranked = search.best_matches(cases, "refund", limit=3)
    assert set(ids) == {c.pk for c in whole} and ranked == 3
    # A page of ten is not filled by the whole word, so the word is also the start of others.
    ids, _ = search.best_matches(cases, "refund", limit=10)
    assert set(ids) == {older.pk, *(c.pk for c in whole)}
    # A start no case holds whole still finds by the start (as people type).
    ids, _ = search.best_matches(cases, "refu", limit=3)
    assert len(ids) == 3
