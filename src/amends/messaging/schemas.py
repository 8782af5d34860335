"""Typed inputs the pages and the API share: a reply's way out, and an integration's settings."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

ReplyChannel = Literal["email", "social", "chat", "sms"]


class IntegrationIn(Schema):
    """An integration as an administrator adds or changes it."""

    name: str = Field(
        ..., min_length=1, max_length=120, description="What people call it, e.g. 'Social inbox'"
    )
    channels: list[Literal["social", "chat"]] = Field(
        ..., min_length=1, max_length=2, description="The channels whose replies it carries"
    )
    url: str = Field(
        ..., min_length=1, max_length=500, description="Where replies are posted (http or https)"
    )
    secret: str = Field(
        "",
        max_length=200,
        description="The signing secret (at least 24 characters). Empty: Amends makes one when adding (shown "
        "once in the answer) and keeps the current one when changing",
    )
    new_secret: bool = Field(False, description="When changing: make a new secret (shown once in the answer)")
    enabled: bool = Field(True, description="Switched on: replies on its channels go through it")
    version: int | None = Field(
        None,
        ge=1,
        description="When changing: the version you read; if it changed since, nothing changes (409)",
    )


class IntegrationOut(Schema):
    id: int
    name: str
    channels: list[str]
    url: str
    enabled: bool
    version: int


class IntegrationSaved(IntegrationOut):
    secret: str = Field(
        "", description="The signing secret, only when Amends has just made it: it is not shown again"
    )
