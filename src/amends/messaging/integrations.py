"""Adding and changing the organisation's integrations (models.Integration): the services the integrations
page and the API call, each audited. Who may is core.permissions.can_manage_integrations's question, asked
by the page and the endpoint."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.core.errors import Conflict, DomainError, NotFound
from amends.core.services import audit_record

from .models import Integration
from .routes import WEBHOOK_CHANNELS, in_words
from .schemas import IntegrationIn

MIN_SECRET = 24
_url = URLValidator(schemes=["http", "https"])


@transaction.atomic
def integration_add(*, data: IntegrationIn, actor: Any) -> tuple[Integration, str]:
    """A new integration, and the secret Amends made for it ("" when the administrator gave one): the only
    time it is shown."""
    made = "" if data.secret else secrets.token_hex(32)
    now = timezone.now()
    integration = Integration(created_at=now, updated_at=now)
    _apply(integration, data, secret=made or data.secret)
    _save(integration)
    audit_record(actor=actor, kind="integration.added", obj=integration, after=_described(integration))
    return integration, made


@transaction.atomic
def integration_change(*, integration_id: int, data: IntegrationIn, actor: Any) -> tuple[Integration, str]:
    """Change an integration; the new secret when `data.new_secret` asked Amends for one. `data.version`
    is the version the administrator read: if another change came since, nothing changes."""
    integration = Integration.objects.select_for_update().filter(pk=integration_id).first()
    if integration is None:
        raise NotFound(f"There is no integration {integration_id}")
    if data.version is not None and data.version != integration.version:
        raise Conflict(
            f"{integration.name} was changed by someone else since you opened it: read it again and "
            "make your change if it still fits.",
            code="integration_changed",
            fields={"version": f"you read version {data.version}; it is now at {integration.version}"},
        )
    before = _described(integration)
    made = secrets.token_hex(32) if data.new_secret else ""
    _apply(integration, data, secret=made or data.secret or integration.secret)
    integration.version += 1
    integration.updated_at = timezone.now()
    _save(integration)
    after = _described(integration) | {"secret_changed": bool(made or data.secret)}
    audit_record(actor=actor, kind="integration.changed", obj=integration, before=before, after=after)
    return integration, made


def _apply(integration: Integration, data: IntegrationIn, *, secret: str) -> None:
    name = " ".join(data.name.split())
    if not name:
        raise DomainError("Give the integration a name", fields={"name": "required"})
    channels = [c for c in WEBHOOK_CHANNELS if c in data.channels]
    if not channels:
        raise DomainError(
            "Choose the channels it serves: social media, chat", fields={"channels": "required"}
        )
    url = data.url.strip()
    try:
        _url(url)
    except ValidationError:
        raise DomainError(
            "The URL must be a full http or https address, e.g. https://inbox.example.org/amends",
            fields={"url": "an http(s) URL"},
        ) from None
    if len(secret) < MIN_SECRET or len(secret) > 200 or not secret.isprintable() or secret != secret.strip():
        raise DomainError(
            f"The secret must be {MIN_SECRET} to 200 printable characters, without spaces at either end; "
            "or leave it empty and Amends makes one",
            fields={"secret": f"at least {MIN_SECRET} characters"},
        )
    integration.name, integration.channels, integration.url = name, channels, url
    integration.secret, integration.enabled = secret, data.enabled
    if integration.enabled:
        _one_per_channel(integration)


def _one_per_channel(integration: Integration) -> None:
    """At most one integration switched on serves a channel, so a reply's way out is never a guess."""
    others = Integration.objects.select_for_update().filter(enabled=True).exclude(pk=integration.pk)
    for other in others:
        shared = [c for c in integration.channels if c in other.channels]
        if shared:
            label = in_words(shared[0])
            raise DomainError(
                f"{other.name} already carries {label} replies: switch it off first, or choose other "
                "channels",
                code="channel_taken",
                fields={"channels": f"{shared[0]} is served by {other.name}"},
            )


def _save(integration: Integration) -> None:
    try:
        with transaction.atomic():
            integration.save()
    except IntegrityError:
        raise DomainError(
            f"There is already an integration called {integration.name}",
            code="duplicate",
            fields={"name": "taken"},
        ) from None


def _described(integration: Integration) -> dict[str, Any]:
    """What the audit keeps of it: everything but the secret."""
    return {
        "name": integration.name,
        "channels": list(integration.channels),
        "url": integration.url,
        "enabled": integration.enabled,
        "version": integration.version,
    }
