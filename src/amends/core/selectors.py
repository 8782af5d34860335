from __future__ import annotations

from datetime import timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from .models import ApiToken, Notification
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


INBOX_SIZE = 100


def inbox(user) -> dict:
    """A person's notifications: the urgent, those told one by one that are not urgent (a colleague's
    mention), and the routine digests apart, unread first, then newest; `up_to` is the newest id among
    them, so "mark all read" reads only what was shown."""
    read = ExpressionWrapper(Q(read_at__isnull=False), output_field=BooleanField())
    mine = Notification.objects.filter(user=user).order_by(read, "-created_at", "-id")
    urgent = list(mine.filter(urgency=Notification.Urgency.URGENT)[:INBOX_SIZE])
    routine = mine.filter(urgency=Notification.Urgency.ROUTINE)
    personal = list(routine.filter(topic="")[:INBOX_SIZE])
    digests = list(routine.exclude(topic="")[:INBOX_SIZE])
    newest = max((n.pk for n in urgent + personal + digests), default=0)
    return {"urgent": urgent, "personal": personal, "routine": digests, "up_to": newest}


def unread_counts(user) -> dict[str, int]:
    """How many unread, and how many of them urgent, in one query (the navigation's counter)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).aggregate(
        unread=Count("id"), urgent=Count("id", filter=Q(urgency=Notification.Urgency.URGENT))
    )
