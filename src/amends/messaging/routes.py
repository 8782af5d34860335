"""Where a reply to the customer goes: the channel they last wrote on, when a connector serves it and we
have their contact point on it; else email; else nowhere, with the reason (CFACSC7 K13: answer customers
on the channel they use).

- social media and chat go through the integration switched on for the channel (its webhook), to the
  customer's handle, or in the conversation they wrote in: the id of their post or chat message, which
  the social and chat feeds give as `external_id`;
- SMS through the SMS provider, to a mobile number of theirs, when the reply fits a few texts;
- email to their email address, primary first;
- a web form or API contact is answered by email.

The reply form says which way a reply will go before it is sent, and offers the others there are; a
reply with files goes by email (only email carries them). `routes_for` decides from what is known of
the customer; `case_routes` reads that for a case, intake's batch from what arrived.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import phonenumbers
from django.conf import settings

from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.customers.models import Channel, ContactPoint

from . import sms
from .hooks import ReplyChannels, reply_limits
from .models import Integration, Message, OutboxItem

# The channels an integration's webhook serves.
WEBHOOK_CHANNELS = (Channel.SOCIAL, Channel.CHAT)
# The channels a person may say they sent a reply on themselves.
BY_HAND_CHANNELS = (Channel.EMAIL, Channel.SOCIAL, Channel.CHAT, Channel.SMS)
# The channel a reply goes back on, by the channel the customer wrote on.
ANSWERED_ON = {
    Channel.EMAIL: Channel.EMAIL,
    Channel.WEB_FORM: Channel.EMAIL,
    Channel.API: Channel.EMAIL,
    Channel.SOCIAL: Channel.SOCIAL,
    Channel.CHAT: Channel.CHAT,
    Channel.SMS: Channel.SMS,
}
OFFERED_ORDER = (Channel.EMAIL, Channel.SOCIAL, Channel.CHAT, Channel.SMS)
# How far back a case's messages are read for the customer's latest post or chat on each channel.
RECENT = 50


@dataclass(frozen=True)
class Reach:
    """What is known of how to reach a customer on a case."""

    # Their contact points as (kind, value, is_primary), in the order they were added.
    points: Sequence[tuple[str, str, bool]]
    # Per channel, the id of their latest message on it (a post, a chat message): what a reply answers.
    conversations: Mapping[str, str] = field(default_factory=dict)
    # The channel of their latest message on the case; "" when they never wrote (a case opened by a call).
    last_written: str = ""


@dataclass(frozen=True)
class Route:
    """One way a reply can go."""

    channel: str
    connector: str
    destination: str
    in_reply_to: str = ""
    integration: Integration | None = None

    @property
    def label(self) -> str:
        if self.connector == OutboxItem.Connector.EMAIL:
            return f"Email to {self.destination}"
        if self.connector == OutboxItem.Connector.SMS:
            return f"SMS to {self.destination}"
        name = self.integration.name if self.integration else "an integration"
        where = "in their conversation" if self.destination == self.in_reply_to else f"to {self.destination}"
        return f"{Channel(self.channel).label}, through {name}, {where}"


@dataclass(frozen=True)
class Routes:
    """The ways a reply can go, the one Amends chooses first, and why that one (or why none)."""

    offered: tuple[Route, ...]
    default: Route | None
    reason: str
    # The channel the reply is stored under when it goes nowhere.
    wanted: str = Channel.EMAIL
    # Why each channel not offered is not.
    missing: Mapping[str, str] = field(default_factory=dict)
    # What an agreed contact arrangement says of replies on this case (hooks.reply_channels), shown on the
    # reply form: why only these channels, and any guidance.
    arrangement: str = ""
    guidance: str = ""
    # The only channels the arrangement allows (None: any).
    allowed: frozenset[str] | None = None

    def choose(self, channel: str | None) -> Route | None:
        """The route for `channel`, or the default for None; DomainError when that channel is not open."""
        if not channel:
            return self.default
        for route in self.offered:
            if route.channel == channel:
                return route
        label = Channel(channel).label if channel in Channel.values else channel
        why = self.missing.get(channel, f"replies do not go by {label}")
        raise DomainError(
            f"This reply cannot go by {label}: {why}.",
            code="channel_unavailable",
            fields={"send_by": why},
        )


def routes_for(
    reach: Reach,
    *,
    integrations: Sequence[Integration],
    body: str = "",
    files: bool = False,
) -> Routes:
    """Every way a reply with this body (and files, or not) can reach the customer, and the one it takes."""
    found: dict[str, Route] = {}
    missing: dict[str, str] = {}
    for channel, (route, why) in _candidates(reach, integrations, body, files).items():
        if route is not None:
            found[channel] = route
        else:
            missing[channel] = why
    wanted = ANSWERED_ON.get(reach.last_written, Channel.EMAIL)
    default = found.get(wanted) or found.get(Channel.EMAIL)
    # The default first, then the others in a fixed order.
    offered = tuple(sorted(found.values(), key=lambda r: (r != default, OFFERED_ORDER.index(r.channel))))
    return Routes(offered, default, _reason(reach, wanted, default, missing), wanted, missing)


def _candidates(
    reach: Reach, integrations: Sequence[Integration], body: str, files: bool
) -> dict[str, tuple[Route | None, str]]:
    email = _first(reach, ContactPoint.Kind.EMAIL)
    routes = {
        Channel.EMAIL: (
            (Route(Channel.EMAIL, OutboxItem.Connector.EMAIL, email), "")
            if email
            else (None, "we have no email address for them")
        )
    }
    for channel in WEBHOOK_CHANNELS:
        routes[channel] = _webhook(reach, channel, integrations, files)
    routes[Channel.SMS] = _sms(reach, body, files)
    return routes


def _webhook(
    reach: Reach, channel: str, integrations: Sequence[Integration], files: bool
) -> tuple[Route | None, str]:
    integration = next((i for i in integrations if i.enabled and channel in i.channels), None)
    if integration is None:
        return None, f"no integration is switched on for {in_words(channel)}"
    if files:
        return None, "files go by email only"
    in_reply_to = reach.conversations.get(channel, "")
    handle = _first(reach, ContactPoint.Kind.SOCIAL) if channel == Channel.SOCIAL else ""
    if not (handle or in_reply_to):
        if channel == Channel.SOCIAL:
            return None, "we have neither their handle nor a post of theirs on this case"
        return None, "there is no chat conversation of theirs on this case"
    return Route(channel, OutboxItem.Connector.WEBHOOK, handle or in_reply_to, in_reply_to, integration), ""


def _sms(reach: Reach, body: str, files: bool) -> tuple[Route | None, str]:
    if not settings.AMENDS_SMS_PROVIDER:
        return None, "SMS is not set up"
    number = next(
        (n for kind, value, _ in _ordered(reach) if kind == ContactPoint.Kind.PHONE and (n := mobile(value))),
        None,
    )
    if number is None:
        return None, "we have no mobile number for them"
    if files:
        return None, "files go by email only"
    size = sms.length(body)
    if size.segments > settings.AMENDS_SMS_MAX_SEGMENTS:
        return (
            None,
            f"it is too long for a text ({size.segments} parts; at most {settings.AMENDS_SMS_MAX_SEGMENTS})",
        )
    return Route(Channel.SMS, OutboxItem.Connector.SMS, number), ""


def _ordered(reach: Reach) -> list[tuple[str, str, bool]]:
    """Primary points first, then in the order they were added."""
    return [p for _, p in sorted(enumerate(reach.points), key=lambda ip: (not ip[1][2], ip[0]))]


def _first(reach: Reach, kind: str) -> str:
    return next((value for k, value, _ in _ordered(reach) if k == kind), "")


def mobile(value: str) -> str | None:
    """The number in E.164 if it can take texts: a mobile (or a number that may be one); in the UK a
    number starting 07 when the numbering plan does not know it (Ofcom's drama numbers, new ranges)."""
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    kind = phonenumbers.number_type(number)
    if kind in {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}:
        return e164
    if kind == phonenumbers.PhoneNumberType.UNKNOWN and e164.startswith("+447"):
        return e164
    return None


def in_words(channel: str) -> str:
    """A channel as a sentence names it: "social media", "chat", "SMS"."""
    label = Channel(channel).label
    return label if label.isupper() else label.lower()


def _reason(reach: Reach, wanted: str, default: Route | None, missing: Mapping[str, str]) -> str:
    wrote = (
        f"The customer last wrote by {in_words(reach.last_written)}"
        if reach.last_written in Channel.values
        else "The customer has not written on this case"
    )
    if default is not None and default.channel == wanted:
        return f"{wrote}." if reach.last_written else f"{wrote}: email is the way to reach them."
    if default is not None:
        return f"{wrote}, but {missing.get(wanted, '')}: by email instead."
    why = missing.get(Channel.EMAIL, "")
    if wanted != Channel.EMAIL:
        why = f"{missing.get(wanted, '')}, and {why}"
    return f"Amends cannot send it: {why}. It is kept on the case; reach them another way."


def case_reach(case: Case) -> Reach:
    """What is known of how to reach the case's customer: two queries."""
    points = list(
        ContactPoint.objects.filter(customer_id=case.customer_id)
        .order_by("id")
        .values_list("kind", "value", "is_primary")
    )
    written = list(
        Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
        .exclude(purpose="contact_note")
        .order_by("-occurred_at", "-id")
        .values_list("channel", "idempotency_key")[:RECENT]
    )
    return Reach(points, conversations_of(written), written[0][0] if written else "")


def conversations_of(written: Sequence[tuple[str, str | None]]) -> dict[str, str]:
    """Per channel, the external id of the newest of these (channel, idempotency key) messages, newest
    first: contacts are stored under the key `<channel>:<external_id>`."""
    found: dict[str, str] = {}
    for channel, key in written:
        prefix = f"{channel}:"
        if channel not in found and key and key.startswith(prefix):
            found[channel] = key.removeprefix(prefix)
    return found


def integrations_on() -> list[Integration]:
    return list(Integration.objects.filter(enabled=True))


def case_routes(case: Case, *, body: str = "", files: bool = False) -> Routes:
    """Where a reply on this case can go, and where it goes unless the writer chooses: three queries, and
    what the apps above allow (`hooks.reply_channels`: a one-channel restriction leaves only its channels)."""
    routes = routes_for(case_reach(case), integrations=integrations_on(), body=body, files=files)
    return limited(routes, reply_limits(case))


def limited(routes: Routes, limits: ReplyChannels | None) -> Routes:
    """These routes with only the channels the limits allow; the others missing for the limits' reason."""
    if limits is None:
        return routes
    if limits.channels is None:
        return replace(routes, guidance=limits.guidance)
    allowed = limits.channels
    offered = tuple(r for r in routes.offered if r.channel in allowed)
    missing = dict(routes.missing)
    for route in routes.offered:
        if route.channel not in allowed:
            missing[route.channel] = limits.reason.rstrip(".")
    for channel in OFFERED_ORDER:
        if channel not in allowed:
            missing[channel] = limits.reason.rstrip(".")
    default = routes.default if routes.default in offered else (offered[0] if offered else None)
    reason = (
        routes.reason
        if default == routes.default
        else (
            f"{limits.reason.rstrip('.')}: by {in_words(default.channel)}."
            if default is not None
            else f"{limits.reason.rstrip('.')}, and Amends cannot reach them that way: send it by post or "
            "record it as sent by hand."
        )
    )
    wanted = routes.wanted if routes.wanted in allowed else next(iter(sorted(allowed)), routes.wanted)
    return Routes(offered, default, reason, wanted, missing, limits.reason, limits.guidance, allowed)


def by_hand_refusal(case: Case, channel: str) -> str | None:
    """Why a reply recorded as sent by hand on `channel` breaks the case's contact arrangement, or None."""
    limits = reply_limits(case)
    if limits is None or limits.channels is None or channel in limits.channels:
        return None
    return limits.reason.rstrip(".")
