"""Saved replies: a team's or one person's reply templates, with the case's facts filled in.

The body names facts as placeholders ({customer_name}, {reference}, {respond_by}, {owner_name}, {team}).
Messaging fills those it keeps; an app above it adds one through `hooks.reply_placeholders` (process: the
date its clocks hold us to, told as a working day of the customer's nation, as letters tell it). A
placeholder nobody fills is refused when the template is saved, so a customer never reads "{custmer_name}".
The filled text goes into the reply box, where the adviser edits it and the reply coach reads it like any
draft: a template is a start, written for this customer before it is sent (CFACSC4 P4), and it tells them
when to expect more (WM57 13).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import Conflict, DomainError, InputTooLarge, NotFound
from amends.core.models import Team
from amends.core.permissions import (
    can_keep_saved_replies,
    can_manage_team_replies,
    reply_teams_scope,
    require,
    staff_of,
)
from amends.core.services import audit_record

from .hooks import ReplyPlaceholder, reply_placeholders
from .models import SavedReply

TITLE_MAX_CHARS = 120
BODY_MAX_CHARS = 20_000
# Anything that looks meant as a placeholder: a word (or words) in braces. "{Customer Name}" is caught and
# refused with the list of those there are, not sent as it is.
PLACEHOLDER_RE = re.compile(r"\{\s*([A-Za-z][A-Za-z0-9_ ]{0,58})\s*\}")


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _owner_name(case: Case, writer: Any) -> str:
    return _name(case.owner) or _name(writer)


def _team(case: Case, writer: Any) -> str:
    if case.team is not None:
        return case.team.name
    staff = staff_of(writer)
    return staff.team.name if staff is not None and staff.team_id else ""


OWN_PLACEHOLDERS = [
    ReplyPlaceholder("customer_name", "the customer's name", lambda case, writer: case.customer.name),
    ReplyPlaceholder("reference", "the case reference", lambda case, writer: case.reference),
    ReplyPlaceholder(
        "owner_name",
        "the case owner's name (yours when nobody owns it)",
        lambda case, w: _owner_name(case, w),
    ),
    ReplyPlaceholder("team", "the case's team", lambda case, writer: _team(case, writer)),
]


def placeholders() -> dict[str, ReplyPlaceholder]:
    """Every placeholder a saved reply may use, by name: messaging's own, then those registered."""
    return {p.name: p for p in [*OWN_PLACEHOLDERS, *reply_placeholders]}


def check_template(body: str) -> None:
    """Refuse a body naming a placeholder that is not known, naming it and those there are."""
    known = placeholders()
    unknown = list(
        dict.fromkeys(m.group(0) for m in PLACEHOLDER_RE.finditer(body) if m.group(1) not in known)
    )
    if unknown:
        listed = ", ".join("{" + name + "}" for name in known)
        raise DomainError(
            f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: use {listed}",
            fields={"body": f"unknown placeholder: {', '.join(unknown)}"},
        )


def saved_reply_fill(reply: SavedReply, *, case: Case, writer: Any) -> str:
    """The reply's body with the case's facts in place of its placeholders. Only those it uses are worked
    out (a date from the clocks costs queries)."""
    known = placeholders()
    values: dict[str, str] = {}

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in known:  # saved before that placeholder's app was taken away: left as written
            return match.group(0)
        if name not in values:
            values[name] = known[name].value(case, writer) or ""
        return values[name]

    return PLACEHOLDER_RE.sub(value, reply.body)


# --- keeping them -------------------------------------------------------------------------------------------


