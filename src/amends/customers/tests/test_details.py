"""Editing a customer: one service for the name, nation, preferred channel, contact points and postal
addresses, against the version the editor read, each change audited; the same through the API and the page."""

import json

import pytest
from django.test import Client

from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.customers.details import AddressDetails, PointDetails, customer_update, uk_postcode
from amends.customers.models import ContactPoint, Customer, PostalAddress
from amends.customers.services import ContactDetails, customer_match_or_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(complaints_team):
    return make_case(team=complaints_team, name="Robin Ashby", email="robin@example.com").customer


def update(customer, actor, **changes):
    return customer_update(customer=customer, actor=actor, expected_version=customer.version, **changes)


def audits(customer):
    return list(AuditEvent.objects.filter(kind="customer.updated", object_id=str(customer.pk)).order_by("id"))


def test_name_nation_and_channel_change_once_each_audited(customer, adviser):
    changed = update(
        customer, adviser, name="  Robin   Ashby-Cole ", nation="wales", preferred_channel="letter"
    )

    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.name_key, stored.nation, stored.preferred_channel) == (
        "Robin Ashby-Cole",
        "robin ashby-cole",
        "wales",
        "letter",
    )
    assert stored.version == changed.version == 2
    (event,) = audits(customer)
    assert event.actor == adviser
    assert event.before == {"name": "Robin Ashby", "nation": "england", "preferred_channel": "email"}
    assert event.after == {"name": "Robin Ashby-Cole", "nation": "wales", "preferred_channel": "letter"}
    # The same again changes nothing and records nothing.
    update(stored, adviser, name="Robin Ashby-Cole", nation="wales")
    assert Customer.objects.get(pk=customer.pk).version == 2 and len(audits(customer)) == 1


def test_postal_addresses_are_stored_in_their_parts_with_one_for_letters(customer, adviser):
    update(
        customer,
        adviser,
        postal_addresses=[
            AddressDetails(("Flat 2", "", "14  Mill Lane"), "Leeds", "ls14ab"),
            AddressDetails(("Unit 9",), "Cardiff", "cf10 5aa", "UK", for_letters=True),
        ],
        reason="Moved for work",
    )
    home, work = PostalAddress.objects.filter(customer=customer).order_by("id")
    assert (home.lines, home.town, home.postcode, home.for_letters) == (
        ["Flat 2", "14 Mill Lane"],
        "Leeds",
        "LS1 4AB",
        False,
    )
    assert (work.postcode, work.for_letters) == ("CF10 5AA", True)
    assert work.block_lines() == ["Unit 9", "CARDIFF", "CF10 5AA"]
    assert audits(customer)[-1].reason == "Moved for work"
    assert audits(customer)[-1].after["postal_addresses"][1]["postcode"] == "CF10 5AA"
    # With none marked, the first is the one for letters.
    update(
        Customer.objects.get(pk=customer.pk),
        adviser,
        postal_addresses=[AddressDetails(("1 Road",), "Ayr", "KA7 1AA")],
    )
    assert list(PostalAddress.objects.filter(customer=customer).values_list("for_letters", flat=True)) == [
        True
    ]


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (AddressDetails(("",), "Leeds", "LS1 4AB"), "postal_addresses.0.lines"),
        (AddressDetails(("1 Road", "2", "3", "4"), "Leeds", "LS1 4AB"), "postal_addresses.0.lines"),
        (AddressDetails(("1 Road",), "", "LS1 4AB"), "postal_addresses.0.town"),
        (AddressDetails(("1 Road",), "Leeds", "12345"), "postal_addresses.0.postcode"),
        (AddressDetails(("1 Road",), "Leeds", ""), "postal_addresses.0.postcode"),
    ],
)
def test_an_address_that_cannot_take_a_letter_is_refused(customer, adviser, address, field):
    with pytest.raises(DomainError) as err:
        update(customer, adviser, postal_addresses=[address], name="Someone Else")
    assert field in err.value.fields
    assert not PostalAddress.objects.exists() and Customer.objects.get(pk=customer.pk).name == "Robin Ashby"
    assert not audits(customer)


def test_an_address_abroad_needs_no_uk_postcode(customer, adviser):
    update(customer, adviser, postal_addresses=[AddressDetails(("Rue 1",), "", "", "France")])
    assert PostalAddress.objects.get().block_lines() == ["Rue 1", "FRANCE"]


def test_two_addresses_for_letters_are_refused(customer, adviser):
    both = [AddressDetails(("1 Road",), "Leeds", "LS1 4AB", for_letters=True)] * 2
    with pytest.raises(DomainError, match="Mark one address"):
        update(customer, adviser, postal_addresses=both)


