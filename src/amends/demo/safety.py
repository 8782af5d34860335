"""The demo's safety alerts, raised as they are in real use: an adviser logs what a customer said on the
phone (messaging's `message_log_contact`), and signals reads the note as it reads an email.

Two open complaints of the Complaints team, the first two by reference with room for a message: on one
the customer threatened to come to the office and hurt someone; on the other the customer said she felt
like ending it all. Each note alerts the owner, the team's leaders and the complaints lead at once, and the
case page's alert box says what to do (signposting for self-harm, the threat procedure). Stamped today,
after the back-dated history.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from amends.cases.models import Case
from amends.messaging.services import message_log_contact

THREAT_NOTE = (
    "Customer rang about the repair that was missed again. Very angry throughout. He said if it is not "
    "fixed this week he will come down there and hurt someone. I told him we cannot accept threats and "
    "ended the call."
)
SELF_HARM_NOTE = (
    "Customer called in tears about the arrears letter. She said she can't sleep and that some days she "
    "feels like ending it all. I stayed on the line, gave her the Samaritans' number and told her I would "
    "call back this afternoon."
)


def demo_safety(users: dict[str, Any]) -> list[Case]:
    """Log the two calls; the cases they were logged on."""
    cases = list(
        Case.objects.open()
        .filter(team__slug="complaints", kind="complaint")
        .exclude(signals__type__in=["threat_to_staff", "self_harm"])
        .annotate(messages_count=Count("messages"))
        .filter(messages_count__lte=5)  # a demo case has six messages at most
        .order_by("reference")[:2]
    )
    for case, note in zip(cases, (THREAT_NOTE, SELF_HARM_NOTE), strict=False):
        message_log_contact(case=case, actor=users["adviser"], channel="phone", direction="in", summary=note)
    return cases
