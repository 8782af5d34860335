"""Which regime a new complaint follows, by the organisation's rules. Framework-free.

The rules are tried in order; the first that matches the case chooses its regime. A rule matches on the
case's category, product or channel (compared without regard to case or surrounding spaces), or, as a
default, on any complaint. No rule matching means no regime: a person applies one on the case page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MATCHES = ("category", "product", "channel", "default")


@dataclass(frozen=True)
class Rule:
    match: str  # one of MATCHES
    value: str  # what the case's field must be; empty for "default"
    regime: str  # the regime code it chooses

    def matches(self, *, category: str, product: str, channel: str) -> bool:
        if self.match == "default":
            return True
        given = {"category": category, "product": product, "channel": channel}.get(self.match, "")
        return _fold(given) == _fold(self.value)


def _fold(value: str) -> str:
    return " ".join((value or "").split()).casefold()


def choose(rules: Iterable[Rule], *, category: str, product: str, channel: str) -> str | None:
    """The regime code of the first rule the case matches; None when none does."""
    for rule in rules:
        if rule.matches(category=category, product=product, channel=channel):
            return rule.regime
    return None
