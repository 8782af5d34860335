"""What intake stored, table by table, comparable between two runs from the same database.

Left out are only what differs by nature between two runs: row ids (messages are named by their case
and order, customers by name), generated tokens (a case's status link token, an outbound email's
Message-ID) and when a row was recorded (`recorded_at`, `analysed_at`).
"""

from __future__ import annotations

from django.core import mail

from amends.cases.models import Case, CaseEvent
from amends.core.models import AuditEvent, Notification
from amends.customers.models import Customer, MergeSuggestion
from amends.messaging.models import Attachment, Message, MessageSource, OutboxItem
from amends.process.models import CaseClock
from amends.signals.models import MessageAnalysis, MessageSignal


def stored() -> dict[str, list]:
    """Every table intake writes, and the emails it sent (mail.outbox), with ids replaced by names."""
    messages = list(Message.objects.select_related("case", "customer", "author").order_by("id"))
    name = {m.pk: f"{m.case.reference}#{i}" for i, m in enumerate(messages)}
    # Only email has a Message-ID: a reply by social media, chat or SMS (or one not sent) has none.
    sent_ids = {
        m.email_message_id: f"<sent {name[m.pk]}>"
        for m in messages
        if m.direction == "out" and m.email_message_id
    }
    tokens = {c.public_token: f"<status token {c.reference}>" for c in Case.objects.all()}

    def untokened(text: str) -> str:
        for token, label in {**tokens, **sent_ids}.items():
            text = text.replace(token, label)
        return text

    def raw(data: bytes) -> bytes:  # a reply quotes the Message-ID of the email it answers
        for sent_id, label in sent_ids.items():
            data = data.replace(sent_id.encode(), label.encode())
        return data

    def named(data):
        if isinstance(data, dict) and "message" in data:
            return {**data, "message": name[data["message"]]}
        return data

    def link(text: str) -> str:
        for pk, label in name.items():
            text = text.replace(f"#message-{pk}", f"#message-{label}")
        return text

    return {
        "customers": [
            (
                c.name,
                c.name_key,
                c.kind,
                c.nation,
                c.preferred_channel,
                c.created_at,
                c.merged_into_id is not None,
            )
            for c in Customer.objects.order_by("id")
        ],
        "contact points": sorted(
            (c.name, p.kind, p.value, p.normalised, p.is_primary, p.created_at)
            for c in Customer.objects.prefetch_related("contact_points")
            for p in c.contact_points.all()
        ),
        "cases": [
            (
                c.reference,
                c.customer.name,
                c.kind,
                c.kind_reason,
                c.status,
                c.channel,
                c.summary,
                c.category,
                c.outcome_wanted,
                c.team_id,
                c.owner_id,
                c.opened_at,
                c.updated_at,
                c.last_activity_at,
                c.respond_by,
                c.risk,
                c.version,
                c.closed_at,
            )
            for c in Case.objects.select_related("customer").order_by("reference")
        ],
        "case events": [
            (e.case.reference, e.kind, e.at, e.actor_id, e.before, named(e.after), e.reason)
            # By time and kind before id: a batch tells the status listeners (a re-opened case's
            # `reopen_told`) after its other events, one at a time before the message's analysis.
            for e in CaseEvent.objects.select_related("case").order_by("case__reference", "at", "kind", "id")
        ],
        "messages": [
            (
                name[m.pk],
                m.customer.name,
                m.channel,
                m.direction,
                m.purpose,
                m.subject,
                m.sender,
                untokened(m.body_text),
                m.body_html,
                m.occurred_at,
                m.author_id,
                m.idempotency_key,
                untokened(m.email_message_id),
                m.delivery,
            )
            for m in messages
        ],
        "outbox": [
            (
                name[o.message_id],
                o.connector,
                o.integration.name if o.integration else "",
                o.destination,
                {k: untokened(v) for k, v in o.headers.items()},
                o.attempts,
                o.last_error,
            )
            for o in OutboxItem.objects.select_related("integration").order_by("message_id")
        ],
        "message sources": [
            (name[s.message_id], s.content_type, raw(bytes(s.raw)))
            for s in MessageSource.objects.order_by("message_id")
        ],
        "attachments": [
            (name[a.message_id], a.filename, a.content_type, a.size, a.sha256, bytes(a.content))
            for a in Attachment.objects.order_by("message_id", "id")
        ],
        "analyses": [
            (name[a.message_id], a.case.reference, a.risk, a.analyser_version)
            for a in MessageAnalysis.objects.select_related("case").order_by("message_id")
        ],
        "signals": [
            (name[s.message_id], s.case.reference, s.type, s.score, s.spans, s.explanation, s.verdict)
            for s in MessageSignal.objects.select_related("case").order_by("message_id", "type")
        ],
        "merge suggestions": sorted(
            (s.keep.name, s.keep.created_at, s.duplicate.name, s.duplicate.created_at, s.reason, s.status)
            for s in MergeSuggestion.objects.select_related("keep", "duplicate")
        ),
        "audit events": [
            (a.kind, a.object_type, a.after, a.actor_id, a.at) for a in AuditEvent.objects.order_by("id")
        ],
        "notifications": sorted(
            (n.user_id, n.text, link(n.link), n.created_at) for n in Notification.objects.order_by("id")
        ),
        "clocks": [
            (c.case.reference, c.code, c.status, c.pauses, c.due_at, c.warn_at, c.paused_at)
            for c in CaseClock.objects.select_related("case").order_by("case__reference", "code")
        ],
        "emails sent": [
            (
                e.to,
                untokened(e.subject),
                untokened(e.body),
                {k: untokened(v) for k, v in e.extra_headers.items()},
            )
            for e in mail.outbox
            if "X-Amends-Notification" not in e.extra_headers
        ],
        # Notifications' emails (core/emails.py) leave after commit in the order the rows were written,
        # which a batch and one-at-a-time need not share (as "notifications" above).
        "notification emails": sorted(
            (e.to, e.subject) for e in mail.outbox if "X-Amends-Notification" in e.extra_headers
        ),
    }
