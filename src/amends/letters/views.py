"""Prescribed wording: the compliance team fills in and versions the text blocks letters need."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.permissions import can_edit_wording
from amends.core.web import report, staff_required

from .selectors import text_blocks_current
from .services import text_block_update


@staff_required
def text_blocks(request):
    if not can_edit_wording(request.user):
        raise Http404("Only complaints leads and administrators edit prescribed wording")
    return render(request, "letters_admin/text_blocks.html", {"blocks": text_blocks_current()})


@require_POST
@staff_required
def text_block_save(request, code: str):
    if not can_edit_wording(request.user):
        raise Http404
    try:
        text_block_update(
            code=code,
            body=request.POST.get("body", ""),
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"{code} saved as a new version")
    except DomainError as exc:
        report(request, exc)
    return redirect("text_blocks")
