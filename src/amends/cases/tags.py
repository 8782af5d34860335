"""Tags on cases: the one place `Tag` and `CaseTag` rows are written, each change with its case event.

A tag is the organisation's own label ("vulnerable", "media interest") for finding cases together: the
queue shows them and filters by them. Tagging a case is work on it (who may: `core.permissions`, asked by
the page or endpoint through `case_for(..., work=True)`); it does not change the case itself, so it takes
no version: two people tagging one case at once both get what they asked for.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import DomainError
from amends.core.services import audit_record

from .events import EventKind
from .models import Case, CaseTag, Tag
from .services import case_event_record

TAG_MAX = 40
_SPACES = re.compile(r"\s+")


def tag_name(raw: str) -> tuple[str, str]:
    """A tag's name as it will be shown (trimmed, spaces collapsed) and its `normalised` form (casefolded),
    which is what makes two spellings one tag. DomainError for a name a tag cannot have."""
    name = _SPACES.sub(" ", raw or "").strip()
    if not name:
        raise DomainError("Give the tag a name", fields={"tag": "required"})
    if len(name) > TAG_MAX:
        raise DomainError(
            f"A tag is at most {TAG_MAX} characters; “{name[:TAG_MAX]}…” is {len(name)}",
            fields={"tag": f"at most {TAG_MAX} characters"},
        )
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in name):
        raise DomainError(
            "A tag is letters, digits and punctuation only", fields={"tag": "invisible character"}
        )
    normalised = name.casefold()
    if len(normalised) > TAG_MAX:  # casefolding lengthens a few letters ("ß" is "ss")
        raise DomainError(
            f"A tag is at most {TAG_MAX} characters", fields={"tag": f"at most {TAG_MAX} characters"}
        )
    return name, normalised


def tag_normalised(raw: str) -> str:
    """The `normalised` form of what someone typed, for finding a tag (the queue's filter); "" for nothing."""
    return _SPACES.sub(" ", raw or "").strip().casefold()


def _tag(name: str, normalised: str, actor: Any) -> Tag:
    """The organisation's tag of this name, made (and audited) the first time anyone uses it."""
    tag = Tag.objects.filter(normalised=normalised).first()
    if tag is not None:
        return tag
    tag, created = Tag.objects.get_or_create(
        normalised=normalised, defaults={"name": name, "created_at": timezone.now()}
    )
    if created:
        audit_record(actor=actor, kind="tag.created", obj=tag, after={"name": name})
    return tag


@transaction.atomic
def case_tag_add(*, case: Case, tag: str, actor: Any) -> bool:
    """Put a tag on the case (a new name makes a new tag). False when the case already had it: nothing
    changes and no event is written."""
    name, normalised = tag_name(tag)
    found = _tag(name, normalised, actor)
    now = timezone.now()
    _, added = CaseTag.objects.get_or_create(
        case=case,
        tag=found,
        defaults={"added_at": now, "added_by": actor if getattr(actor, "pk", None) else None},
    )
    if added:
        case_event_record(case, kind=EventKind.TAG_ADDED, actor=actor, at=now, after={"tag": found.name})
    return added


@transaction.atomic
def case_tag_remove(*, case: Case, tag: str, actor: Any) -> bool:
    """Take a tag off the case. False when the case did not have it (someone took it off first): nothing
    changes. The tag itself stays in the organisation's list."""
    found = (
        CaseTag.objects.select_related("tag").filter(case=case, tag__normalised=tag_normalised(tag)).first()
    )
    if found is None:
        return False
    found.delete()
    case_event_record(
        case, kind=EventKind.TAG_REMOVED, actor=actor, at=timezone.now(), before={"tag": found.tag.name}
    )
    return True
