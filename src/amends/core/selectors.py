from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import ApiToken
from .services import hash_key


def api_token_user(key: str):
    """The active user behind a bearer key, or None. Touches last_used_at at most once a minute."""
    if not key or not key.startswith("amd_"):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__staff", "user__staff__team")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