def test_uk_postcodes_read_in_any_spacing_or_case():
    assert uk_postcode("sw1a1aa") == "SW1A 1AA"
    assert uk_postcode(" EC1A  1BB ") == "EC1A 1BB"
    assert uk_postcode("M1 1AE") == "M1 1AE"
    assert uk_postcode("GIR0AA") == "GIR 0AA"
    assert uk_postcode("1AA 1AA") is None and uk_postcode("") is None


def test_contact_points_are_replaced_with_one_main_one_of_each_kind(customer, adviser):
    update(
        customer,
        adviser,
        contact_points=[
            PointDetails("email", "robin@example.com"),
            PointDetails("email", "Robin.Work@Example.org", is_primary=True),
            PointDetails("phone", "07700 900123"),
            PointDetails("phone", "+44 7700 900123"),  # the same number twice is kept once
        ],
    )
    points = {(p.kind, p.normalised): p.is_primary for p in ContactPoint.objects.filter(customer=customer)}
    assert points == {
        ("email", "robin@example.com"): False,
        ("email", "robin.work@example.org"): True,
        ("phone", "+447700900123"): True,
    }
    # Matching finds the customer by the new address; the removed one no longer finds them.
    found, created = customer_match_or_create(details=ContactDetails(email="robin.work@example.org"))
    assert found.pk == customer.pk and not created
    update(
        Customer.objects.get(pk=customer.pk), adviser, contact_points=[PointDetails("phone", "07700900123")]
    )
    assert not ContactPoint.objects.filter(customer=customer, kind="email").exists()
    assert customer_match_or_create(details=ContactDetails(email="robin@example.com"))[1] is True


def test_another_customers_email_is_refused_and_nothing_changes(customer, adviser, complaints_team):
    other = make_case(team=complaints_team, name="Sam Other", email="sam@example.com").customer
    with pytest.raises(Conflict) as err:
        update(customer, adviser, name="Robin A", contact_points=[PointDetails("email", "SAM@example.com")])
    assert err.value.code == "contact_point_taken" and "merge" in err.value.message
    assert ContactPoint.objects.get(normalised="sam@example.com").customer_id == other.pk
    assert Customer.objects.get(pk=customer.pk).name == "Robin Ashby"
    assert ContactPoint.objects.filter(customer=customer).count() == 1


@pytest.mark.parametrize(
    ("point", "message"),
    [(PointDetails("email", "not an email"), "valid email"), (PointDetails("postal", "1 Road"), "email")],
)
def test_a_contact_point_that_is_not_one_is_refused(customer, adviser, point, message):
    with pytest.raises(DomainError, match=message):
        update(customer, adviser, contact_points=[point])


def test_an_edit_against_an_older_version_is_refused_saying_who_changed_it(customer, adviser, team_leader):
    read = Customer.objects.get(pk=customer.pk)
    update(Customer.objects.get(pk=customer.pk), team_leader, nation="scotland")
    with pytest.raises(Conflict) as err:
        customer_update(customer=read, actor=adviser, expected_version=read.version, name="Robin B")
    assert err.value.code == "customer_changed"
    assert "Tess Leader changed this customer's details" in err.value.message
    assert err.value.fields == {"version": "you read version 1; it is now 2"}
    assert Customer.objects.get(pk=customer.pk).name == "Robin Ashby"


def test_a_new_contact_point_from_intake_changes_the_version(customer):
    customer_match_or_create(details=ContactDetails(email="robin@example.com", phone="07700 900555"))
    assert Customer.objects.get(pk=customer.pk).version == 2
    customer_match_or_create(details=ContactDetails(email="robin@example.com"))  # nothing new
    assert Customer.objects.get(pk=customer.pk).version == 2


def test_a_merged_record_is_not_edited(customer, adviser):
    keep = customer_match_or_create(details=ContactDetails(name="Keep", email="keep@example.com"))[0]
    Customer.objects.filter(pk=customer.pk).update(merged_into=keep)
    with pytest.raises(Conflict, match="merged"):
        update(Customer.objects.get(pk=customer.pk), adviser, name="x")


# --- the API ------------------------------------------------------------------------------------------------


def patch(client, customer_id, body):
    return client.patch(f"/api/v1/customers/{customer_id}", json.dumps(body), content_type="application/json")


