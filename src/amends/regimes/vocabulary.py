"""The words a regime definition may use (docs/design/complaint-process.md). Framework-free.

Other apps import these rather than repeat them: the letters app checks `required` lists against
LETTER_ELEMENTS, the process app records START_EVENTS as they happen.
"""

from __future__ import annotations

START_EVENTS = ("received", "acknowledged", "escalated", "escalation_acknowledged", "response_sent")
# An extension may also run on from the deadline it extends (Housing Ombudsman: "no more than 10 working
# days" more) rather than from an event (FCA payment services: 35 business days from receipt).
EXTENSION_STARTS = (*START_EVENTS, "original_due")
# The clock coded "acknowledgement" that starts at the key event produces the value event.
ACKNOWLEDGES = {"received": "acknowledged", "escalated": "escalation_acknowledged"}
EVIDENCE_LABELS = ("V", "S", "M")
CALENDARS = ("business_days", "working_days")
KINDS = ("regulatory", "internal")
PAUSES_WHEN = ("awaiting_customer",)
LETTER_KINDS = (
    "acknowledgement",
    "summary_resolution",
    "holding",
    "final_response",
    "stage1_response",
    "stage2_response",
    "deadlock",
    "referral",
)
LETTER_ELEMENTS = (
    "reference",
    "complaint_summary",
    "timescales",
    "contact_details",
    "stage",
    "complaint_definition",
    "decision",
    "reasons",
    "remedy",
    "outstanding_actions",
    "how_to_escalate",
    "referral_rights",
    "delay_reasons",
    "new_date",
    "resolved_statement",
    "final_position_label",
)
# Facts at the top level that can carry an evidence label in the "evidence" object.
EVIDENCE_FACTS = (
    "name",
    "sector",
    "effective_from",
    "complaint_definition",
    "calendar",
    "retention_years",
    "keep_informed",
    "letters",
)
