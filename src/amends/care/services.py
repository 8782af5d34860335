"""The one write path for support needs: record, change, end, and what a customer tells us on our forms.

Every change is a new append-only version, audited (core.audit_record, naming the fields changed and never
their contents: the versions keep those, seen only by the roles allowed). When a record starts or stops
applying, the customer's open cases have their priority raised or put back (cases.priority), each with its
case event, whose reason says nothing of the customer's circumstances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.priority import cases_priority_lower, cases_priority_raise
from amends.core.errors import Conflict, DomainError
from amends.core.models import Role
from amends.core.permissions import SUPPORT_NEEDS_DEFAULT_ROLES
from amends.core.services import audit_record, notify_digest
from amends.customers.models import Channel, Customer

from .models import SupportNeedsRecord, SupportNeedsVersion
from .schemas import SupportNeedsIn
from .vocabulary import (
    CHARACTERISTIC_LABELS,
    CUSTOMER_NEEDS,
    DISCLOSED_VIA,
    DRIVER_OF,
    DRIVERS,
    FORMATS,
    LAWFUL_BASES,
    THIRD_PARTY_KINDS,
)

# What a raised priority says on the case and its timeline: read by everyone who sees the case, an
# assessor too, so it says nothing of the customer's circumstances, nor even that they asked for support.
PRIORITY_REASON = "The customer's circumstances (see the customer's record, if you may)"

# The fields a version copies from the input, compared to say what changed.
FIELDS = (
    "status",
    "drivers",
    "characteristics",
    "circumstances",
    "preferred_channel",
    "formats",
    "language",
    "extra_time",
    "third_party_name",
    "third_party_kind",
    "third_party_contact",
    "other_adjustments",
    "disclosed_via",
    "lawful_basis",
    "lawful_basis_note",
    "visible_to",
    "review_on",
)


def _codes(values: list[str], known: dict[str, str], field: str) -> list[str]:
    values = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    unknown = [v for v in values if v not in known]
    if unknown:
        raise DomainError(
            f"Not a {field.replace('_', ' ').rstrip('s')} Amends knows: {', '.join(unknown)}",
            fields={field: f"one of {', '.join(known)}"},
        )
    return values


def _checked(data: SupportNeedsIn, *, today: date) -> dict[str, Any]:
    """The input as a version's fields, or the DomainError that refuses it (nothing changed)."""
    characteristics = _codes(data.characteristics, CHARACTERISTIC_LABELS, "characteristics")
    # A characteristic names its driver (FG21/1's figure), so ticking one is enough.
    drivers = _codes(data.drivers, DRIVERS, "drivers")
    drivers += [d for d in dict.fromkeys(DRIVER_OF[c] for c in characteristics) if d not in drivers]
    formats = _codes(data.formats, FORMATS, "formats")
    if data.preferred_channel and data.preferred_channel not in Channel.values:
        raise DomainError("Not a channel Amends knows", fields={"preferred_channel": "unknown channel"})
    if data.third_party_kind and data.third_party_kind not in THIRD_PARTY_KINDS:
        raise DomainError("Not a kind of authority Amends knows", fields={"third_party_kind": "unknown"})
    if data.third_party_kind and not data.third_party_name.strip():
        raise DomainError(
            "Name the person with authority to act for the customer", fields={"third_party_name": "required"}
        )
    if data.disclosed_via not in DISCLOSED_VIA:
        raise DomainError("Say how we came to know", fields={"disclosed_via": "unknown"})
    if data.lawful_basis not in LAWFUL_BASES:
        raise DomainError(
            "Say on what basis we keep this (explicit consent, vital interests, ...)",
            fields={"lawful_basis": "unknown"},
        )
    visible_to = (
        _codes(data.visible_to, dict(Role.choices), "visible_to")
        if data.visible_to is not None
        else [r.value for r in SUPPORT_NEEDS_DEFAULT_ROLES]
    )
    if not visible_to:
        raise DomainError("Someone must be able to see it", fields={"visible_to": "at least one role"})
    if data.review_on is not None and data.review_on < today:
        raise DomainError("A review date is today or later", fields={"review_on": "in the past"})
    fields = {
        "drivers": drivers,
        "characteristics": characteristics,
        "circumstances": data.circumstances.strip(),
        "preferred_channel": data.preferred_channel,
        "formats": formats,
        "language": data.language.strip() if "another_language" in formats else "",
        "extra_time": data.extra_time,
        "third_party_name": data.third_party_name.strip(),
        "third_party_kind": data.third_party_kind,
        "third_party_contact": data.third_party_contact.strip(),
        "other_adjustments": data.other_adjustments.strip(),
        "disclosed_via": data.disclosed_via,
        "lawful_basis": data.lawful_basis,
        "lawful_basis_note": data.lawful_basis_note.strip(),
        "visible_to": visible_to,
        "review_on": data.review_on,
    }
    says_something = [
        drivers,
        characteristics,
        fields["circumstances"],
        fields["preferred_channel"],
        formats,
        fields["extra_time"],
        fields["third_party_name"],
        fields["other_adjustments"],
    ]
    if not any(says_something):
        raise DomainError(
            "Record at least one need, circumstance or characteristic", fields={"needs": "required"}
        )
    return fields


