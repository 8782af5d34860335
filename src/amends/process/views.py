"""Agent UI for the complaint process: its panel on the case page, one POST endpoint per step (each
running one typed action, as the API does), letters as PDFs, authority limits and the promise ledger."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from pydantic import ValidationError

from amends.cases.models import Case
from amends.cases.selectors import assignable_people, case_for
from amends.cases.views import workable_case
from amends.core.errors import DomainError
from amends.core.permissions import (
    authority_roles,
    can_set_authority_limits,
    case_scope,
    require,
    staff_of,
)
from amends.core.web import file_download, file_preview, invalid_input, report, staff_required, uploaded_files
from amends.customers.models import Customer
from amends.letters.elements import FIELD_FORM, form_fields
from amends.letters.models import Letter, LetterEnclosure, current_blocks
from amends.letters.rendering import block_codes, find_missing
from amends.letters.services import letter_render_pdf
from amends.regimes.selectors import RegimeChooser, regimes_in_use

from . import authority
from .actions import ACTIONS
from .models import (
    Agreement,
    AuthorityLimit,
    EvidenceFile,
    EvidenceItem,
    Finding,
    Promise,
    RemedyType,
    SatisfactionCheck,
    Task,
)
from .promises import kept_rate
from .rules import next_stage
from .selectors import process_panel

RISK_FIELDS = [
    ("risk_customer_likelihood", "Risk to customer: likelihood"),
    ("risk_customer_impact", "Risk to customer: impact"),
    ("risk_organisation_likelihood", "Risk to us: likelihood"),
    ("risk_organisation_impact", "Risk to us: impact"),
]


def case_page_context(request, case: Case) -> dict:
    """The process panel: the process app's selector plus the choices its forms offer (only to those who
    may work the case: someone who reads it, an assessor, sees every step and no form)."""
    panel = process_panel(case, request.user)
    stage_name = next_stage_name = ""
    if panel.process is not None:
        stage_name = panel.definition.stage(panel.process.stage).name
        following = next_stage(panel.definition, panel.process.stage)
        next_stage_name = panel.definition.stage(following).name if following else ""
    offered, suggested = [], None
    if panel.process is None and case.kind == "complaint" and panel.can_work:
        # Only the regimes the organisation works under; the one its rules choose for this case first.
        offered = regimes_in_use()
        suggested = RegimeChooser().for_case(
            kind=case.kind, category=case.category, product=case.product, channel=case.channel
        )
    return {
        "p": panel,
        "stage_name": stage_name,
        "next_stage_name": next_stage_name,
        "regimes": offered,
        "suggested_regime": suggested,
        "evidence_kinds": EvidenceItem.Kind.choices,
        "finding_outcomes": Finding.Outcome.choices,
        "remedy_types": RemedyType.choices,
        "satisfaction_answers": SatisfactionCheck.Answer.choices,
        "risk_fields": RISK_FIELDS,
        "letter_forms": _letter_forms(panel.letters),
        "letters_missing": _drafts_missing(case, panel.letters),
        "agreement_vias": Agreement.Via.choices,
        # Who a task may go to: those who may work the case (one query, only where the form shows: once
        # the customer has agreed the option the tasks carry out).
        "task_owners": list(assignable_people(case)) if panel.agreement and panel.can_work else [],
    }


def _letter_forms(letters) -> dict[int, list[dict]]:
    """Each draft's form: only the fields its kind needs (letters.elements.form_fields), with their
    labels, hints and what the draft holds. No query: the drafts are already loaded."""
    return {
        letter.pk: [
            {
                "name": name,
                "label": FIELD_FORM[name][0],
                "hint": FIELD_FORM[name][1],
                "value": letter.fields.get(name, ""),
            }
            for name in form_fields(letter.required_elements, letter.fields)
        ]
        for letter in letters
        if letter.status == "draft"
    }


def _drafts_missing(case: Case, letters) -> dict[int, list[str]]:
    """What each draft letter still needs, with one query for the wording of all of them."""
    drafts = [letter for letter in letters if letter.status == "draft"]
    blocks = current_blocks({code for letter in drafts for code in block_codes(letter)})
    missing = {}
    for letter in drafts:
        letter.case = case  # already loaded: no query per letter
        own = {code: blocks[code] for code in block_codes(letter) if code in blocks}
        missing[letter.pk] = list(find_missing(letter, own).values())
    return missing


def customer_page_context(request, customer: Customer) -> dict:
    """The customer page's open and broken promises, on the cases the user can see."""
    visible = Case.objects.filter(case_scope(request.user), customer=customer).values("id")
    promises = list(
        Promise.objects.filter(case_id__in=visible, status__in=["open", "broken"])
        .select_related("case")
        .order_by("-due_at")[:20]
    )
    return {"promises": promises}


def _input(schema, request):
    """The action's typed input from the posted form. A box left empty for a value that is not text
    (an amount, a date) is left out, so an optional one takes its default; a letter's field_<name>
    boxes are its `fields`; the files chosen in a file box are its `files`, as the API takes them."""
    post = request.POST
    data: dict = {
        name: post[name]
        for name, spec in schema.model_fields.items()
        if name in post and (post[name] != "" or spec.annotation is str)
    }
    if "fields" in schema.model_fields:
        data["fields"] = {k.removeprefix("field_"): v for k, v in post.items() if k.startswith("field_")}
    if "remedies" in schema.model_fields:
        data["remedies"] = _remedies(post)
    if "files" in schema.model_fields:
        data["files"] = [
            {"filename": f.filename, "content_base64": base64.b64encode(f.content).decode("ascii")}
            for f in uploaded_files(request)
        ]
    return schema.model_validate(data)


