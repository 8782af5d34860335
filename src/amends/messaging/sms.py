"""Text messages: the SMS connector, the provider interface it sends through, and how long a text is.

Amends ships no SMS gateway's client: each has its own API, and wrapping one is a few lines of a class
with `send` (README, "Replying on the customer's channel"). `AMENDS_SMS_PROVIDER` names the class by its
dotted path; unset, SMS is not offered. Shipped: `MemoryProvider`, the test double, and `FileProvider`,
which writes each text to a file as Django's file email backend does (the demo uses it).

Length: a text is sent in segments. In the GSM 7-bit alphabet one segment holds 160 characters, and a
longer text 153 a segment (the rest carries the joining header); the characters of the alphabet's
extension (`^{}\\[~]|€`) count two. A text with any other character (most accents beyond the alphabet's,
emoji, curly quotes) goes as UCS-2: 70 a segment alone, 67 joined, counted in UTF-16 units. Providers
charge per segment and phones join at most a few reliably, so a reply longer than
`AMENDS_SMS_MAX_SEGMENTS` segments is refused for SMS (it can go by email).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .connectors import Attempt

if TYPE_CHECKING:
    from .models import OutboxItem

log = logging.getLogger(__name__)

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "^{}\\[~]|€\f"


@dataclass(frozen=True)
class Length:
    """How a text goes: its encoding, its length in that encoding's units, and its segments."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int


def length(text: str) -> Length:
    if all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text):
        units = sum(2 if ch in GSM_EXTENSION else 1 for ch in text)
        single, joined, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, joined, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else math.ceil(units / joined)
    return Length(encoding, units, segments)


class SmsError(Exception):
    """The provider refused or failed a text. `permanent` when sending it again cannot help (a number
    that cannot take texts, a text refused for its content); anything else is tried again later."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class SmsProvider(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send `text` to the E.164 number `to`; the provider's id for it. `reference` is ours (the
        message's id), for providers that take one to refuse a duplicate. Raises SmsError, or any
        exception for a failure to be tried again (a timeout, a refused connection)."""
        ...


class SmsConnector:
    """Sends each text through the configured provider. A provider that fails other than by refusing a
    text (a timeout, a refused connection) is not asked again in the same batch: the rest wait for the
    next attempt. Providers bound their own waits by AMENDS_SMS_TIMEOUT."""

    def send_batch(self, items: Sequence[OutboxItem]) -> list[Attempt]:
        sender = provider()
        if sender is None:
            return [Attempt(i.pk, "SMS is not set up (AMENDS_SMS_PROVIDER)") for i in items]
        attempts: list[Attempt] = []
        down = ""
        for item in items:
            if down:
                attempts.append(Attempt(item.pk, down))
                continue
            try:
                sender.send(to=item.destination, text=item.message.body_text, reference=str(item.message_id))
            except SmsError as exc:
                attempts.append(Attempt(item.pk, f"SMS refused: {exc}"[:500], permanent=exc.permanent))
            except Exception as exc:  # any other failure is temporary; the message is safe on its case
                log.warning("Sending text message %s failed: %s", item.message_id, exc)
                down = f"SMS provider failed: {type(exc).__name__}: {exc}"[:500]
                attempts.append(Attempt(item.pk, down))
            else:
                attempts.append(Attempt(item.pk))
        return attempts


def provider() -> SmsProvider | None:
    """The configured provider, or None when SMS is not set up."""
    path = settings.AMENDS_SMS_PROVIDER
    return import_string(path)() if path else None


@dataclass
class Sent:
    to: str
    text: str
    reference: str


class MemoryProvider:
    """The test double: keeps what it is given in `sent`, and raises the errors queued in `failures`
    first, one per send (class attributes, as the connector makes its own instance; tests reset them)."""

    sent: ClassVar[list[Sent]] = []
    failures: ClassVar[list[BaseException]] = []

    def send(self, *, to: str, text: str, reference: str) -> str:
        if MemoryProvider.failures:
            raise MemoryProvider.failures.pop(0)
        MemoryProvider.sent.append(Sent(to, text, reference))
        return f"memory-{len(MemoryProvider.sent)}"

    @classmethod
    def reset(cls) -> None:
        cls.sent.clear()
        cls.failures.clear()


class FileProvider:
    """Writes each text to a file under `AMENDS_DATA_DIR/sms/`, as the demo's email goes to files: for
    trying Amends out, never for real customers."""

    def send(self, *, to: str, text: str, reference: str) -> str:
        folder = Path(settings.DATA_DIR) / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now():%Y%m%d-%H%M%S}-{reference}.txt"
        (folder / name).write_text(f"To: {to}\nReference: {reference}\n\n{text}\n", encoding="utf-8")
        return name
