"""What can happen to a case (`EventKind`), and each event in plain words for the timeline.

Framework-free: names come in as dictionaries. `EventKind` is the one list of event kinds: the recorder
(`cases.services.case_event`) refuses any other, and docs/design/architecture.md lists them (a test
keeps the two equal).
"""

from __future__ import annotations

from enum import StrEnum

from .lifecycle import LABELS, Status


class EventKind(StrEnum):
    """Every kind of `CaseEvent`, grouped by the app whose service writes it."""

    # cases
    OPENED = "opened"
    STATUS_CHANGED = "status_changed"
    REOPENED = "reopened"
    ASSIGNED = "assigned"
    RECLASSIFIED = "reclassified"
    CUSTOMER_MERGED = "customer_merged"
    TAG_ADDED = "tag_added"
    TAG_REMOVED = "tag_removed"
    NOTE_ADDED = "note_added"  # internal: the timeline shows the note itself, never the customer
    PRIORITY_RAISED = "priority_raised"
    PRIORITY_LOWERED = "priority_lowered"
    HANDED_OVER = "handed_over"  # the case changed hands with a reason and a hand-over note for the new owner
    HANDOVER_READ = "handover_read"  # the new owner acknowledged the hand-over note
    # messaging: a message stored on the case
    CONTACT_LOGGED = "contact_logged"
    REPLY_SENT = "reply_sent"
    ACKNOWLEDGEMENT_SENT = "acknowledgement_sent"
    FINAL_RESPONSE_SENT = "final_response_sent"
    # messaging: the outbox gave up on an email, and a person put it back
    EMAIL_NOT_SENT = "email_not_sent"
    EMAIL_SENT_AGAIN = "email_sent_again"
    # messaging: a re-opened case told its last owner and team leaders
    REOPEN_TOLD = "reopen_told"
    # letters
    LETTER_DRAFTED = "letter_drafted"
    LETTER_UPDATED = "letter_updated"
    LETTER_SENT = "letter_sent"
    # process: the regime, its clocks and the steps of CFACSC7 / WM57
    REGIME_APPLIED = "regime_applied"
    CLOCK_WARNING = "clock_warning"
    CLOCK_BREACHED = "clock_breached"
    CLOCK_EXTENDED = "clock_extended"
    ESCALATED = "escalated"
    UNDERSTANDING_RECORDED = "understanding_recorded"
    UNDERSTANDING_CONFIRMED = "understanding_confirmed"
    EVIDENCE_ADDED = "evidence_added"
    FINDING_RECORDED = "finding_recorded"
    ROOT_CAUSE_CORRECTED = "root_cause_corrected"  # the finding's root cause, corrected with a reason
    OPTION_ADDED = "option_added"
    OPTION_CHOSEN = "option_chosen"
    APPROVAL_REQUESTED = "approval_requested"
    APPROVAL_DECIDED = "approval_decided"
    CUSTOMER_ANSWERED = "customer_answered"
    SATISFACTION_CHECKED = "satisfaction_checked"
    PROMISE_MADE = "promise_made"
    PROMISE_REMINDER = "promise_reminder"
    PROMISE_KEPT = "promise_kept"
    PROMISE_BROKEN = "promise_broken"
    PROMISE_RENEGOTIATED = "promise_renegotiated"
    UPDATE_DUE = "update_due"
    # process: a problem resolved step by step (WM57 10-11), with or without a regime
    OPTION_AGREED = "option_agreed"
    TASK_ADDED = "task_added"
    TASK_DONE = "task_done"
    TASK_OVERDUE = "task_overdue"
    # signals
    SIGNALS_FOUND = "signals_found"
    SAFETY_ALERT = "safety_alert"
    SIGNAL_FEEDBACK = "signal_feedback"
    # conduct: challenging behaviour (what the team sees; the record itself is on the customer's conduct page)
    BEHAVIOUR_REPORTED = "behaviour_reported"
    CONDUCT_DECIDED = "conduct_decided"
    CONDUCT_REVIEWED = "conduct_reviewed"
    CONDUCT_APPEALED = "conduct_appealed"
    APPEAL_DECIDED = "appeal_decided"
    # problems: the case linked to a problem record (a repeated problem) or unlinked from it
    PROBLEM_LINKED = "problem_linked"
    PROBLEM_UNLINKED = "problem_unlinked"


# Why a case changed hands (cases.services.case_assign's `reason` when it had an owner).
HANDOVER_REASON_WORDS = {
    "leave": "the owner is on leave",
    "workload": "workload",
    "expertise": "expertise needed",
    "escalation": "escalation",
    "other": "another reason",
}

CHANNEL_WORDS = {
    "phone": "a phone call",
    "face_to_face": "a face-to-face conversation",
    "letter": "a letter",
}
DIRECTION_WORDS = {"in": "from the customer", "out": "to the customer"}
# How a message to the customer went, when not by email.
SENT_ON_WORDS = {"social": "social media", "chat": "chat", "sms": "SMS"}


