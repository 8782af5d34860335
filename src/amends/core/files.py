"""Files staff attach: to a reply, to a letter, to the evidence of an investigation.

What a file is comes from its content, never from its name or the type the browser claims: a short list of
kinds people send in complaint handling (PDF, photos, office documents, plain text) is accepted, each
recognised by its own signature, and the name must agree with what the content is (a PDF called
"invoice.exe" is refused). Office documents carrying macros are refused. Sizes are limited per file and per
message (settings, with environment overrides), and every refusal names the file and what to do, before
anything is stored.

Stored files are served only as downloads (`core.web.file_download`); images also get a thumbnail made
here with Pillow (`thumbnail`), which re-encodes the picture, so none of the uploaded bytes (nor the
photo's location in its EXIF data) reach the page.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from ninja import Field, Schema

from .errors import DomainError, InputTooLarge


@dataclass
class AttachmentFile:
    """A file on a message, a letter or an investigation, in either direction, before it is stored."""

    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]


PDF = "application/pdf"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
TEXT, CSV = "text/plain", "text/csv"

# The kinds accepted, by the content type stored for them, with the names a file of that kind may have.
KINDS: dict[str, Kind] = {
    PDF: Kind("PDF", (".pdf",)),
    PNG: Kind("PNG image", (".png",)),
    JPEG: Kind("JPEG image", (".jpg", ".jpeg", ".jpe")),
    GIF: Kind("GIF image", (".gif",)),
    WEBP: Kind("WebP image", (".webp",)),
    DOCX: Kind("Word document", (".docx",)),
    XLSX: Kind("Excel workbook", (".xlsx",)),
    PPTX: Kind("PowerPoint presentation", (".pptx",)),
    ODT: Kind("OpenDocument text", (".odt",)),
    ODS: Kind("OpenDocument spreadsheet", (".ods",)),
    ODP: Kind("OpenDocument presentation", (".odp",)),
    TEXT: Kind("text file", (".txt", ".text", ".log")),
    CSV: Kind("CSV file", (".csv",)),
}
IMAGES = frozenset({PNG, JPEG, GIF, WEBP})
ACCEPTED = (
    "PDF, images (PNG, JPEG, GIF, WebP), Word, Excel and PowerPoint (.docx, .xlsx, .pptx), OpenDocument "
    "and plain text or CSV"
)
# For <input type=file accept=...>: a hint to the browser's file picker; the server decides.
ACCEPT_ATTRIBUTE = ",".join(ext for kind in KINDS.values() for ext in kind.extensions)

OOXML_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
ODF_TYPES = {ODT, ODS, ODP}
# Text: no NUL, no control characters but tab, line breaks and form feed.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SMALL_PART = 1024 * 1024  # the most read of any one part of an office document while checking it


class Refused(DomainError):
    """A file that cannot be attached: what it is, and what to do instead."""

    code = "file_refused"

    def __init__(self, message: str):
        super().__init__(message, fields={"files": message})


def sniff(content: bytes, filename: str = "") -> str | None:
    """The accepted kind this content is (a content type of KINDS), or None. The name is read only to tell
    a CSV from other text, which no signature can."""
    head = content[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _office(content)
    if _is_text(content):
        return CSV if filename.lower().endswith(".csv") else TEXT
    return None


def _office(content: bytes) -> str | None:
    """A Word, Excel or PowerPoint file (a ZIP with its content types and main part), or an OpenDocument
    (a ZIP whose first entry names its type); any other ZIP is not a document."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in OOXML_PARTS.items() if part in names), None)
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in ODF_TYPES else None
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return None


def _has_macros(content: bytes) -> bool:
    """Office documents that carry code: VBA in a Word/Excel/PowerPoint file, Basic or scripts in an
    OpenDocument. A macro-enabled type declared in [Content_Types].xml counts too."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        if any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in names):
            return True
        if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size < _SMALL_PART:
            return b"macroenabled" in archive.read("[Content_Types].xml").lower()
    return False


def _is_text(content: bytes) -> bool:
    if _CONTROL.search(content):
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            content.decode("cp1252")  # a spreadsheet's CSV from Windows
        except UnicodeDecodeError:
            return False
    return True


def clean_name(filename: str) -> str:
    """The name to store: the last part of any path, no control characters, at most 255 characters with
    its extension kept."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 20 else name[:255]
    return name


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[1].lower() if "." in name else ""


def check_size(filename: str, size: int) -> None:
    """InputTooLarge for a file over the per-file limit: checked before an upload is read into memory."""
    limit = settings.AMENDS_ATTACHMENT_MAX_BYTES
    if size > limit:
        name = clean_name(filename)
        raise InputTooLarge(
            f"\u201c{name or 'The file'}\u201d is {filesizeformat(size)}; a file may be at most "
            f"{filesizeformat(limit)}.",
            code="file_too_large",
            fields={"files": f"{name}: larger than {filesizeformat(limit)}"},
        )