def _lock(customer: Customer, expected_version: int) -> SupportNeedsRecord | None:
    # of=self: lock the record row only; PostgreSQL refuses FOR UPDATE on the nullable side of the join to
    # `current` (a new record has none yet), and the version read from the record is what is checked.
    record = (
        SupportNeedsRecord.objects.select_for_update(of=("self",))
        .select_related("current")
        .filter(customer=customer)
        .first()
    )
    found = record.version if record is not None else 0
    if found != expected_version:
        raise Conflict(
            "Someone changed this customer's support needs while you were looking at them. "
            "Reload to see their change, then try again."
        )
    return record


def _add_version(
    record: SupportNeedsRecord, fields: dict[str, Any], *, actor: Any, status: str, reason: str = ""
) -> SupportNeedsVersion:
    now = timezone.now()
    before = record.current
    version = SupportNeedsVersion(
        record=record,
        number=record.version + 1,
        status=status,
        recorded_at=now,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        reason=reason.strip()[:500],
        **fields,
    )
    version.save()
    record.current, record.version = version, version.number
    record.save(update_fields=["current", "version"])
    changed = [f for f in FIELDS if before is None or getattr(before, f) != getattr(version, f)]
    kind = (
        "recorded" if before is None or not before.is_active else "ended" if status == "ended" else "changed"
    )
    audit_record(
        actor=actor,
        kind=f"support_needs.{kind}",
        obj=record,
        before={"version": before.number, "status": before.status} if before is not None else None,
        after={"version": version.number, "status": status, "changed": changed},
        reason=reason,
    )
    was_active = before is not None and before.is_active
    open_cases = list(Case.objects.open().filter(customer_id=record.customer_id))
    if version.is_active and not was_active:
        cases_priority_raise(open_cases, source="care", reason=PRIORITY_REASON, actor=actor)
    elif was_active and not version.is_active:
        cases_priority_lower(open_cases, source="care", reason="Support needs ended", actor=actor)
    return version


@transaction.atomic
def support_needs_record(*, customer: Customer, actor: Any, data: SupportNeedsIn) -> SupportNeedsVersion:
    """Record a customer's support needs: a new record, or a new active version of one that had ended.
    A customer with active needs already has them changed with `support_needs_update`."""
    record = _lock(customer, data.version)
    if record is not None and record.current is not None and record.current.is_active:
        raise Conflict("This customer already has support needs recorded: change them instead")
    fields = _checked(data, today=timezone.localdate())
    if record is None:
        record = SupportNeedsRecord.objects.create(customer=customer, created_at=timezone.now())
    return _add_version(record, fields, actor=actor, status="active", reason=data.reason)


@transaction.atomic
def support_needs_update(*, customer: Customer, actor: Any, data: SupportNeedsIn) -> SupportNeedsVersion:
    """Change a customer's active support needs: a new version, against the version the person read."""
    record = _lock(customer, data.version)
    if record is None or record.current is None or not record.current.is_active:
        raise DomainError("This customer has no support needs to change: record them", code="not_active")
    fields = _checked(data, today=timezone.localdate())
    if all(getattr(record.current, k) == v for k, v in fields.items()):
        raise DomainError("Nothing changed", code="unchanged")
    return _add_version(record, fields, actor=actor, status="active", reason=data.reason)


def support_needs_save(*, customer: Customer, actor: Any, data: SupportNeedsIn) -> SupportNeedsVersion:
    """Record or change, whichever applies: what the page's one form and the API's POST mean."""
    if SupportNeedsRecord.objects.filter(customer=customer, current__status="active").exists():
        return support_needs_update(customer=customer, actor=actor, data=data)
    return support_needs_record(customer=customer, actor=actor, data=data)


@transaction.atomic
def support_needs_end(*, customer: Customer, actor: Any, version: int, reason: str) -> SupportNeedsVersion:
    """The needs no longer apply: a last version, ended, with the reason; the history stays."""
    record = _lock(customer, version)
    if record is None or record.current is None or not record.current.is_active:
        raise DomainError("This customer has no support needs to end", code="not_active")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why the support needs no longer apply", fields={"reason": "required"})
    fields = {f: getattr(record.current, f) for f in FIELDS if f != "status"}
    return _add_version(record, fields, actor=actor, status="ended", reason=reason)


