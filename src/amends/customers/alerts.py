"""Colleague alerts on a customer (issue 12, scope 5; CFACSC4 P16: advise the appropriate colleagues if
the customer is likely to re-open the matter with them; K9: notice of further approaches): "may re-open
the matter", "may contact you", or something else in a colleague's words, who raised it and why, until
an expiry date or until someone closes it.

An alert is a customer notice (`customers.hooks.customer_notices`, registered in apps.py), so whoever
handles this customer next sees it first on the queue's rows, the case page and the customer page,
whatever channel the customer comes back on: a message on any channel lands on a case, and the case page
shows the notice. The person an alert names (`contact`: "may contact you") is told when it is raised.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import can_close_colleague_alert, can_raise_colleague_alerts, require, staff_of
from amends.core.services import audit_record, notify

from . import hooks
from .hooks import CustomerNotice
from .models import ColleagueAlert, Customer

TEXT_MAX = 500
LONGEST = timedelta(days=366)  # an alert is reviewed at least yearly: a new one can be raised after
DEFAULT_DAYS = 90


def _today() -> date:
    return timezone.localdate()


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def colleague_alert_raise(
    *,
    customer: Customer,
    actor: Any,
    kind: str,
    text: str,
    expires_on: date | None = None,
    contact: Any = None,
) -> ColleagueAlert:
    """Raise an alert on this customer for whoever deals with them next. `text` says why and what to do;
    it expires on `expires_on` (by default in 90 days, at most a year ahead)."""
    require(can_raise_colleague_alerts(actor), "You can read alerts on customers but not raise them")
    if kind not in ColleagueAlert.Kind.values:
        raise DomainError(
            "Choose what the alert is: may re-open the matter, may contact you, or other",
            fields={"kind": "may_reopen, may_contact or other"},
        )
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(
            "Say why: what happened, and what whoever deals with the customer next should do",
            fields={"text": "required"},
        )
    if len(text) > TEXT_MAX:
        raise DomainError(f"An alert is at most {TEXT_MAX} characters", fields={"text": "too long"})
    today = _today()
    expires_on = expires_on or today + timedelta(days=DEFAULT_DAYS)
    if expires_on <= today or expires_on > today + LONGEST:
        raise DomainError(
            "The alert must expire after today and within a year", fields={"expires_on": "out of range"}
        )
    if contact is not None and staff_of(contact) is None:
        raise DomainError("Name a colleague with a role in Amends", fields={"contact": "not staff"})
    if customer.merged_into_id is not None:
        raise DomainError("This record was merged into another: raise the alert there", code="merged")
    alert = ColleagueAlert.objects.create(
        customer=customer,
        kind=kind,
        text=text,
        contact=contact,
        raised_by=actor,
        raised_at=timezone.now(),
        expires_on=expires_on,
    )
    audit_record(
        actor=actor,
        kind="customer.alert_raised",
        obj=alert,
        after={
            "customer": customer.pk,
            "kind": kind,
            "expires_on": expires_on.isoformat(),
            "contact": contact.pk if contact is not None else None,
        },
        reason=text,
    )
    for listener in hooks.colleague_alert_raised:
        listener(alert)
    if contact is not None and contact.pk != actor.pk:
        notify(
            users=[contact],
            text=f"{_name(actor)} raised an alert on {customer.name}: {alert.get_kind_display().lower()}",
            link=reverse("customer_detail", args=[customer.pk]) + "#alerts-h",
            urgent=False,
        )
    return alert


@transaction.atomic
def colleague_alert_close(*, alert: ColleagueAlert, actor: Any, reason: str = "") -> ColleagueAlert:
    """Close an alert (it was seen to, or no longer holds): it leaves every screen, and the record stays."""
    alert = ColleagueAlert.objects.select_for_update().get(pk=alert.pk)
    if not can_close_colleague_alert(actor, alert):
        raise PermissionDenied("Whoever raised the alert, the colleague it names or a team leader closes it")
    if alert.closed_at is not None:
        return alert
    reason = " ".join((reason or "").split())
    if len(reason) > 300:
        raise DomainError("A reason is at most 300 characters", fields={"reason": "too long"})
    alert.closed_at, alert.closed_by, alert.close_reason = timezone.now(), actor, reason
    alert.save(update_fields=["closed_at", "closed_by", "close_reason"])
    audit_record(
        actor=actor,
        kind="customer.alert_closed",
        obj=alert,
        after={"customer": alert.customer_id},
        reason=reason,
    )
    return alert


def alerts_live(customer_ids, *, today: date | None = None):
    """The alerts in force on these customers (not closed, not expired), newest first."""
    today = today or _today()
    return (
        ColleagueAlert.objects.filter(customer_id__in=list(customer_ids), closed_at__isnull=True)
        .filter(expires_on__gte=today)
        .select_related("raised_by", "contact")
        .order_by("-raised_at", "-id")
    )


def alert_notices(user: Any, customer_ids: list[int]) -> dict[int, list[CustomerNotice]]:
    """customers.hooks.customer_notices: every live alert, for anyone with a role (the pages ask only
    about customers the user may see). One query however many customers."""
    if staff_of(user) is None:
        return {}
    found: dict[int, list[CustomerNotice]] = {}
    for alert in alerts_live(customer_ids):
        by = f"{_name(alert.raised_by)}, {alert.raised_at:%-d %b %Y}"
        if alert.contact_id:
            who = "you" if alert.contact_id == user.pk else _name(alert.contact)
            by += f"; contact {who}"
        found.setdefault(alert.customer_id, []).append(
            CustomerNotice(
                kind="colleague_alert",
                label=alert.label,
                text=f"{alert.text} ({by}; until {alert.expires_on:%-d %b %Y})",
                tone="warning",
                link=reverse("customer_detail", args=[alert.customer_id]) + "#alerts-h",
            )
        )
    return found


def alert_panel(user: Any, customer: Customer, *, full: bool = True) -> dict[str, Any]:
    """The customer page's alerts panel: those in force, each with its close form, and the form to raise
    one. The case page's (`full=False`) has only the form, without the colleagues to name: its customer
    notices already show the alerts in force, and link to the customer page to close or name someone."""
    alerts = list(alerts_live([customer.pk])) if full else []
    can_raise = can_raise_colleague_alerts(user)
    return {
        "colleague_alerts": [(a, can_close_colleague_alert(user, a)) for a in alerts],
        "alert_customer": customer,
        "can_raise_alerts": can_raise,
        "alert_kinds": ColleagueAlert.Kind.choices,
        "alert_contacts": alert_contacts() if can_raise and full else [],
        "alerts_full": full,
        "alert_default_expiry": _today() + timedelta(days=DEFAULT_DAYS),
        "alert_latest_expiry": _today() + LONGEST,
    }


def alert_contacts() -> list[Any]:
    """The colleagues an alert may name: everyone with a role who works cases, by name."""
    from amends.core.permissions import WORKING_ROLES

    return list(
        get_user_model()
        .objects.filter(is_active=True, staff__role__in=WORKING_ROLES)
        .order_by("first_name", "last_name", "username")
    )


def alerts_move_customer(*, keep: Customer, duplicate: Customer, actor: Any, at: Any, reason: str) -> dict:
    """Two customer records became one: the duplicate's alerts move to the kept record."""
    return {"alerts_moved": ColleagueAlert.objects.filter(customer=duplicate).update(customer=keep)}
