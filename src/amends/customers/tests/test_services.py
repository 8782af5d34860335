import pytest

from amends.cases.models import Case, CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.customers.models import ContactPoint, Customer, MergeSuggestion
from amends.customers.normalise import normalise_phone
from amends.customers.services import (
    ContactDetails,
    customer_match_or_create,
    customer_merge,
    merge_suggestion_dismiss,
)
from amends.messaging.models import Message
from amends.messaging.services import Incoming, message_record_inbound

pytestmark = pytest.mark.django_db


def test_phone_numbers_normalise_to_e164():
    assert normalise_phone("07700 900123") == "+447700900123"
    assert normalise_phone("+44 (0)7700 900123") == "+447700900123"
    assert normalise_phone("0044 7700 900123") == "+447700900123"
    assert normalise_phone("hello") is None


def test_email_and_phone_match_one_customer():
    first, created = customer_match_or_create(
        details=ContactDetails(name="Jo Bloggs", email="Jo@Example.com")
    )
    assert created
    again, created = customer_match_or_create(
        details=ContactDetails(email="jo@example.com", phone="07700 900123")
    )
    assert not created and again.pk == first.pk
    by_phone, created = customer_match_or_create(details=ContactDetails(phone="+447700900123"))
    assert not created and by_phone.pk == first.pk
    assert ContactPoint.objects.filter(customer=first).count() == 2
    assert AuditEvent.objects.filter(kind="customer.contact_point_added").count() == 2


def test_invalid_contact_details_are_refused_and_nothing_stored():
    for details in [ContactDetails(email="nope"), ContactDetails(phone="abc"), ContactDetails()]:
        with pytest.raises(DomainError):
            customer_match_or_create(details=details)
    assert Customer.objects.count() == 0


def test_same_name_suggests_a_merge_and_merging_moves_everything(team_leader):
    a = make_case(name="Jo Bloggs", email="jo@example.com")
    b = make_case(name="jo  bloggs", email="jo.bloggs@work.example.org")
    suggestion = MergeSuggestion.objects.get()
    assert suggestion.keep_id == a.customer_id and suggestion.duplicate_id == b.customer_id
    message_record_inbound(
        case=b,
        customer=b.customer,
        incoming=Incoming(channel="email", body_text="Hello", occurred_at=b.opened_at),
    )
    b.refresh_from_db()
    version_before = b.version
    kept = customer_merge(suggestion=suggestion, actor=team_leader, reason="Same person, confirmed by phone")
    assert kept.pk == a.customer_id
    moved = Case.objects.get(pk=b.pk)
    assert moved.version == version_before + 1  # a form opened before the merge cannot save over it
    assert Message.objects.filter(case=b, customer=kept).count() == 1
    audit = AuditEvent.objects.get(kind="customer.merged")
    assert audit.after == {"cases_moved": 1, "messages_moved": 1, "notes_moved": 0, "alerts_moved": 0}
    assert set(Case.objects.filter(customer=kept).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert ContactPoint.objects.filter(customer=kept).count() == 2
    assert Customer.objects.get(pk=b.customer_id).merged_into_id == kept.pk
    assert CaseEvent.objects.filter(case=b, kind="customer_merged").exists()
    # later contacts from the old address land on the kept record
    again, _ = customer_match_or_create(details=ContactDetails(email="jo.bloggs@work.example.org"))
    assert again.pk == kept.pk
    with pytest.raises(Conflict):
        customer_merge(suggestion=suggestion, actor=team_leader)


def test_dismissed_suggestion_stays_dismissed(team_leader):
    make_case(name="Sam Lee", email="sam1@example.com")
    make_case(name="Sam Lee", email="sam2@example.com")
    suggestion = MergeSuggestion.objects.get()
    merge_suggestion_dismiss(suggestion=suggestion, actor=team_leader, reason="Different dates of birth")
    assert MergeSuggestion.objects.get().status == "dismissed"
    with pytest.raises(Conflict):
        merge_suggestion_dismiss(suggestion=suggestion, actor=team_leader)


def test_details_pointing_at_two_customers_suggest_a_merge():
    a, _ = customer_match_or_create(details=ContactDetails(name="A", email="a@example.com"))
    b, _ = customer_match_or_create(details=ContactDetails(name="B", phone="07700 900456"))
    found, _ = customer_match_or_create(details=ContactDetails(email="a@example.com", phone="07700 900456"))
    assert found.pk == a.pk
    assert MergeSuggestion.objects.filter(keep=a, duplicate=b).exists()
