"""Loads the demo: teams, one login per role, customers and cases with their messages and history.

Everything goes through the services (team_create, staff_create, customer_match_or_create, case_open,
case_assign, case_transition, case_reclassify, message_record_inbound, message_send, message_log_contact,
acknowledge), so the demo data is what real use would produce. Three things are corrected afterwards with
queryset updates, each commented where it happens: timestamps (the services stamp most rows with
timezone.now(), so each case's rows are back-dated to their planned times, see `_backdate`), the kind of
organisation customers (no service sets it) and the password hash (one hash shared by the demo logins).
Plans come from plan.py and are deterministic for a seed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_assign, case_open, case_reclassify, case_transition
from amends.core.models import Team
from amends.core.services import staff_create, team_create
from amends.customers.models import ContactPoint, Customer, MergeSuggestion
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.intake.services import acknowledge
from amends.messaging.models import Message
from amends.messaging.services import Incoming, message_log_contact, message_record_inbound, message_send

from . import texts
from .plan import CasePlan, Clock, Step, plan_cases

PASSWORD = "amends-demo-2026"
MARKER_TEAM = "complaints"


@dataclass
class Context:
    users: dict[str, Any]
    teams: dict[str, Team]
    started: datetime  # every row stamped at or after this was stamped by a service during seeding
    known: dict[int, set] = field(default_factory=dict)  # contact details already given, by person

    def user(self, username: str | None):
        return self.users[username] if username else None


def demo_exists() -> bool:
    return Team.objects.filter(slug=MARKER_TEAM).exists()


def seed_demo(*, cases: int = 2000, seed: int = 7) -> bool:
    """Load the demo unless it is there already. All or nothing: one failure leaves no half-loaded demo."""
    if demo_exists():
        return False
    clock = Clock(now=timezone.now(), tz=timezone.get_default_timezone())
    plans = sorted(plan_cases(Random(seed), cases, clock), key=lambda p: (p.opened_at, p.number))
    with transaction.atomic():
        teams = create_teams()
        context = Context(users=create_staff(teams), teams=teams, started=clock.now)
        for plan in plans:
            apply_plan(plan, context)
    return True


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
        kind_reason=plan.kind_reason,
        opened_at=plan.opened_at,
    )
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
    return customer


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
    message_record_inbound(case=case, customer=case.customer, incoming=incoming, actor=ctx.user(step.actor))
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
    message_send(case=case, actor=ctx.user(step.actor), body=step.data["body"], purpose=step.data["purpose"])
    return case


def _assign(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    return case_assign(
        case=case,
        owner=ctx.user(d["owner"]),
        actor=ctx.user(step.actor),
        team=ctx.teams[d["team"]],
        reason=d["reason"],
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
}


# --- demo back-dating ---------------------------------------------------------------------------------------
# The services take the time of a customer's message (Incoming.occurred_at, message_log_contact's occurred_at,
# case_open's opened_at) but stamp everything else with timezone.now(). A demo needs months of history, so
# once a case's steps have run, every row they stamped "now" (at or after `started`) is moved to the planned
# time of the step that wrote it: the step whose wall-clock mark is the last one at or before the stamp.
# Three UPDATE statements per case, each a CASE over the marks, keep this cheap.
# Only demo seeding does this, and only to its own freshly written rows.


def _backdate(case_id: int, plan: CasePlan, marks: list[datetime], started: datetime) -> None:
    times = [step.at for step in plan.steps]
    _restamp(CaseEvent, "at", case_id, marks, times, started)
    _restamp(Message, "occurred_at", case_id, marks, times, started)
    _restamp(Message, "recorded_at", case_id, marks, times, started)
    _backdate_case(case_id, plan)


def _restamp(
    model, field: str, case_id: int, marks: list[datetime], times: list[datetime], started: datetime
) -> None:
    """UPDATE ... SET field = CASE WHEN field >= <last mark> THEN <its step's time> ... END, in one statement.

    Written in SQL because the ORM's Case/When costs several milliseconds per case to build, which was most
    of the seeding time; the statement is plain SQL for SQLite and PostgreSQL alike.
    """
    qn, adapt = connection.ops.quote_name, connection.ops.adapt_datetimefield_value
    column = qn(model._meta.get_field(field).column)
    whens = " ".join([f"WHEN {column} >= %s THEN %s"] * len(marks))
    params: list = []
    for mark, at in reversed(list(zip(marks, times, strict=True))):
        params += [adapt(mark), adapt(at)]
    # Only quoted names from the model's own metadata go into the text; every value is a parameter.
    sql = (
        f"UPDATE {qn(model._meta.db_table)} SET {column} = CASE {whens} ELSE {column} END "  # noqa: S608
        f"WHERE {qn('case_id')} = %s AND {column} >= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, case_id, adapt(started)])


def _backdate_case(case_id: int, plan: CasePlan) -> None:
    steps = plan.steps
    contact = [s.at for s in steps if s.action in {"first", "inbound", "note", "reply", "ack"}]
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
        f"Logins (password {PASSWORD}): " + ", ".join(u for u, *_ in texts.STAFF),
    ]
    return "\n".join(lines)


def _counts(counter: Counter, order: list[str]) -> str:
    return ", ".join(f"{key} {counter.get(key, 0)}" for key in order)
