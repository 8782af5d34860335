"""parse_email against the corpus in ./emails: pure parsing, no database."""

from __future__ import annotations

import gzip
import hashlib
import random
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest

from amends.intake.mime import MalformedEmail, parse_email

from .corpus import EMAILS, deadline, eml


def test_gmail_multipart_alternative_reads_text_html_and_sender():
    parsed = parse_email(eml("gmail_alternative.eml"))
    assert parsed.subject == "Overcharged on my October bill"
    assert parsed.from_name == "Sarah O'Neill"
    assert parsed.from_address == "sarah.oneill@gmail.com"
    assert parsed.message_id == "<CAJ7qL0n4sVx=bq8Y1W2kG+XhT9dRpZ3mN5oUfE6aHc@mail.gmail.com>"
    assert parsed.date == datetime(2026, 11, 17, 9, 14, 3, tzinfo=UTC)
    # Quoted-printable soft breaks joined, =C2=A3 read as a pound sign; the text part, not the HTML one.
    assert parsed.text.startswith("Hello,\n\nI was charged £48.20 for October but my tariff is £32.00 a")
    assert "account still shows the old tariff even though I switched on 1 September." in parsed.text
    assert "<div" not in parsed.text and "=\n" not in parsed.text
    assert parsed.text.endswith("Thanks,\nSarah")
    # The HTML part kept, sanitised: the link survives with a safe rel, Gmail's dir attribute does not.
    link = '<a href="https://account.northwind-energy.example/tariff" rel="noopener noreferrer nofollow">'
    assert link in parsed.html
    assert "dir=" not in parsed.html
    assert parsed.attachments == []
    assert parsed.in_reply_to == [] and parsed.references == [] and parsed.thread_ids == []


def test_html_only_email_is_sanitised_and_read_as_text():
    parsed = parse_email(eml("html_only_script.eml"))
    html = parsed.html.lower()
    unsafe = ["<script", "alert(", "document.cookie", "onclick", "onmouseover", "steal()", "<img"]
    unsafe += ["tracker.example", "javascript:", "<style", "color: red"]
    assert [bad for bad in unsafe if bad in html] == []
    assert "<b>12 november</b>" in html
    assert '<a href="https://example.com/account" rel="noopener noreferrer nofollow">my account</a>' in html
    # With no text/plain part the text is read from the HTML, without the script or style contents.
    assert parsed.text.splitlines()[0] == "My engineer visit on 12 November never happened."
    assert "Please call me & explain why nobody came." in parsed.text
    assert "alert" not in parsed.text and "document" not in parsed.text and "color" not in parsed.text
    assert parsed.attachments == []


def test_outlook_quoted_printable_soft_breaks_and_utf8_quotes():
    parsed = parse_email(eml("outlook_quoted_printable.eml"))
    assert parsed.subject == "Missed appointment – nobody turned up"  # =?utf-8?B?...?= with an en dash
    assert parsed.from_name == "Brennan, Siobhan"
    assert parsed.from_address == "Siobhan.Brennan@outlook.com"
    # Outlook folds Message-ID onto its own line.
    assert parsed.message_id == (
        "<AM9PR03MB7428E1F0A6B2C3D4E5F6A7B8C9D0E1F2@AM9PR03MB7428.eurprd03.prod.outlook.com>"
    )
    assert (
        "I’ve waited in all day on 16 November for the engineer you booked (booking 44817) and nobody came "
        "or phoned. That’s the second time this month." in parsed.text
    )
    assert "two days’ leave" in parsed.text
    assert "=E2" not in parsed.text and "=\n" not in parsed.text
    # Word's markup goes: no classes, no <o:p>, no conditional-comment style sheet.
    assert "I’ve waited in all day" in parsed.html
    assert "class=" not in parsed.html and "o:p" not in parsed.html and "MsoNormal" not in parsed.html


def test_base64_text_body():
    raw = eml("android_base64.eml")
    assert b"Content-Transfer-Encoding: base64" in raw and "£".encode() not in raw
    parsed = parse_email(raw)
    assert parsed.text == (
        "Hi,\n\nMy direct debit was taken twice on 1 November (£29.99 × 2). Please refund the duplicate "
        "payment.\n\nThanks,\nPriya"
    )
    assert parsed.from_name == "Priya Shah" and parsed.from_address == "priya.shah@yahoo.co.uk"


def test_windows_1252_curly_quotes_and_pound_sign():
    raw = eml("windows_live_1252.eml")
    assert b"\xa3120.50" in raw and b"\x93final notice\x94" in raw
    parsed = parse_email(raw)
    assert "your letter marked “final notice” demanding £120.50" in parsed.text
    assert "2 October – my bank’s reference is FP-99812." in parsed.text
    assert "I’m 78 years old" in parsed.text
    assert "\ufffd" not in parsed.text
    assert parsed.from_name == "Geoff Barker"