def _checked(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError("Give the saved reply a title", fields={"title": "required"})
    if len(title) > TITLE_MAX_CHARS:
        raise DomainError(
            f"A title is at most {TITLE_MAX_CHARS} characters", fields={"title": f"at most {TITLE_MAX_CHARS}"}
        )
    if not body:
        raise DomainError("Write the reply", fields={"body": "required"})
    if len(body) > BODY_MAX_CHARS:
        raise InputTooLarge(
            f"A saved reply is at most {BODY_MAX_CHARS:,} characters",
            fields={"body": f"at most {BODY_MAX_CHARS}"},
        )
    check_template(body)
    return title, body


def _require_keeper(actor: Any, reply: SavedReply) -> None:
    """A personal reply is its owner's to change; a team's, its team leaders' and the leads'."""
    require(can_keep_saved_replies(actor), "You may not keep saved replies")
    if reply.team_id is not None:
        require(
            can_manage_team_replies(actor, reply.team_id), "Only the team's leaders change its saved replies"
        )
    else:
        require(reply.owner_id == actor.pk, "Only its owner changes a personal saved reply")


def _facts(reply: SavedReply) -> dict:
    return {"title": reply.title, "body": reply.body, "team": reply.team_id, "owner": reply.owner_id}


@transaction.atomic
def saved_reply_create(*, actor: Any, title: str, body: str, team: Team | None = None) -> SavedReply:
    """A saved reply of `team` (its team leaders, or someone who sees every team), or the actor's own."""
    require(can_keep_saved_replies(actor), "You may not keep saved replies")
    if team is not None:
        require(can_manage_team_replies(actor, team.pk), f"Only {team}'s team leaders keep its saved replies")
    title, body = _checked(title, body)
    now = timezone.now()
    reply = SavedReply.objects.create(
        title=title,
        body=body,
        team=team,
        owner=None if team is not None else actor,
        created_at=now,
        updated_at=now,
    )
    audit_record(actor=actor, kind="saved_reply.created", obj=reply, after=_facts(reply))
    return reply


def _lock(reply: SavedReply, expected_version: int) -> SavedReply:
    fresh = SavedReply.objects.select_for_update().filter(pk=reply.pk).first()
    if fresh is None:
        raise NotFound("That saved reply has been deleted")
    if fresh.version != expected_version:
        raise Conflict(
            f"“{fresh.title}” was changed by someone else while you were looking at it. "
            "Reload to see their change, then try again."
        )
    return fresh


@transaction.atomic
def saved_reply_update(
    *, reply: SavedReply, actor: Any, title: str, body: str, expected_version: int
) -> SavedReply:
    _require_keeper(actor, reply)
    reply = _lock(reply, expected_version)
    title, body = _checked(title, body)
    before = _facts(reply)
    reply.title, reply.body = title, body
    reply.updated_at, reply.version = timezone.now(), reply.version + 1
    reply.save(update_fields=["title", "body", "updated_at", "version"])
    audit_record(actor=actor, kind="saved_reply.updated", obj=reply, before=before, after=_facts(reply))
    return reply


@transaction.atomic
def saved_reply_delete(*, reply: SavedReply, actor: Any, expected_version: int) -> None:
    _require_keeper(actor, reply)
    reply = _lock(reply, expected_version)
    audit_record(actor=actor, kind="saved_reply.deleted", obj=reply, before=_facts(reply))
    reply.delete()


# --- reading them -------------------------------------------------------------------------------------------


# One's own (no team) first, then each team's by name, on SQLite and PostgreSQL alike.
PERSONAL_FIRST = F("team__name").asc(nulls_first=True)


def _usable(user: Any, case: Case | None = None) -> Q:
    """The saved replies this user may use: their own, their team's and (on a case) the case's team's."""
    staff = staff_of(user)
    if staff is None or not can_keep_saved_replies(user):
        return Q(pk__in=[])
    teams = [t for t in (staff.team_id, getattr(case, "team_id", None)) if t is not None]
    return Q(owner_id=user.pk) | Q(team_id__in=teams)


def saved_replies_for(user: Any, case: Case) -> list[SavedReply]:
    """For the reply box: the user's own first, then each team's, by title. One query."""
    return list(
        SavedReply.objects.filter(_usable(user, case))
        .select_related("team")
        .order_by(PERSONAL_FIRST, "title", "id")
    )


def saved_reply_usable(user: Any, case: Case, pk: Any) -> SavedReply | None:
    """One saved reply the user may use on this case, or None (not theirs, or not a number)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return SavedReply.objects.filter(_usable(user, case), pk=pk).first() if 0 < pk <= 2**63 - 1 else None


def _kept(user: Any) -> Q:
    return _usable(user) | Q(team__in=Team.objects.filter(reply_teams_scope(user)))


def saved_replies_kept(user: Any) -> list[SavedReply]:
    """For the saved replies page: those the user may use without a case, and every team's they keep."""
    scope = _kept(user)
    return list(
        SavedReply.objects.filter(scope)
        .select_related("team", "owner")
        .order_by(PERSONAL_FIRST, "title", "id")
    )


def saved_reply_kept(user: Any, pk: int) -> SavedReply:
    """One of the saved replies the user sees on the saved replies page, else NotFound."""
    reply = SavedReply.objects.filter(_kept(user), pk=pk).select_related("team", "owner").first()
    if reply is None:
        raise NotFound("There is no such saved reply that you can see")
    return reply


def teams_kept_by(user: Any) -> list[Team]:
    """The teams whose saved replies this user keeps, by name."""
    return list(Team.objects.filter(reply_teams_scope(user)).order_by("name"))
