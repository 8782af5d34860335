"""Reads of regimes and their versions."""

from __future__ import annotations

from datetime import date

from .models import Regime, RegimeVersion


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