def limits_text() -> str:
    """The limits in words, for the hint beside a file box."""
    return (
        f"Up to {settings.AMENDS_ATTACHMENTS_MAX_FILES} files, each at most "
        f"{filesizeformat(settings.AMENDS_ATTACHMENT_MAX_BYTES)} and "
        f"{filesizeformat(settings.AMENDS_ATTACHMENTS_MAX_TOTAL_BYTES)} together: {ACCEPTED}."
    )


def check_file(filename: str, content: bytes) -> AttachmentFile:
    """One file as it will be stored, with its kind from its content; Refused (or InputTooLarge) says why
    not."""
    name = clean_name(filename)
    shown = f"\u201c{name or 'The file'}\u201d"
    check_size(name, len(content))
    if not content:
        raise Refused(f"{shown} is empty: choose the file again, or check it was saved.")
    kind = sniff(content, name)
    if kind is None:
        raise Refused(f"{shown} is not a kind of file we can attach. Accepted: {ACCEPTED}.")
    if kind in {DOCX, XLSX, PPTX, ODT, ODS, ODP} and _has_macros(content):
        raise Refused(f"{shown} contains macros, which are never sent: save a copy without them.")
    if kind in IMAGES:
        _check_image(content, shown)
    expected = KINDS[kind].extensions
    if not name:
        name = "attachment" + expected[0]
    elif _extension(name) not in expected:
        raise Refused(
            f"{shown} is a {KINDS[kind].label}, but its name does not end in {' or '.join(expected)}: "
            "rename it so whoever opens it gets what it is."
        )
    return AttachmentFile(filename=name, content_type=kind, content=content)


def _check_image(content: bytes, shown: str) -> None:
    """An image whose signature is right but that Pillow cannot read is refused: it would not open for the
    customer either."""
    from PIL import Image  # imported when an image is checked, not by every process that loads core

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a damaged file
        raise Refused(f"{shown} looks like an image but cannot be read as one: save it again.") from exc


def check_files(files: Sequence[AttachmentFile], *, already: int = 0) -> list[AttachmentFile]:
    """Every file checked as `check_file` does, and together within the per-message limits; `already`
    is what the message or letter carries before these (a letter's enclosures so far). All or none."""
    if len(files) > settings.AMENDS_ATTACHMENTS_MAX_FILES:
        raise Refused(
            f"{len(files)} files were chosen; at most {settings.AMENDS_ATTACHMENTS_MAX_FILES} go together."
        )
    checked = [check_file(f.filename, f.content) for f in files]
    total = already + sum(len(f.content) for f in checked)
    limit = settings.AMENDS_ATTACHMENTS_MAX_TOTAL_BYTES
    if total > limit:
        raise InputTooLarge(
            f"These files come to {filesizeformat(total)} together; one message may carry at most "
            f"{filesizeformat(limit)} (mail servers refuse larger ones). Send the rest in another message.",
            code="files_too_large",
            fields={"files": f"more than {filesizeformat(limit)} together"},
        )
    return checked


def is_image(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in IMAGES


THUMBNAIL_SIZE = (480, 480)
# Pillow refuses larger pictures itself (decompression bombs); a thumbnail is not worth that much memory.
THUMBNAIL_MAX_PIXELS = 60_000_000


def thumbnail(content: bytes) -> tuple[bytes, str] | None:
    """A small re-encoded copy of an image (PNG with transparency, else JPEG), without its metadata; None
    when the content is not an image Pillow can read."""
    if sniff(content) not in IMAGES:
        return None
    from PIL import Image, ImageOps  # a preview is rare next to everything else core serves

    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > THUMBNAIL_MAX_PIXELS:
                return None
            image.draft("RGB", THUMBNAIL_SIZE)  # JPEG decodes at a fraction of its size: much faster
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail(THUMBNAIL_SIZE)
            out = io.BytesIO()
            if picture.mode in {"RGBA", "LA", "P"}:
                picture.convert("RGBA").save(out, "PNG", optimize=True)
                return out.getvalue(), PNG
            picture.convert("RGB").save(out, "JPEG", quality=82)
            return out.getvalue(), JPEG
    except Exception:  # a damaged or unusual image just has no preview
        return None


# Base64 as the API takes a file's content: whole groups of four, padded; anything else is a 422 naming the
# field (the document says so, so generated clients and schemathesis know which strings are valid).
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"


class FileIn(Schema):
    """A file sent to the API: its name and its bytes in base64. Its kind is read from the bytes."""

    filename: str = Field(..., max_length=255, description="With its extension, which must fit its content")
    content_base64: str = Field(..., pattern=BASE64, description="The file's bytes, base64-encoded")

    def file(self) -> AttachmentFile:
        return AttachmentFile(self.filename, "", base64.b64decode(self.content_base64))


class FileOut(Schema):
    id: int
    filename: str
    content_type: str = Field(..., description="Read from the content when staff attached it")
    size: int
