"""A unit signed off after IQA as an Open Badges 3.0 credential: valid against the vendored schema, aligned to
the CASE items, plain that it is the centre's decision and not the awarding body's certificate."""

import copy
from datetime import UTC, datetime

import pytest

from amends.standards import badges, case
from amends.standards.ids import PortableRecordError
from amends.standards.validation import badge_errors

SITE = "https://amends.example"
NORTHGATE = badges.Issuer("Northgate Housing", "https://northgate.example")


def award(**changes):
    fields = {
        "award_id": "award-1",
        "unit": "CFACSC7",
        "learner": badges.Learner("learner-7", "Sam Patel"),
        "issuer": NORTHGATE,
        "awarded_on": datetime(2026, 12, 4, 16, 0, tzinfo=UTC),
        "criteria": ("CFACSC7 1", "CFACSC7 2", "CFACSC7 K1"),
        "evidence": (
            badges.BadgeEvidence("42", "case_event", "Acknowledged within the hour."),
            badges.BadgeEvidence("43", "observation"),
            badges.BadgeEvidence("44", "witness"),
            badges.BadgeEvidence("45", "knowledge_check"),
        ),
        "iqa_sample": "s-1",
    }
    return badges.UnitAward(**{**fields, **changes})


def test_the_badge_validates_against_the_open_badges_schema():
    credential = badges.unit_badge(award(), base_url=SITE)
    assert badge_errors(credential) == []
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["name"] == "Northgate Housing"
    assert credential["credentialSubject"]["achievement"]["achievementType"] == "Competency"


def test_a_broken_badge_is_refused():
    credential = badges.unit_badge(award(), base_url=SITE)
    no_achievement = copy.deepcopy(credential)
    del no_achievement["credentialSubject"]["achievement"]
    assert badge_errors(no_achievement) == ["credentialSubject: 'achievement' is a required property"]
    no_issuer_id = copy.deepcopy(credential)
    del no_issuer_id["issuer"]["id"]
    assert badge_errors(no_issuer_id)
    bad_date = copy.deepcopy(credential)
    bad_date["issuanceDate"] = "4 December 2026"
    assert any(p.startswith("issuanceDate") for p in badge_errors(bad_date))


def test_it_says_plainly_it_is_the_centres_sign_off_not_the_awarding_bodys_certificate():
    credential = badges.unit_badge(award(), base_url=SITE)
    achievement = credential["credentialSubject"]["achievement"]
    for text in (credential["description"], achievement["description"], achievement["criteria"]["narrative"]):
        assert "not the awarding body's certificate" in text
        assert "internal quality assurance" in text


def test_it_aligns_to_the_signed_off_case_items():
    achievement = badges.unit_badge(award(), base_url=SITE)["credentialSubject"]["achievement"]
    assert [a["targetCode"] for a in achievement["alignment"]] == ["CFACSC7 1", "CFACSC7 2", "CFACSC7 K1"]
    assert {a["targetType"] for a in achievement["alignment"]} == {"CFItem"}
    assert achievement["alignment"][0]["targetUrl"] == case.item_uri(SITE, "CFACSC7 1")


def test_evidence_is_listed_by_opaque_id_with_its_genre_and_the_iqa_sample():
    evidence = badges.unit_badge(award(), base_url=SITE)["evidence"]
    assert [e["genre"] for e in evidence] == [
        "Product evidence: complaint case record",
        "Observation",
        "Witness testimony",
        "Knowledge check",
        "Internal quality assurance sample",
    ]
    assert evidence[0]["id"] == "https://amends.example/evidence/42"
    assert evidence[-1]["id"] == "https://amends.example/iqa-samples/s-1"


def test_the_same_award_gives_the_same_credential():
    assert badges.unit_badge(award(), base_url=SITE) == badges.unit_badge(award(), base_url=SITE)
    assert (
        badges.unit_badge(award(award_id="award-2"), base_url=SITE)["id"]
        != badges.unit_badge(award(), base_url=SITE)["id"]
    )


def test_what_cannot_be_a_unit_badge_is_refused():
    with pytest.raises(PortableRecordError, match="not a criterion of CFACSC7"):
        badges.unit_badge(award(criteria=("CFACSC4 P11",)), base_url=SITE)
    with pytest.raises(PortableRecordError, match="IQA|internal quality assurance"):
        badges.unit_badge(award(iqa_sample=""), base_url=SITE)
    with pytest.raises(PortableRecordError, match="opaque"):
        badges.unit_badge(award(learner=badges.Learner("sam@example.com", "Sam Patel")), base_url=SITE)
    with pytest.raises(PortableRecordError, match="evidence method"):
        badges.unit_badge(award(evidence=(badges.BadgeEvidence("9", "simulation"),)), base_url=SITE)
