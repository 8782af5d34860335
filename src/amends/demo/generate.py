"""Loads the demo: teams, one login per role, customers and cases with their messages, history and process.

Everything goes through the services (team_create, staff_create, customer_match_or_create, case_open,
case_assign, case_transition, case_reclassify, intake_message, message_send, message_log_contact,
acknowledge, and for complaints under a regime the process and letters services: see journey.py), so the
demo data is what real use would produce. Some things are corrected afterwards with queryset updates, each
commented where it happens: timestamps (the services stamp most rows with timezone.now(), so each case's rows
are back-dated to their planned times, see `_backdate`, and journey.py for what the process computes from
"now"), the kind of organisation customers (no service sets it), the password hash (one hash shared by the
demo logins), the dates of approval notifications, and the FCA prescribed wording, which the demo fills with
labelled placeholders (`fill_demo_wording`). At the end the worker's sweep runs once, as it would have by now.
Plans come from plan.py and are deterministic for a seed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, F
from django.test.utils import override_settings
from django.utils import timezone

from amends.assessment.models import Observation
from amends.cases.models import Case, CaseEvent, Tag
from amends.cases.services import case_assign, case_open, case_reclassify, case_transition
from amends.core.files import AttachmentFile
from amends.core.models import AuditEvent, Notification, Team
from amends.core.services import staff_create, team_create
from amends.customers.details import AddressDetails, customer_update
from amends.customers.models import ContactPoint, Customer, MergeSuggestion, PostalAddress
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.intake.services import acknowledge, intake_message
from amends.letters import rendering
from amends.letters.models import Letter, TextBlock, current_block
from amends.letters.services import text_block_update
from amends.messaging.integrations import integration_add
from amends.messaging.models import Integration, Message
from amends.messaging.schemas import IntegrationIn
from amends.messaging.services import Incoming, message_log_contact, message_send
from amends.monitoring.models import ServiceReview
from amends.process.models import (
    Agreement,
    ApprovalRequest,
    CaseClock,
    CaseProcess,
    EvidenceItem,
    Finding,
    Option,
    Promise,
    RootCause,
    SatisfactionCheck,
    Task,
    Understanding,
)
from amends.process.rules import RESPONSE_LETTERS
from amends.process.services import sync_respond_by
from amends.process.tasks import SweepResult, sweep
from amends.regimes.choosing import Rule
from amends.regimes.services import regime_settings_save

from . import journey, observing, story, texts
from .care import demo_care
from .colleagues import demo_colleagues
from .competence import demo_competence
from .conduct import demo_conduct
from .desk import seed_desk
from .files import demo_pdf
from .improvement import demo_improvement
from .insights import demo_insights
from .mailbox import demo_automatic_mail, demo_mailbox
from .people import postal_address
from .plan import MESSAGE_ACTIONS, PAYMENT_PRODUCT, REGIMES, CasePlan, Clock, Step, plan_cases
from .problems import demo_problems
from .reviews import demo_special_review
from .safety import demo_safety
from .tagging import demo_tags

PASSWORD = "amends-demo-2026"
# The demo organisation's social media and chat inbox: `make demo` runs `amends demo_inbox` on this port,
# which takes what the worker posts and writes it under var/webhooks/ (the demo's email goes to var/outbox/).
DEMO_INBOX = "Social and chat inbox (demo)"
DEMO_INBOX_PORT = 8025
MARKER_TEAM = "complaints"
PARALLEL_PDFS = 500  # from this many cases, emailed letters' PDFs are rendered in a second process
# How many of each demo file the seed attaches (demo/files.py): evidence photos and documents, and replies
# with the complaints guide.
DEMO_FILES = {"photo": 40, "document": 12, "reply": 10}
DEMO_GUIDE_NAME = "how-we-handle-complaints.pdf"
DEMO_GUIDE = (
    "How we handle your complaint",
    (
        "We check with you that we have understood what happened, how it affected you and what you want.",
        "We look at the records, talk to the people involved and decide whether we got it wrong.",
        "We write to you with what we found, what we will do to put it right and by when.",
        "If you are not happy with our answer, you can ask us to look again or go to the ombudsman.",
    ),
)
DEMO_GUIDE_SENTENCE = "I have attached a short guide to how we handle complaints and what happens next."


@dataclass
class Context:
    users: dict[str, Any]
    teams: dict[str, Team]
    started: datetime  # every row stamped at or after this was stamped by a service during seeding
    known: dict[int, set] = field(default_factory=dict)  # contact details already given, by person
    root_causes: dict[str, RootCause] = field(default_factory=dict)
    state: journey.CaseState = field(default_factory=journey.CaseState)  # the case being seeded
    emailed: list[journey.Emailed] = field(default_factory=list)  # letters whose PDF is still to render
    notices: dict[int, list[journey.Notice]] = field(default_factory=dict)  # by approval request
    pdfs: journey.PdfRenderer | None = None
    swept: SweepResult | None = None
    files: Counter = field(default_factory=Counter)  # demo files attached so far, by what they are

    def user(self, username: str | None):
        return self.users[username] if username else None

    def take(self, what: str) -> bool:
        """Whether to attach another demo file of this sort: a few of each show the feature; every one
        costs the seed (a PDF takes WeasyPrint a fifth of a second)."""
        if self.files[what] >= DEMO_FILES[what]:
            return False
        self.files[what] += 1
        return True


def demo_exists() -> bool:
    return Team.objects.filter(slug=MARKER_TEAM).exists()


def seed_demo(*, cases: int = 2000, seed: int = 7, story_customer: bool = True) -> bool:
    """Load the demo unless it is there already. All or nothing: one failure leaves no half-loaded demo.
    `cases` planned cases, and Ngozi Okafor's three (story.py) unless `story_customer` is False."""
    if demo_exists():
        return False
    clock = Clock(now=timezone.now(), tz=timezone.get_default_timezone())
    # With the planned cases, a customer with a long history for the customer's view (story.py), each case
    # stored in its turn, so references follow the order cases arrived in.
    planned = plan_cases(Random(seed), cases, clock) + (story.story_plans(clock) if story_customer else [])
    plans = sorted(planned, key=lambda p: (p.opened_at, p.number))
    with journey.PdfRenderer(parallel=cases >= PARALLEL_PDFS) as pdfs, pdfs_later(), transaction.atomic():
        teams = create_teams()
        context = Context(users=create_staff(teams), teams=teams, started=clock.now, pdfs=pdfs)
        demo_regime_settings(context.users["lead"])
        demo_inbox(context.users["admin"])
        context.root_causes = {cause.code: cause for cause in RootCause.objects.all()}
        fill_demo_wording(context.users["lead"], since=plans[0].opened_at - timedelta(days=1))
        for plan in plans:
            apply_plan(plan, context)
        observing.observe(context)
        # A threatening caller and a persistent complainant; their notice letters' PDFs render with the rest.
        render_later(demo_conduct(context.users, context.teams), context)
        journey.attach_pdfs(context.emailed, pdfs)
        demo_tags(context.users)
        seed_desk(context.users, context.teams)  # saved replies, and notes on today's open cases
        demo_care(context.users)  # a bereaved customer and one who asked for large print (care.py)
        demo_safety(context.users)  # two calls logged today that alert at once (safety.py)
        # email choices, the directory of who can help, a hand-over and colleague alerts (colleagues.py)
        demo_colleagues(context.users, since=context.started)
        # Complaints about one product climbing over three weeks, and the special review the day's check of
        # complaint levels opens for them (reviews.py).
        demo_special_review(context.users, context.teams, now=clock.now)
        # improvement actions at each stage and a lesson some of the team acknowledged (improvement.py)
        demo_improvement(context.users, context.teams)
        # The worker runs every minute in real use; once now, it warns, breaches and reminds what is due.
        context.swept = sweep()
        # The mail the team mailbox got meanwhile that no person wrote (mailbox.py), once the mail was sent.
        demo_mailbox(context.users["admin"])
        demo_automatic_mail()
        # Six customers writing about one app fault over five days: the grouping finds it (problems.py).
        demo_problems(context.users)
        # Two of the team working towards the qualification: evidence from their work, sign-off, IQA.
        demo_competence(context.users, context.teams)
        transaction.on_commit(lambda: date_notices(context))
        # Objectives, and the dashboards' facts rebuilt from everything made (insights.py).
        demo_insights(context.users, context.teams)
    return True


