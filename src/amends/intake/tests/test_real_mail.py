"""Real mail from other projects' test suites (./emails/real, licences in its README), and the awkward
shapes the issue 10 trial found: each read as a person reading it would, or held for review."""

from __future__ import annotations

import pytest
from django.core import mail

from amends.cases.models import Case
from amends.intake import mime
from amends.intake.mime import parse_email
from amends.intake.models import HeldEmail
from amends.intake.services import HeldResult, intake_email

from .corpus import EMAILS

REAL = EMAILS / "real"


def real(name: str) -> bytes:
    return (REAL / name).read_bytes()


# file: (files the customer sent, words the readable text holds)
EXPECTED = {
    "cpython_msg_02.eml": (["forwarded.eml"] * 5, ["Today's Topics", "Ppp mailing list"]),
    "cpython_msg_15.eml": ([], ["Some removed test."]),
    "cpython_msg_22.eml": (["wibble.JPG", "wibble2.JPG"], ["Text text text.\n\nText text text."]),
    "cpython_msg_26.eml": (["clock.bmp"], ["Simple email with attachment."]),
    "cpython_msg_41.eml": ([], ["Blah blah blah"]),
    "cpython_msg_45.eml": ([], ["This is the signed contents."]),
    "cpython_msg_46.eml": ([], ["Testing email forwarding with Groupwise 1.2.2010"]),
    "mikel_mail_sig_only_email.eml": ([], ["This is random text, not what has been signed below"]),
    "mikel_mail_raw_email_with_nested_attachment.eml": (["truncated.png"], ["a test of an attachment"]),
    "mikel_mail_cant_parse_from.eml": ([], ["From one solid piece of aluminum comes a MacBook Pro"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_mail_is_read_with_exactly_the_files_sent(name):
    files, words = EXPECTED[name]
    parsed = parse_email(real(name))
    assert [a.filename for a in parsed.attachments] == files
    for said in words:
        assert said in parsed.text


def test_every_file_in_the_real_corpus_is_tested_and_has_its_licence_recorded():
    names = {p.name for p in REAL.glob("*.eml")}
    assert names == {*EXPECTED, "cpython_msg_05.eml"}
    readme = (REAL / "README.md").read_text()
    assert all(f"`{name}`" in readme for name in names)


@pytest.mark.parametrize(
    ("charset", "subject"),
    [("iso-8859-1", "Réclamation: facture erronée"), ("windows-1255", "תלונה על החשבון")],
)
def test_a_raw_8_bit_subject_is_read_in_the_charset_the_email_declares(charset, subject):
    raw = (
        f"From: Dana <dana@example.com>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{subject}\r\n"
    ).encode(charset)
    parsed = parse_email(raw)
    assert parsed.subject == subject and "\ufffd" not in parsed.subject
    assert parsed.text == subject


@pytest.mark.parametrize(
    ("declared", "data", "text"),
    [
        ("us-ascii", "Café £5".encode(), "Café £5"),  # 8-bit text sent as ASCII: it was UTF-8
        ("us-ascii", "Café £5".encode("windows-1252"), "Café £5"),  # ...or Windows-1252
        ("iso-8859-1", "Pay €40 – now".encode("windows-1252"), "Pay €40 – now"),  # Latin-1 read as 1252
        ("iso-8859-8-i", "שלום".encode("iso-8859-8"), "שלום"),  # a label Python does not know
        ("ks_c_5601-1987", "환불".encode("cp949"), "환불"),
    ],
)
def test_a_body_is_read_in_the_charset_its_label_means_in_practice(declared, data, text):
    raw = (
        (
            f"From: a@example.com\r\nContent-Type: text/plain; charset={declared}\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
        ).encode()
        + data
        + b"\r\n"
    )
    assert parse_email(raw).text == text


def test_a_raw_utf8_subject_and_sender_name_are_read_as_utf8():
    raw = "From: Zoë Brontë <zoe@example.com>\r\nSubject: Über-charge £40\r\n\r\nhi\r\n".encode()
    parsed = parse_email(raw)
    assert (parsed.subject, parsed.from_name) == ("Über-charge £40", "Zoë Brontë")


def test_a_uuencoded_file_in_the_body_is_found():
    raw = (
        b"From: old@example.com\r\nSubject: scan\r\n\r\nMy letter attached.\r\n\r\n"
        b"begin 644 letter.txt\r\n" + b"&:&5L;&\\*\r\n" + b"`\r\nend\r\n"
    )
    parsed = parse_email(raw)
    assert [(a.filename, a.content) for a in parsed.attachments] == [("letter.txt", b"hello\n")]


def test_mime_parts_past_the_cap_are_not_read_and_are_said_to_be_left_out():
    parts = "".join(
        f"--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; "
        f'filename="f{i}.bin"\r\n\r\nx\r\n'
        for i in range(30)
    )
    raw = (
        "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        f"--B\r\nContent-Type: text/plain\r\n\r\nSee files\r\n{parts}--B--\r\n"
    ).encode()
    parsed = parse_email(raw, max_parts=10)
    # The root and the body are two of the ten parts read: eight files, 22 parts not looked at.
    assert [a.filename for a in parsed.attachments] == [f"f{i}.bin" for i in range(8)]
    assert parsed.parts_left_out == 22
    assert parse_email(raw).parts_left_out == 0 and len(parse_email(raw).attachments) == 30


@pytest.mark.django_db
def test_an_email_from_guest_at_localhost_opens_a_case(complaints_team):
    raw = b"From: Guest <guest@localhost>\r\nSubject: Overcharged\r\n\r\nPlease refund me.\r\n"
    result = intake_email(raw)
    assert not isinstance(result, HeldResult)
    assert result.created_case and result.case.customer.name == "Guest"
    assert HeldEmail.objects.count() == 0


@pytest.mark.django_db
def test_mail_with_too_many_parts_is_stored_with_a_note_and_whole_in_its_source(settings, complaints_team):
    settings.AMENDS_MAX_MIME_PARTS = 4
    files = "".join(
        f'--B\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="p{i}.png"\r\n\r\nx\r\n'
        for i in range(6)
    )
    raw = (
        "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        f"--B\r\nContent-Type: text/plain\r\n\r\nSix photos\r\n{files}--B--\r\n"
    ).encode()
    result = intake_email(raw)
    message = result.message
    assert message.attachments.count() == 2
    assert "4 more MIME parts than Amends reads (4)" in message.body_text
    assert bytes(message.source.raw) == raw


@pytest.mark.django_db
def test_a_real_email_with_no_address_is_held_and_nothing_else_is_stored(complaints_team):
    raw = real("cpython_msg_05.eml")
    result = intake_email(raw)
    assert isinstance(result, HeldResult) and "sender" in result.reason
    held = HeldEmail.objects.get()
    assert bytes(held.raw) == raw and held.sender == "foo" and held.subject == "bar"
    assert Case.objects.count() == 0 and mail.outbox == []


@pytest.mark.parametrize(
    ("header", "subject"),
    [
        (b"=?iso-8859-8-i?Q?=F9=EC=E5=ED?= again", "שלום again"),  # Outlook's label for Hebrew
        (b"=?x-unknown?Q?caf=E9?=", "café"),  # a label nobody knows: UTF-8, else Windows-1252
    ],
)
def test_an_encoded_word_in_a_charset_python_does_not_know_by_that_label(header, subject):
    raw = b"From: a@example.com\r\nSubject: " + header + b"\r\n\r\nx\r\n"
    assert parse_email(raw).subject == subject


@pytest.mark.parametrize(
    ("disposition", "filename"),
    [
        (b'attachment; filename="F\xe4ltet.pdf"', "Fältet.pdf"),  # raw Windows-1252
        (b'attachment; filename="F\xc3\xa4ltet.pdf"', "Fältet.pdf"),  # raw UTF-8
        (b'attachment; filename="=?iso-8859-8-i?Q?=F9=EC=E5=ED.pdf?="', "שלום.pdf"),
    ],
)
def test_a_file_name_in_raw_8_bit_or_an_unknown_label_is_read(disposition, filename):
    raw = (
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
        b"Content-Type: text/plain\r\n\r\nhi\r\n--B\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: " + disposition + b"\r\n\r\nx\r\n--B--\r\n"
    )
    assert [a.filename for a in parse_email(raw).attachments] == [filename]


@pytest.mark.parametrize(
    "content_type",
    [b"multipart/mixed", b'multipart/mixed; boundary="not-the-one-used"'],
    ids=["none", "wrong"],
)
def test_three_files_under_a_missing_or_wrong_boundary_are_all_found(content_type):
    files = b"".join(
        b"--XyZ\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="letter%d.pdf"\r\n\r\nJVBERi0=\r\n' % i
        for i in range(3)
    )
    raw = (
        b"From: a@example.com\r\nSubject: three letters\r\nMIME-Version: 1.0\r\nContent-Type: "
        + content_type
        + b"\r\n\r\n--XyZ\r\nContent-Type: text/plain\r\n\r\nSee the three letters.\r\n"
        + files
        + b"--XyZ--\r\n"
    )
    parsed = parse_email(raw)
    assert [(a.filename, a.content) for a in parsed.attachments] == [
        (f"letter{i}.pdf", b"%PDF-") for i in range(3)
    ]
    assert parsed.text == "See the three letters."


def test_a_uuencoded_file_is_taken_out_of_the_text_it_was_in():
    raw = (
        b"From: old@example.com\r\nSubject: scan\r\n\r\nMy letter attached.\r\n\r\n"
        b"begin 644 letter.txt\r\n&:&5L;&\\*\r\n`\r\nend\r\n\r\nThanks\r\n"
    )
    parsed = parse_email(raw)
    assert "begin 644" not in parsed.text and parsed.text.startswith("My letter attached.")
    assert parsed.text.endswith("Thanks")


def test_an_email_of_20000_parts_is_cut_before_it_is_parsed(monkeypatch):
    files = b"".join(
        b'--B\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f%d"'
        b"\r\n\r\nxx\r\n" % i
        for i in range(20_000)
    )
    raw = (
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"
        b"--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n" + files + b"--B--\r\n"
    )
    seen = []
    real_parse = mime.BytesParser.parsebytes

    def parsebytes(self, data, *args, **kwargs):
        seen.append(data.count(b"\r\n--B\r\n"))
        return real_parse(self, data, *args, **kwargs)

    monkeypatch.setattr(mime.BytesParser, "parsebytes", parsebytes)
    parsed = parse_email(raw, max_attachments=100, max_parts=500)
    assert seen == [499]  # the root and 499 parts: never the 20,000
    assert (len(parsed.attachments), parsed.attachments_left_out) == (100, 398)
    assert parsed.parts_left_out == 20_002 - 500 and parsed.text == "hi"
