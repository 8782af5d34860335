"""The demo's repeated problem, found by the grouping on its own.

Over the last five days six customers of the demo bank wrote in, each in their own words, about the same
fault: since the mobile app's update, card payments by phone (contactless with the app) are declined at the
till although there is money in the account. They came in through the public form and the contacts API
(intake's services), as complaints and one as a query, about the product "Mobile app". Nobody linked them:
the batch grouping (as the nightly run would) puts them in one group, the group crosses the threshold (three
customers' complaints within seven days), a problem record opens with their cases, and the complaints lead
is told (nobody owns "Mobile app" in the demo's product owners, so it goes to the complaints leads). The
product owner for "Current account" is set so the page has one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from amends.intake.contacts import intake_contact
from amends.intake.schemas import ContactIn
from amends.problems.models import Problem
from amends.problems.services import problems_regroup, product_owner_set

PRODUCT = "Mobile app"
CASES_ADDED = 6  # one case each, beyond the planned cases (the six customers below are new)
# (days ago, hours, name, kind, what they wrote)
WORDS = [
    (
        5,
        9,
        "Priya Natarajan",
        "complaint",
        "Since your app updated on Monday my phone payments keep getting declined at the till. There is "
        "plenty of money in my account. I was left standing in the supermarket queue unable to pay.",
    ),
    (
        4,
        14,
        "Gareth Hughes",
        "complaint",
        "Paying with my phone has stopped working since the app update. The card machine says declined every "
        "time, but the account has funds. This is the third shop this week. Please sort it out.",
    ),
    (
        3,
        11,
        "Aisha Bello",
        "query",
        "Is there a problem with paying by phone? Since I updated the app the payment is declined at the "
        "checkout even though my balance is fine.",
    ),
    (
        3,
        17,
        "Tom Whitfield",
        "complaint",
        "Your latest app update has broken phone payments. Declined at the petrol station and the chemist, "
        "with money in the account. Embarrassing and I had no other way to pay.",
    ),
    (
        2,
        10,
        "Megan O'Connor",
        "complaint",
        "Contactless on my phone gets declined since the app was updated. My account is in credit. I want to "
        "know why and I want it fixed.",
    ),
    (
        1,
        16,
        "Daniel Kowalski",
        "complaint",
        "After the update to your banking app my phone payments are declined in every shop although I have "
        "money in my account. Nobody at the branch could explain it.",
    ),
]


def demo_problems(users: dict[str, Any]) -> Problem | None:
    """The six contacts, then the grouping; the problem it opened (None if it found none)."""
    now = timezone.now()
    for n, (days, hour, name, kind, text) in enumerate(WORDS):
        at = (now - timedelta(days=days)).replace(hour=hour, minute=20 + n, second=0, microsecond=0)
        first, last = name.lower().replace("'", "").split(" ", 1)
        intake_contact(
            ContactIn(
                channel="web_form",
                external_id=f"demo-app-fault-{n}",
                received_at=at,
                customer={
                    "name": name,
                    "email": f"{first.lower()}.{last.lower().replace(chr(39), '')}@example.org",
                },
                subject="Phone payments declined",
                text=text,
                kind=kind,
                product=PRODUCT,
            )
        )
    product_owner_set(product="Current account", owner=users["leader"], actor=users["lead"])
    problems_regroup(actor=None)  # the nightly batch grouping, as `amends problems regroup` runs it
    return Problem.objects.filter(product=PRODUCT).order_by("-pk").first()
