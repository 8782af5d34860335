"""The catalogue as CASE 1.1 packages: valid against the vendored schema, every criterion once, identifiers
that never change, and an exactMatchOf for every same_as pair."""

import copy
from datetime import UTC, datetime

import pytest

from amends.standards import case, criteria
from amends.standards.ids import PortableRecordError
from amends.standards.validation import case_errors

SITE = "https://amends.example"


@pytest.fixture(scope="module")
def packages():
    return case.case_packages(SITE)


def test_every_unit_has_a_package_that_validates_against_the_case_schema(packages):
    assert list(packages) == list(criteria.catalogue())
    for unit, package in packages.items():
        assert case_errors(package) == [], unit
        assert package["CFDocument"]["creator"] == "Amends"
        assert package["CFDocument"]["caseVersion"] == "1.1"


def test_the_schema_check_bites():
    package = case.case_package(SITE, "C4")
    broken = copy.deepcopy(package)
    del broken["CFDocument"]["creator"]
    broken["CFItems"][0]["identifier"] = "C4-1.1"
    broken["CFAssociations"][0]["associationType"] = "resembles"
    problems = case_errors(broken)
    assert any("'creator' is a required property" in p for p in problems)
    assert any(p.startswith("CFItems/0/identifier") for p in problems)
    assert any(p.startswith("CFAssociations/0/associationType") for p in problems)
    assert case_errors({"CFItems": []}) == ["(top): 'CFDocument' is a required property"]


def test_every_criterion_appears_once_with_the_standards_words_and_our_title(packages):
    items = [item for package in packages.values() for item in package["CFItems"]]
    expected = [c for unit in criteria.catalogue().values() for c in unit.criteria]
    assert [item["humanCodingScheme"] for item in items] == [c.reference for c in expected]
    assert len({item["identifier"] for item in items}) == len(expected)
    p11 = next(item for item in items if item["humanCodingScheme"] == "CFACSC4 P11")
    found = criteria.criterion("CFACSC4 P11")
    assert (p11["fullStatement"], p11["abbreviatedStatement"]) == (found.text, found.title)
    assert p11["CFItemType"] == "Performance criterion"
    k4 = next(item for item in items if item["humanCodingScheme"] == "CFACSC4 K4")
    assert k4["CFItemType"] == "Knowledge criterion"


def test_each_item_is_a_child_of_its_document_in_the_standards_order(packages):
    for unit, package in packages.items():
        document = package["CFDocument"]["identifier"]
        children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
        assert all(a["destinationNodeURI"]["identifier"] == document for a in children)
        assert [a["originNodeURI"]["title"] for a in children] == [
            c.reference for c in criteria.catalogue()[unit].criteria
        ]
        assert [a["sequenceNumber"] for a in children] == list(range(1, len(children) + 1))


def test_every_same_as_pair_yields_an_exact_match(packages):
    matches = {
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for package in packages.values()
        for a in package["CFAssociations"]
        if a["associationType"] == "exactMatchOf"
    }
    pairs = [
        (c.reference, other)
        for unit in criteria.catalogue().values()
        for c in unit.criteria
        for other in c.same_as
    ]
    assert pairs, "the catalogue maps C4 onto CFACSC4"
    assert {(str(case.item_id(a)), str(case.item_id(b))) for a, b in pairs} == matches
    assert len(matches) == len(pairs)
    # C4 2.4 is CFACSC4 P11; the association points into CFACSC4's package by the item's URI.
    c4 = case.case_package(SITE, "C4")
    match = next(
        a
        for a in c4["CFAssociations"]
        if a["associationType"] == "exactMatchOf" and a["originNodeURI"]["title"] == "C4 2.4"
    )
    assert match["destinationNodeURI"]["title"] == "CFACSC4 P11"
    assert match["destinationNodeURI"]["uri"] == case.item_uri(SITE, "CFACSC4 P11")


def test_identifiers_are_the_same_on_every_run_and_wherever_the_site_is(packages):
    again = case.case_packages(SITE)
    assert again == packages
    moved = case.case_packages("https://complaints.example.org/")
    for unit in packages:
        ids = [i["identifier"] for i in packages[unit]["CFItems"]]
        assert ids == [i["identifier"] for i in moved[unit]["CFItems"]]
        assert packages[unit]["CFDocument"]["identifier"] == moved[unit]["CFDocument"]["identifier"]
    assert moved["C4"]["CFItems"][0]["uri"].startswith(
        "https://complaints.example.org/ims/case/v1p1/CFItems/"
    )
    # Pinned: an identifier that changed would orphan every statement and badge already issued.
    assert str(case.item_id("CFACSC4 P11")) == "64f3997c-79fe-5206-8fcb-49412644b76f"
    assert case.item_id("cfacsc4  p11") == case.item_id("CFACSC4 P11")


def test_each_document_says_whose_words_the_standard_is(packages):
    assert set(case.OWNERS) == set(criteria.catalogue())
    notes = {unit: package["CFDocument"]["notes"] for unit, package in packages.items()}
    assert "Institute of Customer Service" in notes["WM57"]
    assert "OCR" in notes["C4"]
    assert "standards setting body" in notes["CFACSC4"]
    licence = packages["C4"]["CFDefinitions"]["CFLicenses"][0]
    assert licence["identifier"] == packages["C4"]["CFDocument"]["licenseURI"]["identifier"]
    assert "OCR" in licence["licenseText"]


def test_the_catalogue_version_has_a_date_for_last_change(packages):
    assert criteria.version() in case.CATALOGUE_CHANGED
    changed = packages["WM57"]["CFDocument"]["lastChangeDateTime"]
    assert datetime.fromisoformat(changed) == case.CATALOGUE_CHANGED[criteria.version()].astimezone(UTC)


def test_unknown_units_and_bad_addresses_are_refused():
    with pytest.raises(PortableRecordError, match="not a unit"):
        case.case_package(SITE, "CFACSC99")
    with pytest.raises(PortableRecordError, match="http"):
        case.case_package("amends.example", "C4")
    with pytest.raises(PortableRecordError, match="names no criterion"):
        case.item_uri(SITE, "CFACSC4 P99")
