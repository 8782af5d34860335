"""The criteria catalogue as 1EdTech CASE 1.1 packages, for other systems to name criteria. Framework-free.

One CFPackage per unit (the CASE 1.1 schema holds exactly one CFDocument in a package): the CFDocument is the
unit, a CFItem per criterion (fullStatement the standard's own words, abbreviatedStatement our title,
humanCodingScheme the reference such as "CFACSC4 P11", CFItemType a performance or a knowledge criterion),
an isChildOf association from each item to the document (sequenced as the standard lists them) and an
exactMatchOf association for each criterion another unit words as the same competence (`same_as`: C4 2.4 is
CFACSC4 P11), pointing into that unit's package.

Identifiers come from `ids.stable_uuid`, so they never change between runs or when the site moves; the URIs
are the site's address and the CASE REST binding's paths (`/ims/case/v1p1/CFItems/<identifier>`). The xAPI
statements and the badges name criteria by these URIs (`item_uri`). The standards' text belongs to its
owners, which each document says (notes and CFLicense).
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from amends.standards import criteria
from amends.standards.ids import PortableRecordError, base, stable_uuid, utc_iso

CASE_PATH = "/ims/case/v1p1"
CREATOR = "Amends"
LANGUAGE = "en"

# When each version of criteria.json was written (the catalogue carries no date): lastChangeDateTime of
# every record. A new catalogue version needs its date here (a test checks).
CATALOGUE_CHANGED = {2: datetime(2026, 12, 7, 0, 4, 28, tzinfo=UTC)}

# Who owns each unit's words: the national occupational standards belong to their standards setting body,
# WM57 to the Institute of Customer Service, C4 to OCR.
OWNERS = {
    "CFACSC4": "Skills CFA, the UK standards setting body that owns these national occupational standards",
    "CFACSC7": "Skills CFA, the UK standards setting body that owns these national occupational standards",
    "WM57": "The Institute of Customer Service",
    "C4": "OCR (Oxford Cambridge and RSA Examinations)",
}

ITEM_TYPES = {
    "performance": ("Performance criterion", "Shown in real work: what the learner does."),
    "knowledge": ("Knowledge criterion", "Shown by explaining: what the learner knows and understands."),
}


def document_id(unit: str) -> UUID:
    return stable_uuid("CFDocument", unit)


def item_id(reference: str) -> UUID:
    return stable_uuid("CFItem", _reference(reference))


def document_uri(base_url: str, unit: str) -> str:
    return f"{base(base_url)}{CASE_PATH}/CFDocuments/{document_id(unit)}"


def item_uri(base_url: str, reference: str) -> str:
    """The CFItem URI of a criterion ("CFACSC4 P11"): what xAPI statements and badge alignments point at."""
    return f"{base(base_url)}{CASE_PATH}/CFItems/{item_id(reference)}"


def case_packages(base_url: str) -> dict[str, dict]:
    """Every unit's CFPackage, by unit code, in the catalogue's order."""
    return {unit: case_package(base_url, unit) for unit in criteria.catalogue()}


def case_package(base_url: str, unit: str) -> dict:
    """One unit's CFPackage: its CFDocument, a CFItem per criterion, the associations and the definitions
    (item types, the licence) the items and the document link to."""
    found = criteria.catalogue().get(unit)
    if found is None:
        raise PortableRecordError(
            f"{unit!r} is not a unit in the catalogue ({', '.join(criteria.catalogue())})"
        )
    root = base(base_url)
    changed = _changed()
    document = _document(root, found, changed)
    link = {"title": found.title, "identifier": str(document_id(unit)), "uri": document["uri"]}
    items = [_item(root, found, c, changed) for c in found.criteria]
    associations = [
        _association(root, "isChildOf", _item_link(root, c), link, changed, sequence=number)
        for number, c in enumerate(found.criteria, start=1)
    ]
    for c in found.criteria:
        for other in c.same_as:
            associations.append(
                _association(root, "exactMatchOf", _item_link(root, c), _other(root, other), changed)
            )
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {
            "CFItemTypes": [_item_type(root, kind, changed) for kind in ITEM_TYPES],
            "CFLicenses": [_licence(root, found, changed)],
        },
    }


def _changed() -> str:
    version = criteria.version()
    if version not in CATALOGUE_CHANGED:
        raise PortableRecordError(f"criteria.json version {version} has no date in case.CATALOGUE_CHANGED")
    return utc_iso(CATALOGUE_CHANGED[version])


def _reference(reference: str) -> str:
    found = criteria.criterion(reference)
    if found is None:
        raise PortableRecordError(f"{reference!r} names no criterion in the catalogue", [reference])
    return found.reference


def _owner_note(unit: criteria.Unit) -> str:
    owner = OWNERS.get(unit.code, unit.source)
    return (
        f"The standard's text (each item's fullStatement) belongs to {owner} ({unit.source}) and is "
        "reproduced here only to identify the criteria; the short titles (abbreviatedStatement) are Amends's "
        "own words. This package is not published by the standard's owner."
    )


def _document(root: str, unit: criteria.Unit, changed: str) -> dict:
    return {
        "identifier": str(document_id(unit.code)),
        "uri": f"{root}{CASE_PATH}/CFDocuments/{document_id(unit.code)}",
        "caseVersion": "1.1",
        "creator": CREATOR,
        "publisher": CREATOR,
        "title": f"{unit.code} {unit.title}",
        "description": f"The criteria of {unit.code}, {unit.title}: {unit.source}.",
        "subject": ["Customer service", "Complaint handling"],
        "language": LANGUAGE,
        "version": str(criteria.version()),
        "adoptionStatus": "Adopted",
        "lastChangeDateTime": changed,
        "licenseURI": _licence_link(root, unit),
        "notes": _owner_note(unit),
    }


def _item(root: str, unit: criteria.Unit, c: criteria.Criterion, changed: str) -> dict:
    title, _ = ITEM_TYPES[c.kind]
    item = {
        "identifier": str(item_id(c.reference)),
        "uri": item_uri(root, c.reference),
        "fullStatement": c.text,
        "humanCodingScheme": c.reference,
        "listEnumeration": c.code,
        "CFItemType": title,
        "CFItemTypeURI": _item_type_link(root, c.kind),
        "language": LANGUAGE,
        "lastChangeDateTime": changed,
    }
    if c.title:
        item["abbreviatedStatement"] = c.title
    return item


def _item_link(root: str, c: criteria.Criterion) -> dict:
    return {"title": c.reference, "identifier": str(item_id(c.reference)), "uri": item_uri(root, c.reference)}


def _other(root: str, reference: str) -> dict:
    found = criteria.criterion(reference)
    if found is None:
        raise PortableRecordError(f"same_as names {reference!r}, which is not in the catalogue", [reference])
    return _item_link(root, found)


def _association(
    root: str, kind: str, origin: dict, destination: dict, changed: str, sequence: int = 0
) -> dict:
    identifier = stable_uuid("CFAssociation", f"{kind}:{origin['identifier']}:{destination['identifier']}")
    association: dict[str, object] = {
        "identifier": str(identifier),
        "uri": f"{root}{CASE_PATH}/CFAssociations/{identifier}",
        "associationType": kind,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": changed,
    }
    if sequence:
        association["sequenceNumber"] = sequence
    return association


def _item_type_link(root: str, kind: str) -> dict:
    identifier = stable_uuid("CFItemType", kind)
    return {
        "title": ITEM_TYPES[kind][0],
        "identifier": str(identifier),
        "uri": f"{root}{CASE_PATH}/CFItemTypes/{identifier}",
    }


def _item_type(root: str, kind: str, changed: str) -> dict:
    link = _item_type_link(root, kind)
    return {
        **link,
        "description": ITEM_TYPES[kind][1],
        "hierarchyCode": kind,
        "typeCode": kind,
        "lastChangeDateTime": changed,
    }


def _licence_link(root: str, unit: criteria.Unit) -> dict:
    identifier = stable_uuid("CFLicense", unit.code)
    return {
        "title": f"{unit.code}: the standard's text belongs to its owner",
        "identifier": str(identifier),
        "uri": f"{root}{CASE_PATH}/CFLicenses/{identifier}",
    }


def _licence(root: str, unit: criteria.Unit, changed: str) -> dict:
    return {**_licence_link(root, unit), "licenseText": _owner_note(unit), "lastChangeDateTime": changed}
