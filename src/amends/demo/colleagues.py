"""The demo's colleagues features (issue 12, scope 5), done as people would have through the services:

- each person's choice of notification emails: leaders, the complaints lead and case handlers get urgent
  ones by email, advisers (in Amends all day), the administrator and the assessor read them in the app;
  the history the seed wrote before them (approvals, breaches, re-opens over months) is never emailed;
- the directory of who can help: what each of the demo staff helps with and how to reach them, kept by
  themselves or (for the advisers) their team leader;
- a hand-over: Sam Okoro's open complaint passed to Eilidh Campbell by the team leader while Sam is on
  leave, with a note on where it stands, what was promised and how the customer is;
- colleague alerts: on the customer of a closed complaint who said they would come back if the refund did
  not arrive ("may re-open the matter"), and on another who asked to speak to their handler ("may contact
  you").

Deterministic: the cases are the first that fit, by reference.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from amends.cases.lifecycle import Status
from amends.cases.models import Case
from amends.cases.services import case_assign
from amends.core.emails import notification_emails_hold
from amends.core.models import NotifyEmail
from amends.core.services import staff_directory_set, staff_notify_email_set
from amends.customers.alerts import colleague_alert_raise

EMAIL_CHOICES = {
    "leader": NotifyEmail.URGENT,
    "lead": NotifyEmail.URGENT,
    "handler": NotifyEmail.URGENT,
    "eilidh.campbell": NotifyEmail.ALL,
    "tom.gallagher": NotifyEmail.URGENT,
    "dave.pritchard": NotifyEmail.URGENT,
}

# username: (what they help with, how to reach them, who keeps the entry)
DIRECTORY = {
    "adviser": ("Current accounts\nCard disputes\nWelsh speakers", "ext 2201, 8am to 4pm", "leader"),
    "handler": ("Mortgages\nArrears and payment plans\nFinancial Ombudsman referrals", "ext 2214", "handler"),
    "leader": (
        "Approvals up to £2,000\nComplaints about staff\nUnacceptable behaviour decisions",
        "ext 2200; mobile 07700 900412 for safety incidents",
        "leader",
    ),
    "lead": (
        "Approvals above team limits\nRoot cause reviews\nOmbudsman cases\nRegulatory reporting",
        "ext 2100",
        "lead",
    ),
    "admin": ("Mailboxes and integrations\nAccess and accounts", "IT service desk, ext 3000", "admin"),
    "marcus.reid": ("Credit cards\nBereavement and power of attorney", "ext 2205", "leader"),
    "eilidh.campbell": (
        "Vulnerable customers\nScottish Public Services Ombudsman\nBSL and Text Relay calls",
        "ext 2219, Tuesday to Friday",
        "eilidh.campbell",
    ),
    "rachel.owusu": ("Billing errors\nDirect debits\nRefunds", "ext 2301", "lead"),
    "tom.gallagher": ("Back-billing\nMeter readings\nPayment plans", "ext 2310", "tom.gallagher"),
    "sunita.mehta": ("Repairs appointments\nDamp and mould reports", "ext 2401", "lead"),
    "dave.pritchard": (
        "Repairs complaints\nContractor disputes\nCompensation for delays",
        "ext 2410",
        "dave.pritchard",
    ),
}


def demo_colleagues(users: dict[str, Any], *, since: datetime) -> None:
    # The seed's notifications are months of history told as it happened, not news to email today.
    notification_emails_hold(since=since)
    for username, user in users.items():
        staff_notify_email_set(
            user=user, preference=EMAIL_CHOICES.get(username, NotifyEmail.NONE), actor=user
        )
    for username, (helps_with, reach, keeper) in DIRECTORY.items():
        staff_directory_set(user=users[username], helps_with=helps_with, reach=reach, actor=users[keeper])
    _hand_over(users)
    _alerts(users)


def _hand_over(users: dict[str, Any]) -> None:
    """Sam Okoro's open complaint (or, in a small demo, the first open case a colleague in the complaints
    team owns) to Eilidh Campbell while its owner is on leave."""
    eilidh = users["eilidh.campbell"]
    open_cases = (
        Case.objects.filter(status__in=[Status.NEW, Status.OPEN, Status.AWAITING_CUSTOMER])
        .filter(team__slug="complaints", owner__isnull=False)
        .exclude(owner=eilidh)
        .select_related("customer", "owner")
        .order_by("reference")
    )
    case = open_cases.filter(owner=users["handler"], kind="complaint").first() or open_cases.first()
    if case is None:
        return
    first = case.customer.name.split()[0]
    owner = case.owner.first_name or case.owner.get_username()
    about = case.product or case.category or "their account"
    note = (
        f"{owner} is on leave for two weeks from tomorrow. Where it stands: {first}'s {case.kind} about "
        f"{about} is investigated and the evidence is on the case; the finding is not written yet. Promised: "
        f"a written response by {case.respond_by:%-d %B}, and a call back before then to explain the "
        f"outcome. How {first} is: frustrated at having to chase us, but polite; prefers email and asked us "
        "not to call before 10am."
    )
    case_assign(case=case, owner=eilidh, actor=users["leader"], reason="leave", note=note)


def _alerts(users: dict[str, Any]) -> None:
    today = timezone.localdate()
    closed = (
        Case.objects.filter(
            kind="complaint", status=Status.CLOSED, owner__isnull=False, team__slug="complaints"
        )
        .select_related("customer", "owner")
        .order_by("reference")
        .first()
    )
    if closed is not None:
        first = closed.customer.name.split()[0]
        colleague_alert_raise(
            customer=closed.customer,
            actor=closed.owner,
            kind="may_reopen",
            text=(
                f"Final response on {closed.reference} upheld the complaint and promised a refund within 10 "
                f"working days. {first} said they will come back if it is not in their account by the end of "
                "the month. Check the refund first, then re-open that case rather than starting a new one."
            ),
            expires_on=today + timedelta(days=60),
            contact=closed.owner,
        )
    waiting = (
        Case.objects.filter(status=Status.AWAITING_CUSTOMER, owner=users["marcus.reid"])
        .select_related("customer")
        .order_by("reference")
        .first()
    )
    if waiting is not None:
        colleague_alert_raise(
            customer=waiting.customer,
            actor=users["marcus.reid"],
            kind="may_contact",
            text=(
                "Is sending the probate papers we asked for and may ring to check they arrived: put the call "
                "through to Marcus, or take a message; do not ask for the papers again."
            ),
            expires_on=today + timedelta(days=30),
            contact=users["marcus.reid"],
        )
