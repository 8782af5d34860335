"""Reads of regimes and their versions."""

from __future__ import annotations

from datetime import date

from .choosing import Rule, choose
from .models import Regime, RegimeRule, RegimeVersion


def current_version(code: str, on: date) -> RegimeVersion | None:
    """The version of regime `code` in force on `on`: the latest effective_from on or before it (the higher
    version number if two start the same day). None if the regime is unknown or has no version yet."""
    return (
        RegimeVersion.objects.select_related("regime")
        .filter(regime__code=code, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


def regimes_with_current_version(on: date) -> list[tuple[Regime, RegimeVersion | None, RegimeVersion]]:
    """Every regime with the version in force on `on` (None if none yet) and its earliest version.

    Two queries whatever the number of regimes.
    """
    regimes = list(Regime.objects.order_by("code"))
    versions: dict[int, list[RegimeVersion]] = {}
    for version in RegimeVersion.objects.order_by("effective_from", "version"):
        versions.setdefault(version.regime_id, []).append(version)
    rows = []
    for regime in regimes:
        own = versions.get(regime.pk, [])
        if not own:
            continue
        in_force = [v for v in own if v.effective_from <= on]
        rows.append((regime, in_force[-1] if in_force else None, own[0]))
    return rows


def regimes_in_use() -> list[Regime]:
    """The regimes the organisation works under, by name: what a case may be put under."""
    return list(Regime.objects.filter(in_use=True).order_by("name"))


def regime_rules() -> list[Rule]:
    """The organisation's rules for choosing a new complaint's regime, in the order they are tried."""
    return [
        Rule(match=r.match, value=r.value, regime=r.regime.code)
        for r in RegimeRule.objects.select_related("regime").order_by("position")
    ]


class RegimeChooser:
    """The rules read once, for a batch of arrivals: `for_case` gives a new complaint's regime code."""

    def __init__(self) -> None:
        self.rules = regime_rules()

    def for_case(self, *, kind: str, category: str, product: str, channel: str) -> str | None:
        if kind != "complaint":
            return None
        return choose(self.rules, category=category, product=product, channel=channel)
