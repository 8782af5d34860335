"""The organisation's regime settings as one typed input: the settings page's form and the API take it."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from .choosing import Rule


class RegimeRuleIn(Schema):
    match: Literal["category", "product", "channel", "default"] = Field(
        ...,
        description="What the rule looks at: the case's category, its product, its channel, or any complaint",
    )
    value: str = Field("", max_length=100, description="The category, product or channel; empty for default")
    regime: str = Field(..., max_length=60, description="The regime code it chooses (one in use)")

    def rule(self) -> Rule:
        return Rule(match=self.match, value=self.value, regime=self.regime)


class RegimeSettingsIn(Schema):
    in_use: list[str] = Field(..., max_length=200, description="Codes of the regimes we work under")
    rules: list[RegimeRuleIn] = Field(
        default_factory=list, max_length=100, description="Tried in order; the first match chooses"
    )


class RegimeSettingsOut(Schema):
    in_use: list[str]
    rules: list[RegimeRuleIn]
