"""The demo's special review (CFACSC7 K1): complaints about the Rewards credit card climb over the last three
weeks, after the rewards scheme changed, and the daily check of complaint levels opens a review with the
evidence, as the worker does every day in real use.

Before them, the usual trickle of one complaint a week about the card for half a year. The customers write in
by email, the web form and phone over those weeks (each case opened on the day its
message came, through the same services as any case); the Complaints team's usual mix goes on around them.
Once they are in, the check runs (`monitoring.tasks.check_levels`, the worker's step), the complaints lead is
told, and gives the review to the Complaints team leader. Deterministic: the same texts, names and days each
time, placed against the week the demo is seeded in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from amends.cases.services import case_open
from amends.core.models import Team
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.messaging.services import Incoming, message_record_inbound
from amends.monitoring.levels import last_complete_period
from amends.monitoring.models import ServiceReview
from amends.monitoring.services import review_assign
from amends.monitoring.tasks import check_levels

SPIKE_PRODUCT = "Rewards credit card"
# Complaints about it in each of the last three complete weeks, oldest first: the change's letters went
# out, the first statements came, then the points expired.
SPIKE = (4, 8, 18)
# Before it, the usual trickle: one complaint a week about the card for half a year (the baseline).
USUAL_WEEKS = 26
CASES_ADDED = USUAL_WEEKS + sum(SPIKE)
USUAL = [
    (
        "Late payment fee",
        "I paid my card on the due date and was still charged a £12 late fee. Please refund it.",
    ),
    ("Card declined abroad", "My card was declined in Spain although I told you I was travelling."),
    (
        "Statement not received",
        "I have not had a paper statement for two months and did not know what to pay.",
    ),
    ("Credit limit lowered", "You cut my credit limit without telling me and a payment bounced."),
]
MESSAGES = [
    (
        "Rewards points not credited",
        "Since the rewards scheme changed my points have stopped appearing. I spent over £600 on the card "
        "last month and the app shows 0 points earned. I want them added.",
    ),
    (
        "Points expired without warning",
        "I had 14,000 points and they have gone. Nobody told me points would now expire after 12 months. "
        "I want them reinstated.",
    ),
    (
        "Cashback missing from statement",
        "My statement shows no cashback at all this month even though the website still says 1% on "
        "groceries. Please explain and pay what I am owed.",
    ),
    (
        "New rewards terms unclear",
        "The letter about the new rewards terms is impossible to follow. I rang and was told three different "
        "things. I want a clear explanation in writing.",
    ),
    (
        "Cannot redeem points online",
        "Every time I try to redeem my points for vouchers the website says there is an error. I have tried "
        "for two weeks. This is not good enough.",
    ),
    (
        "Annual fee charged for rewards card",
        "I have been charged a £36 annual fee I was never told about when the rewards changed. I want it "
        "refunded and the card switched to one without a fee.",
    ),
]
FIRST = ["Aisha", "Ben", "Carys", "Declan", "Ellie", "Farid", "Grace", "Harry", "Imogen", "Jamal", "Kirsty"]
LAST = ["Patel", "Lloyd", "Fraser", "O'Neill", "Walsh", "Begum", "Turner", "Hughes", "Kaur", "Doherty"]
CHANNELS = ["email", "web_form", "phone", "email", "web_form"]
HOURS = [9, 11, 13, 15, 17, 10, 12, 14, 16]


def demo_special_review(
    users: dict[str, Any], teams: dict[str, Team], *, now: datetime
) -> ServiceReview | None:
    """Store the rising complaints, run the day's check, and give the review it opens an owner."""
    last = last_complete_period(now)
    first_spike = last - timedelta(weeks=len(SPIKE) - 1)
    number = 0
    for week in range(USUAL_WEEKS):
        at = first_spike - timedelta(
            weeks=USUAL_WEEKS - week, days=-(week % 5), hours=-HOURS[week % len(HOURS)]
        )
        _complaint(number, at, teams["complaints"], USUAL[week % len(USUAL)])
        number += 1
    for week, count in enumerate(SPIKE):
        monday = first_spike + timedelta(weeks=week)
        for i in range(count):
            at = monday + timedelta(days=(i * 3) % 7, hours=HOURS[i % len(HOURS)], minutes=(i * 17) % 60)
            _complaint(number, at, teams["complaints"], MESSAGES[number % len(MESSAGES)])
            number += 1
    check_levels(now)
    review = ServiceReview.objects.filter(category=SPIKE_PRODUCT).exclude(status="closed").first()
    if review is not None:
        review = review_assign(review=review, owner=users["leader"], actor=users["lead"])
    return review


def _complaint(number: int, at: datetime, team: Team, words: tuple[str, str]) -> None:
    first, last = FIRST[number % len(FIRST)], LAST[(number * 3) % len(LAST)]
    subject, text = words
    email = f"{first}.{last}.{number}@example.com".lower().replace("'", "")
    customer, _ = customer_match_or_create(details=ContactDetails(name=f"{first} {last}", email=email))
    channel = CHANNELS[number % len(CHANNELS)]
    case = case_open(
        customer=customer,
        kind="complaint",
        channel=channel,
        summary=subject,
        category="Credit card",
        product=SPIKE_PRODUCT,
        team=team,
        opened_at=at,
    )
    message_record_inbound(
        case=case,
        customer=customer,
        incoming=Incoming(channel=channel, body_text=text, occurred_at=at, subject=subject, sender=email),
    )