# What the demo organisation's complaints lead chose: the regimes its complaints follow; a complaint about
# a payment by its product (whatever account it went through), any other by its category; and its own
# service targets for the rest (the public form asks neither).
DEMO_DEFAULT_REGIME = "internal-iso10002"


def demo_regime_settings(lead: Any) -> None:
    rules = [Rule("category", name, code) for name, code in REGIMES.items()]
    regime_settings_save(
        in_use=sorted({*REGIMES.values(), "fca-psd"}),
        rules=[Rule("product", PAYMENT_PRODUCT, "fca-psd"), *rules, Rule("default", "", DEMO_DEFAULT_REGIME)],
        actor=lead,
    )


def demo_inbox(admin: Any) -> Integration:
    """The integration that carries the demo's social media and chat replies, set up by its administrator.
    Its URL is `amends demo_inbox` on this machine; when that is not running, the worker finds the port
    closed at once and tries again later, so nothing waits on it. Amends makes its secret; the demo inbox
    reads it from the database."""
    url = f"http://127.0.0.1:{DEMO_INBOX_PORT}/replies"
    data = IntegrationIn(name=DEMO_INBOX, channels=["social", "chat"], url=url)
    return integration_add(data=data, actor=admin)[0]


@contextmanager
def pdfs_later() -> Iterator[None]:
    """letter_send renders each letter's PDF as it sends it, a fifth of a second or more each, and the demo
    sends nearly two thousand. While seeding it renders none: a printed letter keeps no PDF (the letter page
    renders one from the letter's frozen HTML when asked) and an emailed one gets its PDF from its dated HTML
    (journey.PdfRenderer, journey.attach_pdfs)."""
    real = rendering.render_pdf
    rendering.render_pdf = _no_pdf
    try:
        yield
    finally:
        rendering.render_pdf = real


