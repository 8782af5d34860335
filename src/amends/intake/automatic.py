"""Mail no person wrote: bounces (delivery status notifications) and automatic replies (out of office,
autoresponders, bulk and list mail). Framework-free: it reads the standard library's parsed message.

Neither ever opens a case (intake/emails.py): a bounce of our own mail is kept on the case of the email it
returns and marks that email not delivered, an automatic reply on a case's thread is kept on the case and
changes nothing, and anything else is set aside, raw, with why. The signals are tried from the surest
(the report a mail server writes, RFC 3464) to the weakest (an out-of-office subject); each says which it
was, so a person can see why a message was set aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.utils import getaddresses
from itertools import islice

MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
QUOTED_MESSAGE_ID_RE = re.compile(r"^\s*Message-ID:\s*(<[^<>\s]+>)", re.I | re.M)
# Senders that are a mail system, not a person (RFC 5321 4.5.1 postmaster; MAILER-DAEMON by custom).
SYSTEM_SENDERS = {"mailer-daemon", "postmaster"}
# RFC 3834 Auto-Submitted; the de facto headers of autoresponders that predate it; Precedence as
# mailing-list and vacation software set it (RFC 2076 describes it, RFC 3834 names it).
AUTO_PRECEDENCE = {"bulk", "auto_reply", "junk", "list"}
AUTO_HEADERS = ("X-Autoreply", "X-Autorespond")
# How mail systems title a returned message: read only alongside an empty return path (a person may well
# write "Undelivered parcel"), to tell a bounce from another automatic reply.
BOUNCE_SUBJECT_RE = re.compile(
    r"^\s*(undeliver(ed|able)|delivery (status notification|failure|has failed)|mail delivery fail|"
    r"returned mail|failure notice|non[- ]?delivery)",
    re.I,
)
# The weakest signal, last: an automatic reply's subject. The phrase must be the subject's whole
# beginning, then a colon or nothing ("Out of office hours service was terrible" is a complaint).
OUT_OF_OFFICE_RE = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response)|out of (the )?office( auto ?reply)?|away from (the )?office|"
    r"on (holiday|vacation|leave)|r[ée]ponse automatique|automatische antwort|abwesenheitsnotiz)"
    r"\s*(:|$)",
    re.I,
)


@dataclass(frozen=True)
class Automatic:
    """What kind of automatic mail this is, and which signal said so."""

    kind: str  # "bounce" or "auto_reply"
    reason: str  # the signal, in words: shown where the message is kept
    # A bounce: the Message-IDs of the mail it returns, from the report's copy of that mail.
    original_ids: tuple[str, ...] = ()
    # A bounce: whether delivery failed (a report of a delay, or of delivery, fails nothing).
    failed: bool = True
    diagnostic: str = ""  # a bounce: the status and the receiving server's words, when it gave them

    @property
    def is_bounce(self) -> bool:
        return self.kind == "bounce"


def automatic_of(msg: Message) -> Automatic | None:
    """The message's automatic kind, or None when a person wrote it (as far as any signal says)."""
    if msg.get_content_type() == "multipart/report":
        param = msg.get_param("report-type") if _has(msg, "Content-Type") else None
        report = param.lower() if isinstance(param, str) else ""
        if report == "delivery-status":
            return _bounce(msg, "a delivery status report (multipart/report)")
    sender = _sender_local_part(msg)
    if sender in SYSTEM_SENDERS:
        return _bounce(msg, f"sent by the mail system ({sender})")
    if _header(msg, "Return-Path").replace(" ", "") == "<>":
        if BOUNCE_SUBJECT_RE.search(_header(msg, "Subject")):
            return _bounce(msg, "an empty return path and a delivery failure subject")
        return Automatic("auto_reply", "an empty return path (Return-Path: <>)")
    submitted = _header(msg, "Auto-Submitted").split(";")[0].strip().lower()
    if submitted and submitted != "no":
        return Automatic("auto_reply", f"Auto-Submitted: {submitted}")
    for name in AUTO_HEADERS:
        value = _header(msg, name)
        if _has(msg, name) and value.strip().lower() not in {"no", "false", "0"}:
            return Automatic("auto_reply", f"{name}: {value.strip() or '(set)'}"[:120])
    precedence = _header(msg, "Precedence").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return Automatic("auto_reply", f"Precedence: {precedence}")
    if OUT_OF_OFFICE_RE.search(_header(msg, "Subject")):
        return Automatic("auto_reply", "an out-of-office subject")
    return None


def _bounce(msg: Message, reason: str) -> Automatic:
    actions, diagnostics = _delivery_status(msg)
    # A report that names no action (or a bounce without a report) is a failure: that is what mail
    # systems send unasked. Only a report of delays or deliveries alone fails nothing.
    failed = not actions or "failed" in actions
    return Automatic(
        "bounce",
        reason,
        original_ids=tuple(_original_ids(msg)),
        failed=failed,
        diagnostic="; ".join(diagnostics)[:300],
    )


def _delivery_status(msg: Message) -> tuple[set[str], list[str]]:
    """The actions (failed, delayed, delivered, relayed, expanded) and the status and diagnostic of each
    recipient, from the report's message/delivery-status part (RFC 3464 2.3)."""
    actions: set[str] = set()
    diagnostics: list[str] = []
    for part in islice(msg.walk(), 50):
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            action = _header(block, "Action").strip().lower()
            if action:
                actions.add(action)
            said = " ".join(
                x for x in (_header(block, "Status").strip(), _diagnostic(block)) if x and x not in {";"}
            )
            if action and said:
                diagnostics.append(said)
    return actions, diagnostics


def _diagnostic(block: Message) -> str:
    """Diagnostic-Code: "smtp; 550 5.1.1 <x@example.org>: user unknown" read as its text."""
    value = " ".join(_header(block, "Diagnostic-Code").split())
    return value.partition(";")[2].strip() if ";" in value else value


def _original_ids(msg: Message) -> list[str]:
    """Message-IDs of the returned mail: from the copy of it (message/rfc822) or of its header
    (text/rfc822-headers) in the report, else from a Message-ID line quoted in the bounce's text (mail
    systems that send no report quote the header so)."""
    found: list[str] = []
    parts = list(islice(msg.walk(), 50))
    for part in parts:
        ctype = part.get_content_type()
        if ctype in {"message/rfc822", "message/global"}:
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found += MESSAGE_ID_RE.findall(_header(inner[0], "Message-ID"))[:1]
        elif ctype in {"text/rfc822-headers", "message/global-headers", "message/rfc822-headers"}:
            headers = HeaderParser().parsestr(_text(part), headersonly=True)
            found += MESSAGE_ID_RE.findall(_header(headers, "Message-ID"))[:1]
    if not found:
        for part in parts:
            if part.get_content_maintype() == "text":
                found += QUOTED_MESSAGE_ID_RE.findall(_text(part))
    own = _header(msg, "Message-ID").strip()
    return list(dict.fromkeys(i for i in found if i != own))


def _text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode("utf-8", errors="replace")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


def _sender_local_part(msg: Message) -> str:
    for _, address in getaddresses([_header(msg, "From")]):
        local, at, _ = address.strip().rpartition("@")
        return (local if at else address).strip().lower()
    return ""


def _has(msg: Message, name: str) -> bool:
    try:
        return name in msg
    except Exception:  # a header so broken the policy cannot read it
        return False


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header so broken the policy cannot build it: no signal
        return ""
    return str(value) if value is not None else ""
