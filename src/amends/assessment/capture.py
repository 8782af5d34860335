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
        ("CFACSC7 4", "CFACSC4 P9", "WM57 1", "WM57 16"),
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
        ("CFACSC4 P14", "CFACSC7 9", "WM57 6"), "Asked for approval of a remedy beyond their own authority"
    ),
    EventKind.ESCALATED: Rule(("CFACSC7 9",), "Escalated the complaint for a good reason"),
    EventKind.OPTION_AGREED: Rule(("CFACSC4 P13", "WM57 10"), "Agreed the way forward with the customer"),
    EventKind.TASK_DONE: Rule(("WM57 11",), "Put an agreed action into effect"),
    EventKind.PROMISE_KEPT: Rule(("WM57 12",), "Kept a promise made to the customer"),
    EventKind.SATISFACTION_CHECKED: Rule(("WM57 14",), "Checked whether the customer is satisfied"),
    EventKind.REPLY_SENT: Rule(("WM57 13", "WM57 d"), "Kept the customer informed"),
    EventKind.FINAL_RESPONSE_SENT: Rule(
        ("CFACSC7 8", "CFACSC4 P12", "CFACSC4 P15", "WM57 9", "WM57 15"),
        "Sent the final response: what was found, what happens next and why, and where else to go",
    ),
    EventKind.BEHAVIOUR_REPORTED: Rule(
        ("CFACSC4 P6", "CFACSC4 P17", "WM57 e"),
        "Reported behaviour past the line of tolerance, to keep people safe",
    ),
    EventKind.RECLASSIFIED: Rule(
        ("CFACSC7 1",), "Recognised what the customer's contact is and recorded it so"
    ),
    EventKind.SIGNAL_FEEDBACK: Rule(
        ("CFACSC4 P3", "CFACSC7 1"), "Checked a warning sign of dissatisfaction and said whether it was right"
    ),
    EventKind.NOTE_ADDED: Rule(("CFACSC7 11",), "Kept the case record: an internal note of what was done"),
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


# Performance criteria the case record cannot show, and why: they are evidenced by an assessor's
# observation, a team leader's witness statement, or the learner's reflective account (every performance
# criterion can be; these can only be). A test keeps this list and the rules above covering every
# performance criterion of every unit, so a criterion added to the catalogue must be placed here or in a rule.
OBSERVED_ONLY: dict[str, str] = {
    "CFACSC4 P1": "recognising challenging behaviour happens in the conversation, before any record",
    "CFACSC4 P2": "what in our offer provokes customers is the learner's judgement, said in reflection",
    "CFACSC4 P4": "seeing it from the customer's side shows in how they speak, not in a record",
    "CFACSC4 P5": "why a customer behaves so is a judgement, observed or reflected on",
    "CFACSC4 P7": "words the learner avoided leave no trace: only an observer hears what was not said",
    "CFACSC4 P8": "letting the customer say it all is observed in the conversation",
    "CFACSC7 2": "a complaint headed off leaves no complaint: a witness or observer sees it",
    "CFACSC7 3": "changing approach after a complaint shows over time, to an assessor",
    "CFACSC7 10": "feedback to colleagues is given in team meetings, witnessed by a team leader",
    "WM57 3": "feedback to prevent problems goes beyond one case, witnessed by a team leader",
    "WM57 a": "attentive listening is observed",
    "WM57 f": "keeping to law and codes is judged across the work by the assessor, not from one event",
}


def rule_name(kind: str) -> str:
    return f"capture v{RULES_VERSION}: {kind}"
