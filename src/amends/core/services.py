"""Staff, teams and API tokens. Every change writes an AuditEvent."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .emails import send_after_commit, wants_email
from .errors import DomainError, PermissionDenied
from .models import ApiToken, AuditEvent, EmailState, Notification, NotifyEmail, Role, StaffProfile, Team
from .permissions import can_edit_directory_entry

log = logging.getLogger(__name__)


def audit_record(
    *,
    actor: Any,
    kind: str,
    obj: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    event = audit_event(actor=actor, kind=kind, obj=obj, before=before, after=after, reason=reason)
    event.save()
    return event


def audit_event(
    *,
    actor: Any,
    kind: str,
    obj: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    at: Any = None,
) -> AuditEvent:
    """The audit row, unsaved: batch imports write many in one insert."""
    return AuditEvent(
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
        reason=reason,
    )


@transaction.atomic
def team_create(*, name: str, slug: str, actor: Any = None) -> Team:
    team = Team.objects.create(name=name, slug=slug)
    audit_record(actor=actor, kind="team.created", obj=team, after={"name": name})
    return team


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    role: str,
    team: Team | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
    actor: Any = None,
):
    if role not in Role.values:
        raise DomainError(f"Unknown role {role!r}", fields={"role": "unknown role"})
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise DomainError(f"A user named {username!r} already exists", code="duplicate")
    user = user_model.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    StaffProfile.objects.create(user=user, role=role, team=team, job_title=job_title.strip()[:100])
    audit_record(
        actor=actor, kind="staff.created", obj=user, after={"role": role, "team": team.slug if team else None}
    )
    return user


@transaction.atomic
def staff_job_title_set(*, user: Any, job_title: str, actor: Any = None) -> StaffProfile:
    """Change how someone signs their letters (their name and this title, under "Yours sincerely")."""
    job_title = (job_title or "").strip()
    if len(job_title) > 100:
        raise DomainError("A job title is at most 100 characters", fields={"job_title": "too long"})
    staff = StaffProfile.objects.select_for_update().filter(user=user).first()
    if staff is None:
        raise DomainError(f"{user.get_username()} has no role in Amends", fields={"user": "no role"})
    before = staff.job_title
    staff.job_title = job_title
    staff.save(update_fields=["job_title"])
    audit_record(
        actor=actor,
        kind="staff.job_title",
        obj=user,
        before={"job_title": before},
        after={"job_title": job_title},
    )
    return staff


@transaction.atomic
def staff_notify_email_set(*, user: Any, preference: str, actor: Any = None) -> StaffProfile:
    """Which notifications also reach this person by email: in the app only, urgent ones, or every one.
    Urgent safety alerts are emailed whatever they choose."""
    if preference not in NotifyEmail.values:
        raise DomainError(
            "Choose in the app only, urgent ones by email, or every one by email",
            fields={"notify_email": "none, urgent or all"},
        )
    staff = StaffProfile.objects.select_for_update().filter(user=user).first()
    if staff is None:
        raise DomainError(f"{user.get_username()} has no role in Amends", fields={"user": "no role"})
    before = staff.notify_email
    if before != preference:
        staff.notify_email = preference
        staff.save(update_fields=["notify_email"])
        audit_record(
            actor=actor or user,
            kind="staff.notify_email",
            obj=user,
            before={"notify_email": before},
            after={"notify_email": preference},
        )
    return staff


HELPS_WITH_MAX = 1000
REACH_MAX = 200


def help_topics(helps_with: str) -> list[str]:
    """A directory entry's topics, as written: one per line or comma-separated, each once."""
    parts = [p.strip() for line in (helps_with or "").splitlines() for p in line.split(",")]
    return list(dict.fromkeys(p for p in parts if p))


