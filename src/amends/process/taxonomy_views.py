"""The root-cause settings page: every member of staff reads the taxonomy; complaints leads and
administrators change it (taxonomy.py, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.permissions import can_edit_root_causes, require
from amends.core.web import report, staff_required

from . import taxonomy

REFUSED = "Only complaints leads and administrators change the root causes"


@staff_required
def root_causes(request):
    return render(
        request,
        "process/root_causes.html",
        {"tree": taxonomy.root_cause_tree(), "editor": can_edit_root_causes(request.user)},
    )


def _parent(code: str):
    return taxonomy.root_cause_get(code) if code else None


def _run(request, change, done: str):
    try:
        require(can_edit_root_causes(request.user), REFUSED)
        cause = change()
        messages.success(request, done.format(cause=cause))
    except DomainError as exc:
        report(request, exc)
    return redirect("root_causes")


@require_POST
@staff_required
def root_cause_add(request):
    post = request.POST
    return _run(
        request,
        lambda: taxonomy.root_cause_add(
            actor=request.user, name=post.get("name", ""), parent=_parent(post.get("parent", ""))
        ),
        "Root cause added: {cause}",
    )


@require_POST
@staff_required
def root_cause_rename(request, code: str):
    return _run(
        request,
        lambda: taxonomy.root_cause_rename(
            actor=request.user, cause=taxonomy.root_cause_get(code), name=request.POST.get("name", "")
        ),
        "Renamed: {cause}",
    )


@require_POST
@staff_required
def root_cause_retire(request, code: str):
    return _run(
        request,
        lambda: taxonomy.root_cause_retire(
            actor=request.user, cause=taxonomy.root_cause_get(code), reason=request.POST.get("reason", "")
        ),
        "Retired: {cause}. Findings that name it keep it",
    )


@require_POST
@staff_required
def root_cause_restore(request, code: str):
    return _run(
        request,
        lambda: taxonomy.root_cause_restore(actor=request.user, cause=taxonomy.root_cause_get(code)),
        "In use again: {cause}",
    )


@require_POST
@staff_required
def root_cause_move(request, code: str):
    return _run(
        request,
        lambda: taxonomy.root_cause_move(
            actor=request.user,
            cause=taxonomy.root_cause_get(code),
            parent=_parent(request.POST.get("parent", "")),
        ),
        "Moved: {cause}",
    )
