"""Reading a raw email (RFC 5322 / MIME) into what intake needs. Framework-free.

The standard library's `email` package with the modern policy decodes encoded-word headers, transfer
encodings and charsets; this module picks the readable body, collects attachments, and refuses input
that is not an email at all.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from itertools import chain, islice

from amends.messaging.html import html_to_text, sanitise_html

from .automatic import Automatic, automatic_of

MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
HEADER_LINE_RE = re.compile(rb"^[!-9;-~]+:", re.M)  # a field name, then a colon (RFC 5322 3.6.8)
UNDECODED_RE = re.compile("[\udc80-\udcff]")  # a raw 8-bit byte the parser could not decode
UUENCODED_RE = re.compile(rb"^begin [0-7]{3,4} ([^\r\n]+)\r?\n(.*?)^end\s*$", re.M | re.S)
UUENCODED_TEXT_RE = re.compile(r"^begin [0-7]{3,4} [^\r\n]+\r?\n.*?^end[ \t]*(\r?\n|$)", re.M | re.S)
BOUNDARY_PARAM_RE = re.compile(rb"""boundary\s*=\s*"?([^"\s;]{1,70})""", re.I)
BOUNDARY_LINE_RE = re.compile(r"^--([^\s-][^\r\n]{0,69}?)[ \t]*\r?$", re.M)
# Charset labels as browsers and mail clients read them (the WHATWG Encoding Standard's mapping): what
# is sent as the narrower charset is nearly always written in the wider one.
CHARSET_AS_READ = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "iso-8859-9": "windows-1254",
    "iso-8859-11": "windows-874",
    "tis-620": "windows-874",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-8-e": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "big5": "big5hkscs",
}
# Parts that sign a message or say how it is encrypted: part of the email's envelope, not a file sent.
SIGNATURES = {
    "application/pgp-signature",
    "application/pkcs7-signature",
    "application/x-pkcs7-signature",
    "application/pgp-encrypted",
}


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
    # MIME parts beyond the cap `parse_email` was given: not looked at, still in the raw message.
    parts_left_out: int = 0
    # A bounce or an automatic reply (automatic.py): mail no person wrote, which opens no case.
    automatic: Automatic | None = None

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this one answers, nearest first."""
        seen: list[str] = []
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            if mid not in seen:
                seen.append(mid)
        return seen


def parse_email(
    raw: bytes,
    *,
    max_attachments: int | None = None,
    max_parts: int | None = None,
    require_sender: bool = True,
) -> ParsedEmail:
    """Read an email. With `max_attachments`, only the first so many attachments are extracted and the
    rest counted (`attachments_left_out`): an email of 20,000 parts must not become 20,000 rows. With
    `max_parts`, MIME parts past that many are not looked at at all (`parts_left_out`). Without
    `require_sender`, an email with no usable From is read all the same (a person supplies the sender)."""
    if not isinstance(raw, bytes | bytearray) or not raw.strip():
        raise MalformedEmail("The email is empty")
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not HEADER_LINE_RE.search(head):
        raise MalformedEmail("This is not an email: it has no header lines before the body")
    readable, unread = _within_part_cap(bytes(raw), max_parts)
    try:
        msg = BytesParser(policy=policy.default).parsebytes(readable)
    except Exception as exc:  # the parser is lenient; anything it does raise means unreadable input
        raise MalformedEmail(f"The email could not be parsed: {exc}") from exc
    try:
        parsed = _read(msg, raw, max_attachments, max_parts, require_sender)
    except MalformedEmail:
        raise
    except Exception as exc:  # some broken headers only fail when read (IndexError, ValueError in the stdlib)
        raise MalformedEmail(f"The email could not be read: {exc}") from exc
    parsed.parts_left_out += unread
    return parsed


