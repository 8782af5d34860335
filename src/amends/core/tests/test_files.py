"""What staff may attach: the kind read from the content, the name agreeing with it, the limits, previews."""

from __future__ import annotations

import io

import pytest

from amends.core.errors import InputTooLarge
from amends.core.files import (
    AttachmentFile,
    Refused,
    check_file,
    check_files,
    clean_name,
    sniff,
    thumbnail,
)
from amends.core.tests import files


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("statement.pdf", files.PDF, "application/pdf"),
        ("damage.png", files.png(), "image/png"),
        ("photo.JPG", files.jpeg_with_location(), "image/jpeg"),
        (
            "letter.docx",
            files.docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("notes.odt", files.odt(), "application/vnd.oasis.opendocument.text"),
        ("call notes.txt", "Called at 10:05 \u2014 no answer\n".encode(), "text/plain"),
        ("payments.csv", b"date,amount\r\n2026-11-01,120.00\r\n", "text/csv"),
        ("windows.csv", "caf\u00e9,\u00a3120\r\n".encode("cp1252"), "text/csv"),
    ],
)
def test_an_accepted_file_is_stored_as_the_kind_its_content_is(name, content, kind):
    checked = check_file(name, content)
    assert (checked.filename, checked.content_type, checked.content) == (name, kind, content)


def test_the_type_the_browser_claims_is_ignored():
    (checked,) = check_files([AttachmentFile("scan.pdf", "text/html", files.PDF)])
    assert checked.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("setup.exe", files.EXE, "is not a kind of file we can attach"),
        ("invoice.pdf", files.EXE, "is not a kind of file we can attach"),
        ("archive.zip", files.plain_zip(), "is not a kind of file we can attach"),
        ("invoice.exe", files.PDF, "is a PDF, but its name does not end in .pdf"),
        ("photo.png", files.jpeg_with_location(), "is a JPEG image, but its name does not end in .jpg"),
        ("page.html", files.HTML, "is a text file, but its name does not end in .txt"),
        ("budget.docx", files.docx(macros=True), "contains macros"),
        ("empty.pdf", b"", "is empty"),
        ("broken.png", files.png()[:40], "cannot be read as one"),
    ],
)
def test_a_refused_file_says_which_and_why(name, content, said):
    with pytest.raises(Refused) as refused:
        check_file(name, content)
    assert said in refused.value.message and f"\u201c{name}\u201d" in refused.value.message
    assert refused.value.code == "file_refused" and refused.value.fields == {"files": refused.value.message}


def test_sizes_are_limited_per_file_per_message_and_in_number(settings):
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 1000
    settings.AMENDS_ATTACHMENTS_MAX_TOTAL_BYTES = 1500
    settings.AMENDS_ATTACHMENTS_MAX_FILES = 3
    text = AttachmentFile("a.txt", "", b"x" * 800)
    with pytest.raises(InputTooLarge) as one:
        check_files([AttachmentFile("big.txt", "", b"x" * 1001)])
    assert "\u201cbig.txt\u201d is 1001\xa0bytes; a file may be at most 1000\xa0bytes" in one.value.message
    with pytest.raises(InputTooLarge) as together:
        check_files([text, text])
    assert together.value.code == "files_too_large" and "1.6\xa0KB together" in together.value.message
    with pytest.raises(InputTooLarge):
        check_files([text], already=800)  # a letter's enclosures so far count
    with pytest.raises(Refused, match="4 files were chosen; at most 3"):
        check_files([AttachmentFile("a.txt", "", b"x")] * 4)
    assert len(check_files([text])) == 1


def test_a_name_is_the_last_part_of_a_path_without_control_characters():
    assert clean_name("C:\\Users\\pat\\statement.pdf") == "statement.pdf"
    assert clean_name("../../etc/passwd\r\nX-Header: 1.txt") == "passwdX-Header: 1.txt"
    long = clean_name("a" * 300 + ".pdf")
    assert len(long) == 255 and long.endswith(".pdf")
    assert check_file("", files.PDF).filename == "attachment.pdf"


def test_a_csv_is_text_only_by_its_name_and_binary_is_never_text():
    assert sniff(b"a,b\n1,2\n", "x.csv") == "text/csv"
    assert sniff(b"a,b\n1,2\n", "x.txt") == "text/plain"
    assert sniff(b"abc\x00def", "x.txt") is None


def test_a_thumbnail_is_small_and_keeps_no_location():
    from PIL import Image

    made, kind = thumbnail(files.jpeg_with_location())
    assert kind == "image/jpeg"
    with Image.open(io.BytesIO(made)) as image:
        assert max(image.size) <= 480
        assert not image.getexif()  # neither the maker nor where the photo was taken
    assert thumbnail(files.PDF) is None
    assert thumbnail(files.png()[:40]) is None
