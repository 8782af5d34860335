"""Demo: what an agent's desk holds besides cases: each team's saved replies, one adviser's own, and internal
notes on a few open cases and customers that mention a colleague (who finds them under "For you" in their
notifications). Made through the services (saved_reply_create, note_add), after the cases, so they date from
the moment the demo was loaded.
"""

from __future__ import annotations

from typing import Any

from amends.cases.models import Case
from amends.cases.notes import note_add
from amends.core.models import Team
from amends.messaging.replies import saved_reply_create

ACKNOWLEDGE = (
    "Dear {customer_name},\n\n"
    "Thank you for getting in touch, and I am sorry for the trouble this has caused you. Your reference is "
    "{reference}. I am looking into what happened and will reply in full by {respond_by}; if anything "
    "changes before then I will let you know.\n\n"
    "Kind regards,\n{owner_name}\n{team} team"
)
MORE_INFORMATION = (
    "Dear {customer_name},\n\n"
    "So that I can put this right, could you send me the date of the payment and the last four digits of "
    "the card or account it came from? Please reply to this email quoting {reference}. I will still reply "
    "by {respond_by}.\n\n"
    "Kind regards,\n{owner_name}"
)
CALL_BACK = (
    "Dear {customer_name},\n\n"
    "I tried to call you today about {reference} but could not get through. When is a good time to ring? "
    "If you would rather, reply to this email and I will answer in writing.\n\n"
    "Kind regards,\n{owner_name}"
)
RESOLVED = (
    "Dear {customer_name},\n\n"
    "I am pleased to say that we have put this right. If you are not happy with how we handled it, reply "
    "quoting {reference} and we will look at it again.\n\n"
    "Kind regards,\n{owner_name}\n{team} team"
)
REPAIR_BOOKED = (
    "Dear {customer_name},\n\n"
    "An engineer will contact you to arrange a visit. I am keeping {reference} open until the repair is "
    "done and will update you by {respond_by} at the latest.\n\n"
    "Kind regards,\n{owner_name}\n{team} team"
)

# (team slug, who keeps them, title, body)
TEAM_REPLIES = [
    ("complaints", "leader", "Acknowledge a complaint", ACKNOWLEDGE),
    ("complaints", "leader", "Ask for payment details", MORE_INFORMATION),
    ("complaints", "leader", "Could not reach you by phone", CALL_BACK),
    ("billing", "lead", "Acknowledge a billing query", ACKNOWLEDGE),
    ("billing", "lead", "Put right", RESOLVED),
    ("repairs", "lead", "Repair booked", REPAIR_BOOKED),
]
OWN_REPLIES = [("adviser", "My sign-off", "Kind regards,\n{owner_name}\nComplaints team, {reference}")]

# (the note, who writes it, whom it mentions in its words): on the newest open complaints-team cases.
CASE_NOTES = [
    "Spoke to the customer: she is very worried about the overdraft fee. @leader can we refund it while "
    "we look into the rest?",
    "Checked the payment records: the second charge is a duplicate. Drafting the response now.",
    "@leader this is the third complaint about the same engineer visit this month; worth raising with "
    "the repairs contractor.",
]
CUSTOMER_NOTE = "Prefers email: finds phone calls hard to follow. @handler please keep to writing."


def seed_desk(users: dict[str, Any], teams: dict[str, Team]) -> None:
    for slug, keeper, title, body in TEAM_REPLIES:
        saved_reply_create(actor=users[keeper], title=title, body=body, team=teams[slug])
    for owner, title, body in OWN_REPLIES:
        saved_reply_create(actor=users[owner], title=title, body=body)
    open_cases = list(
        Case.objects.open()
        .filter(team=teams["complaints"], owner__isnull=False)
        .select_related("owner", "customer")
        .order_by("-opened_at", "-id")[: len(CASE_NOTES)]
    )
    for case, body in zip(open_cases, CASE_NOTES, strict=False):
        note_add(actor=case.owner, case=case, body=body)
    if open_cases:
        note_add(actor=users["adviser"], customer=open_cases[0].customer, body=CUSTOMER_NOTE)