def _within_part_cap(raw: bytes, max_parts: int | None) -> tuple[bytes, int]:
    """The bytes the parser is given, and how many parts were left out of them. The parser spends
    milliseconds on each part, so an email of 20,000 parts is cut before it is parsed: at the line that
    opens the part past the cap (a line "--" + one of the boundaries the email declares)."""
    if max_parts is None:
        return raw, 0
    boundaries = {m.group(1) for m in islice(BOUNDARY_PARAM_RE.finditer(raw), 100)}
    if not boundaries:
        return raw, 0
    opening = re.compile(rb"^--(?:" + b"|".join(re.escape(b) for b in boundaries) + rb")[ \t]*\r?$", re.M)
    opened = opening.finditer(raw)
    # The root is a part too: the cap-th delimiter line opens the part past the cap.
    past = next(islice(opened, max_parts - 1, None), None)
    if past is None:
        return raw, 0
    return raw[: past.start()], 1 + sum(1 for _ in opened)


def _read(
    msg: Message, raw: bytes, max_attachments: int | None, max_parts: int | None, require_sender: bool
) -> ParsedEmail:
    charsets = _declared_charsets(msg)
    from_name, from_address = _sender(msg, charsets)
    if not from_address and require_sender:
        raise MalformedEmail("The email has no readable sender address (From header)")
    content = _content(msg)
    text_part, html_part = _body_parts(content)
    html_raw = _decode_text(html_part) if html_part is not None else ""
    text = _decode_text(text_part) if text_part is not None else ""
    if text_part is not None:
        text = UUENCODED_TEXT_RE.sub("", text)  # each file is an attachment now, not text to read
        text = "\n\n".join([text, *_more_text(content, text_part, max_parts)])
    if not text and html_raw:
        text = html_to_text(html_raw)
    if not text:
        text = _unsplit_text(content)
    walked = _parts(content, max_parts)
    parts = _attachments(walked, {id(text_part), id(html_part)})
    parts = chain(parts, _uuencoded(text_part))
    attachments = list(islice(parts, max_attachments))
    left_out = sum(1 for _ in parts)
    return ParsedEmail(
        message_id=_first_id(_header(msg, "Message-ID")),
        in_reply_to=MESSAGE_ID_RE.findall(_header(msg, "In-Reply-To")),
        references=MESSAGE_ID_RE.findall(_header(msg, "References")),
        subject=" ".join(_header_text(msg, "Subject", charsets).split()),
        from_name=from_name,
        from_address=from_address,
        date=_date(msg),
        text=text.replace("\r\n", "\n").strip(),
        html=sanitise_html(html_raw) if html_raw else "",
        attachments=attachments,
        sha256=hashlib.sha256(raw).hexdigest(),
        attachments_left_out=left_out,
        parts_left_out=walked.left_out,
        automatic=automatic_of(msg),
    )


def _content(msg: Message) -> Message:
    """What the email says: itself, or for an email that is only a forwarded one (GroupWise forwards
    so), the email inside; a multipart with no usable boundary parameter split on the boundary its
    body uses."""
    if msg.get_content_type() == "message/rfc822":
        inner = msg.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            return _content(inner[0])
    if msg.get_content_maintype() == "multipart" and not msg.is_multipart():
        return _resplit(msg) or msg
    return msg


def _resplit(msg: Message) -> Message | None:
    """A multipart whose boundary parameter is missing or wrong, parsed again with the first boundary
    line its body has (as mail clients repair it)."""
    payload = msg.get_payload()
    if not isinstance(payload, str):
        return None
    found = BOUNDARY_LINE_RE.search(payload)
    if found is None:
        return None
    boundary = found.group(1).rstrip()
    head = f'Content-Type: {msg.get_content_type()}; boundary="{boundary}"\r\n\r\n'
    data = (head + payload).encode("utf-8", "surrogateescape")
    repaired = BytesParser(policy=policy.default).parsebytes(data)
    return repaired if repaired.is_multipart() and len(repaired.get_payload()) > 0 else None


def _more_text(msg: Message, body: Message, limit: int | None) -> list[str]:
    """The text parts after the body that are more of it, not files: Apple Mail writes the text after a
    picture as a part of its own, a mailing-list digest its footer."""
    more = []
    for part, parent in _Walk(msg, limit):
        if part is body or part.is_multipart() or part.get_content_type() != "text/plain":
            continue
        if parent is not None and parent.get_content_type() == "multipart/alternative":
            continue
        if _filename(part) is None and part.get_content_disposition() != "attachment":
            more.append(_decode_text(part).strip())
    return [t for t in more if t]


