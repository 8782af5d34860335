"""The written notice of a conduct decision: reasons, the restriction, start, review date, how to appeal and
the right to go to the ombudsman, sent by a channel the decision leaves open."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.permissions import (
    can_decide_at,
)
from amends.core.services import audit_record

from .inputs import latest_case
from .models import (
    ConductDecision,
)

# --- the notice ---------------------------------------------------------------------------------------


def notice_fields(decision: ConductDecision) -> tuple[dict[str, str], dict | None]:
    """The notice letter's fields and the ombudsman (the regime's referral body, when the case follows
    one): the restriction, from when, the reasons, the review date, how to appeal, the ombudsman."""
    from .selectors import arrangement_words, emergency_contact, regime_referral

    restrictions = list(decision.restrictions.select_related("type"))
    start = f"{decision.effective_from:%-d %B %Y}"
    terms = arrangement_words(restrictions) or decision.level.allows
    lines = [
        f"We have decided to apply the following from {start}: {decision.level.name.lower()}.",
        terms,
        f"Whatever these arrangements say, you can always contact us about an emergency or an urgent health "
        f"and safety matter: {emergency_contact()}.",
    ]
    review = (
        f"This decision is not permanent. We will review it on {decision.review_due:%-d %B %Y}, and write to "
        "you with the outcome: we will lift it if things have improved."
        if decision.review_due
        else "We will keep this decision under review."
    )
    referral = regime_referral(decision.case or latest_case(decision.customer))
    ombudsman = (
        f"You also have the right to ask {referral['body']} to look at how we have treated you."
        if referral
        else "You also have the right to ask the ombudsman for our sector to look at how we have treated you."
    )
    appeal = (
        "If you disagree with this decision, you can appeal: tell us why, within 28 days of this letter. "
        "Someone who was not involved in the decision will look at it again and tell you what they decide. "
        + ombudsman
    )
    return {
        "message": "",
        "decision": "\n\n".join(line for line in lines if line),
        "reasons": decision.reasons,
        "timescales": review,
        "how_to_escalate": appeal,
    }, referral


def notice_send(*, actor: Any, decision: ConductDecision) -> Any:
    """Write the notice letter (a PDF in the customer's letters, on the decision's case or their latest)
    and send it through the channel the decision leaves open: by email when email is open and we have
    their address, else printed for post. The letter is rendered outside any transaction (letters)."""
    from amends.letters.services import letter_compose, letter_send
    from amends.messaging.services import customer_email

    from .selectors import allowed_channels

    decision = ConductDecision.objects.select_related("level", "customer", "case").get(pk=decision.pk)
    if not can_decide_at(actor, decision.level.decided_by):
        raise PermissionDenied(f"Your role may not send a {decision.level.code} decision's notice")
    if decision.status != ConductDecision.Status.ACTIVE:
        raise Conflict("This decision is no longer active")
    if decision.notice_id:
        raise Conflict("The notice of this decision was already sent")
    case = decision.case or latest_case(decision.customer)
    if case is None:
        raise DomainError("The customer has no case to keep the letter on", code="no_case")
    fields, referral = notice_fields(decision)
    required = ["decision", "reasons", "timescales", "how_to_escalate"] + (
        ["referral_rights"] if referral else []
    )
    letter = letter_compose(
        case=case, kind="conduct_notice", fields=fields, required=required, referral=referral, actor=actor
    )
    open_ = allowed_channels(decision)
    by = "email" if (open_ is None or "email" in open_) and customer_email(decision.customer) else "print"
    sent = letter_send(letter=letter, actor=actor, by=by)
    with transaction.atomic():
        ConductDecision.objects.filter(pk=decision.pk).update(notice=sent)
        audit_record(
            actor=actor, kind="conduct.notice_sent", obj=decision, after={"letter": sent.pk, "by": by}
        )
    return sent