def _remedies(post) -> list[dict]:
    """An option's remedy rows: each row's kind, description and amount boxes share a name; a row with
    no kind chosen is left out, and an empty amount is none."""
    rows = zip(
        post.getlist("remedy_kind"),
        post.getlist("remedy_description"),
        post.getlist("remedy_amount"),
        strict=False,
    )
    return [
        {"kind": kind, "description": description, **({"amount": amount} if amount else {})}
        for kind, description, amount in rows
        if kind
    ]


@require_POST
@staff_required
def process_action(request, reference: str, action: str):
    if action not in ACTIONS:
        raise Http404("No such step")
    step = ACTIONS[action]
    case = workable_case(request, reference)
    anchor = "process"
    if case is not None:
        try:
            done = step.run(case, request.user, _input(step.input, request))
            messages.success(request, step.done)
            if isinstance(done, Letter) and done.is_draft:
                anchor = f"letter-{done.pk}"  # back to the draft, open beside its preview
        except ValidationError as exc:
            report(request, invalid_input(exc.errors()))
        except DomainError as exc:
            report(request, exc)
    return redirect(reverse("case_detail", args=[reference]) + f"#{anchor}")


@staff_required
def letter_pdf(request, reference: str, pk: int):
    """The letter as the customer gets it (sent), or a draft preview marked as such."""
    case = case_for(request.user, reference)
    letter = Letter.objects.filter(case=case, pk=pk).first()
    if letter is None:
        raise Http404("No such letter on this case")
    pdf = bytes(letter.pdf) if letter.pdf else letter_render_pdf(letter)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-{letter.kind}.pdf"'
    return response


def _evidence_file(request, reference: str, pk: int) -> EvidenceFile:
    found = EvidenceFile.objects.filter(pk=pk, evidence__case=case_for(request.user, reference)).first()
    if found is None:
        raise Http404("No such file on this case")
    return found


@require_safe
@staff_required
def evidence_file_download(request, reference: str, pk: int):
    """A file of the case's evidence, as a download, for anyone who may see the case (404 otherwise)."""
    return file_download(_evidence_file(request, reference, pk))


@require_safe
@staff_required
def evidence_file_preview(request, reference: str, pk: int):
    """A picture among the case's evidence as a thumbnail (404 for anything that is not a picture)."""
    return file_preview(request, _evidence_file(request, reference, pk))


def _enclosure(request, reference: str, letter: int, pk: int) -> LetterEnclosure:
    case = case_for(request.user, reference)
    found = LetterEnclosure.objects.filter(pk=pk, letter_id=letter, letter__case=case).first()
    if found is None:
        raise Http404("No such document with this letter")
    return found


@require_safe
@staff_required
def enclosure_download(request, reference: str, letter: int, pk: int):
    """A document enclosed with one of the case's letters, as a download (404 for anyone who may not see
    the case)."""
    return file_download(_enclosure(request, reference, letter, pk))


@require_safe
@staff_required
def enclosure_preview(request, reference: str, letter: int, pk: int):
    """A picture enclosed with a letter as a thumbnail (404 for anything that is not a picture)."""
    return file_preview(request, _enclosure(request, reference, letter, pk))


@staff_required
def authority_limits(request):
    """Who may offer what without approval. Complaints leads and administrators change it (audited)."""
    editor = can_set_authority_limits(request.user)
    if request.method == "POST":
        try:
            require(editor, "Only complaints leads and administrators change authority limits")
            authority.authority_limit_set(
                role=request.POST.get("role", ""),
                remedy_type=request.POST.get("remedy_type", ""),
                max_amount=request.POST.get("max_amount") or None,
                allowed=request.POST.get("allowed") == "on",
                actor=request.user,
            )
            messages.success(request, "Authority limit changed")
        except DomainError as exc:
            report(request, exc)
        return redirect("authority_limits")
    limits = {(a.role, a.remedy_type): a for a in AuthorityLimit.objects.all()}
    roles = authority_roles()
    rows = [
        (remedy, [(role, limits.get((role.value, remedy.value))) for role in roles]) for remedy in RemedyType
    ]
    return render(request, "process/authority.html", {"rows": rows, "roles": roles, "editor": editor})


@staff_required
def my_promises(request):
    """The promise ledger for one person and their team: what is open, and how often promises are kept;
    and the person's open tasks."""
    staff = staff_of(request.user)
    mine = Promise.objects.filter(owner=request.user)
    team = (
        Promise.objects.filter(owner__staff__team_id=staff.team_id)
        if staff.team_id
        else Promise.objects.none()
    )
    return render(
        request,
        "process/promises.html",
        {
            "open": list(
                mine.filter(status=Promise.Status.OPEN).select_related("case").order_by("due_at")[:100]
            ),
            "recent_broken": list(
                mine.filter(status=Promise.Status.BROKEN).select_related("case").order_by("-closed_at")[:20]
            ),
            "mine": kept_rate(mine),
            "team": kept_rate(team) if staff.team_id else None,
            # The tasks they own that are not done yet (WM57 11): the overdue digest links here.
            "tasks": list(
                Task.objects.filter(owner=request.user, done_at__isnull=True)
                .select_related("case")
                .order_by("due_at")[:100]
            ),
        },
    )