def _unsplit_text(msg: Message) -> str:
    """The text of a multipart the parser could not split (a nested part reusing its parent's boundary,
    a boundary never closed): its raw payload, better than nothing."""
    for part in islice(msg.walk(), 50):
        if part.get_content_maintype() == "multipart" and not part.is_multipart():
            return str(part.get_payload() or "")
    return ""


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


def _sender(msg: Message, charsets: list[str]) -> tuple[str, str]:
    """The first address in From, Sender, Reply-To. An address need not have a dot in its domain
    (guest@localhost is an address a mail server delivers)."""
    first_name = ""
    for header in ("From", "Sender", "Reply-To"):
        value = _header_text(msg, header, charsets)
        if not value:
            continue
        for name, address in getaddresses([value]):
            local, at, domain = address.strip().rpartition("@")
            if at and local and domain:
                return name.strip(), address.strip()
            first_name = first_name or name.strip() or address.strip()
    return first_name, ""


def _header_text(msg: Message, name: str, charsets: list[str]) -> str:
    """A header's text. Raw 8-bit bytes (no encoded-word, against RFC 5322 but common) are read as
    UTF-8 when they are, else in the charset the message declares for its text, else Windows-1252."""
    for field_name, value in msg.raw_items():
        if field_name.lower() != name.lower():
            continue
        if not isinstance(value, str):
            return _header(msg, name)
        if not UNDECODED_RE.search(value):
            parsed = _header(msg, name)
            if "\ufffd" in parsed and "=?" in value:
                return _encoded_words(value) or parsed
            return parsed
        data = value.encode("utf-8", "surrogateescape")
        for charset in ["utf-8", *(CHARSET_AS_READ.get(c, c) for c in charsets)]:
            try:
                text = data.decode(charset)
            except (LookupError, UnicodeDecodeError, ValueError):
                continue
            return " ".join(text.split())
        return " ".join(data.decode("windows-1252", errors="replace").split())
    return ""


def _encoded_words(value: str) -> str:
    """Encoded words in a charset the standard library does not know by that label (Outlook's
    =?iso-8859-8-i?...?=), read by the charset the label means."""
    try:
        chunks = decode_header(" ".join(value.split()))
    except Exception:  # a malformed encoded word: the parser's reading stands
        return ""
    text = "".join(
        decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk for chunk, charset in chunks
    )
    return " ".join(text.split())