@dataclass(frozen=True)
class Disclosure:
    """What a customer told us about their needs on the complaint form or their status page."""

    needs: tuple[str, ...] = ()  # codes of vocabulary.CUSTOMER_NEEDS
    text: str = ""
    consent: bool = False

    @property
    def says_something(self) -> bool:
        return bool(self.needs or self.text.strip())


def disclosure_problems(disclosure: Disclosure) -> dict[str, str]:
    """Why a form's support-needs section cannot be kept as it is, by field; empty when it can."""
    problems = {}
    if any(n not in CUSTOMER_NEEDS for n in disclosure.needs):
        problems["support_needs"] = "Choose from the list"
    if len(disclosure.text) > 5000:
        problems["support_text"] = "Please keep this to 5,000 characters"
    if disclosure.says_something and not disclosure.consent:
        problems["support_consent"] = (
            "Tick the box to let us keep what you told us about your needs, or leave the section empty"
        )
    return problems


@transaction.atomic
def support_needs_disclosed(
    *, customer: Customer, disclosure: Disclosure, via: str
) -> SupportNeedsVersion | None:
    """A customer told us about their needs (`via` "complaint_form" or "status_page"), with their explicit
    consent: recorded, or added to the needs already recorded. None when they told us nothing."""
    if not disclosure.says_something:
        return None
    problems = disclosure_problems(disclosure)
    if problems:
        raise DomainError(next(iter(problems.values())), fields=problems)
    record = (
        SupportNeedsRecord.objects.select_for_update(of=("self",))
        .select_related("current")
        .filter(customer=customer)
        .first()
    )
    current = record.current if record is not None and record.current and record.current.is_active else None
    fields = _from_customer(disclosure, via=via, current=current)
    if record is None:
        record = SupportNeedsRecord.objects.create(customer=customer, created_at=timezone.now())
    return _add_version(record, fields, actor=None, status="active", reason=f"The customer told us ({via})")


def _from_customer(disclosure: Disclosure, *, via: str, current: SupportNeedsVersion | None) -> dict:
    """The customer's ticks and words as a version's fields, added to what is recorded already."""
    if current is not None:
        fields = {f: getattr(current, f) for f in FIELDS if f != "status"}
        fields["formats"] = list(fields["formats"])
    else:
        fields = {
            "drivers": [],
            "characteristics": [],
            "circumstances": "",
            "preferred_channel": "",
            "formats": [],
            "language": "",
            "extra_time": False,
            "third_party_name": "",
            "third_party_kind": "",
            "third_party_contact": "",
            "other_adjustments": "",
            "disclosed_via": via,
            "lawful_basis": "explicit_consent",
            "lawful_basis_note": "",
            "visible_to": [r.value for r in SUPPORT_NEEDS_DEFAULT_ROLES],
            "review_on": None,
        }
    needs = set(disclosure.needs)
    said = []
    if "extra_time" in needs:
        fields["extra_time"] = True
    if "large_print" in needs and "large_print" not in fields["formats"]:
        fields["formats"].append("large_print")
    if "another_language" in needs and "another_language" not in fields["formats"]:
        fields["formats"].append("another_language")
        fields["language"] = fields["language"] or "not said yet: ask which"
    if "phone" in needs:
        fields["preferred_channel"] = Channel.PHONE
    if "someone_else" in needs:
        said.append("Would like someone to speak for them: ask who, and what authority they have.")
    if "hard_right_now" in needs:
        said.append("Told us it is hard for them to deal with this right now.")
    if disclosure.text.strip():
        said.append(f"In their words: {disclosure.text.strip()}")
    if said:
        fields["circumstances"] = "\n".join([fields["circumstances"], *said]).strip()
    when = timezone.localdate().isoformat()
    where = "complaint form" if via == "complaint_form" else "status page"
    note = f"Ticked the consent box on the {where} on {when}"
    fields["lawful_basis_note"] = "; ".join(p for p in [fields["lawful_basis_note"], note] if p)[:500]
    if current is None or current.lawful_basis != "explicit_consent":
        fields["lawful_basis"] = "explicit_consent"
    return fields


def support_needs_new_cases(cases: list[Case], *, actor: Any = None) -> list[Case]:
    """Cases just opened for customers whose support needs apply start with their priority raised (intake
    calls it for every batch it stores): one query, one insert."""
    ids = {case.customer_id for case in cases}
    if not ids:
        return []
    needing = set(
        SupportNeedsRecord.objects.filter(customer_id__in=ids, current__status="active").values_list(
            "customer_id", flat=True
        )
    )
    chosen = [case for case in cases if case.customer_id in needing and case.is_open]
    if not chosen:
        return []
    return cases_priority_raise(chosen, source="care", reason=PRIORITY_REASON, actor=actor)


