"""Reading a raw email (RFC 5322 / MIME) into what intake needs. Framework-free.

The standard library's `email` package with the modern policy decodes encoded-word headers, transfer
encodings and charsets; this module picks the readable body, collects attachments, and refuses input
that is not an email at all.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from itertools import islice

from amends.messaging.html import html_to_text, sanitise_html

MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
HEADER_LINE_RE = re.compile(rb"^[!-9;-~]+:", re.M)  # a field name, then a colon (RFC 5322 3.6.8)


class MalformedEmail(ValueError):
    """The bytes are not an email we can read. The message says why, for the sender's error report."""


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass
class ParsedEmail:
    message_id: str
    in_reply_to: list[str]
    references: list[str]
    subject: str
    from_name: str
    from_address: str
    date: datetime | None
    text: str
    html: str
    attachments: list[ParsedAttachment] = field(default_factory=list)
    sha256: str = ""
    # Attachments beyond the cap `parse_email` was given: not extracted, still in the raw message.
    attachments_left_out: int = 0

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this one answers, nearest first."""
        seen: list[str] = []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.append(mid)
        return seen


def parse_email(raw: bytes, *, max_attachments: int | None = None) -> ParsedEmail:
    """Read an email. With `max_attachments`, only the first so many attachments are extracted and the
    rest counted (`attachments_left_out`): an email of 20,000 parts must not become 20,000 rows."""
    if not isinstance(raw, bytes | bytearray) or not raw.strip():
        raise MalformedEmail("The email is empty")
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not HEADER_LINE_RE.search(head):
        raise MalformedEmail("This is not an email: it has no header lines before the body")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(bytes(raw))
    except Exception as exc:  # the parser is lenient; anything it does raise means unreadable input
        raise MalformedEmail(f"The email could not be parsed: {exc}") from exc
    try:
        return _read(msg, raw, max_attachments)
    except MalformedEmail:
        raise
    except Exception as exc:  # some broken headers only fail when read (IndexError, ValueError in the stdlib)
        raise MalformedEmail(f"The email could not be read: {exc}") from exc


def _read(msg: Message, raw: bytes, max_attachments: int | None) -> ParsedEmail:
    from_name, from_address = _sender(msg)
    if not from_address:
        raise MalformedEmail("The email has no readable sender address (From header)")
    text_part, html_part = _body_parts(msg)
    html_raw = _decode_text(html_part) if html_part is not None else ""
    text = _decode_text(text_part) if text_part is not None else ""
    if not text and html_raw:
        text = html_to_text(html_raw)
    parts = _attachments(msg, {id(text_part), id(html_part)})
    attachments = list(islice(parts, max_attachments))
    left_out = sum(1 for _ in parts)
    return ParsedEmail(
        message_id=_first_id(_header(msg, "Message-ID")),
        in_reply_to=MESSAGE_ID_RE.findall(_header(msg, "In-Reply-To")),
        references=MESSAGE_ID_RE.findall(_header(msg, "References")),
        subject=" ".join(_header(msg, "Subject").split()),
        from_name=from_name,
        from_address=from_address,
        date=_date(msg),
        text=text.replace("\r\n", "\n").strip(),
        html=sanitise_html(html_raw) if html_raw else "",
        attachments=attachments,
        sha256=hashlib.sha256(raw).hexdigest(),
        attachments_left_out=left_out,
    )


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header so broken the policy cannot even build it
        return ""
    return str(value) if value is not None else ""


def _first_id(value: str) -> str:
    found = MESSAGE_ID_RE.findall(value)
    if found:
        return found[0]
    value = value.strip()
    return f"<{value}>" if value and " " not in value else ""


def _sender(msg: Message) -> tuple[str, str]:
    for header in ("From", "Sender", "Reply-To"):
        value = _header(msg, header)
        if not value:
            continue
        for name, address in getaddresses([value]):
            if "@" in address:
                return name.strip(), address.strip()
    return "", ""


def _date(msg: Message) -> datetime | None:
    value = _header(msg, "Date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _body_parts(msg: Message) -> tuple[Message | None, Message | None]:
    if isinstance(msg, EmailMessage):
        try:
            return msg.get_body(preferencelist=("plain",)), msg.get_body(preferencelist=("html",))
        except Exception:  # noqa: S110 - fall through to the plain walk below
            pass
    text = html = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/plain" and text is None and not _filename(part):
            text = part
        elif ctype == "text/html" and html is None and not _filename(part):
            html = part
    return text, html


def _decode_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload() or "").encode("utf-8", "replace")
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset, errors="replace")
        except (LookupError, ValueError):
            pass  # an unknown charset name (or one with a NUL in it): try the common ones
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("windows-1252", errors="replace")


def _attachments(msg: Message, body_ids: set[int]):
    """Every part that is not the chosen body. A forwarded email stays whole, as one .eml file."""
    stack = [msg]
    while stack:
        part = stack.pop(0)
        ctype = part.get_content_type()
        if part is not msg and ctype == "message/rfc822":
            inner = part.get_payload()
            # Headers written back as received: refolding broken ones can raise, or loop for ever (stdlib).
            keep = policy.default.clone(refold_source="none")
            whole = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else part
            content = whole.as_bytes(policy=keep)
            yield ParsedAttachment(_filename(part) or "forwarded.eml", ctype, content)
            continue
        if part.is_multipart():
            stack[0:0] = [p for p in part.get_payload() if isinstance(p, Message)]
            continue
        if id(part) in body_ids:
            continue
        if part is msg and ctype in {"text/plain", "text/html"}:
            continue
        decoded = part.get_payload(decode=True)
        content = decoded if isinstance(decoded, bytes) else str(part.get_payload() or "").encode()
        filename = _filename(part) or _default_name(ctype)
        yield ParsedAttachment(filename, ctype, content)


def _filename(part: Message) -> str | None:
    try:
        return part.get_filename()
    except Exception:  # a broken Content-Disposition (stdlib IndexError/ValueError): keep the part, unnamed
        return None


def _default_name(ctype: str) -> str:
    main, _, sub = ctype.partition("/")
    return f"{main or 'part'}.{sub or 'bin'}"