def test_iso_2022_jp_body_subject_and_sender_name():
    raw = eml("docomo_iso2022jp.eml")
    assert b"\x1b$B" in raw  # the JIS escape sequence: the body really is ISO-2022-JP on the wire
    parsed = parse_email(raw)
    assert parsed.subject == "請求金額の誤りについて"
    assert parsed.from_name == "佐藤 花子"
    assert parsed.from_address == "hanako.sato@docomo.ne.jp"
    assert parsed.text.splitlines() == [
        "いつもお世話になっております。",
        "先月の請求は３，２００円のはずですが、５，８００円請求されました。",
        "確認をお願いします。",
        "",
        "佐藤花子",
    ]
    assert parsed.date == datetime(2026, 11, 19, 21, 5, 10, tzinfo=timezone(timedelta(hours=9)))


def test_apple_mail_subject_in_two_utf8_encoded_words():
    raw = eml("apple_mail_encoded_words.eml")
    assert raw.count(b"=?UTF-8?B?") == 2
    parsed = parse_email(raw)
    # The space between adjacent encoded words is not part of the text; the one inside the first is.
    assert parsed.subject == "Refund still not received — third request ☹ (order #58213)"
    assert parsed.from_name == "Zoë Brückner"
    assert parsed.from_address == "zoe.bruckner@icloud.com"
    assert "refund within 14 days. It’s now seven weeks later." in parsed.text
    assert parsed.text.endswith("Zoë")


def test_latin1_encoded_words_and_8bit_body():
    parsed = parse_email(eml("thunderbird_latin1.eml"))
    assert parsed.subject == "Réclamation: facture du mois de février"  # =?iso-8859-1?Q?...?=
    assert parsed.from_name == "Renée Lefèvre"
    assert "Votre facture de février compte deux fois la même réparation." in parsed.text
    assert "à bientôt" in parsed.text


