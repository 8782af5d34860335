"""Composing, checking, rendering and sending letters; keeping the prescribed wording versioned."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError, InputTooLarge, NotFound
from amends.core.files import AttachmentFile, check_files
from amends.core.services import audit_record
from amends.messaging.models import Message
from amends.messaging.services import customer_email, message_send

from . import elements, rendering
from .models import Letter, LetterEnclosure, TextBlock, current_block
from .text import html_to_text

FIELD_MAX_CHARS = 20_000
REFERRAL_MAX_CHARS = 300
MAX_REQUIRED = 50
SEND_BY = ("email", "print")


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- prescribed wording -------------------------------------------------------------------------------


def _wording_changed(latest: TextBlock, read: int) -> Conflict:
    """The refusal when someone saved the wording since the editor read it: who, when, and what it says."""
    who = _name(latest.updated_by) if latest.updated_by_id else "Someone else"
    said = latest.body if len(latest.body) <= 300 else latest.body[:299] + "\u2026"
    return Conflict(
        f"{who} saved version {latest.version} of this wording at "
        f"{timezone.localtime(latest.created_at):%H:%M} while you were editing it: \u201c{said}\u201d "
        "Yours was not saved: it is kept in the box below; save it again if it should replace theirs.",
        code="wording_changed",
        fields={"version": f"you read version {read}; it is now {latest.version}"},
    )


@transaction.atomic
def text_block_update(
    *, code: str, body: str, actor: Any, reason: str = "", expected_version: int | None = None
) -> TextBlock:
    """Add a new version of a block's wording (blocks are never edited in place) and audit it.
    `expected_version` is the version the editor read: if anyone saved another since, nothing changes and
    Conflict quotes theirs (the wording page always passes it)."""
    body = (body or "").strip()
    if len(body) > settings.AMENDS_MAX_TEXT_CHARS:
        raise InputTooLarge(
            f"The wording is longer than {settings.AMENDS_MAX_TEXT_CHARS:,} characters",
            fields={"body": "too long"},
        )
    # Lock the latest version so two editors cannot both write version N+1.
    latest = TextBlock.objects.select_for_update().filter(code=code).order_by("-version").first()
    if latest is None:
        raise NotFound(f"There is no text block {code!r}", fields={"code": "unknown block"})
    if expected_version is not None and latest.version != expected_version:
        raise _wording_changed(latest, expected_version)
    if latest.body.strip() == body:
        raise DomainError("The wording is the same as the current version", code="unchanged")
    now = timezone.now()
    block = TextBlock.objects.create(
        code=code,
        version=latest.version + 1,
        title=latest.title,
        guidance=latest.guidance,
        body=body,
        effective_from=now,
        updated_by=_user(actor),
        created_at=now,
    )
    audit_record(
        actor=actor,
        kind="text_block.updated",
        obj=block,
        before={"code": code, "version": latest.version, "body": latest.body},
        after={"code": code, "version": block.version, "body": body},
        reason=reason,
    )
    return block


@transaction.atomic
def text_block_define(*, code: str, title: str, guidance: str, actor: Any, body: str = "") -> TextBlock:
    """Set up a new block code (for a regime that needs wording the seed did not include)."""
    if not elements.BLOCK_CODE_RE.match(code or ""):
        raise DomainError(
            "A block code is lower-case letters, digits, dots, dashes and underscores",
            fields={"code": "invalid"},
        )
    if TextBlock.objects.filter(code=code).exists():
        raise Conflict(f"The text block {code!r} already exists", fields={"code": "exists"})
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise DomainError("Give the block a title of at most 200 characters", fields={"title": "required"})
    now = timezone.now()
    block = TextBlock.objects.create(
        code=code,
        version=1,
        title=title,
        guidance=(guidance or "").strip(),
        body=(body or "").strip(),
        effective_from=now,
        updated_by=_user(actor),
        created_at=now,
    )
    audit_record(actor=actor, kind="text_block.defined", obj=block, after={"code": code, "title": title})
    return block


# --- composing ----------------------------------------------------------------------------------------


def _check_kind(kind: str) -> str:
    if kind not in Letter.Kind.values:
        raise DomainError(f"Unknown letter kind {kind!r}", fields={"kind": "unknown letter kind"})
    return kind


def _check_fields(fields: Any) -> dict[str, str]:
    if not isinstance(fields, dict):
        raise DomainError("Letter fields must be a set of named texts", fields={"fields": "object expected"})
    clean: dict[str, str] = {}
    for name, value in fields.items():
        if name not in elements.FIELD_NAMES:
            raise DomainError(f"A letter has no field {name!r}", fields={name: "unknown field"})
        if value is None:
            continue
        if not isinstance(value, str):
            raise DomainError(
                f"{name.replace('_', ' ').capitalize()} must be text", fields={name: "text expected"}
            )
        value = value.strip()
        if len(value) > FIELD_MAX_CHARS:
            raise InputTooLarge(
                f"{name.replace('_', ' ').capitalize()} is longer than {FIELD_MAX_CHARS:,} characters",
                fields={name: f"at most {FIELD_MAX_CHARS} characters"},
            )
        if value:
            clean[name] = value
    if sum(len(v) for v in clean.values()) > settings.AMENDS_MAX_TEXT_CHARS:
        raise InputTooLarge(
            f"The letter is longer than {settings.AMENDS_MAX_TEXT_CHARS:,} characters",
            fields={"fields": "too long"},
        )
    new_date = clean.get("new_date", "")
    if elements.ISO_DATE_RE.match(new_date) and elements.date_words(new_date) == new_date:
        raise DomainError("The new date is not a real date", fields={"new_date": "invalid date"})
    return clean


def _check_required(required: Any) -> list[str]:
    if not isinstance(required, list | tuple) or not all(isinstance(e, str) for e in required):
        raise DomainError("Required elements must be a list of names", fields={"required": "list expected"})
    if len(required) > MAX_REQUIRED:
        raise DomainError("Too many required elements", fields={"required": f"at most {MAX_REQUIRED}"})
    unknown = [e for e in required if not elements.is_known(e)]
    if unknown:
        raise DomainError(
            f"Unknown letter elements: {', '.join(unknown)}",
            fields={"required": f"unknown: {', '.join(unknown)}"},
        )
    return list(dict.fromkeys(required))


def _check_referral(referral: Any) -> dict[str, str] | None:
    if referral is None:
        return None
    if not isinstance(referral, dict):
        raise DomainError(
            "The referral must give a body, website and time limit", fields={"referral": "object"}
        )
    clean = {}
    for key in elements.REFERRAL_KEYS:
        value = referral.get(key) or ""
        if not isinstance(value, str) or len(value) > REFERRAL_MAX_CHARS:
            raise DomainError(
                f"The referral {key.replace('_', ' ')} must be text, at most {REFERRAL_MAX_CHARS} characters",
                fields={f"referral.{key}": "invalid"},
            )
        clean[key] = value.strip().rstrip(".")
    return clean


@transaction.atomic
def letter_compose(
    *, case: Case, kind: str, fields: dict, required: list[str], referral: dict | None, actor: Any
) -> Letter:
    """A draft letter. `required` and `referral` come from the case's regime and are copied onto it."""
    now = timezone.now()
    letter = Letter.objects.create(
        case=case,
        kind=_check_kind(kind),
        fields=_check_fields(fields),
        required_elements=_check_required(required),
        referral=_check_referral(referral),
        created_by=_user(actor),
        created_at=now,
        updated_at=now,
    )
    case_event_record(
        case,
        at=now,
        actor=actor,
        kind=EventKind.LETTER_DRAFTED,
        after={"letter": letter.pk, "kind": kind},
    )
    return letter


