"""A unit signed off after internal quality assurance, as an Open Badges 3.0 credential. Framework-free.

`unit_badge(award, base_url=...)` builds an OpenBadgeCredential (an AchievementCredential) in the shape of
the Open Badges 3.0 JSON schema vendored in `schemas/` (Verifiable Credentials 1.1 context, `issuanceDate`):
the issuer is the organisation running Amends; the achievement is the unit's competency, aligned to each
signed-off criterion's CASE CFItem; the evidence is listed by opaque id with its genre and a narrative free
of customer personal data; the internal quality assurance sample is listed too.

What it is, said in the achievement's description and criteria: the centre's own decision, after its internal
quality assurance. It is never the awarding body's certificate, which only the awarding body issues.

The credential is unsigned (the schema does not require a proof). A wallet that verifies credentials needs
a proof added by the issuer's key; until then it is a portable record, not a verifiable credential.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from amends.standards import case, criteria
from amends.standards.ids import PortableRecordError, base, stable_uuid, utc_iso

CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
]
SCHEMA_ID = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
AUDIENCE = "Assessor, internal quality assurer and external quality assurer"

# The genre each evidence method is shown under (the methods of xapi.METHODS).
GENRES = {
    "case_event": "Product evidence: complaint case record",
    "observation": "Observation",
    "witness": "Witness testimony",
    "reflective_account": "Reflective account",
    "knowledge_check": "Knowledge check",
}

NOT_A_CERTIFICATE = (
    "It records the centre's internal decision: an assessor signed these criteria off and the centre's "
    "internal quality assurance sampled the decision and accepted it. It is not the awarding body's "
    "certificate, and it is not a qualification or a unit certificate from any awarding body."
)


@dataclass(frozen=True)
class Issuer:
    """The organisation running Amends (the centre), which makes this decision."""

    name: str
    url: str
    id: str = ""  # its Open Badges issuer profile's URI; the url when empty


@dataclass(frozen=True)
class Learner:
    id: str  # opaque, ours (never an email address)
    name: str  # as the learner should be shown on the badge


@dataclass(frozen=True)
class BadgeEvidence:
    evidence_id: str  # opaque
    method: str  # one of GENRES
    narrative: str = ""  # without customer personal data


@dataclass(frozen=True)
class UnitAward:
    award_id: str
    unit: str
    learner: Learner
    issuer: Issuer
    awarded_on: datetime
    criteria: tuple[str, ...]  # the criteria signed off
    evidence: tuple[BadgeEvidence, ...]
    iqa_sample: str  # the opaque reference of the IQA sample that accepted the sign-off


def achievement_id(base_url: str, unit: str) -> str:
    return f"{base(base_url)}/badges/achievements/{quote(unit, safe='')}"


def unit_badge(award: UnitAward, *, base_url: str) -> dict:
    unit = criteria.catalogue().get(award.unit)
    if unit is None:
        raise PortableRecordError(f"{award.unit!r} is not a unit in the catalogue", [award.unit])
    signed_off = _signed_off(award, unit)
    if "@" in award.learner.id or not award.learner.id.strip():
        raise PortableRecordError(f"{award.learner.id!r} is not an opaque learner id (no email addresses)")
    if not award.iqa_sample.strip():
        raise PortableRecordError("A unit badge needs the internal quality assurance sample that accepted it")
    root = base(base_url)
    issuer = {"id": award.issuer.id or base(award.issuer.url), "type": ["Profile"], "name": award.issuer.name}
    issuer["url"] = base(award.issuer.url)
    issued = utc_iso(award.awarded_on)
    return {
        "@context": list(CONTEXT),
        "id": f"urn:uuid:{stable_uuid('badge', award.award_id)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{unit.code} {unit.title}: signed off by the centre",
        "description": f"{award.issuer.name}'s internal sign-off of {unit.code}. {NOT_A_CERTIFICATE}",
        "issuer": issuer,
        "issuanceDate": issued,
        "awardedDate": issued,
        "credentialSubject": {
            "id": f"{root}/learners/{quote(award.learner.id, safe='')}",
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": award.learner.name,
                }
            ],
            "achievement": _achievement(root, unit, signed_off, issuer),
        },
        "evidence": [_evidence(root, e) for e in award.evidence] + [_sample(root, award.iqa_sample)],
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def _signed_off(award: UnitAward, unit: criteria.Unit) -> list[criteria.Criterion]:
    if not award.criteria:
        raise PortableRecordError("A unit badge names the criteria signed off", [])
    found = [criteria.criterion(reference) for reference in award.criteria]
    bad = [r for r, c in zip(award.criteria, found, strict=True) if c is None or c.unit != unit.code]
    if bad:
        raise PortableRecordError(f"{', '.join(bad)} is not a criterion of {unit.code}", bad)
    return [c for c in found if c is not None]


def _achievement(root: str, unit: criteria.Unit, signed_off: list[criteria.Criterion], issuer: dict) -> dict:
    listed = "\n".join(f"- {c.reference}: {c.text}" for c in signed_off)
    return {
        "id": achievement_id(root, unit.code),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": f"{unit.code} {unit.title}",
        "humanCode": unit.code,
        "description": (
            f"Competence in {unit.code}, {unit.title} ({unit.source}), shown in real complaint handling and "
            f"judged by the centre. {NOT_A_CERTIFICATE}"
        ),
        "criteria": {
            "narrative": (
                f"The learner's evidence was judged to meet these criteria of {unit.code} by the centre's "
                f"assessor, and the sign-off was sampled and accepted by the centre's internal quality "
                f"assurer:\n\n{listed}\n\n{NOT_A_CERTIFICATE}"
            )
        },
        "alignment": [_alignment(root, unit, c) for c in signed_off],
        "creator": issuer,
    }


def _alignment(root: str, unit: criteria.Unit, c: criteria.Criterion) -> dict:
    return {
        "type": ["Alignment"],
        "targetType": "CFItem",
        "targetUrl": case.item_uri(root, c.reference),
        "targetCode": c.reference,
        "targetName": c.title or c.reference,
        "targetDescription": c.text,
        "targetFramework": f"{unit.code} {unit.title}",
    }


def _evidence(root: str, evidence: BadgeEvidence) -> dict:
    genre = GENRES.get(evidence.method)
    if genre is None:
        raise PortableRecordError(f"{evidence.method!r} is not an evidence method ({', '.join(GENRES)})")
    shown = {
        "id": f"{root}/evidence/{quote(evidence.evidence_id, safe='')}",
        "type": ["Evidence"],
        "name": f"{genre} {evidence.evidence_id}",
        "genre": genre,
        "audience": AUDIENCE,
    }
    if evidence.narrative.strip():
        shown["narrative"] = evidence.narrative.strip()
    return shown


def _sample(root: str, reference: str) -> dict:
    return {
        "id": f"{root}/iqa-samples/{quote(reference, safe='')}",
        "type": ["Evidence"],
        "name": f"Internal quality assurance sample {reference}",
        "genre": "Internal quality assurance sample",
        "description": "The centre's internal quality assurer sampled the sign-off and accepted it.",
        "audience": AUDIENCE,
    }