def _declared_charsets(msg: Message) -> list[str]:
    """The charsets the message declares for itself and its text parts, first found first."""
    found: list[str] = []
    for part in islice(msg.walk(), 50):
        try:
            charset = part.get_content_charset()
        except Exception:  # noqa: S112 - a broken Content-Type declares nothing
            continue
        if charset and charset not in found and charset not in {"us-ascii", "utf-8"}:
            found.append(charset)
    return found


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
    return decode_bytes(payload, part.get_content_charset())


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Text in the charset declared, read as mail clients read it: a label by the wider charset it
    means in practice (ISO-8859-1 as Windows-1252, GB2312 as GB18030...); bytes that are not in it
    (8-bit text sent as "us-ascii") as UTF-8 when they are, else Windows-1252."""
    charset = CHARSET_AS_READ.get((declared or "").lower(), declared)
    if charset and charset.lower() in {"us-ascii", "ascii"}:
        charset = None  # 8-bit bytes sent as ASCII: guessed below, UTF-8 first
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, ValueError):
            pass  # an unknown charset name (or one with a NUL in it), or bytes not in it
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if charset:
        try:
            return data.decode(charset, errors="replace")
        except (LookupError, ValueError):
            pass
    return data.decode("windows-1252", errors="replace")


class _Walk:
    """A message's parts, depth first, at most `limit` of them; `left_out` counts the rest once walked.
    A forwarded email is one part: it stays whole, as one .eml file."""

    def __init__(self, msg: Message, limit: int | None):
        self.msg, self.limit, self.left_out = msg, limit, 0

    def __iter__(self) -> Iterator[tuple[Message, Message | None]]:
        seen = 0
        stack: list[tuple[Message, Message | None]] = [(self.msg, None)]
        while stack:
            part, parent = stack.pop(0)
            seen += 1
            if self.limit is not None and seen > self.limit:
                self.left_out = 1 + sum(_count(p) for p, _ in stack)
                return
            yield part, parent
            if part.is_multipart() and not (part is not self.msg and _is_forward(part)):
                children = part.get_payload()
                stack[0:0] = [(p, part) for p in children if isinstance(p, Message)]


def _count(part: Message) -> int:
    return sum(1 for _ in part.walk())


def _is_forward(part: Message) -> bool:
    return part.get_content_type() == "message/rfc822"


def _parts(msg: Message, limit: int | None) -> _Walk:
    return _Walk(msg, limit)


def _attachments(walked: _Walk, body_ids: set[int]) -> Iterator[ParsedAttachment]:
    """The files sent: every leaf part that is not the body, another rendering of it (the HTML of a
    multipart/alternative, the text runs Apple Mail puts around a picture) or a signature."""
    msg = walked.msg
    for part, parent in walked:
        ctype = part.get_content_type()
        if part is not msg and ctype == "message/rfc822":
            inner = part.get_payload()
            # Headers written back as received: refolding broken ones can raise, or loop for ever (stdlib).
            keep = policy.default.clone(refold_source="none")
            whole = inner[0] if isinstance(inner, list) and inner and isinstance(inner[0], Message) else part
            content = whole.as_bytes(policy=keep)
            yield ParsedAttachment(_filename(part) or "forwarded.eml", ctype, content)
            continue
        if part.is_multipart() or id(part) in body_ids or _not_a_file(part, parent, msg):
            continue
        decoded = part.get_payload(decode=True)
        content = decoded if isinstance(decoded, bytes) else str(part.get_payload() or "").encode()
        filename = _filename(part) or _default_name(ctype)
        yield ParsedAttachment(filename, ctype, content)


def _not_a_file(part: Message, parent: Message | None, msg: Message) -> bool:
    ctype = part.get_content_type()
    if part.get_content_maintype() == "multipart":
        return True  # one the parser could not split: the structure of the email, not a file in it
    if ctype in SIGNATURES and parent is not None and parent.get_content_type() == "multipart/signed":
        return True
    if ctype not in {"text/plain", "text/html", "text/enriched", "text/richtext"}:
        return False
    if part is msg:
        return True
    disposition = (part.get_content_disposition() or "") if _filename(part) is None else "attachment"
    return disposition != "attachment"


def _uuencoded(text_part: Message | None) -> Iterator[ParsedAttachment]:
    """Files uuencoded into the text body ("begin 644 name" ... "end"), as old mailers still send."""
    if text_part is None:
        return
    payload = text_part.get_payload(decode=True)
    if not isinstance(payload, bytes) or b"begin " not in payload:
        return
    for match in UUENCODED_RE.finditer(payload):
        content = bytearray()
        try:
            for line in match.group(2).splitlines():
                if line.strip() and line.strip() != b"`":
                    content += binascii.a2b_uu(line)
        except binascii.Error:
            continue
        name = match.group(1).decode("utf-8", "replace").strip()
        yield ParsedAttachment(name or "attachment.bin", "application/octet-stream", bytes(content))


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # a broken Content-Disposition (stdlib IndexError/ValueError): keep the part, unnamed
        return None
    if name and "\ufffd" in name:
        return _raw_filename(part) or name
    return name


def _raw_filename(part: Message) -> str | None:
    """A file name in raw 8-bit bytes (no RFC 2231 or encoded word), read as UTF-8, else Windows-1252,
    or an encoded word in a charset label the standard library does not know."""
    for field_name, value in part.raw_items():
        if field_name.lower() not in {"content-disposition", "content-type"} or not isinstance(value, str):
            continue
        text = decode_bytes(value.encode("utf-8", "surrogateescape"), None)
        legacy = Message()  # the compat32 parser reads parameters from plain text without decoding
        legacy["Content-Type"] = text
        name = legacy.get_param("filename") or legacy.get_param("name")
        if isinstance(name, str) and name:
            return _encoded_words(name) if "=?" in name else name
    return None


def _default_name(ctype: str) -> str:
    main, _, sub = ctype.partition("/")
    return f"{main or 'part'}.{sub or 'bin'}"
