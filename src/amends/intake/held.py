"""Holding an email intake could not read, raw, for a person to review (`HeldEmail`)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .mime import MalformedEmail, ParsedEmail, parse_email
from .models import HeldEmail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeldResult:
    """An email kept for review instead of stored on a case."""

    held: HeldEmail
    duplicate: bool

    @property
    def reason(self) -> str:
        return self.held.reason


def email_hold(
    raw: bytes, *, reason: str, parsed: ParsedEmail | None = None, automatic: bool = False
) -> HeldResult:
    """Keep `raw` for review with why; `automatic` mail (a bounce, an automatic reply) is set aside, kept
    the same way but out of the review queue. Idempotent by the bytes' hash: the same email is held once."""
    sha256 = hashlib.sha256(raw).hexdigest()
    existing = HeldEmail.objects.filter(sha256=sha256).first()
    if existing is not None:
        return HeldResult(existing, duplicate=True)
    subject, sender = _glimpse(raw, parsed)
    held = HeldEmail(
        raw=raw,
        sha256=sha256,
        reason=reason[:2000],
        subject=subject[:300],
        sender=sender[:300],
        received_at=timezone.now(),
        status=HeldEmail.Status.SET_ASIDE if automatic else HeldEmail.Status.HELD,
    )
    try:
        with transaction.atomic():
            held.save()
    except IntegrityError:  # held meanwhile by a concurrent delivery of the same bytes
        return HeldResult(HeldEmail.objects.get(sha256=sha256), duplicate=True)
    log.log(logging.INFO if automatic else logging.WARNING, "Email %s (%s): %s", held.status, held.pk, reason)
    return HeldResult(held, duplicate=False)


def _glimpse(raw: bytes, parsed: ParsedEmail | None) -> tuple[str, str]:
    """What a reviewer can see of the email before opening it: its subject and whatever From says."""
    if parsed is None:
        try:
            parsed = parse_email(raw, max_attachments=0, max_parts=50, require_sender=False)
        except MalformedEmail:
            return "", ""
    sender = f"{parsed.from_name} <{parsed.from_address}>" if parsed.from_address else parsed.from_name
    return parsed.subject, sender