@transaction.atomic
def staff_directory_set(*, user: Any, helps_with: str, reach: str, actor: Any) -> StaffProfile:
    """What this person can help colleagues with, and how to reach them, in the directory of who can
    help. They keep their own; their team's leaders and those who see every team may keep it for them."""
    if not can_edit_directory_entry(actor, user):
        raise PermissionDenied("You keep your own entry; a team leader keeps their team's")
    topics = help_topics(helps_with)
    helps_with = "\n".join(topics)
    reach = " ".join((reach or "").split())
    if len(helps_with) > HELPS_WITH_MAX:
        raise DomainError(
            f"What you can help with is at most {HELPS_WITH_MAX} characters",
            fields={"helps_with": "too long"},
        )
    if len(reach) > REACH_MAX:
        raise DomainError(f"How to reach you is at most {REACH_MAX} characters", fields={"reach": "too long"})
    staff = StaffProfile.objects.select_for_update().get(user=user)
    before = {"helps_with": staff.helps_with, "reach": staff.reach}
    after = {"helps_with": helps_with, "reach": reach}
    if before != after:
        staff.helps_with, staff.reach = helps_with, reach
        staff.save(update_fields=["helps_with", "reach"])
        audit_record(actor=actor, kind="staff.directory", obj=user, before=before, after=after)
    return staff


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: Any, name: str, actor: Any = None) -> tuple[ApiToken, str]:
    """Returns the token row and the key, which is never stored and cannot be shown again."""
    key = "amd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:10], key_hash=hash_key(key), created_at=timezone.now()
    )
    audit_record(actor=actor or user, kind="api_token.created", obj=token, after={"name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: Any) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, kind="api_token.revoked", obj=token)


def notify(*, users, text: str, link: str = "", urgent: bool, safety: bool = False) -> None:
    """Tell each of these people something; shown in their notifications until read, urgent ones first.
    `safety=True` marks a safety alert (a threat, self-harm, a safety report): urgent, and emailed to
    everyone told whatever their email preference."""
    notify_each([(u, text, link) for u in {u.pk: u for u in users}.values()], urgent=urgent, safety=safety)


def notify_each(notes, *, urgent: bool, safety: bool = False) -> None:
    """Tell each person their own thing: (user, text, link) triples, written in one insert. Call it in the
    transaction of the change being told, not after commit, so the two are saved or lost together: the
    emails the people chose (`StaffProfile.notify_email`; always for `safety`) go once it commits."""
    notes = list(notes)
    if not notes:
        return
    now = timezone.now()
    urgent = urgent or safety
    urgency = Notification.Urgency.URGENT if urgent else Notification.Urgency.ROUTINE
    preferences = _email_preferences({u.pk for u, _text, _link in notes})
    rows = []
    for u, text, link in notes:
        row = Notification(
            user=u, text=text[:300], link=link[:300], created_at=now, urgency=urgency, safety=safety
        )
        _mark_for_email(row, preferences.get(u.pk), urgent=urgent, safety=safety, digest=False, now=now)
        rows.append(row)
    Notification.objects.bulk_create(rows, batch_size=1000)
    send_after_commit(row.pk for row in rows if row.email_state and row.pk)


def _email_preferences(user_ids) -> dict[int, tuple[str, str]]:
    """Each user's email address and preference, in one query: {user id: (email, preference)}."""
    return {
        pk: (email, preference or NotifyEmail.URGENT)
        for pk, email, preference in get_user_model()
        .objects.filter(pk__in=user_ids)
        .values_list("pk", "email", "staff__notify_email")
    }


def _mark_for_email(row: Notification, found, *, urgent: bool, safety: bool, digest: bool, now) -> None:
    email, preference = found or ("", NotifyEmail.URGENT)
    if not wants_email(preference, urgent=urgent, safety=safety, digest=digest):
        return
    if not email:
        if safety:
            log.warning(
                "User %s has no email address: a safety alert reaches them in the app only", row.user_id
            )
        return
    row.email_state, row.email_next_at = EmailState.PENDING, now


def notify_digest(*, topic: str, items, summary: Callable[[Any, int], tuple[str, str]]) -> None:
    """Routine reminders on one topic, folded into one unread row per person: (user, subject, text, link)
    items, where the subject names what the reminder is about (a case reference, say). A subject already
    in the person's unread digest adds nothing; new ones join it (or start one), and the row moves to now.
    A digest of one subject says that one's text and links to it; of more, `summary(user, count)` gives
    the text and the link (a filtered list). In the caller's transaction, like `notify_each`."""
    fresh: dict[int, tuple[Any, dict[str, tuple[str, str]]]] = {}
    for user, subject, text, link in items:
        fresh.setdefault(user.pk, (user, {}))[1].setdefault(str(subject), (text, link))
    if not fresh:
        return
    known: dict[int, set[str]] = {}
    latest: dict[int, Notification] = {}
    for row in (
        Notification.objects.select_for_update()
        .filter(user_id__in=fresh, topic=topic, read_at__isnull=True)
        .order_by("created_at", "id")
    ):
        known.setdefault(row.user_id, set()).update(row.subjects)
        latest[row.user_id] = row
    now = timezone.now()
    created, changed = [], []
    for user_id, (user, told) in fresh.items():
        new = {s: told[s] for s in told if s not in known.get(user_id, ())}
        if not new:
            continue
        row = latest.get(user_id) or Notification(
            user=user, topic=topic, urgency=Notification.Urgency.ROUTINE, subjects=[]
        )
        row.subjects = [*row.subjects, *new]
        text, link = new[row.subjects[0]] if len(row.subjects) == 1 else summary(user, len(row.subjects))
        row.text, row.link, row.created_at = text[:300], link[:300], now
        (changed if row.pk else created).append(row)
    preferences = _email_preferences({row.user_id for row in created})
    for row in created:  # a digest row is emailed once, when it starts: what joins it later is in the app
        _mark_for_email(row, preferences.get(row.user_id), urgent=False, safety=False, digest=True, now=now)
    Notification.objects.bulk_create(created, batch_size=1000)
    Notification.objects.bulk_update(changed, ["subjects", "text", "link", "created_at"], batch_size=1000)
    send_after_commit(row.pk for row in created if row.email_state and row.pk)


def notifications_mark_read(*, user, ids: list[int] | None = None, up_to: int | None = None) -> int:
    """Mark this person's unread notifications read: these `ids`, or all of them up to the id `up_to`
    (the newest they were shown, so one that arrived since stays unread), or simply all. How many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if up_to is not None:
        qs = qs.filter(pk__lte=up_to)
    return qs.update(read_at=timezone.now())
