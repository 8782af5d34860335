"""Prescribed wording: the compliance team fills in and versions the text blocks letters need."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from amends.core.errors import Conflict, DomainError
from amends.core.permissions import can_edit_wording
from amends.core.web import form_errors, report, staff_required

from .forms import TextBlockForm
from .selectors import text_blocks_current
from .services import text_block_update

DRAFT_KEY = "wording-draft"


@staff_required
def text_blocks(request):
    if not can_edit_wording(request.user):
        raise Http404("Only complaints leads and administrators edit prescribed wording")
    # Wording a save refused because someone else saved first: back in its box, to compare and resave.
    draft = request.session.pop(DRAFT_KEY, None) or {}
    return render(
        request, "letters_admin/text_blocks.html", {"blocks": text_blocks_current(), "draft": draft}
    )


@require_POST
@staff_required
def text_block_save(request, code: str):
    if not can_edit_wording(request.user):
        raise Http404
    form = TextBlockForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("text_blocks")
    d = form.cleaned_data
    try:
        text_block_update(
            code=code, body=d["body"], actor=request.user, reason=d["reason"], expected_version=d["version"]
        )
        messages.success(request, f"{code} saved as a new version")
    except Conflict as exc:
        request.session[DRAFT_KEY] = {"code": code, "body": d["body"], "reason": d["reason"]}
        report(request, exc)
    except DomainError as exc:
        report(request, exc)
    return redirect("text_blocks")