def _status(value: object) -> str:
    try:
        return LABELS[Status(str(value))]
    except ValueError:
        return str(value)


def describe(kind: str, before: dict | None, after: dict | None, *, people: dict, teams: dict) -> str:
    before, after = before or {}, after or {}
    if kind == EventKind.OPENED:
        return f"Opened as a {after.get('kind', 'case')} ({str(after.get('channel', '')).replace('_', ' ')})"
    if kind == EventKind.STATUS_CHANGED:
        return f"Status: {_status(before.get('status'))} → {_status(after.get('status'))}"
    if kind == EventKind.REOPENED:
        return f"Re-opened (was {_status(before.get('status')).lower()})"
    if kind == EventKind.ASSIGNED:
        owner = people.get(after.get("owner"))
        team = teams.get(after.get("team"))
        if owner is None:
            return f"Unassigned{f' (team {team})' if team else ''}"
        return f"Assigned to {owner}{f' ({team})' if team else ''}"
    if kind == EventKind.RECLASSIFIED:
        text = f"Reclassified from {before.get('kind')} to {after.get('kind')}"
        for field in ("category", "product"):
            if before.get(field) != after.get(field) and after.get(field):
                text += f", {field} {after[field]}"
        return text
    if kind == EventKind.CONTACT_LOGGED:
        how = CHANNEL_WORDS.get(str(after.get("channel")), "a contact")
        return f"Logged {how} {DIRECTION_WORDS.get(str(after.get('direction')), '')}".strip()
    if kind == EventKind.CUSTOMER_MERGED:
        return "Customer records merged"
    on = SENT_ON_WORDS.get(str(after.get("channel")))
    if kind == EventKind.EMAIL_NOT_SENT:  # before the "_sent" rule below, which it would match
        tries = f"{after.get('attempts')} attempt{'' if after.get('attempts') == 1 else 's'}"
        text = f"{f'Reply by {on}' if on else 'Email'} to {after.get('to')} not sent: gave up after {tries}"
        return f"{text} ({after['error']})" if after.get("error") else text
    if kind == EventKind.EMAIL_SENT_AGAIN:
        text = f"{f'Reply by {on}' if on else 'Email'} queued again for {after.get('to')}"
        if before.get("to") and before.get("to") != after.get("to"):
            text += f" (the customer's address now; it was {before['to']})"
        return text
    if kind == EventKind.PROBLEM_LINKED:
        return f"Linked to the problem \u201c{after.get('title', '')}\u201d"
    if kind == EventKind.PROBLEM_UNLINKED:
        return f"Unlinked from the problem \u201c{before.get('title', '')}\u201d"
    if kind == EventKind.TAG_ADDED:
        return f"Tagged “{after.get('tag', '')}”"
    if kind == EventKind.TAG_REMOVED:
        return f"Tag “{before.get('tag', '')}” removed"
    if kind == EventKind.NOTE_ADDED:
        return "Added an internal note"
    if kind == EventKind.PRIORITY_RAISED:
        return f"Priority raised: {after.get('reason', '')}".rstrip(": ")
    if kind == EventKind.PRIORITY_LOWERED:
        return "Priority back to normal"
    if kind == EventKind.REOPEN_TOLD:
        told = ", ".join(str(name) for name in after.get("told", []))
        return f"Told {told} that it was re-opened" if told else "Nobody to tell that it was re-opened"
    if kind == EventKind.HANDED_OVER:
        reason = HANDOVER_REASON_WORDS.get(str(after.get("reason")), str(after.get("reason", "")))
        return f"Handed over ({reason}) with a note for the new owner"
    if kind == EventKind.ROOT_CAUSE_CORRECTED:
        was, now = before.get("root_cause") or "none", after.get("root_cause") or "none"
        return f"Root cause of the finding corrected: {was} → {now}"
    if kind == EventKind.HANDOVER_READ:
        return "The new owner read the hand-over note"
    if kind.endswith("_sent"):
        what = kind.removesuffix("_sent").replace("_", " ")
        if after.get("by_hand"):
            return f"Recorded the {what}, sent by hand by {on or 'email'}"
        return f"Sent the {what}{f' by {on}' if on else ''}"
    text = kind.replace("_", " ").capitalize()
    files = after.get("files")  # the files staff attached with it (evidence, a letter's enclosures)
    return f"{text}: {', '.join(map(str, files))}" if isinstance(files, list) and files else text


def referenced_people(events) -> set[int]:
    ids = set()
    for event in events:
        for side in (event.before or {}, event.after or {}):
            if isinstance(side.get("owner"), int):
                ids.add(side["owner"])
    return ids
