"""A support-needs record as one typed input, taken alike by the page's form and the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Schema

Code = Annotated[str, Field(max_length=40)]


class SupportNeedsIn(Schema):
    version: int = Field(
        0, ge=0, le=2**31, description="The record's version you read (0 when the customer has none)"
    )
    drivers: list[Code] = Field(
        [], max_length=4, description="FG21/1 drivers: health, life_event, resilience, capability"
    )
    characteristics: list[Code] = Field(
        [], max_length=30, description="FG21/1 characteristics, e.g. bereavement, hearing_visual_impairment"
    )
    circumstances: str = Field("", max_length=5000, description="What the customer told us, in their words")
    preferred_channel: str = Field("", max_length=20, description="email, phone, letter, ... or empty")
    formats: list[Code] = Field(
        [], max_length=5, description="large_print, easy_read, braille, audio, another_language"
    )
    language: str = Field("", max_length=60, description="The language, with another_language")
    extra_time: bool = False
    third_party_name: str = Field("", max_length=200, description="Who has authority to act for them")
    third_party_kind: str = Field(
        "", max_length=30, description="power_of_attorney, deputy, executor, advocate, family, other"
    )
    third_party_contact: str = Field("", max_length=300)
    other_adjustments: str = Field("", max_length=5000)
    disclosed_via: str = Field(
        ...,
        max_length=20,
        description="complaint_form, status_page, phone, in_writing, third_party, staff_noticed",
    )
    lawful_basis: str = Field(
        ...,
        max_length=40,
        description="explicit_consent, vital_interests, legal_obligation, substantial_public_interest, "
        "legal_claims",
    )
    lawful_basis_note: str = Field("", max_length=500, description="e.g. how and when consent was given")
    visible_to: list[Code] | None = Field(
        None,
        max_length=6,
        description="Roles that may see it; default: those who work cases and leaders (never assessors)",
    )
    review_on: date | None = Field(None, description="When to review it with the customer")
    reason: str = Field("", max_length=500, description="Why it changed (for a change)")


class SupportNeedsEndIn(Schema):
    version: int = Field(..., ge=1, le=2**31, description="The record's version you read")
    reason: str = Field(..., min_length=1, max_length=500, description="Why it no longer applies")
