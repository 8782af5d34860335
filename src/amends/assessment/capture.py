"""Evidence from real work: which case events show which criteria (the rules, as data), and the listener
that turns a learner's events into evidence as they are recorded (`cases.hooks.events_recorded`).

An event shows a criterion only when a learner did it (the event's actor has an assessor): the worker's
and the customer's events show nobody's competence. A reply is also read by the reply coach: empathy it
finds evidences CFACSC4 P11, a clear next step with a date CFACSC4 P15. Each rule names the standard's
criterion as the catalogue writes it; the same competence in the other units is added on capture
(`standards.criteria.with_same`). `RULES_VERSION` goes up when a rule changes, and every item records the
rule that made it, so an assessor can tell machine-proposed evidence by its rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from amends.cases.events import EventKind

RULES_VERSION = 1


@dataclass(frozen=True)
class Rule:
    criteria: tuple[str, ...]
    what: str  # what the learner did, in words that name no customer detail


RULES: dict[str, Rule] = {
    EventKind.UNDERSTANDING_RECORDED: Rule(
        ("CFACSC7 4", "WM57 1", "WM57 16"),
        "Recorded the customer's concern and what they want, in their terms",
    ),
    EventKind.UNDERSTANDING_CONFIRMED: Rule(
        ("CFACSC4 P10", "WM57 1"), "Checked back with the customer that the concern was understood"
    ),
    EventKind.EVIDENCE_ADDED: Rule(
        ("CFACSC7 5",), "Gathered evidence to find out whether the complaint is justified"
    ),
    EventKind.FINDING_RECORDED: Rule(
        ("CFACSC7 5", "WM57 5"), "Recorded a finding on whether the complaint is justified, and why"
    ),
    EventKind.OPTION_ADDED: Rule(
        ("CFACSC7 6", "CFACSC7 7", "WM57 5", "WM57 7"),
        "Set out an option for putting things right, with its benefits and risks",
    ),
    EventKind.OPTION_CHOSEN: Rule(
        ("CFACSC7 8", "WM57 8", "WM57 c"), "Chose the option that balances the customer's and our interests"
    ),
    EventKind.APPROVAL_REQUESTED: Rule(
        ("CFACSC4 P14", "CFACSC7 9"), "Asked for approval of a remedy beyond their own authority"
    ),
    EventKind.ESCALATED: Rule(("CFACSC7 9",), "Escalated the complaint for a good reason"),
    EventKind.OPTION_AGREED: Rule(("CFACSC4 P13", "WM57 10"), "Agreed the way forward with the customer"),
    EventKind.TASK_DONE: Rule(("WM57 11",), "Put an agreed action into effect"),
    EventKind.PROMISE_KEPT: Rule(("WM57 12",), "Kept a promise made to the customer"),
    EventKind.SATISFACTION_CHECKED: Rule(("WM57 14",), "Checked whether the customer is satisfied"),
    EventKind.REPLY_SENT: Rule(("WM57 13", "WM57 d"), "Kept the customer informed"),
    EventKind.FINAL_RESPONSE_SENT: Rule(
        ("CFACSC7 8", "CFACSC4 P15", "WM57 9", "WM57 15"),
        "Sent the final response: what was found, what happens next and why, and where else to go",
    ),
    EventKind.BEHAVIOUR_REPORTED: Rule(
        ("CFACSC4 P6", "CFACSC4 P17", "WM57 e"),
        "Reported behaviour past the line of tolerance, to keep people safe",
    ),
    EventKind.PROBLEM_LINKED: Rule(("WM57 2", "WM57 4"), "Linked the case to a repeated problem"),
}

# What the reply coach finds in a reply (signals.engine.coach), as evidence of more criteria.
COACH_RULES: dict[str, Rule] = {
    "apology_or_empathy": Rule(("CFACSC4 P11",), "Showed empathy in a reply without admitting fault"),
    "clear_next_step_with_date": Rule(("CFACSC4 P15",), "Told the customer what happens next and by when"),
}
# Replies the coach reads: those written to the customer (the coach reads drafts of exactly these).
REPLY_KINDS = {EventKind.REPLY_SENT, EventKind.FINAL_RESPONSE_SENT}

# A colleague alert on a customer (customers.hooks.colleague_alert_raised) warns colleagues it may return.
ALERT_RULE = Rule(("CFACSC4 P16", "WM57 b"), "Warned colleagues that the customer may come back about this")


def rule_name(kind: str) -> str:
    return f"capture v{RULES_VERSION}: {kind}"
