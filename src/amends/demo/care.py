"""The demo's support needs (care), recorded as people would have, today:

- Margaret Whitfield's husband died in the spring. She rang about the fees still being charged on his
  account; the adviser who took the call recorded, with her agreement, that she is bereaved, needs extra
  time, prefers the phone, and that her son Daniel, executor of the estate, has authority to act for her.
- Iris Bell complained on the public form that she cannot read her statements, and told us in its support
  section, ticking the consent box, that she needs large print.

Both cases start with their priority raised (cases.priority), and the customer page, the case page and the
queue show "Support needs" to those who handle them; the demo's assessor sees none of it.
"""

from __future__ import annotations

from typing import Any

from amends.care.schemas import SupportNeedsIn
from amends.care.services import Disclosure, support_needs_record
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contact, intake_web_form
from amends.messaging.services import message_log_contact

CASES_ADDED = 2  # the two complaints below, beyond the planned cases

BEREAVED = ContactIn(
    channel="phone",
    external_id="demo-care-bereaved",
    customer={
        "name": "Margaret Whitfield",
        "email": "margaret.whitfield@example.net",
        "phone": "01632 960 481",
        "nation": "england",
    },
    subject="Fees still charged on my late husband's account",
    text=(
        "Mrs Whitfield rang. Her husband Geoffrey died in April and she sent us the death certificate in "
        "May, but we are still charging the monthly fee on his current account and have sent two letters "
        "addressed to him. Each one is a shock to open; she is finding all of this very hard."
    ),
    kind="complaint",
    category="Current account",
    product="Classic current account",
    outcome_wanted="Stop the fees, refund them since April, and write to her son Daniel, not to Geoffrey.",
)

LARGE_PRINT = {
    "name": "Iris Bell",
    "email": "iris.bell@example.net",
    "phone": "",
    "nation": "scotland",
    "subject": "I cannot read my statements",
    "what_happened": (
        "Your statements are printed so small that I cannot read them, and because of that I missed that a "
        "direct debit had failed. I have been charged £12 for it."
    ),
    "outcome_wanted": "Refund the £12 and send my statements in large print.",
    "category": "Current account",
    "product": "Classic current account",
}


def demo_care(users: dict[str, Any]) -> None:
    adviser = users["adviser"]
    bereaved = intake_contact(BEREAVED, actor=adviser).case
    message_log_contact(
        case=bereaved,
        actor=adviser,
        channel="phone",
        direction="in",
        summary=(
            "Mrs Whitfield rang again, upset: another letter came addressed to her late husband. Said sorry "
            "and that we will stop them. She asked us to phone rather than write, to give her time, and that "
            "her son Daniel, the executor, can speak for her. She agreed we keep a note of this."
        ),
    )
    support_needs_record(
        customer=bereaved.customer,
        actor=adviser,
        data=SupportNeedsIn(
            characteristics=["bereavement"],
            circumstances="Her husband Geoffrey died in April; letters addressed to him distress her.",
            preferred_channel="phone",
            extra_time=True,
            third_party_name="Daniel Whitfield (her son)",
            third_party_kind="executor",
            third_party_contact="07700 900 614",
            other_adjustments="Never address post to Geoffrey Whitfield; write to Daniel about the estate.",
            disclosed_via="phone",
            lawful_basis="explicit_consent",
            lawful_basis_note="Agreed on the phone to Jess Morgan",
        ),
    )
    intake_web_form(
        form_token="demo-care-large-print",
        data=LARGE_PRINT,
        support=Disclosure(
            needs=("large_print",),
            text="My eyesight is poor; please send everything in large print.",
            consent=True,
        ),
    )
