"""Normal forms for matching contact points. Framework-free."""

from __future__ import annotations

import re

import phonenumbers

# A domain needs no dot: guest@localhost or admin@intranet are delivered by the servers that know them
# (Django's EmailValidator accepts localhost too). Dots may not lead, trail or repeat.
EMAIL_RE = re.compile(r"^[^@\s<>]+@(?!\.)(?!.*\.\.)[^@\s<>]*[^@\s<>.]$")


def normalise_email(value: str) -> str | None:
    value = value.strip().lower()
    return value if EMAIL_RE.match(value) and len(value) <= 254 else None


def normalise_phone(value: str, region: str = "GB") -> str | None:
    """E.164 form of a phone number, reading national numbers as UK ones; None if it is not a number."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_handle(value: str) -> str | None:
    value = value.strip().lower()
    return value or None


def name_key(name: str) -> str:
    return " ".join(name.lower().split())