def _no_pdf(html: str) -> bytes:
    # A PDF's signature, so the email takes it as the PDF it will be (core/files.py checks every file).
    return b"%PDF-1.7\n% rendered at the end of the seed (journey.attach_pdfs)\n"


def fill_demo_wording(actor: Any, *, since: datetime) -> None:
    """FCA letters need prescribed wording that only the organisation's compliance team may supply (the
    exact words of DISP 1 Annex 3R, the ombudsman leaflet sentence), and it ships empty. So that the demo can
    show FCA complaints answered and closed, the blocks still empty get a placeholder that says, in the
    letter itself, that it is demo text and not the regulator's wording. Only blocks still empty are filled;
    an organisation replaces them on the Letter wording page before it sends a real FCA letter."""
    for code, body in texts.DEMO_BLOCKS.items():
        block = current_block(code)
        if block is None or not block.is_empty:
            continue
        new = text_block_update(
            code=code,
            body=body,
            actor=actor,
            reason="Demo data: a labelled placeholder, not the FCA's wording",
        )
        # Demo back-dating: in effect from before the first demo letter that uses it.
        TextBlock.objects.filter(pk=new.pk).update(effective_from=since, created_at=since)
        AuditEvent.objects.filter(kind="text_block.updated", object_id=str(new.pk)).update(at=since)


def date_notices(ctx: Context) -> None:
    """After commit, when the approval notifications have been sent: date them when they were, and mark read
    those acted on (a request when it was decided; a decision older than a day an hour after it was made)."""
    read_by = ctx.started - timedelta(days=1)
    for notices in ctx.notices.values():
        for notice in notices:
            read_at = notice.read_at
            if read_at is None and notice.at < read_by:
                read_at = notice.at + timedelta(hours=1)
            Notification.objects.filter(
                text=notice.text[:300], link=notice.link, created_at__gte=ctx.started
            ).update(created_at=notice.at, read_at=read_at)


