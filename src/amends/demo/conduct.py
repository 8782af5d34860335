"""The demo's challenging behaviour, made through the conduct services as people would have.

- A threatening caller (the customer of the Complaints team's first open complaint) rang about it and
  told Jess, the adviser, "I know where your office is. I will come down there and hurt someone." She
  ended the call and made a safety report in one step: Helen, her team leader, was told at once, a
  follow-up on Jess's wellbeing was opened for Helen, and a warning marker went on the caller's record.
  Jess recorded the immediate safety response (L5); Martin, the complaints lead, then restricted contact
  to email for three months (L3), and the notice letter went by email. The complaint's clock runs on.
- A persistent complainant after a final response (the customer of the Complaints team's first complaint
  closed with its final response): they kept writing about it, every few days, and rang repeatedly. Sam,
  the case handler, explained what we can and cannot do (L1); Helen sent a written warning (L2); and when
  it went on, decided (L3) that repeat correspondence on the closed matter gets no reply, with Sam as their
  one named contact: a new complaint from them goes to him and is considered on its merits.

Stamped today, as done after the history the rest of the demo back-dates. Deterministic: no randomness.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amends.cases.models import Case
from amends.conduct import services
from amends.conduct.services import MarkerRequest, RestrictionIn

THREAT = "I know where your office is. I will come down there and hurt someone."


def demo_conduct(users: dict[str, Any], teams: dict[str, Any]) -> list[Any]:
    """The two stories; the notice letters they sent. A demo too small to have a case for a story (the page
    benchmark seeds a few cases) goes without it."""
    taken: set[int] = set()
    sent = [
        threatening_caller(users, teams["complaints"], taken),
        persistent_complainant(users, teams["complaints"], taken),
    ]
    return [letter for letter in sent if letter is not None]


def _first(cases, taken: set[int]):
    case = cases.exclude(customer_id__in=taken).order_by("reference").first()
    if case is not None:
        taken.add(case.customer_id)
    return case


def threatening_caller(users: dict[str, Any], team: Any, taken: set[int]) -> Any | None:
    """An open complaint of the Complaints team whose customer rang: the first by reference."""
    adviser, lead = users["adviser"], users["lead"]
    now = timezone.now()
    case = _first(
        Case.objects.filter(team=team, kind="complaint", status="open", process__isnull=False), taken
    )
    if case is None:
        return None
    customer = case.customer
    done = services.safety_report(
        actor=adviser,
        customer=customer,
        case=case,
        channel="phone",
        occurred_at=now - timedelta(hours=3),
        description="Rang about the complaint. When I said we were still looking into it "
        "he shouted, said he knew where our office was, and threatened to come and hurt someone. "
        "I warned him once that I would end the call, then ended it.",
        verbatim=THREAT,
        immediate_action="ended_call",
        marker=MarkerRequest(
            reason="Threatened to come to the office and hurt staff (phone call). Do not meet him alone; "
            "visits by appointment with two staff present.",
            review_due=timezone.localdate() + timedelta(days=180),
        ),
    )
    services.decision_make(
        actor=adviser,
        customer=customer,
        level="L5",
        reasons="He threatened violence on the phone; I ended the call at once and reported it.",
        incidents=[done.incident],
        case=case,
    )
    decision = services.decision_make(
        actor=lead,
        customer=customer,
        level="L3",
        reasons="A threat of violence against staff on the phone on "
        f"{timezone.localtime(done.incident.occurred_at):%-d %B %Y}, recorded word for word. "
        "We will not accept threats to our staff.",
        incidents=[done.incident],
        restrictions=[RestrictionIn("one-channel", {"channels": ["email"]})],
        adjustments_considered="Considered a named contact by phone; email keeps his complaint moving and "
        "gives him time to write. No support needs recorded; he did not mention any.",
        vulnerability_considered="Nothing known; the complaint itself has been stressful for him.",
        review_due=timezone.localdate() + timedelta(days=90),
        case=case,
    )
    return services.notice_send(actor=lead, decision=decision)


def persistent_complainant(users: dict[str, Any], team: Any, taken: set[int]) -> Any | None:
    """A complaint of the Complaints team closed with its final response: the first by reference."""
    handler, leader = users["handler"], users["leader"]
    now = timezone.now()
    closed = _first(
        Case.objects.filter(
            team=team,
            kind="complaint",
            status="closed",
            letters__kind="final_response",
            letters__status="sent",
        ),
        taken,
    )
    if closed is None:
        return None
    customer = closed.customer
    incidents = []
    for days, channel, what in (
        (
            30,
            "email",
            "Third email this week repeating the closed complaint, asking us to re-open it.",
        ),
        (21, "phone", "Rang four times in one morning about the closed complaint."),
        (9, "email", "Twelve emails in two days about the closed complaint, copying in the chief executive."),
        (2, "letter", "A 40-page letter repeating the closed complaint, with the same documents as before."),
    ):
        incidents.append(
            services.incident_report(
                actor=handler,
                customer=customer,
                case=closed,
                category="unreasonable-persistence" if channel != "phone" else "excessive-contact",
                channel=channel,
                occurred_at=now - timedelta(days=days),
                description=what,
                severity="low" if days > 20 else "medium",
            )
        )
    services.decision_make(
        actor=handler,
        customer=customer,
        level="L1",
        reasons="I explained on the phone that the complaint had our final response, what the ombudsman "
        "can do, and that new issues will be looked at.",
        incidents=incidents[:2],
    )
    warning = services.decision_make(
        actor=leader,
        customer=customer,
        level="L2",
        reasons="The repeated contact about the closed complaint continued after Sam "
        "explained our position: a written warning sets out what we expect.",
        incidents=incidents[:3],
        review_due=timezone.localdate() + timedelta(days=180),
        case=closed,
    )
    notice = services.notice_send(actor=leader, decision=warning)
    services.decision_make(
        actor=leader,
        customer=customer,
        level="L3",
        reasons="The volume of repeat correspondence on the closed matter continued after the written "
        "warning and takes time from other customers.",
        incidents=incidents,
        restrictions=[
            RestrictionIn("no-replies-closed-matter", {"matter": closed.reference}),
            RestrictionIn("single-point-of-contact", {"officer": handler.pk}),
        ],
        adjustments_considered="Asked whether they need any help to contact us: they said no. Letters and "
        "email stay open; Sam as their one named contact keeps things consistent.",
        review_due=timezone.localdate() + timedelta(days=90),
        case=closed,
    )
    return notice