LIST_FIELDS = ("drivers", "characteristics", "formats")
TEXT_FIELDS = ("circumstances", "other_adjustments", "lawful_basis_note")


def support_needs_move_customer(
    *, keep: Customer, duplicate: Customer, actor: Any, at: Any, reason: str
) -> dict:
    """customers.hooks.customer_merged: the duplicate's support needs follow the customer. Moved whole when
    the kept record has none; otherwise what applied to the duplicate is added to the kept record as a new
    version (lists joined, texts kept both), so no need a colleague recorded is dropped by a merge."""
    theirs = (
        SupportNeedsRecord.objects.select_for_update(of=("self",))
        .select_related("current")
        .filter(customer=duplicate)
        .first()
    )
    if theirs is None or theirs.current is None:
        return {}
    ours = (
        SupportNeedsRecord.objects.select_for_update(of=("self",))
        .select_related("current")
        .filter(customer=keep)
        .first()
    )
    if ours is None:
        theirs.customer = keep
        theirs.save(update_fields=["customer"])
        audit_record(
            actor=actor,
            kind="support_needs.moved",
            obj=theirs,
            before={"customer": duplicate.pk},
            after={"customer": keep.pk},
            reason=reason,
        )
        return {"support_needs_moved": 1}
    if not theirs.current.is_active:
        return {}
    fields = _combined(ours.current, theirs.current)
    _add_version(
        ours, fields, actor=actor, status="active", reason=f"Customer records merged: {reason}".strip()
    )
    return {"support_needs_combined": 1}


def _combined(ours: SupportNeedsVersion | None, theirs: SupportNeedsVersion) -> dict[str, Any]:
    their_fields = {f: getattr(theirs, f) for f in FIELDS if f != "status"}
    if ours is None or not ours.is_active:
        return their_fields
    fields = {f: getattr(ours, f) for f in FIELDS if f != "status"}
    for f in LIST_FIELDS:
        fields[f] = list(dict.fromkeys([*fields[f], *their_fields[f]]))
    for f in TEXT_FIELDS:
        if their_fields[f] and their_fields[f] not in fields[f]:
            fields[f] = "\n".join(p for p in (fields[f], their_fields[f]) if p)
    # Shown only to the roles both records allowed: a merge never widens who sees special category data.
    shared = [r for r in fields["visible_to"] if r in their_fields["visible_to"]]
    fields["visible_to"] = shared or fields["visible_to"]
    fields["extra_time"] = fields["extra_time"] or their_fields["extra_time"]
    for f in ("preferred_channel", "language", "third_party_name", "third_party_kind", "third_party_contact"):
        fields[f] = fields[f] or their_fields[f]
    reviews = [d for d in (fields["review_on"], their_fields["review_on"]) if d]
    fields["review_on"] = min(reviews) if reviews else None
    fields["lawful_basis_note"] = fields["lawful_basis_note"][:500]
    return fields


def support_needs_reviews_remind(records: list[SupportNeedsRecord], *, at: Any) -> int:
    """Remind about these records' review dates (the worker claims those due): whoever owns the customer's
    open cases, else the team leaders of those cases' teams (else of the customer's latest case's team),
    only those the record may be shown to; one routine digest per person. Each record is marked reminded
    for its review date, so a later review date is reminded about again. In the caller's transaction."""
    items = []
    for record in records:
        version = record.current
        cases = list(Case.objects.filter(customer_id=record.customer_id).order_by("-opened_at")[:50])
        open_cases = [c for c in cases if c.is_open]
        owners = {c.owner_id for c in open_cases if c.owner_id}
        teams = {c.team_id for c in open_cases if not c.owner_id and c.team_id}
        if not open_cases and cases and cases[0].team_id:
            teams = {cases[0].team_id}
        people = get_user_model().objects.filter(
            Q(pk__in=owners) | Q(staff__team_id__in=teams, staff__role=Role.TEAM_LEADER),
            is_active=True,
            staff__role__in=version.visible_to,
        )
        for person in people:
            items.append(
                (
                    person,
                    f"support-needs-{record.pk}",
                    f"Review the support needs of {record.customer.name} "
                    f"(due {version.review_on.day} {version.review_on:%b %Y})",
                    f"/customers/{record.customer_id}/#support-needs",
                )
            )
        record.review_reminded_on = version.review_on
    SupportNeedsRecord.objects.bulk_update(records, ["review_reminded_on"])
    notify_digest(
        topic="support_needs_review",
        items=items,
        summary=lambda user, count: (f"Review the support needs of {count} customers", "/notifications/"),
    )
    return len(records)