def render_later(letters: list[Letter], ctx: Context) -> None:
    """Letters sent while the seed renders no PDF (pdfs_later): an emailed one gets its PDF with the others
    (journey.attach_pdfs); a printed one keeps none, as journey's do."""
    for letter in letters:
        Letter.objects.filter(pk=letter.pk).update(pdf=None)
        if letter.message_id:
            ctx.emailed.append(journey.Emailed(letter.pk, letter.message_id, ctx.pdfs.submit(letter.html)))


def create_teams() -> dict[str, Team]:
    return {slug: team_create(name=name, slug=slug) for name, slug in texts.TEAMS}


def create_staff(teams: dict[str, Team]) -> dict[str, Any]:
    # Every demo login has the same, published password, and PBKDF2 at Django's cost takes about half a
    # second per account. So staff_create runs with a cheap hasher and then all twelve accounts get one hash
    # made with the configured hasher.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        users = {
            username: staff_create(
                username=username,
                password=PASSWORD,
                role=role,
                team=teams[team] if team else None,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                job_title=texts.JOB_TITLES.get(username, ""),
            )
            for username, first, last, role, team in texts.STAFF
        }
    shared = make_password(PASSWORD)
    get_user_model().objects.filter(pk__in=[u.pk for u in users.values()]).update(password=shared)
    for user in users.values():
        user.password = shared
    return users


# --- one case -----------------------------------------------------------------------------------------------


def apply_plan(plan: CasePlan, ctx: Context) -> Case:
    customer = find_customer(plan, ctx)
    case = case_open(
        customer=customer,
        kind=plan.kind,
        channel=plan.channel,
        summary=plan.summary,
        actor=ctx.user(plan.taken_by),
        outcome_wanted=plan.outcome_wanted,
        category=plan.category,
        product=plan.product,
        kind_reason=plan.kind_reason,
        opened_at=plan.opened_at,
    )
    ctx.state = journey.CaseState()
    marks = []  # when each step started, by the wall clock the services stamp rows with
    for step in plan.steps:
        marks.append(timezone.now())
        case = RUNNERS[step.action](case, step, ctx)
    _backdate(case.pk, plan, marks, ctx.started)
    return case


def find_customer(plan: CasePlan, ctx: Context) -> Customer:
    details = plan.details
    customer, created = customer_match_or_create(details=ContactDetails(**details), channel=plan.channel)
    at = plan.opened_at
    # Demo back-dating: the customer and their contact details date from the contact that brought them.
    known = ctx.known.setdefault(id(plan.person), set())
    if not known.issuperset(details.items()):
        ContactPoint.objects.filter(customer=customer, created_at__gte=ctx.started).update(created_at=at)
        known.update(details.items())
    if created:
        changes: dict[str, Any] = {"created_at": at}
        if plan.person.is_organisation:
            # customer_match_or_create always makes a person; the demo marks its organisations as such.
            changes["kind"] = Customer.Kind.ORGANISATION
        Customer.objects.filter(pk=customer.pk).update(**changes)
        MergeSuggestion.objects.filter(duplicate=customer, created_at__gte=ctx.started).update(created_at=at)
        add_postal_address(customer, plan, at, ctx)
    return customer


def add_postal_address(customer: Customer, plan: CasePlan, at: datetime, ctx: Context) -> None:
    """The customer's postal address, as the adviser who took their first contact would have recorded it on
    the customer's page (customer_update), so their letters are addressed to it."""
    address = postal_address(plan.person)
    if address is None:
        return
    customer = customer_update(
        customer=customer,
        actor=ctx.user(plan.taken_by),
        expected_version=customer.version,
        postal_addresses=[AddressDetails(tuple(address["lines"]), address["town"], address["postcode"])],
    )
    # Demo back-dating: recorded with the contact that brought them.
    PostalAddress.objects.filter(customer=customer).update(created_at=at)
    AuditEvent.objects.filter(
        kind="customer.updated", object_type="customers.customer", object_id=str(customer.pk)
    ).update(at=at)


