"""Prescribed wording: the compliance team fills in and versions the text blocks letters need. And a draft
letter's live preview beside its form on the case page."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from amends.cases.selectors import case_for
from amends.core.errors import Conflict, DomainError
from amends.core.permissions import can_edit_wording
from amends.core.web import form_errors, report, staff_required

from .forms import TextBlockForm
from .hooks import read_draft
from .models import Letter
from .selectors import text_blocks_current
from .services import letter_preview, text_block_update

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


@require_POST
@staff_required
def letter_preview_view(request, reference: str, pk: int):
    """The draft as the customer would read it with the fields in its form (posted as field_<name>, as the
    form saves them; nothing is saved here), and what the draft readers (the reply coach) make of it. An
    htmx fragment, fetched when the form loads and again as the writer types."""
    case = case_for(request.user, reference)
    letter = Letter.objects.filter(case=case, pk=pk).select_related("created_by__staff").first()
    if letter is None:
        raise Http404("No such letter on this case")
    letter.case = case  # already loaded, with its customer
    context = {"letter": letter}
    try:
        if not letter.is_draft:
            raise DomainError("This letter has been sent: it is shown as it went")
        posted = {k.removeprefix("field_"): v for k, v in request.POST.items() if k.startswith("field_")}
        html, text = letter_preview(letter, posted)
        # A letter that must give the route to an independent body is read as a final response is.
        closing = "referral_rights" in letter.required_elements
        readers = read_draft(request, case, text, closing=closing, target=f"letter-coach-{letter.pk}")
        context.update(sheet=mark_safe(html), readers=[mark_safe(r) for r in readers])  # noqa: S308
    except DomainError as exc:
        context["error"] = exc.message
    return render(request, "letters/_preview.html", context)
