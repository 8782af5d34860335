"""The root-cause taxonomy a complaints lead keeps (CFACSC7 K7, 10; FCA DISP 1.3.3R), and a finding's root
cause corrected after the finding, so that counts by root cause can be trusted.

Every change is audited. A root cause is never deleted: one that findings name is retired (no longer offered),
so old findings keep what they said and the counts of the past stay as they were.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.text import slugify

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError, NotFound
from amends.core.services import audit_record

from .models import Finding, RootCause

NAME_LIMIT = 200
REASON_LIMIT = 2000
CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("A root cause needs a name", fields={"name": "required"})
    if len(name) > NAME_LIMIT:
        raise DomainError("That name is too long", fields={"name": f"at most {NAME_LIMIT}"})
    return name


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why", fields={"reason": "required"})
    if len(reason) > REASON_LIMIT:
        raise DomainError("The reason is too long", fields={"reason": f"at most {REASON_LIMIT}"})
    return reason


def root_cause_get(code: str) -> RootCause:
    cause = RootCause.objects.select_related("parent").filter(code=code).first()
    if cause is None:
        raise NotFound(f"No root cause {code!r}")
    return cause


def _parent(parent: RootCause | None) -> RootCause | None:
    """A root cause sits under a top-level one (two levels, as the seeded taxonomy): a parent must be
    top-level and in use."""
    if parent is None:
        return None
    if parent.parent_id is not None:
        raise DomainError(
            "A root cause goes under a top-level group, not under another root cause",
            fields={"parent": f"{parent.name} is itself under {parent.parent}"},
        )
    if not parent.active:
        raise DomainError("That group is retired", fields={"parent": "retired"})
    return parent


@transaction.atomic
def root_cause_add(*, actor: Any, name: str, parent: RootCause | None = None, code: str = "") -> RootCause:
    """A new root cause (under a group, or a new top-level group). The code is made from the name unless
    given; it never changes, so reports and the API can rely on it."""
    name = _name(name)
    parent = _parent(parent)
    code = (code or "").strip() or slugify(name)[:60].strip("-")
    if not CODE.match(code) or len(code) > 60:
        raise DomainError(
            "A code is lower-case letters, digits and hyphens", fields={"code": "like staff-error"}
        )
    if RootCause.objects.filter(code=code).exists():
        raise Conflict(f"There is already a root cause {code!r}", fields={"code": "taken"})
    if RootCause.objects.filter(parent=parent, name__iexact=name).exists():
        raise Conflict(f"There is already a root cause called {name!r} there", fields={"name": "taken"})
    cause = RootCause.objects.create(code=code, name=name, parent=parent)
    audit_record(
        actor=actor,
        kind="root_cause.added",
        obj=cause,
        after={"code": code, "name": name, "parent": parent.code if parent else None},
    )
    return cause


@transaction.atomic
def root_cause_rename(*, actor: Any, cause: RootCause, name: str) -> RootCause:
    """A clearer name; the code stays, and findings that name it show the new name."""
    cause = RootCause.objects.select_for_update(of=("self",)).get(pk=cause.pk)
    name = _name(name)
    if name == cause.name:
        raise DomainError("That is its name already", fields={"name": "unchanged"})
    if RootCause.objects.filter(parent_id=cause.parent_id, name__iexact=name).exclude(pk=cause.pk).exists():
        raise Conflict(f"There is already a root cause called {name!r} there", fields={"name": "taken"})
    before = cause.name
    cause.name = name
    cause.save(update_fields=["name"])
    audit_record(
        actor=actor, kind="root_cause.renamed", obj=cause, before={"name": before}, after={"name": name}
    )
    return cause


@transaction.atomic
def root_cause_retire(*, actor: Any, cause: RootCause, reason: str) -> RootCause:
    """No longer offered for new findings. Never deleted: findings that name it keep it (and so do the counts
    of the past). A group retires with the root causes under it."""
    cause = RootCause.objects.select_for_update(of=("self",)).get(pk=cause.pk)
    reason = _reason(reason)
    if not cause.active:
        raise DomainError("That root cause is retired already", fields={"code": "retired"})
    retired = [cause, *RootCause.objects.filter(parent=cause, active=True)]
    RootCause.objects.filter(pk__in=[c.pk for c in retired]).update(active=False)
    in_use = Finding.objects.filter(root_cause__in=retired).count()
    audit_record(
        actor=actor,
        kind="root_cause.retired",
        obj=cause,
        before={"active": True},
        after={"active": False, "with": [c.code for c in retired[1:]], "findings": in_use},
        reason=reason,
    )
    cause.active = False
    return cause


@transaction.atomic
def root_cause_restore(*, actor: Any, cause: RootCause) -> RootCause:
    """Offered again (its group must be in use)."""
    cause = RootCause.objects.select_for_update(of=("self",)).select_related("parent").get(pk=cause.pk)
    if cause.active:
        raise DomainError("That root cause is in use already", fields={"code": "active"})
    if cause.parent is not None and not cause.parent.active:
        raise DomainError("Its group is retired: restore the group first", fields={"parent": "retired"})
    cause.active = True
    cause.save(update_fields=["active"])
    audit_record(
        actor=actor, kind="root_cause.restored", obj=cause, before={"active": False}, after={"active": True}
    )
    return cause


@transaction.atomic
def root_cause_move(*, actor: Any, cause: RootCause, parent: RootCause | None) -> RootCause:
    """Under another group (or to the top level, for a root cause with nothing under it)."""
    cause = RootCause.objects.select_for_update(of=("self",)).select_related("parent").get(pk=cause.pk)
    parent = _parent(parent)
    if parent is not None and parent.pk == cause.pk:
        raise DomainError("A root cause cannot go under itself", fields={"parent": "itself"})
    if parent is not None and cause.children.exists():
        raise DomainError(
            "A group with root causes under it stays at the top level", fields={"parent": "has children"}
        )
    if cause.parent_id == (parent.pk if parent else None):
        raise DomainError("It is there already", fields={"parent": "unchanged"})
    if RootCause.objects.filter(parent=parent, name__iexact=cause.name).exclude(pk=cause.pk).exists():
        raise Conflict(f"There is already a root cause called {cause.name!r} there", fields={"name": "taken"})
    before = cause.parent.code if cause.parent else None
    cause.parent = parent
    cause.save(update_fields=["parent"])
    audit_record(
        actor=actor,
        kind="root_cause.moved",
        obj=cause,
        before={"parent": before},
        after={"parent": parent.code if parent else None},
    )
    return cause


def root_cause_tree() -> list[tuple[RootCause, list[RootCause]]]:
    """Every group with the root causes under it, retired ones included, by name; with how many findings
    name each (`findings`), in two queries."""
    causes = list(RootCause.objects.order_by("name"))
    counts = dict(
        Finding.objects.filter(root_cause__isnull=False)
        .values_list("root_cause")
        .annotate(n=Count("id"))
        .values_list("root_cause", "n")
    )
    for cause in causes:
        cause.findings = counts.get(cause.pk, 0)
    groups = [c for c in causes if c.parent_id is None]
    return [(g, [c for c in causes if c.parent_id == g.pk]) for g in groups]


@transaction.atomic
def finding_root_cause_correct(
    *, case: Case, actor: Any, root_cause: RootCause | None, reason: str, expected_version: int | None = None
) -> Finding:
    """Correct the root cause of the case's finding after it was recorded (a mistake, or the cause found
    later), with a reason and a case event; the facts and reasoning stay as recorded. A retired root cause
    may not be chosen. `expected_version` is the finding version read (a newer one refuses with Conflict)."""
    Case.objects.select_for_update().only("pk").get(pk=case.pk)
    finding = case.findings.select_related("root_cause").order_by("-version").first()
    if finding is None:
        raise Conflict("Record the finding first; its root cause can be corrected after")
    if expected_version is not None and expected_version != finding.version:
        raise Conflict(
            "Someone recorded another finding since you read it",
            code="finding_changed",
            fields={"version": f"the case's finding is now {finding.version}"},
        )
    reason = _reason(reason)
    if root_cause is not None and not root_cause.active:
        raise DomainError("That root cause is no longer in use", fields={"root_cause": "inactive"})
    if finding.root_cause_id == (root_cause.pk if root_cause else None):
        raise DomainError("The finding names that root cause already", fields={"root_cause": "unchanged"})
    before = finding.root_cause.code if finding.root_cause else None
    finding.root_cause = root_cause
    finding.save(update_fields=["root_cause"])
    case_event_record(
        case,
        kind=EventKind.ROOT_CAUSE_CORRECTED,
        actor=actor,
        before={"root_cause": before},
        after={"finding": finding.pk, "root_cause": root_cause.code if root_cause else None},
        reason=reason,
    )
    return finding