def test_pdf_and_image_attachments_keep_exact_bytes_and_rfc2231_name():
    parsed = parse_email(eml("thunderbird_attachments.eml"))
    pdf = (EMAILS / "attachments" / "resume.pdf").read_bytes()
    png = (EMAILS / "attachments" / "receipt.png").read_bytes()
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("résumé.pdf", "application/pdf"),  # filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
        ("receipt.png", "image/png"),
    ]
    assert parsed.attachments[0].content == pdf
    assert parsed.attachments[1].content == png
    assert pdf.startswith(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3") and png.startswith(b"\x89PNG\r\n\x1a\n")
    # The body is the text part only: no base64 leaks into it.
    assert parsed.text.startswith("Hello,\n\nAnother applicant has told me she received my CV")
    assert "JVBER" not in parsed.text and "iVBOR" not in parsed.text
    assert parsed.html == ""


def test_forwarded_message_is_one_eml_attachment_kept_as_sent():
    raw = eml("thunderbird_forwarded.eml")
    parsed = parse_email(raw)
    assert parsed.subject == "Fwd: Your new contract"
    assert parsed.text == (
        "Please see the attached email from your sales team, which promised me\n"
        "a price freeze. My bill went up anyway.\n\nOwen"
    )
    assert "24.50p" not in parsed.text  # the forwarded email's own body is not taken as this one's
    assert len(parsed.attachments) == 1
    forwarded = parsed.attachments[0]
    assert forwarded.filename == "Your new contract.eml"
    assert forwarded.content_type == "message/rfc822"
    # Byte for byte as it sat in the email: its long List-Unsubscribe header is not refolded or re-encoded.
    assert forwarded.content in raw
    assert b"List-Unsubscribe: <https://northwind-energy.example/unsubscribe?" in forwarded.content
    inner = message_from_bytes(forwarded.content, policy=policy.default)
    assert inner["Subject"] == "Your new contract"
    assert inner["Message-ID"] == "<contract-88412.20260803@northwind-energy.example>"
    assert "fixed for 12 months at 24.50p per kWh" in inner.get_content()


def test_reply_headers_give_thread_ids_nearest_first():
    parsed = parse_email(eml("gmail_reply.eml"))
    ack = "<176337084512.40123.9051725593815502431@amends.example>"
    original = "<CAJ7qL0n4sVx=bq8Y1W2kG+XhT9dRpZ3mN5oUfE6aHc@mail.gmail.com>"
    assert parsed.in_reply_to == [ack]
    assert parsed.references == [original, ack]  # folded over two lines
    assert parsed.thread_ids == [ack, original]
    assert parsed.text.startswith("Here is the meter reading you asked for: 04412.")
    assert "gmail_quote" not in parsed.html and "style=" not in parsed.html
    assert "<blockquote>" in parsed.html


def test_message_without_message_id():
    raw = eml("scanner_no_message_id.eml")
    parsed = parse_email(raw)
    assert parsed.message_id == ""
    assert parsed.sha256 == hashlib.sha256(raw).hexdigest()
    assert parsed.from_address == "amir.khan@khan-accountants.example"
    assert parsed.text.startswith("My pension transfer was requested on 1 September")


def test_unknown_charset_still_decodes():
    raw = eml("unknown_charset.eml")
    assert b'charset="x-unknown"' in raw
    parsed = parse_email(raw)
    expected = "Café owner here – your van blocked my entrance for 3 hours. Cost me £200 in lost trade."
    assert parsed.text == expected


def test_unknown_charset_falls_back_to_windows_1252_when_not_utf8():
    raw = (
        b"From: a@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=x-mac-klingon\r\n\r\n"
        b"It cost \xa330 \x96 I\x92m cross.\r\n"
    )
    assert parse_email(raw).text == "It cost £30 – I’m cross."


def test_two_thousand_character_subject_is_read_whole():
    raw = eml("outlook_long_subject.eml")
    parsed = parse_email(raw)
    assert len(parsed.subject) == 2000
    assert parsed.subject.startswith("I have now called your helpline nine times about the broken boiler")
    assert parsed.subject.endswith("!")
    assert "  " not in parsed.subject and "\n" not in parsed.subject  # unfolded, one space per fold
    assert parsed.text == "See subject."


def test_sender_falls_back_to_reply_to():
    raw = b"From: Customer Services\r\nReply-To: Pat <pat@example.org>\r\nSubject: hi\r\n\r\nHello\r\n"
    parsed = parse_email(raw)
    assert (parsed.from_name, parsed.from_address) == ("Pat", "pat@example.org")


def test_a_broken_attachment_header_keeps_the_email_and_the_attachment():
    # `filename*` with no value makes the standard library raise IndexError when the header is read.
    raw = (
        b"From: Kim <kim@example.com>\r\nSubject: photo\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nSee the photo.\r\n"
        b"--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename*\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n--b--\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.text == "See the photo."
    assert [(a.filename, a.content_type, a.content) for a in parsed.attachments] == [
        ("image.jpeg", "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10")
    ]


def test_a_charset_name_with_a_nul_in_it_still_decodes():
    raw = b'From: a@example.com\r\nContent-Type: text/plain; charset="utf-8\x00"\r\n\r\nna\xc3\xafve\r\n'
    assert parse_email(raw).text == "naïve"


def test_a_forwarded_email_with_headers_the_stdlib_cannot_refold_is_read_quickly():
    # Refolding this Content-Type loops for ever in Python 3.11's email package.
    raw = eml("thunderbird_forwarded.eml").replace(
        b"Content-Type: text/plain; charset=us-ascii",
        b"Content-Type: text/plain; " + b"x" * 200 + b"charset=us-ascii",
    )
    with deadline(5):
        parsed = parse_email(raw)
    assert parsed.attachments[0].content in raw


def test_a_forwarded_email_with_a_broken_address_header_is_read():
    # An address group where the refolder expects an address (AttributeError in the standard library).
    raw = eml("thunderbird_forwarded.eml").replace(
        b"To: owen.price@gmx.co.uk\n", b"To: undisclosed:; " + b"y" * 80 + b"\n"
    )
    parsed = parse_email(raw)
    assert parsed.attachments[0].content in raw


# --- refused ----------------------------------------------------------------------------------------


def _garbage(seed: int) -> bytes:
    return random.Random(seed).randbytes(4096)


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"  \r\n\r\n\t", id="whitespace"),
        pytest.param(_garbage(1), id="random-1"),
        pytest.param(_garbage(2), id="random-2"),
        pytest.param(_garbage(3), id="random-3"),
        pytest.param(gzip.compress(b"From: a@example.com\r\n\r\nhi", mtime=0), id="gzipped-email"),
        pytest.param((EMAILS / "attachments" / "receipt.png").read_bytes(), id="png"),
        pytest.param((EMAILS / "pasted_letter.txt").read_bytes(), id="no-header-lines"),
        pytest.param((EMAILS / "cron_no_sender.eml").read_bytes(), id="from-without-address"),
        pytest.param(b"To: complaints@amends.example\r\nSubject: hi\r\n\r\nNo sender\r\n", id="no-from"),
        pytest.param(b"Subject: x\r\nFrom: Jo\r\nSender: Jo\r\nReply-To: Jo\r\n\r\nx\r\n", id="names-only"),
    ],
)
def test_refused_as_malformed(raw):
    with pytest.raises(MalformedEmail) as caught:
        parse_email(raw)
    assert str(caught.value)  # a reason to show whoever sent it


def test_no_header_lines_reason_and_no_sender_reason():
    with pytest.raises(MalformedEmail, match="no header lines"):
        parse_email(eml("pasted_letter.txt"))
    with pytest.raises(MalformedEmail, match="sender"):
        parse_email(eml("cron_no_sender.eml"))
    with pytest.raises(MalformedEmail, match="empty"):
        parse_email(b"")