def _lock_draft(letter: Letter) -> Letter:
    locked = Letter.objects.select_for_update().select_related("case__customer").get(pk=letter.pk)
    if not locked.is_draft:
        raise Conflict(
            f"This letter was already {locked.get_status_display().lower()} and cannot be changed",
            code="letter_frozen",
        )
    return locked


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else "the system"


def _changed_under(letter: Letter, read: int) -> Conflict:
    """The refusal when a draft changed since the editor read it: who changed it, when and what."""
    last = (
        CaseEvent.objects.filter(
            case_id=letter.case_id, kind=EventKind.LETTER_UPDATED, after__letter=letter.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    who = "Someone else changed this letter"
    if last is not None:
        who = f"{_name(last.actor)} changed this letter at {timezone.localtime(last.at):%H:%M}"
        who += f" ({', '.join(f.replace('_', ' ') for f in last.after.get('fields', []))})"
    return Conflict(
        f"{who} while you were editing it. "
        "Your changes were not saved: the letter below shows theirs; make your changes to it again.",
        code="letter_changed",
        fields={"version": f"you read version {read}; it is now {letter.version}"},
    )


@transaction.atomic
def letter_update_fields(
    *, letter: Letter, fields: dict, actor: Any, expected_version: int | None = None
) -> Letter:
    """Change a draft's fields. Given names replace the old text; an empty or None value removes it.
    `expected_version` is the letter's version the editor read: if anyone saved it since, nothing changes
    and Conflict says who did what (people and the API always pass it)."""
    locked = _lock_draft(letter)
    if expected_version is not None and locked.version != expected_version:
        raise _changed_under(locked, expected_version)
    given = _check_fields(fields)
    merged = {**locked.fields, **given}
    for name, value in fields.items():
        if not (isinstance(value, str) and value.strip()):
            merged.pop(name, None)
    changed = sorted(k for k in set(merged) | set(locked.fields) if merged.get(k) != locked.fields.get(k))
    if not changed:
        return locked
    now = timezone.now()
    locked.fields = merged
    locked.updated_at = now
    locked.version += 1
    locked.save(update_fields=["fields", "updated_at", "version"])
    case_event_record(
        locked.case,
        at=now,
        actor=actor,
        kind=EventKind.LETTER_UPDATED,
        after={"letter": locked.pk, "fields": changed},
    )
    return locked


def _locked_at(letter: Letter, expected_version: int | None) -> Letter:
    locked = _lock_draft(letter)
    if expected_version is not None and locked.version != expected_version:
        raise _changed_under(locked, expected_version)
    return locked


def _letter_changed(locked: Letter, actor: Any, **after: Any) -> None:
    """A draft's version moves on, and its case says what changed (a LETTER_UPDATED event)."""
    now = timezone.now()
    locked.updated_at = now
    locked.version += 1
    locked.save(update_fields=["updated_at", "version"])
    case_event_record(
        locked.case, at=now, actor=actor, kind=EventKind.LETTER_UPDATED, after={"letter": locked.pk, **after}
    )


@transaction.atomic
def letter_enclose(
    *, letter: Letter, files: Sequence[AttachmentFile], actor: Any, expected_version: int | None = None
) -> list[LetterEnclosure]:
    """Enclose documents with a draft: they go with the letter, attached to its email beside its PDF.
    Each file is checked for its kind and size, and all of them with those already enclosed within one
    email's limit (core/files.py); one refused encloses none. `expected_version` as for the fields."""
    locked = _locked_at(letter, expected_version)
    if not files:
        raise DomainError("Choose the documents to enclose", fields={"files": "required"})
    already = sum(locked.enclosures.values_list("size", flat=True))
    checked = check_files(files, already=already)
    now = timezone.now()
    enclosed = LetterEnclosure.objects.bulk_create(
        [LetterEnclosure.of(f, letter=locked, added_by=actor, added_at=now) for f in checked]
    )
    _letter_changed(locked, actor, fields=["enclosures"], files=[f.filename for f in checked])
    return enclosed


@transaction.atomic
def letter_enclosure_remove(
    *, letter: Letter, enclosure_id: int, actor: Any, expected_version: int | None = None
) -> Letter:
    """Take a document out of a draft before it is sent."""
    locked = _locked_at(letter, expected_version)
    enclosure = LetterEnclosure.objects.filter(letter=locked, pk=enclosure_id).only("filename").first()
    if enclosure is None:
        raise NotFound("No such document enclosed with this letter")
    name = enclosure.filename
    enclosure.delete()
    _letter_changed(locked, actor, fields=["enclosures"], removed=name)
    return locked


# --- rendering ----------------------------------------------------------------------------------------


def letter_render_html(letter: Letter) -> str:
    """A sent letter's frozen HTML; for a draft, a fresh preview with today's wording and a draft banner."""
    if not letter.is_draft:
        return letter.html
    return rendering.render_html(letter, rendering.letter_blocks(letter), at=timezone.now(), draft=True)


def letter_preview(letter: Letter, fields: dict | None = None) -> tuple[str, str]:
    """A draft as it would read with these fields changed (a form's, not saved): the sheet the case page
    shows beside the form, and the letter's plain text for readers such as the coach. Fields are checked
    as `letter_update_fields` checks them (DomainError), and merged the same way."""
    preview = copy.copy(letter)
    if fields is not None:
        given = _check_fields(fields)
        merged = {**letter.fields, **given}
        for name, value in fields.items():
            if not (isinstance(value, str) and value.strip()):
                merged.pop(name, None)
        preview.fields = merged
    html = rendering.render_html(
        preview, rendering.letter_blocks(preview), at=timezone.now(), draft=True, layout="sheet"
    )
    return html, html_to_text(html)


def letter_render_pdf(letter: Letter) -> bytes:
    """A sent letter's frozen PDF; for a draft, a preview PDF (slow: about half a second)."""
    if not letter.is_draft and letter.pdf:
        return bytes(letter.pdf)
    return rendering.render_pdf(letter_render_html(letter))


def letter_render_text(letter: Letter) -> str:
    """The letter as plain text: the email body and the agent UI's preview."""
    return html_to_text(letter_render_html(letter))


def letter_missing(letter: Letter) -> dict[str, str]:
    """Element -> label of everything the letter still needs before it can be sent."""
    return rendering.find_missing(letter, rendering.letter_blocks(letter))


# --- sending ------------------------------------------------------------------------------------------


def _refuse_incomplete(missing: dict[str, str]) -> None:
    raise DomainError(
        f"This letter cannot be sent yet. It still needs {elements.join_words(list(missing.values()))}.",
        code="letter_incomplete",
        fields=dict(missing),
    )


@dataclass(frozen=True)
class PreparedLetter:
    """A draft rendered for sending, not yet marked sent: what `letter_mark_sent` stores."""

    letter: Letter
    by: str
    to: str | None
    at: datetime
    html: str
    pdf: bytes
    block_versions: dict


def letter_prepare(*, letter: Letter, by: str = "email") -> PreparedLetter:
    """Check a draft and render it, outside any transaction: WeasyPrint takes up to a second, and a
    write transaction would hold SQLite's write lock all that time. Refused, changing nothing, while any
    required element or text block is empty or the customer has no address to send it to."""
    if by not in SEND_BY:
        raise DomainError("Send a letter by email or print it", fields={"by": "email or print"})
    letter = Letter.objects.select_related("case__customer", "created_by__staff").get(pk=letter.pk)
    if not letter.is_draft:
        raise Conflict(f"This letter was already {letter.get_status_display().lower()}", code="letter_frozen")
    blocks = rendering.letter_blocks(letter)
    missing = rendering.find_missing(letter, blocks)
    if missing:
        _refuse_incomplete(missing)
    to = customer_email(letter.case.customer) if by == "email" else None
    if by == "email" and not to:
        raise DomainError(
            "The customer has no email address. Print the letter and post it instead.",
            code="no_email_address",
        )
    now = timezone.now()
    html = rendering.render_html(letter, blocks, at=now, draft=False)
    return PreparedLetter(
        letter=letter,
        by=by,
        to=to,
        at=now,
        html=html,
        pdf=rendering.render_pdf(html),
        block_versions=rendering.used_block_versions(letter, blocks),
    )


@transaction.atomic
def letter_mark_sent(*, prepared: PreparedLetter, actor: Any) -> Letter:
    """Freeze a prepared letter as sent (emailed, the PDF attached) or printed for post, in one short
    transaction; refused if the letter or its wording changed since it was prepared."""
    letter = prepared.letter
    locked = _lock_draft(letter)
    if locked.fields != letter.fields or locked.required_elements != letter.required_elements:
        raise Conflict("The letter changed while it was being sent. Check it and send it again.")
    if rendering.used_block_versions(locked, rendering.letter_blocks(locked)) != prepared.block_versions:
        raise Conflict("The prescribed wording changed while the letter was being sent. Send it again.")
    locked.html = prepared.html
    locked.pdf = prepared.pdf
    locked.block_versions = prepared.block_versions
    locked.status = Letter.Status.SENT if prepared.by == "email" else Letter.Status.PRINTED
    locked.sent_at = prepared.at
    locked.sent_by = _user(actor)
    locked.updated_at = prepared.at
    if prepared.by == "email":
        locked.message = _email(locked, actor=actor)
    locked.save(
        update_fields=[
            "html",
            "pdf",
            "block_versions",
            "status",
            "sent_at",
            "sent_by",
            "updated_at",
            "message",
        ]
    )
    case_event_record(
        locked.case,
        at=prepared.at,
        actor=actor,
        kind=EventKind.LETTER_SENT,
        after={"letter": locked.pk, "kind": locked.kind, "by": prepared.by},
    )
    return locked


def letter_send(*, letter: Letter, actor: Any, by: str = "email") -> Letter:
    """Send a complete draft by email (with the PDF attached) or mark it printed for post, and freeze it:
    `letter_prepare`, then `letter_mark_sent`. A complaint's letters go through
    `process.services.process_send_letter`, which moves the process on in the same short transaction."""
    return letter_mark_sent(prepared=letter_prepare(letter=letter, by=by), actor=actor)


def _attachment_name(letter: Letter) -> str:
    return f"{letter.case.reference}-{letter.kind.replace('_', '-')}.pdf"


def _email(letter: Letter, *, actor: Any) -> Message:
    """The letter's email: its text in the body, the PDF attached with the documents enclosed with it, sent
    after commit like any reply."""
    enclosed = [
        AttachmentFile(e.filename, e.content_type, bytes(e.content)) for e in letter.enclosures.order_by("pk")
    ]
    also = f", with {_enclosed_words(enclosed)}" if enclosed else ""
    return message_send(
        case=letter.case,
        actor=actor,
        purpose="letter",
        subject=f"{elements.KIND_SUBJECTS[letter.kind]} [{letter.case.reference}]",
        body=f"Our letter about your complaint is below, and attached as a PDF{also}.\n\n"
        + html_to_text(letter.html),
        attachments=[
            AttachmentFile(_attachment_name(letter), "application/pdf", bytes(letter.pdf or b"")),
            *enclosed,
        ],
    )


def _enclosed_words(files: list[AttachmentFile]) -> str:
    names = [f.filename for f in files]
    return f"the document{'s' if len(names) > 1 else ''} we enclose ({elements.join_words(names)})"


__all__ = [
    "current_block",
    "letter_compose",
    "letter_enclose",
    "letter_enclosure_remove",
    "letter_missing",
    "letter_render_html",
    "letter_render_pdf",
    "letter_render_text",
    "letter_mark_sent",
    "letter_prepare",
    "letter_preview",
    "letter_send",
    "letter_update_fields",
    "text_block_define",
    "text_block_update",
]