def _inbound(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    key = d["key"]
    incoming = Incoming(
        channel=d["channel"],
        body_text=d["body"],
        occurred_at=step.at,
        subject=d["subject"],
        sender=d["sender"],
        idempotency_key=key,
        email_message_id=key.removeprefix("email:") if key.startswith("email:") else "",
    )
    intake_message(case=case, incoming=incoming, actor=ctx.user(step.actor))
    return case


def _note(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    message_log_contact(
        case=case,
        actor=ctx.user(step.actor),
        channel=d["channel"],
        direction=d["direction"],
        summary=d["body"],
        occurred_at=step.at,
    )
    return case


def _first(case: Case, step: Step, ctx: Context) -> Case:
    return _note(case, step, ctx) if step.data["via"] == "note" else _inbound(case, step, ctx)


def _ack(case: Case, step: Step, ctx: Context) -> Case:
    acknowledge(case)
    return case


def _reply(case: Case, step: Step, ctx: Context) -> Case:
    body, attachments = step.data["body"], []
    if step.data["purpose"] == "reply" and case.kind == "complaint" and ctx.take("reply"):
        # Staff attach documents to replies: the first few complaint replies send the complaints guide.
        body += "\n\n" + DEMO_GUIDE_SENTENCE
        attachments = [AttachmentFile(DEMO_GUIDE_NAME, "application/pdf", demo_pdf(*DEMO_GUIDE))]
    message_send(
        case=case,
        actor=ctx.user(step.actor),
        body=body,
        purpose=step.data["purpose"],
        attachments=attachments,
    )
    return case


def _assign(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    return case_assign(
        case=case,
        owner=ctx.user(d["owner"]),
        actor=ctx.user(step.actor),
        team=ctx.teams[d["team"]],
        reason=d["reason"],
        note=d.get("note", ""),  # a hand-over's note for the new owner (story.py)
    )


def _status(case: Case, step: Step, ctx: Context) -> Case:
    return case_transition(
        case=case, to=step.data["to"], actor=ctx.user(step.actor), reason=step.data["reason"]
    )


def _reclassify(case: Case, step: Step, ctx: Context) -> Case:
    return case_reclassify(
        case=case, actor=ctx.user(step.actor), kind=step.data["kind"], reason=step.data["reason"]
    )


RUNNERS = {
    "first": _first,
    "inbound": _inbound,
    "note": _note,
    "ack": _ack,
    "reply": _reply,
    "assign": _assign,
    "status": _status,
    "reclassify": _reclassify,
    **journey.RUNNERS,
}


# --- demo back-dating ---------------------------------------------------------------------------------------
# The services take the time of a customer's message (Incoming.occurred_at, message_log_contact's occurred_at,
# case_open's opened_at) but stamp everything else with timezone.now(). A demo needs months of history, so
# once a case's steps have run, every row they stamped "now" (at or after `started`) is moved to the planned
# time of the step that wrote it: the step whose wall-clock mark is the last one at or before the stamp.
# One UPDATE statement per table and case, each a CASE over the marks, keeps this cheap.
# Only demo seeding does this, and only to its own freshly written rows.

# The complaint process's timestamps: by table, the steps that write them and the columns they stamp.
# ApprovalRequest is reached through its option.
PROCESS_STAMPS: list[tuple[Any, set[str], tuple[str, ...]]] = [
    (CaseClock, {"understand", "satisfaction", "status"}, ("met_at", "paused_at")),
    (Understanding, {"understand"}, ("recorded_at", "confirmed_at")),
    (EvidenceItem, {"evidence"}, ("added_at",)),
    (Finding, {"finding"}, ("recorded_at",)),
    (Option, {"option"}, ("created_at",)),
    (Promise, {"promise"}, ("made_at", "closed_at")),
    (SatisfactionCheck, {"satisfaction"}, ("checked_at",)),
    (Letter, {"letter", "draft"}, ("created_at", "updated_at", "sent_at")),
    (ApprovalRequest, {"approval"}, ("requested_at", "decided_at")),
    (Agreement, {"agree"}, ("recorded_at",)),
    (Task, {"task", "task_done"}, ("created_at", "done_at")),
]
# The step a case's process rows start from: applying its regime, or a problem's check-back summary.
PROCESS_FIRST = {"regime", "understand"}


def _backdate(case_id: int, plan: CasePlan, marks: list[datetime], started: datetime) -> None:
    times = [step.at for step in plan.steps]
    _restamp(CaseEvent, ("at",), case_id, marks, times, started)
    _restamp(Message, ("occurred_at", "recorded_at"), case_id, marks, times, started)
    first = next((i for i, step in enumerate(plan.steps) if step.action in PROCESS_FIRST), None)
    if first is not None:
        # Process rows are written from the step that applied the regime (a problem's summary) on.
        actions = {step.action for step in plan.steps[first:]}
        for model, writers, fields in PROCESS_STAMPS:
            if actions & writers:
                _restamp(model, fields, case_id, marks[first:], times[first:], started)
    if plan.regime is not None:
        _unpause(case_id, plan)
    _backdate_case(case_id, plan)


def _restamp(
    model,
    fields: tuple[str, ...],
    case_id: int,
    marks: list[datetime],
    times: list[datetime],
    started: datetime,
) -> None:
    """UPDATE ... SET f = CASE WHEN f >= <last mark> THEN <its step's time> ... END for each field, in one
    statement, on the case's rows (an approval request's case is its option's).

    Written in SQL because the ORM's Case/When costs several milliseconds per case to build, which was most
    of the seeding time; the statement is plain SQL for SQLite and PostgreSQL alike.
    """
    qn, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    pairs: list = []
    for mark, at in reversed(list(zip(marks, times, strict=True))):
        pairs += [adapt(mark), adapt(at)]
    sets, params = [], []
    for name in fields:
        column = qn(model._meta.get_field(name).column)
        whens = " ".join([f"WHEN {column} >= %s THEN %s"] * len(marks))
        sets.append(f"{column} = CASE WHEN {column} < %s THEN {column} {whens} ELSE {column} END")
        params += [adapt(started), *pairs]
    if model is ApprovalRequest:
        options = f"SELECT {qn('id')} FROM {qn(Option._meta.db_table)} WHERE {qn('case_id')} = %s"  # noqa: S608
        where = f"{qn('option_id')} IN ({options})"
    else:
        where = f"{qn('case_id')} = %s"
    # Only quoted names from the models' own metadata go into the text; every value is a parameter.
    sql = f"UPDATE {qn(model._meta.db_table)} SET {', '.join(sets)} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, case_id])


def _unpause(case_id: int, plan: CasePlan) -> None:
    """Demo back-dating: an internal target pauses while the case waits on the customer, and restarts later by
    the time waited. Seeding waits milliseconds; the plan waited days, which the clocks now add."""
    waited, since = timedelta(0), None
    for step in plan.steps:
        if step.action == "letter" and step.data["kind"] in RESPONSE_LETTERS:
            break  # the response meets the clock: later waits do not move it
        if step.action == "status" and step.data["to"] == "awaiting_customer":
            since = since or step.at
        elif since is not None and _resumes(step):
            waited, since = waited + (step.at - since), None
    if waited:
        CaseClock.objects.filter(case_id=case_id, pauses=True, extended_from__isnull=True).update(
            due_at=F("due_at") + waited, warn_at=F("warn_at") + waited
        )
        sync_respond_by(Case(pk=case_id))


def _resumes(step: Step) -> bool:
    """The customer wrote or called (which re-opens the case), or the case moved on."""
    if step.action == "inbound" or (step.action == "note" and step.data["direction"] == "in"):
        return True
    return step.action == "status" and step.data["to"] != "awaiting_customer"


def _backdate_case(case_id: int, plan: CasePlan) -> None:
    steps = plan.steps
    contact = [
        s.at
        for s in steps
        if s.action in MESSAGE_ACTIONS or (s.action == "letter" and s.data["by"] == "email")
    ]
    closes = [s.at for s in steps if s.action == "status" and s.data["to"] == "closed"]
    Case.objects.filter(pk=case_id).update(
        updated_at=steps[-1].at,
        last_activity_at=max(contact),
        closed_at=closes[-1] if plan.status == "closed" else None,
    )


# --- summary ------------------------------------------------------------------------------------------------


def summary() -> str:
    kinds = Counter(Case.objects.values_list("kind", flat=True))
    statuses = Counter(Case.objects.values_list("status", flat=True))
    channels = Counter(Case.objects.values_list("channel", flat=True))
    customers = Customer.objects.filter(merged_into__isnull=True)
    messages = Counter(Message.objects.values_list("direction", flat=True))
    lines = [
        f"Cases: {sum(kinds.values())}",
        "  by kind:    " + _counts(kinds, ["query", "problem", "complaint"]),
        "  by status:  " + _counts(statuses, ["new", "open", "awaiting_customer", "resolved", "closed"]),
        "  by channel: " + _counts(channels, sorted(channels)),
        f"Customers: {customers.count()} ({customers.filter(kind=Customer.Kind.ORGANISATION).count()} "
        f"organisations), merge suggestions: {MergeSuggestion.objects.count()}",
        f"Messages: {sum(messages.values())} ({messages['in']} from customers, {messages['out']} to them)",
        *process_summary(),
        "Tags: " + ", ".join(f"{t.name} {t.n}" for t in Tag.objects.annotate(n=Count("case_tags"))),
        "Special reviews: "
        + (
            ", ".join(f"{r.category} ({r.get_status_display().lower()})" for r in ServiceReview.objects.all())
            or "none"
        ),
        f"Logins (password {PASSWORD}): " + ", ".join(u for u, *_ in texts.STAFF),
    ]
    return "\n".join(lines)


def process_summary() -> list[str]:
    complaints = Case.objects.filter(kind="complaint")
    regimes = Counter(complaints.values_list("process__regime_version__regime__code", flat=True))
    codes = sorted(code for code in regimes if code)
    letters = Counter(Letter.objects.values_list("status", flat=True))
    sent_kinds = Counter(Letter.objects.exclude(status=Letter.Status.DRAFT).values_list("kind", flat=True))
    promises = Counter(Promise.objects.values_list("status", flat=True))
    approvals = Counter(ApprovalRequest.objects.values_list("status", flat=True))
    now = timezone.now()
    clocks = Counter(CaseClock.objects.values_list("status", flat=True))
    at_risk = CaseClock.objects.filter(
        status="running", warn_at__lte=now, due_at__gt=now, paused_at__isnull=True
    )
    events = Counter(
        CaseEvent.objects.filter(
            kind__in=[
                "escalated",
                "clock_extended",
                "clock_warning",
                "clock_breached",
                "promise_reminder",
                "update_due",
            ]
        ).values_list("kind", flat=True)
    )
    referred = CaseProcess.objects.exclude(referred_to="").count()
    problems = Case.objects.filter(kind="problem", understandings__isnull=False).distinct()
    agreed = problems.filter(agreements__isnull=False).count()
    open_tasks = Task.objects.filter(done_at__isnull=True).count()
    swept = CaseEvent.objects.filter(
        kind__in=["clock_warning", "clock_breached", "promise_reminder", "update_due"]
    )
    return [
        "Complaints by regime: " + _counts(regimes, codes) + f", none {regimes.get(None, 0)}",
        f"Letters sent: {letters['sent'] + letters['printed']} ({letters['sent']} by email, "
        f"{letters['printed']} printed; drafts {letters['draft']}): "
        + _counts(sent_kinds, sorted(sent_kinds)),
        "Promises: " + _counts(promises, [s.value for s in Promise.Status]),
        "Approvals: " + _counts(approvals, [s.value for s in ApprovalRequest.Status]),
        "Clocks: "
        + _counts(clocks, [s.value for s in CaseClock.Status])
        + f"; at risk now {at_risk.count()}",
        f"Escalations: {events['escalated'] - referred} to stage 2, {referred} referred to an ombudsman; "
        f"clock extensions {events['clock_extended']}",
        f"Problems worked step by step: {problems.count()} ({agreed} agreed with the customer); "
        f"tasks: done {Task.objects.count() - open_tasks}, open {open_tasks}",
        f"Observations by the assessor: {Observation.objects.count()}",
        f"Worker sweep: {swept.count()} events ({events['clock_warning']} clock warnings, "
        f"{events['clock_breached']} breaches, {events['promise_reminder']} promise reminders, "
        f"{events['update_due']} progress updates due)",
    ]


def _counts(counter: Counter, order: list[str]) -> str:
    return ", ".join(f"{key} {counter.get(key, 0)}" for key in order)