def test_the_api_changes_a_customer_and_says_what_it_now_holds(customer, adviser):
    client = api_client(adviser)
    body = {
        "version": 1,
        "nation": "northern-ireland",
        "postal_addresses": [{"lines": ["3 Quay St"], "town": "Belfast", "postcode": "bt1 3aa"}],
        "contact_points": [
            {"kind": "email", "value": "robin@example.com"},
            {"kind": "phone", "value": "07700900001"},
        ],
    }
    response = patch(client, customer.pk, body)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["version"] == 2 and out["nation"] == "northern-ireland" and out["name"] == "Robin Ashby"
    assert out["postal_addresses"] == [
        {
            "lines": ["3 Quay St"],
            "town": "Belfast",
            "postcode": "BT1 3AA",
            "country": "United Kingdom",
            "for_letters": True,
        }
    ]
    assert {p["kind"] for p in out["contact_points"]} == {"email", "phone"}
    assert client.get(f"/api/v1/customers/{customer.pk}").json()["postal_addresses"][0]["town"] == "Belfast"
    again = patch(client, customer.pk, {"version": 1, "name": "Late edit"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "customer_changed"
    bad = patch(
        client, customer.pk, {"version": 2, "postal_addresses": [{"lines": ["x"], "postcode": "LS1 4AB"}]}
    )
    assert bad.status_code == 400 and "postal_addresses.0.town" in bad.json()["error"]["fields"]
    assert patch(client, customer.pk, {"version": 2, "nation": "cornwall"}).status_code == 422
    assert Customer.objects.get(pk=customer.pk).version == 2


def test_the_api_refuses_an_assessor_and_hides_customers_out_of_scope(customer, assessor, other_team_adviser):
    assert patch(api_client(assessor), customer.pk, {"version": 1, "name": "x"}).status_code == 403
    assert patch(api_client(other_team_adviser), customer.pk, {"version": 1, "name": "x"}).status_code == 404
    assert Customer.objects.get(pk=customer.pk).version == 1


# --- the customer page --------------------------------------------------------------------------------


def test_the_page_edits_a_customer_through_the_same_service(customer, adviser):
    client = login(adviser)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Edit details" in page and "No postal address: letters go by email." in page
    form = {
        "version": "1",
        "name": "Robin Ashby",
        "nation": "scotland",
        "preferred_channel": "letter",
        "points": "1",
        "cp-0-kind": "email",
        "cp-0-value": "robin@example.com",
        "primary-email": "0",
        "cp-new-kind": "phone",
        "cp-new-value": "07700 900321",
        "addresses": "0",
        "addr-new-line1": "5 High Street",
        "addr-new-town": "Perth",
        "addr-new-postcode": "ph1 5aa",
        "addr-new-country": "United Kingdom",
        "for_letters": "new",
        "reason": "Told us on the phone",
    }
    response = client.post(f"/customers/{customer.pk}/edit", form)
    assert response.status_code == 302 and response["Location"].endswith("#details")
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.nation, stored.preferred_channel, stored.version) == ("scotland", "letter", 2)
    assert PostalAddress.objects.get(customer=customer).block_lines() == ["5 High Street", "PERTH", "PH1 5AA"]
    assert ContactPoint.objects.filter(customer=customer, kind="phone", normalised="+447700900321").exists()
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "5 High Street<br>PERTH<br>PH1 5AA <small>(letters go here)</small>" in page
    # The form names the address lines it holds, and a removal removes it.
    assert 'name="addr-0-line1" value="5 High Street"' in page
    client.post(
        f"/customers/{customer.pk}/edit",
        {
            **form,
            "version": "2",
            "addresses": "1",
            "addr-0-line1": "5 High Street",
            "addr-0-remove": "1",
            "addr-new-line1": "",
            "points": "0",
            "cp-new-value": "",
        },
    )
    assert not PostalAddress.objects.filter(customer=customer).exists()


def test_the_page_says_what_was_wrong_and_changes_nothing(customer, adviser):
    client = login(adviser)
    form = {
        "version": "1",
        "name": "Robin",
        "nation": "wales",
        "preferred_channel": "email",
        "points": "0",
        "addresses": "0",
        "addr-new-line1": "1 Road",
        "addr-new-town": "Leeds",
        "addr-new-postcode": "nope",
    }
    page = client.post(f"/customers/{customer.pk}/edit", form, follow=True).content.decode()
    assert "is not a UK postcode" in page
    stale = client.post(
        f"/customers/{customer.pk}/edit", {**form, "version": "7"}, follow=True
    ).content.decode()
    assert "while you were editing them" in stale
    assert Customer.objects.get(pk=customer.pk).version == 1


def test_an_assessor_sees_the_details_but_no_form_and_cannot_post(customer, assessor):
    client = login(assessor)
    page = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "Contact details" in page and "Edit details" not in page
    client.post(f"/customers/{customer.pk}/edit", {"version": "1", "name": "Changed", "points": "0"})
    assert Customer.objects.get(pk=customer.pk).name == "Robin Ashby"


def test_the_page_is_not_found_for_someone_who_cannot_see_the_customer(customer, other_team_adviser):
    form = {"version": "1", "name": "Changed", "nation": "wales", "preferred_channel": "email", "points": "0"}
    assert login(other_team_adviser).post(f"/customers/{customer.pk}/edit", form).status_code == 404
    signed_out = Client().post(f"/customers/{customer.pk}/edit", form)
    assert signed_out.status_code == 302 and "/login/" in signed_out["Location"]
    assert Customer.objects.get(pk=customer.pk).version == 1
