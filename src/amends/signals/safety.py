"""What a safety alert tells staff to do, and the support a customer who mentioned self-harm is offered.

The texts are data (safety_texts.json), not code: the shipped ones name UK services (Samaritans
116 123, NHS 111 option 2, 999), and an organisation elsewhere or with its own procedure replaces any of
them with a JSON file of its own named by the AMENDS_SAFETY_TEXTS setting (its keys override the shipped
ones, type by type and text by text).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings

SHIPPED = Path(__file__).parent / "safety_texts.json"


@cache
def _texts(override: str) -> dict[str, dict[str, str]]:
    texts = {k: v for k, v in json.loads(SHIPPED.read_text(encoding="utf-8")).items() if k[0] != "_"}
    if override:
        for kind, parts in json.loads(Path(override).read_text(encoding="utf-8")).items():
            if not kind.startswith("_"):
                texts.setdefault(kind, {}).update(parts)
    return texts


def safety_text(kind: str, part: str) -> str:
    """One text: `kind` a signal type (self_harm, threat_to_staff), `part` "alert" (the notification),
    "steps" (the case page's alert box) or "customer" (added to the acknowledgement); "" when none."""
    return _texts(getattr(settings, "AMENDS_SAFETY_TEXTS", "")).get(kind, {}).get(part, "")


__all__ = ["safety_text"]
